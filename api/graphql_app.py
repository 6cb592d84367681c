"""The GraphQL endpoint: strawberry's ASGI app, speaking the GraphQL-over-HTTP specification."""

from __future__ import annotations

import json
from typing import Any, overload

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api.context import Context
from api.resources import Resources
from api.subscriptions import SocketContext, authenticate_socket

GRAPHQL_RESPONSE = "application/graphql-response+json"


class TwinGraphQL(GraphQL[Context, None]):
    """Serves the schema. With `Accept: application/graphql-response+json` the status codes
    follow the GraphQL-over-HTTP spec (a request that could not run is a 4xx, without a
    `data` entry); plain `application/json` clients get 200 as they expect. Mutations over
    GET are refused (405) by strawberry, as the spec requires."""

    def __init__(self, schema: BaseSchema, resources: Resources) -> None:
        settings = resources.settings
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql else None)
        self.resources = resources

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        if isinstance(request, WebSocket):
            return SocketContext(resources=self.resources, request=request)
        return Context(resources=self.resources, request=request)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Subscriptions are authenticated on connect: see `authenticate_socket`."""
        await authenticate_socket(context)
        return await super().on_ws_connect(context)

    async def get_root_value(self, request: Any) -> None:
        return None

    def parse_json(self, data: str | bytes) -> Any:
        """A GraphQL request is a JSON object (or a list, for a batch strawberry refuses);
        any other JSON value is bad input, not something to look fields up in."""
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "the request body must be a JSON object with a `query`")
        _refuse_nul(parsed)
        return parsed

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        parsed = super().parse_query_params(params)
        _refuse_nul(parsed)
        return parsed

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            processed.pop("data", None)  # parse or validation failure: nothing was executed
        return processed

    @overload
    async def run(self, request: Request, context: Context | UnsetType = UNSET,
                  root_value: UnsetType | None = UNSET) -> Response: ...

    @overload
    async def run(self, request: WebSocket, context: Context | UnsetType = UNSET,
                  root_value: UnsetType | None = UNSET) -> WebSocket: ...

    async def run(self, request: Request | WebSocket, context: Context | UnsetType = UNSET,
                  root_value: UnsetType | None = UNSET) -> Response | WebSocket:
        if isinstance(request, WebSocket):
            return await super().run(request)
        try:
            response = await super().run(request)
        except UnicodeDecodeError:
            return _error_response(request, 400, "the request body is not UTF-8 encoded JSON")
        except HTTPException as exc:
            status = exc.status_code
            if request.method == "GET" and "mutation" in exc.reason:
                status = 405  # GraphQL-over-HTTP: a mutation over GET is Method Not Allowed
            return _error_response(request, status, exc.reason)
        if isinstance(response, Response) and response.media_type == "application/json":
            return _negotiated(request, response)
        return response


def _refuse_nul(value: Any) -> None:
    """No text of ours holds a NUL character, and the embedded store reads one as the end of
    its query: refuse the request rather than let a NUL cut a statement short."""
    if isinstance(value, str):
        if "\x00" in value:
            raise HTTPException(400, "the request holds a NUL character, which no field accepts")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item)


def _wants_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("accept", "")


def _negotiated(request: Request, response: Response) -> Response:
    if not _wants_graphql_response(request):
        return response
    body = json.loads(bytes(response.body))
    status = response.status_code if "data" in body else 400
    return Response(response.body, status_code=status, media_type=GRAPHQL_RESPONSE,
                    headers={k: v for k, v in response.headers.items()
                             if k.lower() not in ("content-type", "content-length")})


def _error_response(request: Request, status: int, message: str) -> Response:
    media = GRAPHQL_RESPONSE if _wants_graphql_response(request) else "application/json"
    body = json.dumps({"errors": [{"message": message}]})
    headers = {"Allow": "GET, POST"} if status == 405 else None
    return Response(body, status_code=status, media_type=media, headers=headers)
