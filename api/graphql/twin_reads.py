"""Reading twins: one patient's whole twin, and the lists a ward works from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from api.graphql import stay
from api.graphql.context import Context
from api.graphql.errors import InvalidInput
from api.graphql.pagination import Connection, Edge, keyset_page
from api.graphql.twin_types import (
    Anchored,
    CareTeamMember,
    Diagnosis,
    MedicationTransaction,
    News2Point,
    News2Score,
    Observation,
    Patient,
    Solution,
    Stage,
    StageStay,
    Surgery,
    stage_of,
)
from api.twin import access_log, news2
from api.twin import validation as check
from api.twin.access import CLINICAL_READERS, scope, unknown_patient
from api.twin.vitals import BY_CODE, CONSCIOUSNESS_CODE
from graph import reads

VITAL_CODES = {*BY_CODE, CONSCIOUSNESS_CODE}


@strawberry.enum
class StageKind(Enum):
    ADMISSION = "ADMISSION"
    DIAGNOSIS = "DIAGNOSIS"
    SURGERY = "SURGERY"


@strawberry.enum
class PatientStatus(Enum):
    ADMITTED = "ADMITTED"
    DISCHARGED = "DISCHARGED"


@strawberry.enum
class TransactionKind(Enum):
    PRESCRIPTION = "PRESCRIPTION"
    ADMINISTRATION = "ADMINISTRATION"


@strawberry.input
class PatientFilter:
    status: PatientStatus | None = None
    current_stage: StageKind | None = None
    admitted_after: str | None = None
    admitted_before: str | None = None
    search: str | None = strawberry.field(
        default=None, description="Part of the patient's name (given and family, in either "
                                  "order), or the start of their MRN; case-insensitive.")


@strawberry.input
class TransactionFilter:
    patient_id: strawberry.ID | None = None
    kind: TransactionKind | None = None
    medication_code: str | None = None


@strawberry.type(description="A patient's digital twin: everything recorded, in time order.")
class Twin(Anchored):
    patient: Patient
    timeline: list[Stage]
    medication_transactions: list[MedicationTransaction]
    care_team: list[CareTeamMember]

    @strawberry.field(description="Vital signs from every stage, oldest first.")
    def vitals(self) -> list[Observation]:
        found = [o for s in self.timeline for o in s.observations if o.code in VITAL_CODES]
        return sorted(found, key=lambda o: (o.at, o.code, o.id))

    @strawberry.field
    def diagnoses(self) -> list[Diagnosis]:
        return _diagnoses(self.timeline)

    @strawberry.field
    def surgeries(self) -> list[Surgery]:
        return [s for s in self.timeline if isinstance(s, Surgery)]

    @strawberry.field(description="Each diagnosis with the treatment given for it.")
    def solutions(self) -> list[Solution]:
        by_id = {str(t.id): t for t in self.medication_transactions}
        return [Solution(diagnosis=d, treatments=[by_id[i] for i in d.treatment_ids
                                                  if i in by_id])
                for d in _diagnoses(self.timeline)]

    @strawberry.field(description=(
        "NEWS2 from the latest measurement of each vital sign in the current stay (since the "
        "latest admission). `spo2Scale` 2 is for a prescribed SpO2 target of 88-92% (e.g. "
        "hypercapnic respiratory failure), as a clinician decides; the twin does not know it."))
    def news2(self, spo2_scale: int = 1) -> News2Score:
        _check_scale(spo2_scale)
        latest = stay.latest_observations(stay.current_stay(self.timeline))
        used = {p: latest[code] for p, code in stay.NEWS2_CODES.items() if code in latest}
        return News2Score.of(news2.score(stay.news2_vitals(latest), spo2_scale), used)

    @strawberry.field(description=(
        "NEWS2 after each moment of the current stay at which one of its parameters was "
        "measured, oldest first: scored as `news2` is, from the latest measurement of each "
        "parameter up to that moment (the last point is `news2` now)."))
    def news2_trend(self, spo2_scale: int = 1) -> list[News2Point]:
        _check_scale(spo2_scale)
        return [News2Point.of(at, score)
                for at, score in stay.news2_trend(stay.current_stay(self.timeline), spo2_scale)]

    @strawberry.field(description=(
        "The stages of the current stay (since the latest admission), each until the next "
        "stage started; the last until discharge, or open (`endedAt` null, hours counted to "
        "now) while the patient is in."))
    def length_of_stay(self) -> list[StageStay]:
        return [StageStay(stage=p.stage, started_at=p.started_at, ended_at=p.ended_at,
                          hours=p.hours)
                for p in stay.periods(stay.current_stay(self.timeline),
                                      self.patient.discharged_at, datetime.now(UTC))]

    @strawberry.field(description=(
        "Hours from the start of the current stay to discharge, or to now while the patient "
        "is in; null with no stage."))
    def stay_hours(self) -> float | None:
        return stay.stay_hours(stay.current_stay(self.timeline), self.patient.discharged_at,
                               datetime.now(UTC))


def _check_scale(spo2_scale: int) -> None:
    if spo2_scale not in (1, 2):
        raise InvalidInput("spo2Scale", "is 1, or 2 for a prescribed target of 88-92%")


def _diagnoses(timeline: list[Stage]) -> list[Diagnosis]:
    return [s for s in timeline if isinstance(s, Diagnosis)]


def twin_of(row: Mapping[str, Any]) -> Twin:
    patient = Patient.of(row["patient"])
    team = [
        CareTeamMember(id=m["id"], display_name=m.get("display_name"), role="PHYSICIAN",
                       specialty=m.get("specialty"), company=None)
        for m in row["physicians"]
    ] + [
        CareTeamMember(id=m["id"], display_name=m.get("display_name"), role="TRANSPORT",
                       specialty=None, company=m.get("company"))
        for m in row["crews"]
    ]
    transactions = sorted((MedicationTransaction.of(t, str(patient.id))
                           for t in row["transactions"]),
                          key=lambda t: (t.at, t.id))
    return Twin(patient=patient, timeline=[stage_of(s) for s in row["stages"]],
                medication_transactions=transactions, care_team=team,
                seq=row["patient"].get("seq"))


@strawberry.type(description="A patient's record with the 'solution' for each diagnosis.")
class PatientRecord:
    patient: Patient

    @strawberry.field
    async def solutions(self, info: Info[Context, None]) -> list[Solution]:
        return await _solutions_loader(info.context).load(str(self.patient.id))


def _solutions_loader(context: Context) -> DataLoader[str, list[Solution]]:
    """One store call for the solutions of every patient on the page (no N+1)."""
    if "solutions" not in context.cache:
        async def load(patient_ids: list[str]) -> list[list[Solution]]:
            rows = await reads.patient_solutions(context.resources.store, patient_ids)
            found = {r["patient_id"]: [_solution(d) for d in r["diagnoses"]] for r in rows}
            return [found.get(pid, []) for pid in patient_ids]
        context.cache["solutions"] = DataLoader(load_fn=load)
    loader: DataLoader[str, list[Solution]] = context.cache["solutions"]
    return loader


def _solution(row: dict[str, Any]) -> Solution:
    treatments = [MedicationTransaction.of(t) for t in row["treatments"]]
    stage = stage_of({**row, "stage": "DIAGNOSIS", "recorded_by": "",
                      "treatments": [t.id for t in treatments]})
    assert isinstance(stage, Diagnosis)
    return Solution(diagnosis=stage, treatments=sorted(treatments, key=lambda t: (t.at, t.id)))


async def _patients_page(info: Info[Context, None], first: int, after: str | None,
                         filter: PatientFilter | None) -> Connection[Patient]:
    context = info.context
    visibility = await context.visibility()
    store = context.resources.store
    f = filter or PatientFilter()
    where: reads.PatientFilter = {
        "status": f.status.value if f.status else None,
        "stage": f.current_stage.value if f.current_stage else None,
        "admitted_after": check.time_bound("filter.admittedAfter", f.admitted_after),
        "admitted_before": check.time_bound("filter.admittedBefore", f.admitted_before),
        "search": check.search("filter.search", f.search),
    }
    return await keyset_page(
        first, after, 2,
        lambda key, limit: reads.patients_page(store, visibility, where, key, limit),
        lambda: reads.patients_count(store, visibility, where),
        lambda r: Patient.of(r["patient"]), lambda p: [p.admitted_at, str(p.id)])


@strawberry.type
class TwinQuery:
    @strawberry.field(description="A patient's whole twin, if you may read it.")
    async def twin(self, info: Info[Context, None], patient_id: strawberry.ID) -> Twin:
        work = await info.context.unit(CLINICAL_READERS)
        sections = [f.name for f in info.selected_fields[0].selections if hasattr(f, "name")]
        row = await access_log.recorded_read(
            work, str(patient_id), sections,
            lambda: reads.twin(work.store, scope(work.principal), str(patient_id)))
        if row is None:
            raise unknown_patient(work.principal, str(patient_id))
        return twin_of(row)

    @strawberry.field(description="The patients you may read, most recently admitted first.")
    async def patients(self, info: Info[Context, None], first: int = 20,
                       after: str | None = None,
                       filter: PatientFilter | None = None) -> Connection[Patient]:
        return await _patients_page(info, first, after, filter)

    @strawberry.field(description="Patient records with each diagnosis and its treatment.")
    async def patient_records(self, info: Info[Context, None], first: int = 20,
                              after: str | None = None,
                              filter: PatientFilter | None = None) -> Connection[PatientRecord]:
        page = await _patients_page(info, first, after, filter)
        edges = [Edge(cursor=e.cursor, node=PatientRecord(patient=e.node)) for e in page.edges]
        return Connection(edges=edges, page_info=page.page_info, count=page.count)

    @strawberry.field(description="Prescriptions and administrations of the patients you may "
                                  "read, newest first.")
    async def medication_transactions(
        self, info: Info[Context, None], first: int = 20, after: str | None = None,
        filter: TransactionFilter | None = None,
    ) -> Connection[MedicationTransaction]:
        context = info.context
        visibility = await context.visibility()
        store = context.resources.store
        f = filter or TransactionFilter()
        where: reads.TransactionFilter = {
            "patient_id": str(f.patient_id) if f.patient_id else None,
            "kind": f.kind.value if f.kind else None,
            "medication_code": f.medication_code,
        }
        return await keyset_page(
            first, after, 2,
            lambda key, limit: reads.medication_transactions_page(store, visibility, where,
                                                                  key, limit),
            lambda: reads.medication_transactions_count(store, visibility, where),
            lambda r: MedicationTransaction.of(r["transaction"]), lambda t: [t.at, str(t.id)])
