"""Projects ledger events onto the graph: one idempotent statement per event kind.

Every `apply_*` statement first moves the projection cursor from below `seq` to `seq`, and
does nothing at all when the cursor is already there: applying an event twice, or replaying
the ledger over a graph that already holds part of it, leaves the graph as it was. Events
must be applied in `seq` order; the cursor is then the last applied seq. Events that wait
together are applied together (`apply_batch`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from graph.events import Event
from graph.store import GraphStore

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def statement_name(event: Event) -> str:
    """`PatientAdmitted` is projected by `apply_patient_admitted.cypher`."""
    return "apply_" + _CAMEL.sub("_", event.kind).lower()


def parameters(event: Event, seq: int) -> dict[str, Any]:
    """The event's fields as statement parameters (tuples become lists), plus its `seq`."""
    params = asdict(event)
    params["seq"] = seq
    return params


async def apply(store: GraphStore, event: Event, seq: int) -> bool:
    """Apply one event; True if it changed the graph, False if it was already applied."""
    rows = await store.write(statement_name(event), parameters(event, seq))
    return bool(rows)


async def apply_batch(store: GraphStore, events: Sequence[tuple[Event, int]]) -> None:
    """Apply events in seq order as one batch: one transaction on Neo4j (see
    `GraphStore.write_batch`), so that the cursor is committed once per batch."""
    await store.write_batch([(statement_name(event), parameters(event, seq))
                             for event, seq in events])


async def cursor(store: GraphStore) -> int:
    """The seq of the last event applied to this graph, -1 for an empty graph."""
    rows = await store.read("cursor_get")
    return int(rows[0]["seq"]) if rows else -1
