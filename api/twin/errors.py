"""The twin's refusals: one exception class per reason a command cannot be done.

Plain exceptions, so the rules can be used (by the demo, the FHIR import, tests) without the
GraphQL edge; api/graphql/errors.py gives each its error code, in one table.
"""

from __future__ import annotations


class TwinError(Exception):
    """An expected refusal: its message is meant for the caller, and names no patient data
    the caller could not already read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unauthenticated(TwinError):
    """Nobody known is asking."""


class Forbidden(TwinError):
    """The caller's role may not do this."""


class NotFound(TwinError):
    """No such object, or one the caller may not read: the two are told apart by nobody."""


class Conflict(TwinError):
    """The request is well formed but the twin's state refuses it (e.g. a discharged patient)."""


class TooManyRequests(TwinError):
    """Throttled; try again after `retry_after_seconds`."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class InvalidInput(TwinError):
    """Bad input; `field` names the input field (dotted path) that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message
