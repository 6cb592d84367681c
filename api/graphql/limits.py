"""Bounds on what one request may ask (body or message size, query depth, aliases, tokens,
introspection), and which operation of it may run."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, StringValueNode
from graphql.validation import (
    ASTValidationRule,
    NoSchemaIntrospectionCustomRule,
    ValidationRule,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types.graphql import OperationType

from api.graphql.errors import is_client_error

CACHED_DOCUMENTS = 512
MASKED_MESSAGE = "internal error; the server log has the details (no clinical content)"


class NoNulInText(ValidationRule):
    """A string literal in a query may not hold a NUL character (variables are checked when
    the body is parsed): no field accepts one, and the embedded store would read it as the
    end of a statement."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if "\x00" in node.value:
            self.report_error(GraphQLError(
                "the request holds a NUL character, which no field accepts", node))


class CachedParser(ParserCache):
    """strawberry's parser cache, minus one flaw: a document that does not parse (a syntax
    error, or more tokens than allowed) raised from this hook, outside the code that turns
    parse errors into GraphQL errors. Over HTTP that still gave an error, but a WebSocket
    operation just ended with `complete`. Leaving the document unset lets strawberry parse
    it itself, with the same options, and report the error as it does without the cache;
    the token limit bounds that second parse."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options)
        except GraphQLError:
            context.graphql_document = None
        yield


class OperationRules(SchemaExtension):
    """Rules of the GraphQL specs that strawberry leaves to us.

    - A document with several operations runs only the one `operationName` names: without
      a name strawberry ran the first, where the spec requires a request error.
    - Subscriptions are served over WebSocket only: over HTTP strawberry would run one as a
      query and fail inside it. Taking them out of the allowed types makes strawberry refuse
      the request with 400 before anything runs.
    """

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        request = getattr(context.context, "request", None)
        if not isinstance(request, WebSocket):
            context.allowed_operations = frozenset(context.allowed_operations) - {
                OperationType.SUBSCRIPTION}
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operations = [] if document is None else [
            d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) > 1 and context._provided_operation_name is None:  # no public name
            raise GraphQLError("Must provide operation name if query contains multiple "
                               "operations.", extensions={"code": "BAD_REQUEST"})
        yield


def schema_extensions(
    max_depth: int, max_aliases: int, max_tokens: int, introspection: bool
) -> list[Callable[[], SchemaExtension]]:
    """Checked before execution, so a hostile query costs almost nothing.

    Factories, not instances: strawberry makes fresh extensions per operation. The depth,
    alias and introspection rules are built once, so that the validation cache (keyed by
    document and rules) hits: clients repeat the same few documents, and validating each
    one anew was half the server's CPU per mutation.
    """
    rules: list[type[ASTValidationRule]] = [
        NoNulInText,
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    ]
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    return [
        OperationRules,
        partial(CachedParser, maxsize=CACHED_DOCUMENTS),
        partial(ValidationCache, maxsize=CACHED_DOCUMENTS),
        partial(MaxTokensLimiter, max_token_count=max_tokens),
        partial(AddValidationRules, rules),
        partial(MaskErrors, should_mask_error=lambda e: not is_client_error(e),
                error_message=MASKED_MESSAGE),
    ]


class BodyLimit:
    """Refuses request bodies over `max_bytes` with 413 before the app reads them whole,
    whether the client declares a Content-Length or streams a chunked body; and closes a
    WebSocket with 1009 (message too big) on a message over the same bound, so that neither
    transport parses more than the other would."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._limit_messages(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            if refused:
                await self._refuse(send)

    async def _limit_messages(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app sees an oversized message as the client leaving; what it sends after
        the close is dropped."""
        closed = False

        async def limited_receive() -> Message:
            nonlocal closed
            message = await receive()
            if message["type"] == "websocket.receive" and _size(message) > self.max_bytes:
                closed = True
                await send({"type": "websocket.close", "code": MESSAGE_TOO_BIG,
                            "reason": f"a message is larger than {self.max_bytes} bytes"})
                return {"type": "websocket.disconnect", "code": MESSAGE_TOO_BIG}
            return message

        async def guarded_send(message: Message) -> None:
            if not closed:
                await send(message)

        await self.app(scope, limited_receive, guarded_send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"errors": [{
            "message": f"the request body is larger than {self.max_bytes} bytes",
            "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


MESSAGE_TOO_BIG = 1009  # RFC 6455, section 7.4.1


def _size(message: Message) -> int:
    text = message.get("text")
    if text is not None:
        return len(str(text).encode("utf-8", "surrogatepass"))
    return len(message.get("bytes") or b"")


class _TooLarge(Exception):
    pass
