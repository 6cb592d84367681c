"""Bounds on what one request may ask: body size, query depth, aliases, tokens, introspection."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from graphql import GraphQLError, StringValueNode
from graphql.validation import (
    ASTValidationRule,
    NoSchemaIntrospectionCustomRule,
    ValidationRule,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send
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

from api.errors import is_client_error

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
        partial(ParserCache, maxsize=CACHED_DOCUMENTS),
        partial(ValidationCache, maxsize=CACHED_DOCUMENTS),
        partial(MaxTokensLimiter, max_token_count=max_tokens),
        partial(AddValidationRules, rules),
        partial(MaskErrors, should_mask_error=lambda e: not is_client_error(e),
                error_message=MASKED_MESSAGE),
    ]


class BodyLimit:
    """Refuses request bodies over `max_bytes` with 413 before the app reads them whole,
    whether the client declares a Content-Length or streams a chunked body."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
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

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"errors": [{
            "message": f"the request body is larger than {self.max_bytes} bytes",
            "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
