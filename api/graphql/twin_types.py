"""The twin as GraphQL types: a patient, their stages in time order, and what each holds.

A twin is read from a graph that other tools may have written too (an import, a migration, a
hand fix): only the properties that identify a node are required, and every other one is
read as optional. Required: `id` on every node; `at` on stages, observations, surgery phases
and medication transactions (a twin is ordered in time); the kind of a stage (its `stage`
property or its label); `code` on an observation; `phase` on a surgery phase; `kind` on a
medication transaction; `system` and `code` on a disease or a medication.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.anchors import Anchor
from api.graphql.context import Context
from api.twin import news2
from graph.event_values import DiseaseRef, MedicationRef
from graph.reads import stage_kind


def _anchor(info: Info[Context, None], seq: int | None) -> Anchor | None:
    return None if seq is None else Anchor.at(info.context.resources.ledger, seq)


@strawberry.type
class Anchored:
    seq: strawberry.Private[int | None]

    @strawberry.field(description="The ledger entry that last changed this part of the twin.")
    def anchor(self, info: Info[Context, None]) -> Anchor | None:
        return _anchor(info, self.seq)


@strawberry.type
class Patient(Anchored):
    id: strawberry.ID
    given_name: str
    family_name: str
    birth_date: str
    sex: str
    mrn: str | None
    status: str
    admitted_at: str | None
    discharged_at: str | None
    disposition: str | None
    discharge_summary: str | None
    contact_phone: str | None
    insurance: str | None
    current_stage: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Patient:
        return cls(
            id=strawberry.ID(row["id"]), given_name=row.get("given_name", ""),
            family_name=row.get("family_name", ""), birth_date=row.get("birth_date", ""),
            sex=row.get("sex", "unknown"), mrn=row.get("mrn"), status=row.get("status", ""),
            admitted_at=row.get("admitted_at"), discharged_at=row.get("discharged_at"),
            disposition=row.get("disposition"), discharge_summary=row.get("discharge_summary"),
            contact_phone=row.get("contact_phone"), insurance=row.get("insurance"),
            current_stage=row.get("current_stage"), seq=row.get("seq"),
        )


@strawberry.type(description="A vital sign or result (FHIR Observation), LOINC-coded.")
class Observation(Anchored):
    id: strawberry.ID
    code: str
    name: str | None
    at: str
    value: float | None
    unit: str | None
    text: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Observation:
        return cls(id=strawberry.ID(row["id"]), code=row["code"], name=row.get("name"),
                   at=row["at"], value=row.get("value"), unit=row.get("unit"),
                   text=row.get("text"), seq=row.get("seq"))


@strawberry.type
class Disease:
    system: str
    code: str
    display: str

    @classmethod
    def of(cls, row: Mapping[str, Any] | DiseaseRef, own: str | None = None) -> Disease:
        """From a graph row, or from the knowledge layer's plain value. `own`: the
        diagnosis's own text for the code (see Medication.of)."""
        if isinstance(row, DiseaseRef):
            return cls(system=row.system, code=row.code, display=own or row.display)
        return cls(system=row["system"], code=row["code"],
                   display=own or row.get("display") or "")


@strawberry.type
class Medication:
    system: str
    code: str
    name: str

    @classmethod
    def of(cls, row: Mapping[str, Any] | MedicationRef, own: str | None = None) -> Medication:
        """`own` is the text a patient's record gives the medication: it is theirs, and
        shown instead of the shared node's name (which is another patient's text when no
        catalogue names the code)."""
        if isinstance(row, MedicationRef):
            return cls(system=row.system, code=row.code, name=own or row.name)
        return cls(system=row["system"], code=row["code"], name=own or row.get("name") or "")


@strawberry.type(description="A prescription or an administration of a medication.")
class MedicationTransaction(Anchored):
    id: strawberry.ID
    kind: str
    patient_id: strawberry.ID
    at: str
    medication: Medication
    dose: float | None
    unit: str | None
    route: str | None
    frequency: str | None
    status: str | None
    diagnosis_id: strawberry.ID | None
    prescription_id: strawberry.ID | None
    warnings: list[str]
    recorded_by: strawberry.ID | None
    discontinued_at: str | None = strawberry.field(
        default=None, description="When a prescription was stopped (status STOPPED).")
    discontinued_by: strawberry.ID | None = None
    discontinue_reason: str | None = None

    @classmethod
    def of(cls, row: Mapping[str, Any], patient_id: str | None = None) -> MedicationTransaction:
        """`patient_id` is the patient the transaction was reached from, for a node that
        does not name its patient itself."""
        return cls(
            id=strawberry.ID(row["id"]), kind=row["kind"],
            patient_id=strawberry.ID(row.get("patient_id") or patient_id or ""), at=row["at"],
            medication=Medication.of(row["medication"], row.get("medication_display")),
            dose=row.get("dose"),
            unit=row.get("unit"), route=row.get("route"), frequency=row.get("frequency"),
            status=row.get("status"), diagnosis_id=row.get("diagnosis_id"),
            prescription_id=row.get("prescription_id"),
            warnings=list(row.get("warnings") or []), recorded_by=row.get("recorded_by"),
            discontinued_at=row.get("discontinued_at"),
            discontinued_by=row.get("discontinued_by"),
            discontinue_reason=row.get("discontinue_reason"), seq=row.get("seq"),
        )


@strawberry.type
class SurgeryPhase(Anchored):
    id: strawberry.ID
    phase: str
    at: str
    asa_class: int | None
    consent_signed: bool | None
    risk: str | None
    anaesthesia: str | None
    started_at: str | None
    ended_at: str | None
    team: list[strawberry.ID]
    complications: list[str]
    recovery: str | None
    disposition: str | None
    notes: str | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> SurgeryPhase:
        return cls(
            id=strawberry.ID(row["id"]), phase=row["phase"], at=row["at"],
            asa_class=row.get("asa_class"), consent_signed=row.get("consent_signed"),
            risk=row.get("risk"), anaesthesia=row.get("anaesthesia"),
            started_at=row.get("started_at"), ended_at=row.get("ended_at"),
            team=[strawberry.ID(m) for m in row.get("team") or []],
            complications=list(row.get("complications") or []), recovery=row.get("recovery"),
            disposition=row.get("disposition"), notes=row.get("notes"), seq=row.get("seq"),
        )


@strawberry.interface(description="One stage of care; the timeline is their NEXT chain.")
class Stage(Anchored):
    id: strawberry.ID
    at: str
    recorded_by: strawberry.ID | None
    observations: list[Observation]


@strawberry.type(description="Pre-Hospital Admit.")
class Admission(Stage):
    arrival_mode: str | None
    chief_complaint: str | None
    triage_level: int | None
    allergies: list[str]
    current_medications: list[str]
    crew_id: strawberry.ID | None


@strawberry.type(description="Patient Disease Diagnose.")
class Diagnosis(Stage):
    diseases: list[Disease]
    symptoms: list[str]
    findings: str
    treatment_ids: strawberry.Private[list[str]]


@strawberry.type(description="Surgical Operative Procedure.")
class Surgery(Stage):
    procedure_code: str | None
    procedure_display: str | None
    phases: list[SurgeryPhase]


def stage_of(row: dict[str, Any]) -> Stage:
    """The typed stage for a `twin_get` row, by the stage it records."""
    recorded_by = row.get("recorded_by")
    common: dict[str, Any] = {
        "id": strawberry.ID(row["id"]), "at": row["at"], "seq": row.get("seq"),
        "recorded_by": None if recorded_by is None else strawberry.ID(recorded_by),
        "observations": sorted((Observation.of(o) for o in row.get("observations") or []),
                               key=lambda o: (o.at, o.code, o.id)),
    }
    kind = stage_kind(row)
    if kind == "ADMISSION":
        return Admission(
            arrival_mode=row.get("arrival_mode"), chief_complaint=row.get("chief_complaint"),
            triage_level=row.get("triage_level"), allergies=list(row.get("allergies") or []),
            current_medications=list(row.get("current_medications") or []),
            crew_id=row.get("crew_id"), **common)
    if kind == "DIAGNOSIS":
        return Diagnosis(
            diseases=[Disease.of(d, row.get("disease_display")) for d in row.get("diseases")
                      or []],
            symptoms=list(row.get("symptoms") or []), findings=row.get("findings") or "",
            treatment_ids=list(row.get("treatments") or []), **common)
    if kind != "SURGERY":
        raise ValueError(f"stage {row['id']} is neither an admission, a diagnosis nor a surgery")
    return Surgery(
        procedure_code=row.get("procedure_code"), procedure_display=row.get("procedure_display"),
        phases=sorted((SurgeryPhase.of(p) for p in row.get("phases") or []),
                      key=lambda p: p.at), **common)


@strawberry.type
class CareTeamMember:
    id: strawberry.ID
    display_name: str | None
    role: str
    specialty: str | None
    company: str | None


@strawberry.type(description="A diagnosis and the treatment given for it.")
class Solution:
    diagnosis: Diagnosis
    treatments: list[MedicationTransaction]


strawberry.enum(news2.Risk, name="ClinicalRisk", description=(
    "NEWS2 clinical risk (RCP 2017, Chart 2): LOW for 0-4, LOW_MEDIUM for a single "
    "parameter scoring 3 (a red score), MEDIUM for 5-6, HIGH for 7 or more."))
strawberry.enum(news2.Parameter, name="News2Parameter",
                description="The seven parameters of the NEWS2 chart.")


@strawberry.type(description="One NEWS2 parameter: the measurement it was scored from.")
class News2Component:
    parameter: news2.Parameter
    points: int | None = strawberry.field(description=(
        "Null when not measured, or when it cannot be scored from what was measured (scale 2 "
        "scores an SpO2 of 93% or more by air or oxygen, which may be unknown)."))
    observation: Observation | None = strawberry.field(description=(
        "The latest measurement in the current stay; for AIR_OR_OXYGEN, the inhaled oxygen "
        "flow (more than 0 L/min is oxygen)."))


@strawberry.type(description=(
    "The National Early Warning Score 2 (Royal College of Physicians, 2017) from the latest "
    "vital signs of the current stay. An incomplete score says so: a missing parameter is "
    "never counted as 0, and `total` and `riskBand` are then the least the patient has."))
class News2Score:
    spo2_scale: int = strawberry.field(name="spo2Scale")
    total: int
    complete: bool = strawberry.field(description="Every parameter was scored.")
    missing: list[news2.Parameter] = strawberry.field(
        description="The parameters with no measurement in the current stay.")
    risk_band: news2.Risk
    trigger: str = strawberry.field(description=(
        "The row of the RCP's clinical response chart that applies: '0', '1-4', "
        "'3 in single parameter', '5 or more' or '7 or more'."))
    monitoring: str = strawberry.field(description="Frequency of monitoring, as the RCP "
                                                   "chart gives it.")
    response: str = strawberry.field(description="The clinical response, as the RCP chart "
                                                 "gives it.")
    components: list[News2Component]

    @classmethod
    def of(cls, score: news2.Score, observations: dict[news2.Parameter, Observation]
           ) -> News2Score:
        return cls(
            spo2_scale=score.spo2_scale, total=score.total, complete=score.complete,
            missing=list(score.missing), risk_band=score.risk, trigger=score.trigger,
            monitoring=score.response.monitoring, response=score.response.action,
            components=[News2Component(parameter=c.parameter, points=c.points,
                                       observation=observations.get(c.parameter))
                        for c in score.components])


@strawberry.type(description="NEWS2 as it stood at one moment of the stay.")
class News2Point:
    at: str = strawberry.field(description="When a NEWS2 parameter was measured.")
    total: int
    complete: bool = strawberry.field(description="Every parameter had been scored by then.")
    risk_band: news2.Risk

    @classmethod
    def of(cls, at: str, score: news2.Score) -> News2Point:
        return cls(at=at, total=score.total, complete=score.complete, risk_band=score.risk)


@strawberry.type(description="How long one stage of the current stay lasted.")
class StageStay:
    stage: Stage
    started_at: str
    ended_at: str | None = strawberry.field(description=(
        "When the next stage started, or the discharge for the last stage; null while the "
        "patient is still in that stage."))
    hours: float = strawberry.field(description=(
        "From `startedAt` to `endedAt`, or to now while open (then it grows between reads); "
        "rounded to a hundredth of an hour."))
