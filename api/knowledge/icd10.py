"""ICD-10-CM as the disease tree: every chapter, block and code of the CDC tabular list, with
its `IS_A` parent, read from `simple-icd-10-cm` and cut into batches parents-first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby

from api.knowledge.batches import MEASURED_AT, cut, record_missing
from api.knowledge.tabular import icd10
from api.resources import Resources
from api.twin.access import now_iso
from api.twin.validation import ICD10_SYSTEM
from graph import reads
from graph.knowledge_events import DiseaseRow, DiseasesImported
from graph.store import GraphStore

SOURCE = "icd10cm"


def rows() -> list[tuple[int, DiseaseRow]]:
    """(depth, row) for every item of the tabular list: chapters at depth 0."""
    parents = {code: parent_of(code) for code in icd10.get_all_codes(with_dots=True)}
    depths: dict[str, int] = {}

    def depth(code: str) -> int:
        if code not in depths:
            parent = parents[code]
            depths[code] = 0 if parent is None else depth(parent) + 1
        return depths[code]

    found = [(depth(code), DiseaseRow(ICD10_SYSTEM, code, icd10.get_description(code), parent))
             for code, parent in parents.items()]
    found.sort(key=lambda item: (item[0], item[1].code))
    return found


def batches() -> Iterator[tuple[DiseaseRow, ...]]:
    """Batches that never hold a row whose parent comes in a later batch or in the same one
    (the projection links a row to a parent already in the graph): each batch is cut from a
    single depth of the tree, as long as one ledger entry can carry (batches.cut)."""
    empty = DiseasesImported(source=SOURCE, batch=0, rows=(), imported_by="", at=MEASURED_AT)
    for _, level in groupby(rows(), key=lambda item: item[0]):
        yield from cut([row for _, row in level], empty)


def parent_of(code: str) -> str | None:
    """The parent in the tree. A few codes (B10, B20, ...) are both a block and its only
    category; the graph keeps one node for both, under the block's parent."""
    return next((a for a in icd10.get_ancestors(code) if a != code), None)


async def load(resources: Resources, actor: str,
               progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Record every batch not yet in the ledger; returns (batches recorded, rows in all)."""
    events = [DiseasesImported(source=SOURCE, batch=number, rows=rows, imported_by=actor,
                               at=now_iso()) for number, rows in enumerate(batches())]
    recorded = await record_missing(resources, events, actor, progress)
    return recorded, sum(len(event.rows) for event in events)


async def count(store: GraphStore) -> tuple[int, int]:
    """How many ICD-10-CM diseases and `IS_A` links the graph holds."""
    row = await reads.disease_count(store, ICD10_SYSTEM)
    return int(row["diseases"]), int(row["is_a"])
