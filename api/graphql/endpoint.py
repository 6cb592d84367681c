"""The GraphQL endpoint: strawberry's ASGI app, speaking the GraphQL-over-HTTP specification."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncGenerator
from typing import Any, overload

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.exceptions import NonJsonMessageReceived
from strawberry.schema import BaseSchema
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api.graphql.context import Context
from api.graphql.subscriptions import SocketContext, authenticate_socket
from api.resources import Resources

GRAPHQL_RESPONSE = "application/graphql-response+json"
MAX_JSON_DEPTH = 32  # our deepest request (an admission with its vitals) nests 6 levels
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class RefusedJson(json.JSONDecodeError):
    """JSON that decodes but that no operation may receive; a `JSONDecodeError`, so that
    strawberry's WebSocket handler closes the socket with 4400 as for any bad message."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "", 0)
        self.message = message


class TwinWebSocket(ASGIWebSocketAdapter):
    """Closes with 4400 and the reason itself, where strawberry gives one reason for all."""

    async def iter_json(self, *, ignore_parsing_errors: bool = False
                        ) -> AsyncGenerator[object, None]:
        try:
            async for message in super().iter_json(ignore_parsing_errors=ignore_parsing_errors):
                yield message
        except NonJsonMessageReceived as exc:
            if not isinstance(exc.__cause__, RefusedJson):
                raise
            await self.close(4400, exc.__cause__.message)


class TwinGraphQL(GraphQL[Context, None]):
    """Serves the schema. With `Accept: application/graphql-response+json` the status codes
    follow the GraphQL-over-HTTP spec (a request that could not run is a 4xx, without a
    `data` entry); plain `application/json` clients get 200 as they expect. Mutations over
    GET are refused (405) by strawberry, as the spec requires."""

    websocket_adapter_class = TwinWebSocket

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

    def decode_json(self, data: str | bytes) -> object:
        """Every JSON message of both transports, HTTP bodies and WebSocket messages alike,
        is decoded here, and refused when no operation could take it: nested deeper than
        any request of ours (Python's decoder would hit its recursion limit), or holding a
        NUL or a lone surrogate (neither is a character any field stores; the embedded
        store reads a NUL as the end of its query, and a surrogate cannot be encoded)."""
        try:
            value = json.loads(data)
        except RecursionError:
            raise RefusedJson(_too_deep()) from None
        _refuse_unstorable(value)
        return value

    def parse_json(self, data: str | bytes) -> Any:
        """A GraphQL request is a JSON object (or a list, for a batch strawberry refuses);
        any other JSON value is bad input, not something to look fields up in."""
        try:
            parsed = self.decode_json(data)
        except RefusedJson as exc:
            raise HTTPException(400, exc.message) from None
        except json.JSONDecodeError:
            raise HTTPException(400, "Unable to parse request body as JSON") from None
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "the request body must be a JSON object with a `query`")
        return parsed

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        parsed = super().parse_query_params(params)
        try:
            _refuse_unstorable(parsed)
        except RefusedJson as exc:
            raise HTTPException(400, exc.message) from None
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
            status, reason = exc.status_code, exc.reason
            if request.method == "GET" and "mutation" in reason:
                status = 405  # GraphQL-over-HTTP: a mutation over GET is Method Not Allowed
            if reason.startswith("subscriptions are not allowed"):
                reason += "; subscribe over a WebSocket at /graphql (graphql-transport-ws)"
            return _error_response(request, status, reason)
        if isinstance(response, Response) and response.media_type == "application/json":
            return _negotiated(request, response)
        return response


def _refuse_unstorable(value: Any) -> None:
    """Walks the decoded JSON without recursion (its depth is what is being checked)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if found := _UNSTORABLE.search(item):
                raise RefusedJson(_unstorable(found.group()))
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise RefusedJson(_too_deep())
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)


def _too_deep() -> str:
    return f"the request nests JSON deeper than {MAX_JSON_DEPTH} levels"


def _unstorable(character: str) -> str:
    if character == "\x00":
        return "the request holds a NUL character, which no field accepts"
    return (f"the request holds a lone surrogate (U+{ord(character):04X}), which is not a "
            "character: encode text as UTF-8")


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
