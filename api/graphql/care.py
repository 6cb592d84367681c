"""The three stages as mutations: admit, diagnose, treat, operate, discharge.

Each mutation checks its input (codes, units, ranges, times in order), checks the caller's
right to write for this patient, then records one event: durable in the ledger before the
graph changes and before the caller hears back.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.anchors import Anchor
from api.graphql.care_inputs import (
    AdmitPatientInput,
    ConsciousnessInput,
    DischargeInput,
    IntraOperativeInput,
    PostOperativeInput,
    PreOperativeInput,
    RecordDiagnosisInput,
    RecordSurgeryInput,
    RecordVitalsInput,
    VitalSignInput,
)
from api.graphql.context import Context
from api.graphql.errors import Conflict, InvalidInput, NotFound
from api.twin import validation as check
from api.twin.access import ADMISSION_WRITERS, CARE_WRITERS, Principal, Role, check_patient, now_iso
from api.twin.vitals import CONSCIOUSNESS_CODE, CONSCIOUSNESS_NAME, VITALS
from graph.event_values import DiseaseRef, ObservationData, SurgeryPhaseData
from graph.events import (
    BreakGlassUsed,
    DiagnosisRecorded,
    Event,
    PatientAdmitted,
    PatientDischarged,
    PhysicianAssigned,
    SurgeryPhaseRecorded,
    SurgeryRecorded,
    VitalsRecorded,
)

BREAK_GLASS_HOURS = 4
VITAL_WRITERS = frozenset({Role.PHYSICIAN, Role.TRANSPORT})


def new_id() -> str:
    return str(uuid.uuid4())


@strawberry.type(description="What a clinical mutation recorded, and where it is anchored.")
class Recorded:
    id: strawberry.ID = strawberry.field(description="The node the mutation created or changed.")
    patient_id: strawberry.ID
    anchor: Anchor
    warnings: list[str]


async def record_event(info: Info[Context, None], event: Event, principal: Principal,
                  node_id: str, patient_id: str, warnings: tuple[str, ...] = ()) -> Recorded:
    anchor = await info.context.resources.recorder.record(event, actor=principal.user_id)
    return Recorded(id=strawberry.ID(node_id), patient_id=strawberry.ID(patient_id),
                    anchor=Anchor.of(anchor), warnings=list(warnings))


async def patient_state(context: Context, principal: Principal, patient_id: str,
                         open_stay: bool = True) -> dict[str, Any]:
    """The patient's state, after checking the caller may act on them; with `open_stay`,
    refuse patients that are not currently admitted."""
    row = await check_patient(context.resources.store, principal, patient_id, "patient_state")
    if open_stay and row["patient"].get("status") != "ADMITTED":
        raise Conflict("the patient is discharged; admit them again first")
    return row


def _after_last_stage(row: dict[str, Any]) -> str | None:
    last = row.get("last_stage")
    return last["at"] if last else None


def _observations(patient_birth: str | None, vitals: list[VitalSignInput] | None,
                  consciousness: ConsciousnessInput | None, field: str = "vitals",
                  ) -> tuple[ObservationData, ...]:
    found: list[ObservationData] = []
    for i, vital in enumerate(vitals or []):
        kind = VITALS[vital.sign]
        value = check.number(f"{field}[{i}].value", vital.value, kind.low, kind.high, kind.unit)
        at = check.moment(f"{field}[{i}].measuredAt", vital.measured_at, patient_birth,
                          "the patient's birth")
        found.append(ObservationData(id=new_id(), code=kind.code, name=kind.name, at=at,
                                     value=value, unit=kind.unit))
    if consciousness is not None:
        at = check.moment("consciousness.measuredAt", consciousness.measured_at, patient_birth,
                          "the patient's birth")
        found.append(ObservationData(id=new_id(), code=CONSCIOUSNESS_CODE,
                                     name=CONSCIOUSNESS_NAME, at=at,
                                     text=consciousness.level.value))
    if len(found) > 100:
        raise InvalidInput(field, "takes at most 100 measurements at once")
    return tuple(found)


async def _active_physician(context: Context, physician_id: str, field: str) -> None:
    rows = await context.resources.store.read("physician_status", {"user_id": physician_id})
    if not rows:
        raise NotFound(f"{field}: no physician {physician_id}")
    if rows[0]["status"] != "ACTIVE":
        raise Conflict(f"{field}: the physician's account is not active")


async def _active_crew(context: Context, crew_id: str) -> None:
    rows = await context.resources.store.read("user_get", {"user_id": crew_id})
    user = rows[0]["user"] if rows else None
    if user is None or user["role"] != Role.TRANSPORT.value:
        raise NotFound(f"crewId: no transport crew member {crew_id}")
    if user["status"] != "ACTIVE":
        raise Conflict("crewId: the crew member's account is not active")


async def _admission(info: Info[Context, None], data: AdmitPatientInput,
                     principal: Principal) -> PatientAdmitted:
    context = info.context
    if (data.patient_id is None) == (data.patient is None):
        raise InvalidInput("patientId", "give either patientId (known patient) or patient (new)")
    crew_id = principal.user_id if principal.role is Role.TRANSPORT else data.crew_id
    if crew_id is not None and principal.role is not Role.TRANSPORT:
        await _active_crew(context, str(crew_id))
    identity: dict[str, Any]
    if data.patient is not None:
        new = data.patient
        identity = {
            "given_name": check.text("patient.givenName", new.given_name, 100),
            "family_name": check.text("patient.familyName", new.family_name, 100),
            "birth_date": check.birth_date("patient.birthDate", new.birth_date),
            "sex": new.sex.value,
            "mrn": check.text("patient.mrn", new.mrn, 64, required=False) or None,
        }
        patient_id, not_before = new_id(), identity["birth_date"]
        before_what = "the patient's birth"
    else:
        patient_id = str(data.patient_id)
        row = await patient_state(context, principal, patient_id, open_stay=False)
        if row["patient"].get("status") == "ADMITTED":
            raise Conflict("the patient is already admitted")
        identity = {"given_name": "", "family_name": "", "birth_date": "", "sex": "unknown"}
        not_before = row["patient"].get("discharged_at") or _after_last_stage(row)
        before_what = "the end of the previous stay"
    arrived = check.moment("arrivedAt", data.arrived_at, not_before, before_what)
    return PatientAdmitted(
        patient_id=patient_id, stage_id=new_id(), at=arrived, admitted_by=principal.user_id,
        arrival_mode=data.arrival_mode.value,
        chief_complaint=check.text("chiefComplaint", data.chief_complaint, 500),
        triage_level=check.integer("triageLevel", data.triage_level, 1, 5),
        crew_id=str(crew_id) if crew_id else None,
        allergies=check.texts("allergies", data.allergies),
        current_medications=check.texts("currentMedications", data.current_medications),
        contact_phone=check.text("contactPhone", data.contact_phone, 40, required=False) or None,
        insurance=check.text("insurance", data.insurance, 200, required=False) or None,
        observations=_observations(not_before, data.vitals, data.consciousness),
        **identity,
    )


def _phase_pre(data: PreOperativeInput, not_before: str | None) -> SurgeryPhaseData:
    return SurgeryPhaseData(
        id=new_id(), phase="PRE_OPERATIVE",
        at=check.moment("preOperative.assessedAt", data.assessed_at, not_before),
        asa_class=check.integer("preOperative.asaClass", data.asa_class, 1, 6),
        consent_signed=data.consent_signed, risk=data.risk.value,
        notes=check.note("preOperative.notes", data.notes),
    )


def _phase_intra(data: IntraOperativeInput, not_before: str | None) -> SurgeryPhaseData:
    started = check.moment("intraOperative.startedAt", data.started_at, not_before,
                           "the pre-operative assessment")
    ended = check.moment("intraOperative.endedAt", data.ended_at, started, "the start")
    return SurgeryPhaseData(
        id=new_id(), phase="INTRA_OPERATIVE", at=started, started_at=started, ended_at=ended,
        anaesthesia=check.text("intraOperative.anaesthesia", data.anaesthesia, 200),
        team=tuple(str(member) for member in data.team or []),
        notes=check.note("intraOperative.notes", data.notes),
    )


def _phase_post(data: PostOperativeInput, not_before: str | None) -> SurgeryPhaseData:
    return SurgeryPhaseData(
        id=new_id(), phase="POST_OPERATIVE",
        at=check.moment("postOperative.recordedAt", data.recorded_at, not_before,
                        "the end of the operation"),
        recovery=check.text("postOperative.recovery", data.recovery, 2000, multiline=True),
        complications=check.texts("postOperative.complications", data.complications),
        disposition=check.text("postOperative.disposition", data.disposition, 200,
                               required=False) or None,
        notes=check.note("postOperative.notes", data.notes),
    )


def _phases(data: RecordSurgeryInput, scheduled: str) -> tuple[SurgeryPhaseData, ...]:
    phases = [_phase_pre(data.pre_operative, None)]
    if data.intra_operative is not None:
        phases.append(_phase_intra(data.intra_operative, phases[-1].at))
    if data.post_operative is not None:
        if data.intra_operative is None:
            raise InvalidInput("postOperative", "needs the intra-operative phase first")
        phases.append(_phase_post(data.post_operative, phases[-1].ended_at))
    return tuple(phases)


async def _surgery_for_phase(context: Context, principal: Principal, surgery_id: str,
                             phase: str) -> tuple[str, dict[str, dict[str, Any]]]:
    """The surgery's patient and recorded phases, after checking the caller may act on that
    patient. A surgery they may not read gets the answer an unknown id gets: its patient's id
    is not theirs to learn."""
    rows = await context.resources.store.read("surgery_get", {"stage_id": surgery_id})
    unknown = NotFound(f"surgeryId: no surgery {surgery_id}")
    if not rows:
        raise unknown
    patient_id = rows[0]["surgery"]["patient_id"]
    try:
        await patient_state(context, principal, patient_id)
    except NotFound:
        raise unknown from None
    phases = {p["phase"]: p for p in rows[0]["phases"]}
    if phase in phases:
        raise Conflict(f"the {phase.lower().replace('_', '-')} phase is already recorded")
    return patient_id, phases


@strawberry.type
class CareMutation:
    @strawberry.mutation(description="Pre-Hospital Admit: open an Admission stage, creating the "
                                     "patient if new (TRANSPORT, PHYSICIAN).")
    async def admit_patient(self, info: Info[Context, None], input: AdmitPatientInput) -> Recorded:
        principal = await info.context.require(ADMISSION_WRITERS)
        event = await _admission(info, input, principal)
        return await record_event(info, event, principal, event.stage_id, event.patient_id)

    @strawberry.mutation(description="Add vital signs to the patient's current stage.")
    async def record_vitals(self, info: Info[Context, None], input: RecordVitalsInput) -> Recorded:
        principal = await info.context.require(VITAL_WRITERS)
        patient_id = str(input.patient_id)
        row = await patient_state(info.context, principal, patient_id)
        observations = _observations(row["patient"].get("admitted_at"), input.vitals,
                                     input.consciousness)
        if not observations:
            raise InvalidInput("vitals", "give at least one measurement")
        stage_id = row["last_stage"]["id"]
        event = VitalsRecorded(patient_id=patient_id, stage_id=stage_id,
                               recorded_by=principal.user_id, observations=observations)
        return await record_event(info, event, principal, stage_id, patient_id)

    @strawberry.mutation(description="Patient Disease Diagnose: a Diagnosis stage with ICD-10-CM "
                                     "diseases, findings and results (PHYSICIAN).")
    async def record_diagnosis(self, info: Info[Context, None],
                               input: RecordDiagnosisInput) -> Recorded:
        principal = await info.context.require(CARE_WRITERS)
        patient_id = str(input.patient_id)
        row = await patient_state(info.context, principal, patient_id)
        at = check.moment("diagnosedAt", input.diagnosed_at, _after_last_stage(row))
        if not input.diseases or len(input.diseases) > 20:
            raise InvalidInput("diseases", "give between 1 and 20 ICD-10-CM codes")
        diseases = []
        for i, disease in enumerate(input.diseases):
            code, display = check.icd10_code(f"diseases[{i}].code", disease.code)
            diseases.append(DiseaseRef(check.ICD10_SYSTEM, code, display))
        results = []
        for i, result in enumerate(input.results or []):
            field = f"results[{i}]"
            if result.value is None and not result.text:
                raise InvalidInput(field, "give a value or a text")
            results.append(ObservationData(
                id=new_id(), code=check.loinc_code(f"{field}.code", result.code),
                name=check.text(f"{field}.name", result.name, 200),
                at=check.moment(f"{field}.observedAt", result.observed_at,
                                row["patient"].get("admitted_at"), "the admission"),
                value=None if result.value is None else check.number(
                    f"{field}.value", result.value, -1e9, 1e9),
                unit=check.text(f"{field}.unit", result.unit, 40, required=False) or None,
                text=check.note(f"{field}.text", result.text),
            ))
        event = DiagnosisRecorded(
            patient_id=patient_id, stage_id=new_id(), physician_id=principal.user_id, at=at,
            diseases=tuple(dict.fromkeys(diseases)),
            symptoms=check.texts("symptoms", input.symptoms),
            findings=check.text("findings", input.findings, 4000, required=False, multiline=True),
            observations=tuple(results),
        )
        return await record_event(info, event, principal, event.stage_id, patient_id)

    @strawberry.mutation(description="Surgical Operative Procedure: a Surgery stage with its "
                                     "pre-operative assessment, and later phases if known.")
    async def record_surgery(self, info: Info[Context, None],
                             input: RecordSurgeryInput) -> Recorded:
        principal = await info.context.require(CARE_WRITERS)
        patient_id = str(input.patient_id)
        row = await patient_state(info.context, principal, patient_id)
        scheduled = check.moment("scheduledAt", input.scheduled_at, _after_last_stage(row))
        event = SurgeryRecorded(
            patient_id=patient_id, stage_id=new_id(), physician_id=principal.user_id,
            at=scheduled,
            procedure_code=check.concept_id("procedureCode", input.procedure_code, "SNOMED CT"),
            procedure_display=check.text("procedureDisplay", input.procedure_display, 200),
            phases=_phases(input, scheduled),
        )
        return await record_event(info, event, principal, event.stage_id, patient_id)

    @strawberry.mutation(description="Add the intra-operative record to a surgery (PHYSICIAN).")
    async def record_intra_operative(self, info: Info[Context, None], surgery_id: strawberry.ID,
                                     input: IntraOperativeInput) -> Recorded:
        principal = await info.context.require(CARE_WRITERS)
        patient_id, phases = await _surgery_for_phase(info.context, principal, str(surgery_id),
                                                      "INTRA_OPERATIVE")
        phase = _phase_intra(input, phases["PRE_OPERATIVE"]["at"])
        event = SurgeryPhaseRecorded(patient_id=patient_id, stage_id=str(surgery_id),
                                     recorded_by=principal.user_id, phase=phase)
        return await record_event(info, event, principal, phase.id, patient_id)

    @strawberry.mutation(description="Add the post-operative course to a surgery (PHYSICIAN).")
    async def record_post_operative(self, info: Info[Context, None], surgery_id: strawberry.ID,
                                    input: PostOperativeInput) -> Recorded:
        principal = await info.context.require(CARE_WRITERS)
        patient_id, phases = await _surgery_for_phase(info.context, principal, str(surgery_id),
                                                      "POST_OPERATIVE")
        if "INTRA_OPERATIVE" not in phases:
            raise Conflict("record the intra-operative phase first")
        phase = _phase_post(input, phases["INTRA_OPERATIVE"]["ended_at"])
        event = SurgeryPhaseRecorded(patient_id=patient_id, stage_id=str(surgery_id),
                                     recorded_by=principal.user_id, phase=phase)
        return await record_event(info, event, principal, phase.id, patient_id)

    @strawberry.mutation(description="Add a physician to the patient's care team (ADMIN, or a "
                                     "PHYSICIAN already caring for the patient).")
    async def assign_physician(self, info: Info[Context, None], patient_id: strawberry.ID,
                               physician_id: strawberry.ID) -> Recorded:
        principal = await info.context.require(frozenset({Role.ADMIN, Role.PHYSICIAN}))
        await patient_state(info.context, principal, str(patient_id), open_stay=False)
        await _active_physician(info.context, str(physician_id), "physicianId")
        event = PhysicianAssigned(patient_id=str(patient_id), physician_id=str(physician_id),
                                  assigned_by=principal.user_id, at=now_iso())
        return await record_event(info, event, principal, str(physician_id), str(patient_id))

    @strawberry.mutation(description="Discharge the patient, closing their stay (PHYSICIAN).")
    async def discharge_patient(self, info: Info[Context, None],
                                input: DischargeInput) -> Recorded:
        principal = await info.context.require(CARE_WRITERS)
        patient_id = str(input.patient_id)
        row = await patient_state(info.context, principal, patient_id)
        event = PatientDischarged(
            patient_id=patient_id, discharged_by=principal.user_id,
            at=check.moment("dischargedAt", input.discharged_at, _after_last_stage(row)),
            disposition=input.disposition.value,
            summary=check.text("summary", input.summary, 4000, required=False, multiline=True),
        )
        return await record_event(info, event, principal, patient_id, patient_id)

    @strawberry.mutation(description="Emergency access to a patient outside your care, for "
                                     f"{BREAK_GLASS_HOURS} hours; the reason is anchored and "
                                     "shown to administrators and auditors (PHYSICIAN).")
    async def break_glass(self, info: Info[Context, None], patient_id: strawberry.ID,
                          reason: str) -> Recorded:
        principal = await info.context.require(CARE_WRITERS)
        store = info.context.resources.store
        # The reason first: only an anchored access, seen by administrators, tells whether
        # a patient exists; a refused reason must not.
        reason = check.text("reason", reason, 1000, multiline=True)
        if len(reason) < 10:
            raise InvalidInput("reason", "state the emergency in at least 10 characters")
        if not await store.read("patient_get", {"patient_id": str(patient_id)}):
            raise NotFound(f"no patient {patient_id}")
        start = datetime.fromisoformat(now_iso().replace("Z", "+00:00"))
        event = BreakGlassUsed(
            access_id=new_id(), patient_id=str(patient_id), user_id=principal.user_id,
            reason=reason, at=check.utc_text(start),
            expires_at=check.utc_text(start + timedelta(hours=BREAK_GLASS_HOURS)),
        )
        return await record_event(info, event, principal, event.access_id, str(patient_id))

