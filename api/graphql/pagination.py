"""Relay connections with key-set cursors: a page is "rows after this key", never an offset."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from api.graphql.errors import InvalidInput

T = TypeVar("T")
R = TypeVar("R")
MAX_PAGE = 100


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list, with a key-set cursor to the next page.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many rows the caller may see in the whole list.")
    async def total_count(self) -> int:
        return await self.count()


def encode_cursor(key: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    """The key a cursor stands for; a cursor this server did not make is bad input."""
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeError):
        key = None
    if not isinstance(key, list) or len(key) != arity:
        raise InvalidInput("after", "is not a cursor returned by this list")
    return key


def page_size(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput("first", f"must be between 1 and {MAX_PAGE}")
    return first


def connection(
    rows: list[T], first: int, key: Callable[[T], Sequence[Any]],
    count: Callable[[], Awaitable[int]],
) -> Connection[T]:
    """Build a page from up to `first + 1` rows (the extra one only says there is more)."""
    page = rows[:first]
    edges = [Edge(cursor=encode_cursor(key(node)), node=node) for node in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=len(rows) > first,
                           end_cursor=edges[-1].cursor if edges else None),
        count=count,
    )


async def keyset_page(
    first: int, after: str | None, arity: int,
    fetch: Callable[[tuple[Any, ...] | None, int], Awaitable[Sequence[R]]],
    count: Callable[[], Awaitable[int]],
    node: Callable[[R], T], key: Callable[[T], Sequence[Any]],
) -> Connection[T]:
    """One page of a list the store pages by key: `fetch` reads the rows after the key
    `after` stands for (`arity` values), one more than `first` to tell whether there is
    more; `count` counts the whole list, only if the caller asks."""
    values = decode_cursor(after, arity)
    rows = await fetch(None if values is None else tuple(values), page_size(first) + 1)
    return connection([node(row) for row in rows], first, key, count)
