"""The GraphQL endpoint: strawberry's ASGI app with our per-request context."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api.context import Context
from api.resources import Resources
from api.schema import schema


class TwinGraphQL(GraphQL[Context, None]):
    """Serves `schema`; GraphiQL is shown when the settings allow it."""

    def __init__(self, resources: Resources) -> None:
        settings = resources.settings
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql else None)
        self.resources = resources

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        return Context(resources=self.resources, request=request)

    async def get_root_value(self, request: Any) -> None:
        return None
