"""Failures meant for the caller: each a class with a GraphQL error code; the rest are masked.

The twin's refusals (api/twin/errors.py) become these in one place, `client_error`."""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from graphql import GraphQLError, GraphQLObjectType, GraphQLSchema, GraphQLSyntaxError

from api.twin import errors as twin


class ClientError(GraphQLError):
    """An expected failure: its message and `extensions.code` reach the caller unmasked."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class Unauthenticated(ClientError):
    code = "UNAUTHENTICATED"


class Forbidden(ClientError):
    code = "FORBIDDEN"


class NotFound(ClientError):
    code = "NOT_FOUND"


class Conflict(ClientError):
    code = "CONFLICT"


class TooManyRequests(ClientError):
    """Throttled; `retryAfterSeconds` says when to try again."""

    code = "TOO_MANY_REQUESTS"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message, retryAfterSeconds=retry_after_seconds)


class InvalidInput(ClientError):
    """Bad input; `field` names the input field (dotted path) that is wrong."""

    code = "BAD_USER_INPUT"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)


def is_client_error(error: GraphQLError) -> bool:
    """GraphQL's own errors (syntax, validation, variable coercion) and our ClientErrors are
    shown; anything else (a store or programming failure) is masked."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


_AS_CLIENT_ERROR: dict[type[twin.TwinError], type[ClientError]] = {
    twin.Unauthenticated: Unauthenticated,
    twin.Forbidden: Forbidden,
    twin.NotFound: NotFound,
    twin.Conflict: Conflict,
}
"""The one table from the twin's refusals to the edge's error codes (with InvalidInput and
TooManyRequests, which carry more than a message, below)."""


def client_error(error: twin.TwinError) -> ClientError:
    """The GraphQL error a refusal of the twin reaches the caller as."""
    if isinstance(error, twin.InvalidInput):
        return InvalidInput(error.field, error.reason)
    if isinstance(error, twin.TooManyRequests):
        return TooManyRequests(error.message, error.retry_after_seconds)
    for kind in type(error).__mro__:
        if kind in _AS_CLIENT_ERROR:
            return _AS_CLIENT_ERROR[kind](error.message)
    return ClientError(error.message)


def translate_twin_errors(schema: GraphQLSchema) -> None:
    """Every resolver we wrote answers a refusal of the twin as its GraphQL error: wrapped once
    here, at schema build, rather than caught in each resolver. Fields without a resolver of
    ours (plain attributes) are left alone, so reading a large twin pays nothing for it."""
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for field in named.fields.values():
            definition = field.extensions.get(_STRAWBERRY)
            if getattr(definition, "base_resolver", None) is None:
                continue
            if field.resolve is not None:
                field.resolve = _guarded(field.resolve)
            if field.subscribe is not None:
                field.subscribe = _guarded(field.subscribe)


_STRAWBERRY = "strawberry-definition"


def _guarded(resolve: Callable[..., Any]) -> Callable[..., Any]:
    if getattr(resolve, "_translates_twin_errors", False):
        return resolve

    def resolver(source: Any, info: Any, **arguments: Any) -> Any:
        try:
            result = resolve(source, info, **arguments)
        except twin.TwinError as error:
            raise client_error(error) from None
        if inspect.isawaitable(result):
            return _awaited(result)
        if isinstance(result, AsyncIterator):
            return _streamed(result)
        return result

    resolver._translates_twin_errors = True  # type: ignore[attr-defined]
    return resolver


async def _awaited(result: Awaitable[Any]) -> Any:
    try:
        value = await result
    except twin.TwinError as error:
        raise client_error(error) from None
    return _streamed(value) if isinstance(value, AsyncIterator) else value


async def _streamed(events: AsyncIterator[Any]) -> AsyncGenerator[Any, None]:
    try:
        async for event in events:
            yield event
    except twin.TwinError as error:
        raise client_error(error) from None
    finally:
        close = getattr(events, "aclose", None)
        if close is not None:
            await close()


_log = logging.getLogger("api.graphql")


def log_errors(errors: Iterable[GraphQLError], operation: str | None) -> None:
    """The log line of each GraphQL error, in place of strawberry's, which writes the
    message and an excerpt of the document: both may quote a patient's name, a code or a
    finding. Here: the operation type, the error code and the exception's class; for an
    unexpected failure also where it was raised (file, line, function), never its message."""
    for error in errors:
        original = error.original_error
        extensions = error.extensions or {}
        default = ("GRAPHQL_PARSE_FAILED" if isinstance(error, GraphQLSyntaxError)
                   else "GRAPHQL_VALIDATION_FAILED")
        entry: dict[str, Any] = {"operation": operation,
                                 "code": extensions.get("code", default),
                                 "error": type(original or error).__name__}
        if is_client_error(error):
            _log.info("operation refused", extra=entry)
            continue
        entry["code"] = "INTERNAL"
        if original is not None:
            entry["where"] = [f"{Path(frame.filename).name}:{frame.lineno}:{frame.name}"
                              for frame in traceback.extract_tb(original.__traceback__)[-6:]]
        _log.error("operation failed", extra=entry)
