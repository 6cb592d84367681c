"""The inputs of the clinical mutations: what a form in a ward sends, before any checking."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from api.twin import forms
from api.twin.vitals import Consciousness, VitalSign

# The twin's own enums (api/twin/forms.py, api/twin/vitals.py), made GraphQL enums here:
# strawberry marks the classes, the twin does not know it.
strawberry.enum(forms.Sex)
strawberry.enum(forms.ArrivalMode)
strawberry.enum(forms.Route)
strawberry.enum(forms.Disposition)
strawberry.enum(forms.SurgicalRisk)
strawberry.enum(VitalSign, description="Vital signs, each with its LOINC code and UCUM unit.")
strawberry.enum(Consciousness,
                description="ACVPU: alert, new confusion, voice, pain, unresponsive.")


@strawberry.input
class VitalSignInput:
    sign: VitalSign
    value: float
    measured_at: datetime


@strawberry.input
class ConsciousnessInput:
    level: Consciousness
    measured_at: datetime


@strawberry.input
class NewPatientInput:
    given_name: str
    family_name: str
    birth_date: date
    sex: forms.Sex
    mrn: str | None = strawberry.field(default=None, description="Medical record number.")


@strawberry.input
class AdmitPatientInput:
    patient_id: strawberry.ID | None = strawberry.field(
        default=None, description="An existing patient; omit it and give `patient` for a new one.")
    patient: NewPatientInput | None = None
    arrival_mode: forms.ArrivalMode
    arrived_at: datetime
    chief_complaint: str
    triage_level: int = strawberry.field(description="Emergency Severity Index, 1 to 5.")
    crew_id: strawberry.ID | None = strawberry.field(
        default=None, description="The transport crew member who brought the patient in.")
    allergies: list[str] | None = None
    current_medications: list[str] | None = None
    contact_phone: str | None = None
    insurance: str | None = None
    vitals: list[VitalSignInput] | None = None
    consciousness: ConsciousnessInput | None = None


@strawberry.input
class RecordVitalsInput:
    patient_id: strawberry.ID
    vitals: list[VitalSignInput] | None = None
    consciousness: ConsciousnessInput | None = None


@strawberry.input
class DiseaseCodeInput:
    code: str = strawberry.field(description="An ICD-10-CM code, e.g. I21.4.")


@strawberry.input
class ResultInput:
    code: str = strawberry.field(description="LOINC code of the lab or imaging result.")
    name: str
    observed_at: datetime
    value: float | None = None
    unit: str | None = None
    text: str | None = None


@strawberry.input
class RecordDiagnosisInput:
    patient_id: strawberry.ID
    diagnosed_at: datetime
    diseases: list[DiseaseCodeInput]
    symptoms: list[str] | None = None
    findings: str | None = None
    results: list[ResultInput] | None = None


@strawberry.input
class MedicationInput:
    code: str = strawberry.field(description="RxNorm concept id, e.g. 1191 for aspirin.")
    name: str


@strawberry.input
class PrescribeMedicationInput:
    patient_id: strawberry.ID
    medication: MedicationInput
    dose: float
    unit: str
    route: forms.Route
    frequency: str
    prescribed_at: datetime
    diagnosis_id: strawberry.ID | None = strawberry.field(
        default=None, description="The diagnosis this treats: the 'solution' of the record.")


@strawberry.input
class AdministerMedicationInput:
    prescription_id: strawberry.ID
    dose: float
    unit: str
    route: forms.Route
    administered_at: datetime


@strawberry.input
class DiscontinueMedicationInput:
    prescription_id: strawberry.ID
    discontinued_at: datetime
    reason: str = strawberry.field(description="Why it was stopped (kept in the twin and, "
                                               "encrypted, in the ledger).")


@strawberry.input
class PreOperativeInput:
    assessed_at: datetime
    asa_class: int = strawberry.field(description="ASA physical status, 1 to 6.")
    consent_signed: bool
    risk: forms.SurgicalRisk
    notes: str | None = None


@strawberry.input
class IntraOperativeInput:
    started_at: datetime
    ended_at: datetime
    anaesthesia: str
    team: list[strawberry.ID] | None = None
    notes: str | None = None


@strawberry.input
class PostOperativeInput:
    recorded_at: datetime
    recovery: str
    complications: list[str] | None = None
    disposition: str | None = None
    notes: str | None = None


@strawberry.input
class RecordSurgeryInput:
    patient_id: strawberry.ID
    procedure_code: str = strawberry.field(description="SNOMED CT procedure concept id.")
    procedure_display: str
    scheduled_at: datetime
    pre_operative: PreOperativeInput
    intra_operative: IntraOperativeInput | None = None
    post_operative: PostOperativeInput | None = None


@strawberry.input
class DischargeInput:
    patient_id: strawberry.ID
    discharged_at: datetime
    disposition: forms.Disposition
    summary: str | None = None
