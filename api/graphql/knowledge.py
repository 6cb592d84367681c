"""Disease knowledge over GraphQL: the ICD-10-CM hierarchy, treatments, co-occurrence, anchored
disease record hashes, and disease statistics.

Knowledge is not clinical, so every role reads it. Whatever is counted over patients
(co-occurrence, results) counts only the patients the caller may read: a count reveals
nothing about a hidden patient. The hierarchy merges the code system's own tree
(api/knowledge/disease_tree.py) with the graph's `IS_A` links.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from api.graphql.anchors import Anchor
from api.graphql.context import Context
from api.graphql.errors import InvalidInput
from api.graphql.pagination import Connection, keyset_page, page_size
from api.graphql.twin_reads import StageKind
from api.graphql.twin_types import Disease, Medication
from api.knowledge import diseases
from api.knowledge.diseases import DiseaseFacts
from api.twin import validation as check
from api.twin.access import ADMINS, Role
from graph import reads
from graph.event_values import DiseaseRef
from graph.rows import DiseasePatients, DiseaseRecordRow

KNOWLEDGE_READERS = frozenset(Role)
RESULTS_READERS = frozenset({Role.ADMIN, Role.PHYSICIAN})


def _key(system: str, code: str) -> str:
    return DiseaseRef(system, code).key


@strawberry.type(description="A disease and how many of the patients you may read have it.")
class DiseaseCount:
    disease: Disease
    patients: int


def _counts(rows: list[DiseasePatients]) -> list[DiseaseCount]:
    return [DiseaseCount(disease=Disease.of(r["disease"]), patients=int(r["patients"]))
            for r in rows]


@strawberry.type(description="A medication and how often it was prescribed for a disease to "
                             "the patients you may read.")
class MedicationCount:
    medication: Medication
    patients: int = strawberry.field(description="Patients it was prescribed to.")
    prescriptions: int


PRESCRIBED_DESCRIPTION = (
    "The medications most often prescribed for this disease (to most patients, then most "
    "prescriptions), counted over the patients you may read. A prescription counts for every "
    "disease of the diagnosis it treats. Null for auditors, with a FORBIDDEN error.")


def _prescribed_loader(context: Context) -> DataLoader[str, list[MedicationCount]]:
    """One store call for every disease asked about in a request (no N+1 over co-occurring
    diseases); each list is most prescribed first, whole, and cut by the field's `first`."""
    if "medications_prescribed" not in context.cache:
        async def load(keys: list[str]) -> list[list[MedicationCount]]:
            visibility = await context.visibility()
            rows = await reads.disease_medications_prescribed(context.resources.store,
                                                              visibility, keys)
            found: dict[str, list[MedicationCount]] = {key: [] for key in keys}
            for r in rows:
                found[r["key"]].append(MedicationCount(
                    medication=Medication.of(r["medication"]), patients=int(r["patients"]),
                    prescriptions=int(r["prescriptions"])))
            return [found[key] for key in keys]
        context.cache["medications_prescribed"] = DataLoader(load_fn=load)
    loader: DataLoader[str, list[MedicationCount]] = context.cache["medications_prescribed"]
    return loader


async def _prescribed(info: Info[Context, None], disease: Disease,
                      first: int) -> list[MedicationCount]:
    limit = page_size(first)
    found = await _prescribed_loader(info.context).load(_key(disease.system, disease.code))
    return found[:limit]


@strawberry.type(description="A disease diagnosed in the same patients, how many, and what was "
                             "prescribed for it.")
class CoOccurrence(DiseaseCount):
    @strawberry.field(description=PRESCRIBED_DESCRIPTION)
    async def medications_prescribed(self, info: Info[Context, None],
                                     first: int = 5) -> list[MedicationCount] | None:
        return await _prescribed(info, self.disease, first)


def _diseases(refs: list[DiseaseRef]) -> list[Disease]:
    return [Disease.of(ref) for ref in refs]


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

    @classmethod
    def of(cls, facts: DiseaseFacts) -> DiseaseKnowledge:
        disease = facts.disease
        return cls(
            system=disease.system, code=disease.code, display=disease.display,
            parents=_diseases(facts.parents), children=_diseases(facts.children),
            treated_by=[Medication.of(m) for m in facts.treated_by],
            record_hash=facts.record_hash, hash_seq=facts.hash_seq)

    @property
    def ref(self) -> DiseaseRef:
        return DiseaseRef(self.system, self.code, self.display)

    @strawberry.field(description="The ledger entry that anchored `recordHash`.")
    def anchor(self, info: Info[Context, None]) -> Anchor | None:
        seq = self.hash_seq
        return None if seq is None else Anchor.at(info.context.resources.ledger, seq)

    @strawberry.field(description=(
        "Diseases diagnosed in the same patients, counted over the patients you may read, "
        "most frequent first. Auditors read no clinical content: for them this is null, with "
        "a FORBIDDEN error, while the rest of the knowledge is answered."))
    async def co_occurring(self, info: Info[Context, None],
                           first: int = 10) -> list[CoOccurrence] | None:
        rows = await reads.disease_co_occurring(
            info.context.resources.store, await info.context.visibility(), self.ref.key,
            page_size(first))
        return [CoOccurrence(disease=c.disease, patients=c.patients) for c in _counts(rows)]

    @strawberry.field(description=PRESCRIBED_DESCRIPTION)
    async def medications_prescribed(self, info: Info[Context, None],
                                     first: int = 10) -> list[MedicationCount] | None:
        return await _prescribed(info, Disease(system=self.system, code=self.code,
                                               display=self.display), first)

    @strawberry.field(description=(
        "Every ancestor through IS_A, nearest first (the graph's links merged with the code "
        "system's tree, so it holds before the tree is imported)."))
    async def ancestors(self, info: Info[Context, None]) -> list[Disease]:
        return _diseases(await diseases.ancestors(info.context.resources.store, self.ref))

    @strawberry.field(description=(
        "The nearest `first` descendants through IS_A, nearest first, then by code (a chapter "
        "has tens of thousands: ask for more with a larger `first`, up to 100)."))
    async def descendants(self, info: Info[Context, None], first: int = 50) -> list[Disease]:
        return _diseases(await diseases.descendants(info.context.resources.store, self.ref,
                                                    page_size(first)))


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
    visibility: strawberry.Private[reads.Visibility]
    period: strawberry.Private[reads.Period]

    @strawberry.field(description="Distinct patients diagnosed with each disease, most first.")
    async def per_disease(self, info: Info[Context, None], first: int = 10) -> list[DiseaseCount]:
        return _counts(await reads.disease_results_per_disease(
            info.context.resources.store, self.visibility, self.period, page_size(first)))

    @strawberry.field(description="Patients by the stage of care they are in now.")
    async def per_stage(self, info: Info[Context, None]) -> list[StageCount]:
        rows = await reads.disease_results_per_stage(info.context.resources.store,
                                                     self.visibility, self.period)
        return [StageCount(stage=StageKind(r["stage"]), patients=int(r["patients"]))
                for r in rows]

    @strawberry.field(description="Diagnoses made per UTC day, oldest first.")
    async def over_time(self, info: Info[Context, None]) -> list[DayCount]:
        rows = await reads.disease_results_over_time(info.context.resources.store,
                                                     self.visibility, self.period)
        return [DayCount(day=r["day"], diagnoses=int(r["diagnoses"])) for r in rows]


@strawberry.type
class KnowledgeQuery:
    @strawberry.field(description="A disease, by code (ICD-10-CM unless `system` says "
                                  "otherwise); any role.")
    async def disease(self, info: Info[Context, None], code: str,
                      system: str = check.ICD10_SYSTEM) -> DiseaseKnowledge:
        await info.context.require(KNOWLEDGE_READERS)
        return DiseaseKnowledge.of(await diseases.facts(info.context.resources.store, system,
                                                        code))

    @strawberry.field(description=(
        "The shortest route between two diseases through IS_A: up from `from` to a common "
        "ancestor, then down to `to`, both included (in a tree such as ICD-10-CM, the "
        "shortest path in either direction). The graph's links and the code system's tree "
        "are both searched; null when no route is at most `maxLength` (0 to 16) links long. "
        "Any role."))
    async def disease_path(
        self, info: Info[Context, None],
        from_: Annotated[str, strawberry.argument(name="from")], to: str,
        max_length: int = 8, system: str = check.ICD10_SYSTEM,
    ) -> list[Disease] | None:
        await info.context.require(KNOWLEDGE_READERS)
        route = await diseases.path(info.context.resources.store, system, from_, to, max_length)
        return None if route is None else _diseases(route)

    @strawberry.field(description="Diseases whose record hash was generated, by key, each with "
                                  "its ledger proof (ADMIN).")
    async def disease_records(self, info: Info[Context, None], first: int = 20,
                              after: str | None = None) -> Connection[DiseaseRecord]:
        await info.context.require(ADMINS)
        resources = info.context.resources
        ledger = resources.ledger
        size = ledger.size
        root = ledger.root_hash(size).hex()

        def record(row: DiseaseRecordRow) -> DiseaseRecord:
            d = row["disease"]
            return DiseaseRecord(
                disease=Disease.of(d), record_hash=d["record_hash"],
                generated_at=d["hash_generated_at"], generated_by=d["hash_generated_by"],
                anchor=Anchor.at(ledger, d["hash_seq"]),
                inclusion_proof=[h.hex() for h in ledger.inclusion_proof(d["hash_seq"], size)],
                tree_size=size, root_hash=root)

        store = resources.store
        return await keyset_page(
            first, after, 1,
            lambda key, limit: reads.disease_records_page(store, key[0] if key else None,
                                                          limit),
            lambda: reads.disease_records_count(store), record,
            lambda r: [_key(r.disease.system, r.disease.code)])

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
        return DiseaseResults(visibility=await info.context.visibility(),
                              period={"start": start, "end": end})


@strawberry.type
class KnowledgeMutation:
    @strawberry.mutation(description="Hash an ICD-10-CM disease record (code, display, parents, "
                                     "treatments; no patient data) and anchor it (ADMIN).")
    async def generate_disease_hash(self, info: Info[Context, None], code: str) -> DiseaseHash:
        admin = await info.context.require(ADMINS)
        resources = info.context.resources
        anchored, digest, anchor = await diseases.generate_hash(
            resources.store, resources.recorder, admin.user_id, code)
        return DiseaseHash(disease=DiseaseKnowledge.of(anchored), record_hash=digest,
                           anchor=Anchor.of(anchor))
