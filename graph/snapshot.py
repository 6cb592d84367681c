"""Reads a whole graph as a canonical stream of nodes and relationships, and compares two graphs.

Why: the graph is a projection of the ledger, so the ledger replayed into an empty store must
give the very same graph; comparing the two finds every edit made behind the server's back.
Both backends give the same canonical form (labels sorted, null properties left out), so a
FalkorDB graph compares with a Neo4j one.

A node is identified by its `id` (or its `key`, for knowledge nodes keyed by code) together
with its labels, since a user and their physician profile share one id; a node with neither
property has the empty identity. A relationship is identified by its start, type and end;
parallel relationships by their properties. Each store is read in pages ordered by identity
(key-set paging, never SKIP) that end on a whole identity, and the two streams are merged:
memory holds about one page per store, whatever the size of the graph.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import AsyncIterator, Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Literal, TypeVar

from graph.store import GraphStore, Row

PAGE_SIZE = 5000
"""Rows per read: each page is one scan of the graph, so larger pages mean fewer scans."""

Element = Literal["node", "relationship"]
Change = Literal["missing", "extra", "changed"]
Progress = Callable[[Element, int, int], None]
"""Called as progress(element, done, total) with counts of the actual graph's elements."""


class SnapshotError(Exception):
    """A store gave its rows out of identity order, so the two graphs cannot be merged."""


@dataclass(frozen=True, slots=True)
class Node:
    identity: str
    labels: tuple[str, ...]
    properties: dict[str, Any]

    @property
    def seq(self) -> int | None:
        """The seq of the event that last wrote this node, as the node records it."""
        return _seq(self.properties)


@dataclass(frozen=True, slots=True)
class Relationship:
    start: str
    start_labels: tuple[str, ...]
    type: str
    end: str
    end_labels: tuple[str, ...]
    properties: dict[str, Any]
    ends_seq: int | None
    """The latest seq recorded on either end."""

    @property
    def seq(self) -> int | None:
        """The relationship's own seq; most carry none (the event that made one recorded its
        seq on an end, see `ends_seq`)."""
        return _seq(self.properties)


@dataclass(frozen=True, slots=True)
class PropertyChange:
    """A property whose value differs; values are given as salted digests, never in clear
    (they may be clinical). None: the property is absent on that side."""

    name: str
    expected: str | None
    actual: str | None


@dataclass(frozen=True, slots=True)
class Difference:
    """One node or relationship that is `missing` from the actual graph, `extra` in it, or
    `changed` (then `properties` names what changed). `identity` and `labels` are the node's,
    or the start's of a relationship. `seq` is the event that last wrote it: from the expected
    graph when it has the element, else as the actual element claims. A relationship that
    records no seq of its own gets the latest seq on either end, an upper bound (every event
    records its seq on a node it links): then `seq_exact` is False."""

    element: Element
    change: Change
    identity: str
    labels: tuple[str, ...]
    seq: int | None
    type: str | None = None
    end: str | None = None
    end_labels: tuple[str, ...] = ()
    properties: tuple[PropertyChange, ...] = ()
    seq_exact: bool = True


async def size(store: GraphStore) -> tuple[int, int]:
    """How many nodes and relationships the graph holds."""
    [row] = await store.read("graph_size")
    return int(row["nodes"]), int(row["relationships"])


async def nodes(store: GraphStore, page_size: int = PAGE_SIZE) -> AsyncIterator[list[Node]]:
    """Every node, grouped by identity, in ascending identity order; a group is sorted by
    labels, then properties."""
    async for _, rows in _groups(store, "graph_nodes_page", "identity", page_size):
        yield sorted(map(_node, rows), key=lambda n: (n.labels, _canonical(n.properties)))


async def relationships(
    store: GraphStore, page_size: int = PAGE_SIZE
) -> AsyncIterator[list[Relationship]]:
    """Every relationship, grouped by the identity of its start, in ascending order; a group
    is sorted by start labels, type, end, then properties."""
    async for _, rows in _groups(store, "graph_relationships_page", "start_identity", page_size):
        yield sorted(map(_relationship, rows), key=lambda r: (
            r.start_labels, r.type, r.end, r.end_labels, _canonical(r.properties)))


async def compare(
    expected: GraphStore,
    actual: GraphStore,
    *,
    page_size: int = PAGE_SIZE,
    progress: Progress | None = None,
    salt: bytes | None = None,
) -> AsyncIterator[Difference]:
    """Every difference of `actual` from `expected`: nodes first, then relationships, each in
    identity order. Digests of values use `salt` (random by default): equal digests within
    one comparison mean equal values, and a digest cannot be looked up in a table."""
    digest = _Digest(salt if salt is not None else os.urandom(16))
    total_nodes, total_relationships = await size(actual)
    node_groups = _counted(nodes(actual, page_size), "node", total_nodes, progress)
    async for difference in _merge(nodes(expected, page_size), node_groups,
                                   lambda e, a: _diff_nodes(e, a, digest)):
        yield difference
    relationship_groups = _counted(relationships(actual, page_size), "relationship",
                                   total_relationships, progress)
    async for difference in _merge(relationships(expected, page_size), relationship_groups,
                                   lambda e, a: _diff_relationships(e, a, digest)):
        yield difference


# -- reading ------------------------------------------------------------------------------


async def _groups(
    store: GraphStore, statement: str, key: str, page_size: int
) -> AsyncIterator[tuple[str, list[Row]]]:
    """The rows of `statement`, grouped by `key`, each group whole, in ascending key order.

    A full page may end inside a group: that group is read again with the next page. A page
    holding one group only is read again twice as large until the group ends in it.
    """
    after: str | None = None
    limit = page_size
    while True:
        rows = await store.read(statement, {"after": after, "limit": limit})
        complete = len(rows) < limit
        if not complete:
            last = rows[-1][key]
            if rows[0][key] == last:
                limit *= 2
                continue
            rows = [row for row in rows if row[key] != last]
        for identity, group in groupby(rows, key=lambda row: row[key]):
            if not isinstance(identity, str) or (after is not None and identity <= after):
                raise SnapshotError(f"{statement} returned identities out of order")
            yield identity, list(group)
            after = identity
        if complete:
            return
        limit = page_size


async def _counted(
    groups: AsyncIterator[list[Any]], element: Element, total: int, progress: Progress | None
) -> AsyncIterator[list[Any]]:
    done = 0
    async for group in groups:
        done += len(group)
        if progress is not None:
            progress(element, done, max(total, done))
        yield group


def _node(row: Row) -> Node:
    return Node(row["identity"], tuple(sorted(row["labels"])), _properties(row["properties"]))


def _relationship(row: Row) -> Relationship:
    ends = [s for s in (row["start_seq"], row["end_seq"]) if _is_int(s)]
    return Relationship(
        row["start_identity"], tuple(sorted(row["start_labels"])), row["type"],
        row["end_identity"], tuple(sorted(row["end_labels"])), _properties(row["properties"]),
        max(ends) if ends else None,
    )


def _properties(values: dict[str, Any] | None) -> dict[str, Any]:
    """Null properties are left out: Neo4j never stores them, FalkorDB may return them."""
    return {name: value for name, value in (values or {}).items() if value is not None}


def _seq(properties: dict[str, Any]) -> int | None:
    for name in ("seq", "created_seq"):
        value = properties.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# -- comparing ----------------------------------------------------------------------------

T = TypeVar("T", Node, Relationship)


async def _merge(
    expected: AsyncIterator[list[T]],
    actual: AsyncIterator[list[T]],
    diff: Callable[[list[T], list[T]], Iterator[Difference]],
) -> AsyncIterator[Difference]:
    """A sorted merge of two grouped streams: a group on one side only is all missing or all
    extra; groups of the same identity are compared element by element."""
    left = await anext(expected, None)
    right = await anext(actual, None)
    while left is not None or right is not None:
        if right is None or (left is not None and _identity(left) < _identity(right)):
            assert left is not None
            found = diff(left, [])
            left = await anext(expected, None)
        elif left is None or _identity(right) < _identity(left):
            found = diff([], right)
            right = await anext(actual, None)
        else:
            found = diff(left, right)
            left = await anext(expected, None)
            right = await anext(actual, None)
        for difference in found:
            yield difference


def _identity(group: Sequence[Node | Relationship]) -> str:
    first = group[0]
    return first.identity if isinstance(first, Node) else first.start


def _diff_nodes(expected: list[Node], actual: list[Node], digest: _Digest) -> Iterator[Difference]:
    def make(node: Node, change: Change, changes: tuple[PropertyChange, ...]) -> Difference:
        return Difference("node", change, node.identity, node.labels, node.seq,
                          properties=changes)

    return _diff_group(expected, actual, lambda node: node.labels, make, digest)


def _diff_relationships(
    expected: list[Relationship], actual: list[Relationship], digest: _Digest
) -> Iterator[Difference]:
    def make(r: Relationship, change: Change, changes: tuple[PropertyChange, ...]) -> Difference:
        own = r.seq
        return Difference("relationship", change, r.start, r.start_labels,
                          r.ends_seq if own is None else own, r.type, r.end, r.end_labels,
                          changes, seq_exact=own is not None)

    return _diff_group(expected, actual,
                       lambda r: (r.start_labels, r.type, r.end, r.end_labels), make, digest)


def _diff_group(
    expected: list[T],
    actual: list[T],
    key: Callable[[T], Hashable],
    make: Callable[[T, Change, tuple[PropertyChange, ...]], Difference],
    digest: _Digest,
) -> Iterator[Difference]:
    """Elements of one identity, matched by `key`; among several with the same key (parallel
    relationships, duplicated nodes), equal ones match first. One left unmatched on each side
    is a change; any other count is elements missing and extra."""
    buckets: dict[Hashable, tuple[list[T], list[T]]] = {}
    for element in expected:
        buckets.setdefault(key(element), ([], []))[0].append(element)
    for element in actual:
        buckets.setdefault(key(element), ([], []))[1].append(element)
    for bucket_key in sorted(buckets, key=repr):
        lost, added = _unmatched(*buckets[bucket_key])
        if len(lost) == 1 == len(added):
            yield make(lost[0], "changed", _changes(lost[0].properties, added[0].properties,
                                                    digest))
            continue
        for element in lost:
            yield make(element, "missing", ())
        for element in added:
            yield make(element, "extra", ())


def _unmatched(expected: list[T], actual: list[T]) -> tuple[list[T], list[T]]:
    pool: dict[str, list[T]] = {}
    for element in actual:
        pool.setdefault(_canonical(element.properties), []).append(element)
    lost = []
    for element in expected:
        same = pool.get(_canonical(element.properties))
        if same:
            same.pop()
        else:
            lost.append(element)
    return lost, [element for same in pool.values() for element in same]


def _changes(
    expected: dict[str, Any], actual: dict[str, Any], digest: _Digest
) -> tuple[PropertyChange, ...]:
    changes = []
    for name in sorted(expected.keys() | actual.keys()):
        old, new = expected.get(name), actual.get(name)
        if _canonical(old) != _canonical(new):
            changes.append(PropertyChange(name, digest.of(old), digest.of(new)))
    return tuple(changes)


def _canonical(value: Any) -> str:
    """One text per value, telling 1 from 1.0 and from true, and maps from key order."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=repr)


class _Digest:
    """Short keyed digests of property values: enough to tell values apart in a report,
    useless for recovering them."""

    def __init__(self, salt: bytes) -> None:
        self._salt = salt

    def of(self, value: Any) -> str | None:
        if value is None:
            return None
        text = _canonical(value).encode("utf-8", "surrogatepass")
        return hashlib.blake2b(text, key=self._salt, digest_size=4).hexdigest()
