"""The GraphQL schema, assembled from the types and resolvers of each concern."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.context import Context


@strawberry.type
class ServerInfo:
    graph_backend: str
    version: str


@strawberry.type
class Query:
    @strawberry.field(description="What this server runs on; answers without a login.")
    async def server_info(self, info: Info[Context, None]) -> ServerInfo:
        resources = info.context.resources
        return ServerInfo(graph_backend=resources.store.backend, version="0.1.0")


schema = strawberry.Schema(query=Query)
