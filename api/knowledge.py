"""Disease knowledge over GraphQL: the ICD-10-CM hierarchy, treatments, co-occurrence, anchored
disease record hashes, and disease statistics.

Knowledge is not clinical, so every role reads it. Whatever is counted over patients
(co-occurrence, results) counts only the patients the caller may read: a count reveals
nothing about a hidden patient. Until the full ICD-10-CM tree is imported, the hierarchy of a
code comes from the CDC tabular list (`simple_icd_10_cm`) merged with the graph's `IS_A`
links, so that the answer does not depend on whether anyone was diagnosed with it yet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

import rfc8785
import simple_icd_10_cm as icd10
import strawberry
from strawberry.types import Info

from api import validation as check
from api.access import Role, now_iso
from api.anchors import Anchor
from api.context import Context
from api.errors import InvalidInput, NotFound
from api.icd10 import parent_of
from api.pagination import Connection, connection, decode_cursor, page_size
from api.twin import StageKind
from api.twin_types import Disease, Medication
from graph.events import DiseaseHashGenerated
from graph.store import GraphStore

KNOWLEDGE_READERS = frozenset(Role)
RESULTS_READERS = frozenset({Role.ADMIN, Role.PHYSICIAN})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class _Known:
    """A disease as the code system itself defines it (no node needed)."""

    code: str
    display: str
    parents: tuple[Disease, ...]
    children: tuple[Disease, ...]


def _icd10(code: str) -> _Known | None:
    """Any item of the ICD-10-CM tabular list (chapter, block, category or code), or None.

    Blocks and chapters are included: they are the hierarchy physicians explore, and the
    graph keeps them as `Disease` nodes too (`IS_A` from `I21` to `I20-I25`)."""
    raw = code.strip().upper()
    if not raw or not icd10.is_valid_item(raw):
        return None
    dotted = icd10.add_dot(raw)
    parent = parent_of(dotted)
    return _Known(
        code=dotted, display=icd10.get_description(dotted),
        parents=(_icd10_disease(parent),) if parent else (),
        children=tuple(_icd10_disease(child) for child in icd10.get_children(dotted)),
    )


def _icd10_disease(code: str) -> Disease:
    return Disease(system=check.ICD10_SYSTEM, code=code, display=icd10.get_description(code))


def _merged(*groups: Iterable[Disease]) -> list[Disease]:
    """Diseases from the graph and the code system, once each (the graph's display wins)."""
    found: dict[tuple[str, str], Disease] = {}
    for group in groups:
        for disease in group:
            found.setdefault((disease.system, disease.code), disease)
    return sorted(found.values(), key=lambda d: (d.system, d.code))


def _key(system: str, code: str) -> str:
    return f"{system}|{code}"


@strawberry.type(description="A disease and how many of the patients you may read have it.")
class DiseaseCount:
    disease: Disease
    patients: int


def _counts(rows: list[dict[str, Any]]) -> list[DiseaseCount]:
    return [DiseaseCount(disease=Disease.of(r["disease"]), patients=int(r["patients"]))
            for r in rows]


@strawberry.type(description="What is known of a disease: its place in the code system, the "
                             "medications that treat it, and its anchored record hash.")
class DiseaseKnowledge:
    system: str
    code: str
    display: str
    parents: list[Disease]
    children: list[Disease]
    treated_by: list[Medication]
    record_hash: str | None = strawberry.field(description=(
        "Hex SHA-256 of the disease record as last anchored by generateDiseaseHash; null "
        "until one was generated. It may be older than the record shown here."))
    hash_seq: strawberry.Private[int | None]

    @strawberry.field(description="The ledger entry that anchored `recordHash`.")
    def anchor(self, info: Info[Context, None]) -> Anchor | None:
        seq = self.hash_seq
        return None if seq is None else Anchor.at(info.context.resources.ledger, seq)

    @strawberry.field(description=(
        "Diseases diagnosed in the same patients, counted over the patients you may read, "
        "most frequent first. Auditors read no clinical content: for them this is null, with "
        "a FORBIDDEN error, while the rest of the knowledge is answered."))
    async def co_occurring(self, info: Info[Context, None],
                           first: int = 10) -> list[DiseaseCount] | None:
        visibility = await info.context.visibility()
        rows = await info.context.resources.store.read("disease_co_occurring", visibility | {
            "key": _key(self.system, self.code), "limit": page_size(first)})
        return _counts(rows)

    def record(self) -> dict[str, Any]:
        """The disease record that is hashed: public knowledge only, never patient data."""
        return {
            "system": self.system, "code": self.code, "display": self.display,
            "parents": sorted(_key(d.system, d.code) for d in self.parents),
            "treatedBy": sorted(_key(m.system, m.code) for m in self.treated_by),
        }


def record_hash(record: dict[str, Any]) -> str:
    """SHA-256 over the RFC 8785 canonical JSON: the same record gives the same hash anywhere."""
    return hashlib.sha256(rfc8785.dumps(record)).hexdigest()


async def _knowledge(store: GraphStore, system: str, code: str) -> DiseaseKnowledge:
    """The disease from the graph merged with its code system; NotFound if neither knows it."""
    known = _icd10(code) if system == check.ICD10_SYSTEM else None
    code = known.code if known else code.strip()
    rows = await store.read("disease_knowledge", {"key": _key(system, code)})
    if not rows and known is None:
        raise NotFound(f"no disease {code!r} in {system}")
    row = rows[0] if rows else {"disease": {}, "parents": [], "children": [], "treated_by": []}
    node = row["disease"]
    return DiseaseKnowledge(
        system=system, code=code,
        display=node.get("display") or (known.display if known else ""),
        parents=_merged(map(Disease.of, row["parents"]), known.parents if known else ()),
        children=_merged(map(Disease.of, row["children"]), known.children if known else ()),
        treated_by=sorted(map(Medication.of, row["treated_by"]),
                          key=lambda m: (m.system, m.code)),
        record_hash=node.get("record_hash"), hash_seq=node.get("hash_seq"),
    )


@strawberry.type(description="A disease record with an anchored hash, and the proof that its "
                             "ledger entry is in the current tree.")
class DiseaseRecord:
    disease: Disease
    record_hash: str
    generated_at: str
    generated_by: strawberry.ID
    anchor: Anchor = strawberry.field(description="The entry that anchored the hash.")
    inclusion_proof: list[str] = strawberry.field(description=(
        "Hex RFC 6962 audit path of the anchor's entry (leaf `anchor.seq`) in the tree of "
        "`treeSize` entries; every record of one page is proven against the same tree."))
    tree_size: int
    root_hash: str


@strawberry.type(description="A disease record's hash, computed and anchored in the ledger.")
class DiseaseHash:
    disease: DiseaseKnowledge
    record_hash: str
    anchor: Anchor


@strawberry.type
class StageCount:
    stage: StageKind
    patients: int


@strawberry.type
class DayCount:
    day: str = strawberry.field(description="A UTC day, YYYY-MM-DD.")
    diagnoses: int


@strawberry.type(description=(
    "Disease statistics over the patients you may read. A diagnosis counts when it was made "
    "within [from, to); a patient counts by stage when admitted within it."))
class DiseaseResults:
    where: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="Distinct patients diagnosed with each disease, most first.")
    async def per_disease(self, info: Info[Context, None], first: int = 10) -> list[DiseaseCount]:
        rows = await info.context.resources.store.read(
            "disease_results_per_disease", self.where | {"limit": page_size(first)})
        return _counts(rows)

    @strawberry.field(description="Patients by the stage of care they are in now.")
    async def per_stage(self, info: Info[Context, None]) -> list[StageCount]:
        rows = await info.context.resources.store.read("disease_results_per_stage", self.where)
        return [StageCount(stage=StageKind(r["stage"]), patients=int(r["patients"]))
                for r in rows]

    @strawberry.field(description="Diagnoses made per UTC day, oldest first.")
    async def over_time(self, info: Info[Context, None]) -> list[DayCount]:
        rows = await info.context.resources.store.read("disease_results_over_time", self.where)
        return [DayCount(day=r["day"], diagnoses=int(r["diagnoses"])) for r in rows]


@strawberry.type
class KnowledgeQuery:
    @strawberry.field(description="A disease, by code (ICD-10-CM unless `system` says "
                                  "otherwise); any role.")
    async def disease(self, info: Info[Context, None], code: str,
                      system: str = check.ICD10_SYSTEM) -> DiseaseKnowledge:
        await info.context.require(KNOWLEDGE_READERS)
        return await _knowledge(info.context.resources.store, system.strip(), code)

    @strawberry.field(description="Diseases whose record hash was generated, by key, each with "
                                  "its ledger proof (ADMIN).")
    async def disease_records(self, info: Info[Context, None], first: int = 20,
                              after: str | None = None) -> Connection[DiseaseRecord]:
        await info.context.require(ADMINS)
        resources = info.context.resources
        key = decode_cursor(after, 1)
        rows = await resources.store.read("disease_records_page", {
            "after": key[0] if key else None, "limit": page_size(first) + 1})
        ledger = resources.ledger
        size = ledger.size
        root = ledger.root_hash(size).hex()
        records = [DiseaseRecord(
            disease=Disease.of(d), record_hash=d["record_hash"],
            generated_at=d["hash_generated_at"], generated_by=d["hash_generated_by"],
            anchor=Anchor.at(ledger, d["hash_seq"]),
            inclusion_proof=[h.hex() for h in ledger.inclusion_proof(d["hash_seq"], size)],
            tree_size=size, root_hash=root,
        ) for d in (r["disease"] for r in rows)]

        async def count() -> int:
            [row] = await resources.store.read("disease_records_count")
            return int(row["count"])

        return connection(records, first,
                          lambda r: [_key(r.disease.system, r.disease.code)], count)

    @strawberry.field(description="Disease statistics (ADMIN; PHYSICIAN over the patients in "
                                  "their care). `from` is inclusive, `to` exclusive.")
    async def disease_results(
        self, info: Info[Context, None],
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        to: str | None = None,
    ) -> DiseaseResults:
        await info.context.require(RESULTS_READERS)
        start, end = check.time_bound("from", from_), check.time_bound("to", to)
        if start is not None and end is not None and end <= start:
            raise InvalidInput("to", "must be after `from`")
        visibility = await info.context.visibility()
        return DiseaseResults(where=visibility | {"from": start, "to": end})


@strawberry.type
class KnowledgeMutation:
    @strawberry.mutation(description="Hash an ICD-10-CM disease record (code, display, parents, "
                                     "treatments; no patient data) and anchor it (ADMIN).")
    async def generate_disease_hash(self, info: Info[Context, None], code: str) -> DiseaseHash:
        admin = await info.context.require(ADMINS)
        resources = info.context.resources
        known = _icd10(code)
        if known is None:
            raise NotFound(f"no ICD-10-CM code {code!r}")
        key = _key(check.ICD10_SYSTEM, known.code)
        disease = await _knowledge(resources.store, check.ICD10_SYSTEM, known.code)
        digest = record_hash(disease.record())
        event = DiseaseHashGenerated(
            disease_key=key, record_hash=digest, generated_by=admin.user_id, at=now_iso(),
            system=check.ICD10_SYSTEM, code=known.code, display=known.display,
            parent_code=known.parents[0].code if known.parents else None)
        anchor = await resources.recorder.record(event, actor=admin.user_id)
        anchored = await _knowledge(resources.store, check.ICD10_SYSTEM, known.code)
        return DiseaseHash(disease=anchored, record_hash=digest, anchor=Anchor.of(anchor))
