"""The narrow seam between the twin and its database: named Cypher statements in, plain rows out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

Row = dict[str, Any]
Params = Mapping[str, Any]


class StoreError(Exception):
    """The store refused or failed a statement; the message names the statement, never its data."""


class StoreUnavailable(StoreError):
    """The store could not be started or reached; the message is one line for the operator."""


class GraphStore(Protocol):
    """What every backend offers.

    Statements are referred to by the name of their `.cypher` file; parameters are always
    passed separately (no statement is ever built from strings). Rows come back as dicts of
    plain Python values: nodes and relationships become dicts of their properties.
    Each `write` is atomic on its own, on both backends.
    """

    backend: str
    statements_run: int
    """How many named statements ran: lets tests prove reads are batched, not N+1."""

    async def open(self) -> None:
        """Start or connect to the store and set up its schema (idempotent)."""
        ...

    async def close(self) -> None:
        """Release connections and stop any child process the store started."""
        ...

    async def read(self, statement: str, params: Params | None = None) -> list[Row]:
        """Run a read-only statement."""
        ...

    async def write(self, statement: str, params: Params | None = None) -> list[Row]:
        """Run a write statement atomically, retrying transient failures where the backend can."""
        ...

    async def write_batch(self, batch: Sequence[tuple[str, Params]]) -> list[list[Row]]:
        """Run write statements in order, each with its parameters; their rows, in order.

        Neo4j runs the whole batch in one transaction: all of it or none. FalkorDB has no
        multi-statement transaction, so there each statement is atomic on its own; the
        projection's statements stay idempotent one by one (each checks the cursor), so a
        batch cut short by a crash is finished by the replay at the next start.
        """
        ...

    async def health(self) -> bool:
        """True when the store answers a trivial query now."""
        ...

    async def clear(self) -> None:
        """Delete every node and relationship (tests and `hdt rebuild` into a scratch store)."""
        ...

    async def forget_deleted(self) -> bool:
        """Rewrite the store's own files so that nothing deleted so far is left in them
        (an erasure, GDPR art. 17). True once done and durable; False when this backend
        cannot promise it (the operator must then act: README, "Erasure")."""
        ...


CLEAR_BATCH = 10_000


async def clear_in_batches(store: GraphStore) -> None:
    """Delete everything a batch at a time: one transaction over a whole graph can exhaust a
    bounded Neo4j heap (the ICD-10-CM tree alone is ~100,000 nodes)."""
    while (await store.write("clear_all", {"batch": CLEAR_BATCH}))[0]["deleted"]:
        pass


def refuse_nul(statement: str, params: Params | None) -> None:
    """Refuse any parameter text holding a NUL character, on every backend alike.

    The embedded store reads NUL as the end of a query, so it would cut the statement short;
    no text of the twin holds one, so it is refused rather than stored by one backend only.
    """
    if params and holds_nul(params):
        raise StoreError(f"statement {statement}: a parameter holds a NUL character")


def holds_nul(value: Any) -> bool:
    """True when any text in `value` (mappings, lists and tuples looked into) holds a NUL."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False
