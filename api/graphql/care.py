"""The three stages as mutations: admit, record vitals, diagnose, operate, discharge, and
the care team (assign, break the glass).

Each resolver parses its input into the twin's plain values, calls the command, and shapes
its answer; the rules (checks, state, the event recorded) are the commands' (api/twin/).
"""

from __future__ import annotations

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
    ResultInput,
    VitalSignInput,
)
from api.graphql.context import Context
from api.twin import care, discharge, forms, surgery, unit
from api.twin.access import ADMISSION_WRITERS, CARE_WRITERS
from api.twin.care import ASSIGNERS, BREAK_GLASS_HOURS, VITAL_WRITERS


@strawberry.type(description="What a clinical mutation recorded, and where it is anchored.")
class Recorded:
    id: strawberry.ID = strawberry.field(description="The node the mutation created or changed.")
    patient_id: strawberry.ID
    anchor: Anchor
    warnings: list[str]

    @classmethod
    def of(cls, recorded: unit.Recorded) -> Recorded:
        return cls(id=strawberry.ID(recorded.node_id),
                   patient_id=strawberry.ID(recorded.patient_id),
                   anchor=Anchor.of(recorded.anchor), warnings=list(recorded.warnings))


def _measurements(vitals: list[VitalSignInput] | None) -> list[forms.Measurement] | None:
    return None if vitals is None else [
        forms.Measurement(v.sign, v.value, v.measured_at) for v in vitals]


def _consciousness(data: ConsciousnessInput | None) -> forms.ConsciousnessLevel | None:
    return None if data is None else forms.ConsciousnessLevel(data.level, data.measured_at)


def _id(value: strawberry.ID | None) -> str | None:
    return None if value is None else str(value)


def admission(data: AdmitPatientInput) -> forms.Admission:
    new = data.patient
    return forms.Admission(
        arrival_mode=data.arrival_mode, arrived_at=data.arrived_at,
        chief_complaint=data.chief_complaint, triage_level=data.triage_level,
        patient_id=_id(data.patient_id),
        patient=None if new is None else forms.NewPatient(
            new.given_name, new.family_name, new.birth_date, new.sex, new.mrn),
        crew_id=_id(data.crew_id), allergies=data.allergies,
        current_medications=data.current_medications, contact_phone=data.contact_phone,
        insurance=data.insurance, vitals=_measurements(data.vitals),
        consciousness=_consciousness(data.consciousness))


def _result(data: ResultInput) -> forms.Result:
    return forms.Result(data.code, data.name, data.observed_at, data.value, data.unit, data.text)


def _pre(data: PreOperativeInput) -> forms.PreOperative:
    return forms.PreOperative(data.assessed_at, data.asa_class, data.consent_signed, data.risk,
                              data.notes)


def _intra(data: IntraOperativeInput) -> forms.IntraOperative:
    team = None if data.team is None else [str(member) for member in data.team]
    return forms.IntraOperative(data.started_at, data.ended_at, data.anaesthesia, team,
                                data.notes)


def _post(data: PostOperativeInput) -> forms.PostOperative:
    return forms.PostOperative(data.recorded_at, data.recovery, data.complications,
                               data.disposition, data.notes)


@strawberry.type
class CareMutation:
    @strawberry.mutation(description="Pre-Hospital Admit: open an Admission stage, creating the "
                                     "patient if new (TRANSPORT, PHYSICIAN).")
    async def admit_patient(self, info: Info[Context, None], input: AdmitPatientInput) -> Recorded:
        work = await info.context.unit(ADMISSION_WRITERS)
        return Recorded.of(await care.admit(work, admission(input)))

    @strawberry.mutation(description="Add vital signs to the patient's current stage.")
    async def record_vitals(self, info: Info[Context, None], input: RecordVitalsInput) -> Recorded:
        work = await info.context.unit(VITAL_WRITERS)
        return Recorded.of(await care.record_vitals(work, forms.Vitals(
            str(input.patient_id), _measurements(input.vitals),
            _consciousness(input.consciousness))))

    @strawberry.mutation(description="Patient Disease Diagnose: a Diagnosis stage with ICD-10-CM "
                                     "diseases, findings and results (PHYSICIAN).")
    async def record_diagnosis(self, info: Info[Context, None],
                               input: RecordDiagnosisInput) -> Recorded:
        work = await info.context.unit(CARE_WRITERS)
        return Recorded.of(await care.diagnose(work, forms.Diagnosis(
            str(input.patient_id), input.diagnosed_at, [d.code for d in input.diseases],
            input.symptoms, input.findings,
            None if input.results is None else [_result(r) for r in input.results])))

    @strawberry.mutation(description="Surgical Operative Procedure: a Surgery stage with its "
                                     "pre-operative assessment, and later phases if known.")
    async def record_surgery(self, info: Info[Context, None],
                             input: RecordSurgeryInput) -> Recorded:
        work = await info.context.unit(CARE_WRITERS)
        return Recorded.of(await surgery.record_surgery(work, forms.Surgery(
            str(input.patient_id), input.procedure_code, input.procedure_display,
            input.scheduled_at, _pre(input.pre_operative),
            None if input.intra_operative is None else _intra(input.intra_operative),
            None if input.post_operative is None else _post(input.post_operative))))

    @strawberry.mutation(description="Add the intra-operative record to a surgery (PHYSICIAN).")
    async def record_intra_operative(self, info: Info[Context, None], surgery_id: strawberry.ID,
                                     input: IntraOperativeInput) -> Recorded:
        work = await info.context.unit(CARE_WRITERS)
        return Recorded.of(await surgery.record_intra_operative(work, str(surgery_id),
                                                                _intra(input)))

    @strawberry.mutation(description="Add the post-operative course to a surgery (PHYSICIAN).")
    async def record_post_operative(self, info: Info[Context, None], surgery_id: strawberry.ID,
                                    input: PostOperativeInput) -> Recorded:
        work = await info.context.unit(CARE_WRITERS)
        return Recorded.of(await surgery.record_post_operative(work, str(surgery_id),
                                                               _post(input)))

    @strawberry.mutation(description="Add a physician to the patient's care team (ADMIN, or a "
                                     "PHYSICIAN already caring for the patient).")
    async def assign_physician(self, info: Info[Context, None], patient_id: strawberry.ID,
                               physician_id: strawberry.ID) -> Recorded:
        work = await info.context.unit(ASSIGNERS)
        return Recorded.of(await care.assign_physician(work, str(patient_id),
                                                       str(physician_id)))

    @strawberry.mutation(description="Discharge the patient, closing their stay (PHYSICIAN).")
    async def discharge_patient(self, info: Info[Context, None],
                                input: DischargeInput) -> Recorded:
        work = await info.context.unit(CARE_WRITERS)
        return Recorded.of(await discharge.discharge(work, forms.Discharge(
            str(input.patient_id), input.discharged_at, input.disposition, input.summary)))

    @strawberry.mutation(description="Emergency access to a patient outside your care, for "
                                     f"{BREAK_GLASS_HOURS} hours; the reason is anchored and "
                                     "shown to administrators and auditors (PHYSICIAN).")
    async def break_glass(self, info: Info[Context, None], patient_id: strawberry.ID,
                          reason: str) -> Recorded:
        work = await info.context.unit(CARE_WRITERS)
        return Recorded.of(await care.break_glass(work, str(patient_id), reason))
