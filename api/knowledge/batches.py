"""Recording knowledge in batches through the ledger, each batch once, each in one entry that a
tlog-tiles entry bundle can carry."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from pydantic import TypeAdapter

from api.resources import Resources
from graph.events import encode
from graph.knowledge_events import DiseasesImported, MedicationsImported
from ledger.entry import MAX_SEQ, entry_size, event_bytes
from ledger.tiles import MAX_ENTRY

KnowledgeBatch = DiseasesImported | MedicationsImported
Row = TypeVar("Row")

MARGIN = 1024
"""Bytes of every batch's entry left free for what the cut does not know: the actor (in the
metadata, and sealed in the payload, where base64 makes each byte 4/3: an actor of up to 300
bytes fits) and the batch number."""
ENTRY_LIMIT = MAX_ENTRY - MARGIN
"""The longest entry a batch is cut to, measured with an empty actor."""
MEASURED_AT = "2026-01-01T00:00:00.000Z"
"""The `at` of the event a cut measures: `now_iso()` always writes this many characters."""


def cut(rows: Sequence[Row], empty: KnowledgeBatch) -> Iterator[tuple[Row, ...]]:
    """`rows`, in their order, as the longest runs whose batch entry stays within ENTRY_LIMIT.

    `empty` is the batch event with no rows, the actor empty and `at` MEASURED_AT; each row
    adds its own JSON and a comma to the payload. The sizes depend on the rows alone, so the
    same files give the same batches (and digests) anywhere. A batch is measured with its own
    subjects, which are digests of a fixed length: the empty event's do as well; and at the
    widest seq, wherever it lands.
    """
    event_len = len(event_bytes("", empty.kind, empty.subjects, empty.key_subject))
    base = len(encode(empty))
    batch: list[Row] = []
    payload = base
    for row in rows:
        size = _json_len(row) + (1 if batch else 0)
        if batch and entry_size(event_len, payload + size, MAX_SEQ) > ENTRY_LIMIT:
            yield tuple(batch)
            batch, payload, size = [], base, size - 1
        batch.append(row)
        payload += size
    if batch:
        yield tuple(batch)


def _json_len(row: Any) -> int:
    """Bytes of `row` in an event's JSON (pydantic writes a nested dataclass as it would alone)."""
    kind = type(row)
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    return len(_ADAPTERS[kind].dump_json(row))


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


async def record_missing(resources: Resources, batches: Sequence[KnowledgeBatch], actor: str,
                         progress: Callable[[int, int], None] | None = None) -> int:
    """Record each batch the ledger does not hold yet; returns how many were recorded.

    A batch is known by the digest of its rows (its second subject), so running an import
    again records nothing, and an import that was cut short resumes where it stopped.
    """
    recorded = 0
    for done, batch in enumerate(batches, start=1):
        if batch.subjects[1] not in resources.recorder.subjects:
            await resources.recorder.record(batch, actor=actor)
            recorded += 1
        if progress is not None:
            progress(done, len(batches))
    return recorded
