"""Date and DateTime as the schema has always served them, with errors of our own: strawberry's
quoted Python's parser (`invalid literal for int() with base 10: b'yest'`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime

import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

SHOWN = 40  # characters of a refused value quoted back


def _parser(parse: Callable[[str], object], what: str) -> Callable[[object], object]:
    def parse_value(value: object) -> object:
        if isinstance(value, str):
            try:
                return parse(value)
            except ValueError:
                pass
        shown = repr(value[:SHOWN] + "…" if len(value) > SHOWN else value) \
            if isinstance(value, str) else repr(value)
        raise GraphQLError(f"{shown} is not {what}", extensions={"code": "BAD_USER_INPUT"})

    return parse_value


def _iso(value: date) -> str:
    return value.isoformat()


SCALARS: Mapping[object, ScalarDefinition] = {
    datetime: strawberry.scalar(
        name="DateTime", description="Date with time (isoformat)", serialize=_iso,
        parse_value=_parser(datetime.fromisoformat,
                            "an ISO-8601 date-time such as 2026-11-20T08:05:00Z")),
    date: strawberry.scalar(
        name="Date", description="Date (isoformat)", serialize=_iso,
        parse_value=_parser(date.fromisoformat, "an ISO-8601 date such as 1958-02-11")),
}
