"""Recording knowledge in batches through the ledger, each batch once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from api.resources import Resources
from graph.knowledge_events import DiseasesImported, MedicationsImported

KnowledgeBatch = DiseasesImported | MedicationsImported


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
