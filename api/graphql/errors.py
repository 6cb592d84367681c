"""Failures meant for the caller: each a class with a GraphQL error code; the rest are masked."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError


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
