"""The care commands: admit, record vital signs, diagnose, put a physician in the care team,
and break the glass. Each checks its input (codes, units, ranges, times in order) and the
caller's right to act for this patient, then records one event: durable in the ledger before
the graph changes and before the caller hears back.

Who may call each command at all (its roles) is checked once, where the request comes in
(`Context.unit` at the GraphQL edge); `VITAL_WRITERS` and `ASSIGNERS` below, with
`access.ADMISSION_WRITERS` and `access.CARE_WRITERS`, name those roles. What the caller may do
for this patient (their care team, a break-glass access) is checked here, by the store read
that fetches the patient's state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from api.twin import forms
from api.twin import validation as check
from api.twin.access import ADMINS, CARE_WRITERS, Role, now_iso
from api.twin.errors import Conflict, InvalidInput, NotFound
from api.twin.unit import Recorded, Unit, after_last_stage, patient_state, record
from api.twin.vitals import CONSCIOUSNESS_CODE, CONSCIOUSNESS_NAME, VITALS
from graph import reads
from graph.event_values import DiseaseRef, ObservationData
from graph.events import (
    BreakGlassUsed,
    DiagnosisRecorded,
    PatientAdmitted,
    PhysicianAssigned,
    VitalsRecorded,
)

BREAK_GLASS_HOURS = 4
VITAL_WRITERS = frozenset({Role.PHYSICIAN, Role.TRANSPORT})
ASSIGNERS = ADMINS | CARE_WRITERS


def observations(unit: Unit, patient_birth: str | None,
                 vitals: Sequence[forms.Measurement] | None,
                 consciousness: forms.ConsciousnessLevel | None, field: str = "vitals",
                 ) -> tuple[ObservationData, ...]:
    found: list[ObservationData] = []
    for i, vital in enumerate(vitals or []):
        kind = VITALS[vital.sign]
        value = check.number(f"{field}[{i}].value", vital.value, kind.low, kind.high, kind.unit)
        at = check.moment(f"{field}[{i}].measuredAt", vital.measured_at, patient_birth,
                          "the patient's birth")
        found.append(ObservationData(id=unit.new_id(), code=kind.code, name=kind.name, at=at,
                                     value=value, unit=kind.unit))
    if consciousness is not None:
        at = check.moment("consciousness.measuredAt", consciousness.measured_at, patient_birth,
                          "the patient's birth")
        found.append(ObservationData(id=unit.new_id(), code=CONSCIOUSNESS_CODE,
                                     name=CONSCIOUSNESS_NAME, at=at,
                                     text=consciousness.level.value))
    if len(found) > 100:
        raise InvalidInput(field, "takes at most 100 measurements at once")
    return tuple(found)


async def _active_physician(unit: Unit, physician_id: str, field: str) -> None:
    status = await reads.physician_status(unit.store, physician_id)
    if status is None:
        raise NotFound(f"{field}: no physician {physician_id}")
    if status != "ACTIVE":
        raise Conflict(f"{field}: the physician's account is not active")


async def _active_crew(unit: Unit, crew_id: str) -> None:
    row = await reads.user(unit.store, crew_id)
    user = row["user"] if row else None
    if user is None or user["role"] != Role.TRANSPORT.value:
        raise NotFound(f"crewId: no transport crew member {crew_id}")
    if user["status"] != "ACTIVE":
        raise Conflict("crewId: the crew member's account is not active")


async def admission(unit: Unit, data: forms.Admission) -> PatientAdmitted:
    """The checked admission event, not yet recorded."""
    principal = unit.principal
    if (data.patient_id is None) == (data.patient is None):
        raise InvalidInput("patientId", "give either patientId (known patient) or patient (new)")
    crew_id = principal.user_id if principal.role is Role.TRANSPORT else data.crew_id
    if crew_id is not None and principal.role is not Role.TRANSPORT:
        await _active_crew(unit, crew_id)
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
        patient_id, not_before = unit.new_id(), identity["birth_date"]
        before_what = "the patient's birth"
    else:
        patient_id = str(data.patient_id)
        row = await patient_state(unit, patient_id, open_stay=False)
        if row["patient"].get("status") == "ADMITTED":
            raise Conflict("the patient is already admitted")
        identity = {"given_name": "", "family_name": "", "birth_date": "", "sex": "unknown"}
        not_before = row["patient"].get("discharged_at") or after_last_stage(row)
        before_what = "the end of the previous stay"
    arrived = check.moment("arrivedAt", data.arrived_at, not_before, before_what)
    return PatientAdmitted(
        patient_id=patient_id, stage_id=unit.new_id(), at=arrived,
        admitted_by=principal.user_id, arrival_mode=data.arrival_mode.value,
        chief_complaint=check.text("chiefComplaint", data.chief_complaint, 500),
        triage_level=check.integer("triageLevel", data.triage_level, 1, 5),
        crew_id=str(crew_id) if crew_id else None,
        allergies=check.texts("allergies", data.allergies),
        current_medications=check.texts("currentMedications", data.current_medications),
        contact_phone=check.text("contactPhone", data.contact_phone, 40, required=False) or None,
        insurance=check.text("insurance", data.insurance, 200, required=False) or None,
        observations=observations(unit, not_before, data.vitals, data.consciousness),
        **identity,
    )


async def admit(unit: Unit, data: forms.Admission) -> Recorded:
    """Pre-hospital admit: open an Admission stage, creating the patient if new."""
    event = await admission(unit, data)
    return await record(unit, event, event.stage_id, event.patient_id)


async def record_vitals(unit: Unit, data: forms.Vitals) -> Recorded:
    """Vital signs added to the patient's current stage."""
    row = await patient_state(unit, data.patient_id)
    found = observations(unit, row["patient"].get("admitted_at"), data.vitals,
                         data.consciousness)
    if not found:
        raise InvalidInput("vitals", "give at least one measurement")
    last = row["last_stage"]
    if last is None:  # an admitted patient has at least their admission
        raise Conflict("the patient has no stage to add vital signs to")
    stage_id = last["id"]
    event = VitalsRecorded(patient_id=data.patient_id, stage_id=stage_id,
                           recorded_by=unit.principal.user_id, observations=found)
    return await record(unit, event, stage_id, data.patient_id)


def _results(unit: Unit, results: Sequence[forms.Result] | None,
             admitted_at: str | None) -> tuple[ObservationData, ...]:
    found = []
    for i, result in enumerate(results or []):
        field = f"results[{i}]"
        if result.value is None and not result.text:
            raise InvalidInput(field, "give a value or a text")
        found.append(ObservationData(
            id=unit.new_id(), code=check.loinc_code(f"{field}.code", result.code),
            name=check.text(f"{field}.name", result.name, 200),
            at=check.moment(f"{field}.observedAt", result.observed_at, admitted_at,
                            "the admission"),
            value=None if result.value is None else check.number(
                f"{field}.value", result.value, -1e9, 1e9),
            unit=check.text(f"{field}.unit", result.unit, 40, required=False) or None,
            text=check.note(f"{field}.text", result.text),
        ))
    return tuple(found)


async def diagnose(unit: Unit, data: forms.Diagnosis) -> Recorded:
    """Patient disease diagnose: a Diagnosis stage with ICD-10-CM diseases, findings and
    results."""
    row = await patient_state(unit, data.patient_id)
    at = check.moment("diagnosedAt", data.diagnosed_at, after_last_stage(row))
    if not data.diseases or len(data.diseases) > 20:
        raise InvalidInput("diseases", "give between 1 and 20 ICD-10-CM codes")
    diseases = [DiseaseRef(check.ICD10_SYSTEM, *check.icd10_code(f"diseases[{i}].code", code))
                for i, code in enumerate(data.diseases)]
    results = _results(unit, data.results, row["patient"].get("admitted_at"))
    event = DiagnosisRecorded(
        patient_id=data.patient_id, stage_id=unit.new_id(), physician_id=unit.principal.user_id,
        at=at, diseases=tuple(dict.fromkeys(diseases)),
        symptoms=check.texts("symptoms", data.symptoms),
        findings=check.text("findings", data.findings, 4000, required=False, multiline=True),
        observations=results,
    )
    return await record(unit, event, event.stage_id, data.patient_id)


async def assign_physician(unit: Unit, patient_id: str, physician_id: str) -> Recorded:
    """A physician added to the patient's care team, by an admin or a physician who may
    already act for the patient."""
    await patient_state(unit, patient_id, open_stay=False)
    await _active_physician(unit, physician_id, "physicianId")
    event = PhysicianAssigned(patient_id=patient_id, physician_id=physician_id,
                              assigned_by=unit.principal.user_id, at=now_iso())
    return await record(unit, event, physician_id, patient_id)


async def break_glass(unit: Unit, patient_id: str, reason: str) -> Recorded:
    """Emergency access to a patient outside one's care, for `BREAK_GLASS_HOURS`."""
    # The reason first: only an anchored access, seen by administrators, tells whether
    # a patient exists; a refused reason must not.
    reason = check.text("reason", reason, 1000, multiline=True)
    if len(reason) < 10:
        raise InvalidInput("reason", "state the emergency in at least 10 characters")
    if await reads.patient(unit.store, patient_id) is None:
        raise NotFound(f"no patient {patient_id}")
    start = datetime.fromisoformat(now_iso().replace("Z", "+00:00"))
    event = BreakGlassUsed(
        access_id=unit.new_id(), patient_id=patient_id, user_id=unit.principal.user_id,
        reason=reason, at=check.utc_text(start),
        expires_at=check.utc_text(start + timedelta(hours=BREAK_GLASS_HOURS)),
    )
    return await record(unit, event, event.access_id, patient_id)
