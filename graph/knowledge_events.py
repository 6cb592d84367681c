"""Events about shared knowledge (diseases, medications), not about a person.

They are encrypted under one data key of their own, `KNOWLEDGE_KEY_SUBJECT`, and name as
subjects their source and a digest of their rows: a batch imported twice is found by its
digest and not recorded again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from functools import cached_property

from graph.event_base import EventBase

KNOWLEDGE_KEY_SUBJECT = "knowledge"
"""Events about shared knowledge, not a person, are encrypted under this data key."""


class KnowledgeEvent(EventBase):
    """An event about shared knowledge: its payload is under the knowledge data key."""

    @property
    def key_subject(self) -> str:
        return KNOWLEDGE_KEY_SUBJECT


@dataclass(frozen=True)
class DiseaseHashGenerated(KnowledgeEvent, kind="DiseaseHashGenerated",
                           subjects=("disease_key",)):
    disease_key: str
    record_hash: str
    generated_by: str
    at: str
    system: str = ""
    code: str = ""
    display: str = ""
    parent_code: str | None = None


@dataclass(frozen=True)
class DiseaseRow:
    """One disease of a terminology, with the code of its parent in the same system."""

    system: str
    code: str
    display: str
    parent: str | None = None


@dataclass(frozen=True)
class DiseasesImported(KnowledgeEvent, kind="DiseasesImported"):
    """A batch of a disease terminology (ICD-10-CM, SNOMED CT). Batches are cut so that every
    parent arrives in an earlier batch or earlier in the same one, never later."""

    source: str
    batch: int
    rows: tuple[DiseaseRow, ...]
    imported_by: str
    at: str

    @cached_property
    def subjects(self) -> tuple[str, ...]:
        """The source, and the source with a digest of these rows: a batch already in the
        ledger is found by its digest, so an import can be run again without repeating it.
        Computed once per event: the check for a recorded batch, the ledger's append and the
        recorder's index each ask for it, and a batch holds thousands of rows."""
        return (f"knowledge:{self.source}", f"knowledge:{self.source}:{_digest(self.rows)}")


def _digest(rows: tuple[object, ...]) -> str:
    """SHA-256 of the rows as a JSON list of objects with sorted keys, as every ledger has
    recorded it. Rows are flat (text, numbers, tuples of text): their fields are read
    directly, where `dataclasses.asdict` deep-copied every value of every row first."""
    data = json.dumps([{f.name: getattr(row, f.name) for f in fields(row)}  # type: ignore[arg-type]
                       for row in rows], sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class MedicationRow:
    """A medication (RxNorm-coded) and the disease keys it treats."""

    system: str
    code: str
    name: str
    treats: tuple[str, ...] = ()


@dataclass(frozen=True)
class InteractionRow:
    """Two medications (by key) that interact, with the severity the source gives."""

    first: str
    second: str
    severity: str
    description: str = ""


@dataclass(frozen=True)
class MedicationsImported(KnowledgeEvent, kind="MedicationsImported"):
    """A batch of a medication catalogue and its interactions."""

    source: str
    batch: int
    medications: tuple[MedicationRow, ...]
    interactions: tuple[InteractionRow, ...]
    imported_by: str
    at: str

    @cached_property
    def subjects(self) -> tuple[str, ...]:
        """As `DiseasesImported.subjects`, over the medications and then the interactions."""
        rows = (*self.medications, *self.interactions)
        return (f"knowledge:{self.source}", f"knowledge:{self.source}:{_digest(rows)}")
