"""What a ward sends for each command, as plain values: nothing here is checked yet.

The GraphQL edge parses its inputs into these, the demo and tests build them directly; the
commands (care.py, surgery.py, medication.py) check every field and name the one that is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from api.twin.vitals import Consciousness, VitalSign


class Sex(Enum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class ArrivalMode(Enum):
    AMBULANCE = "AMBULANCE"
    HELICOPTER = "HELICOPTER"
    WALK_IN = "WALK_IN"
    REFERRAL = "REFERRAL"
    TRANSFER = "TRANSFER"


class Route(Enum):
    ORAL = "oral"
    INTRAVENOUS = "intravenous"
    INTRAMUSCULAR = "intramuscular"
    SUBCUTANEOUS = "subcutaneous"
    INHALED = "inhaled"
    TOPICAL = "topical"
    RECTAL = "rectal"
    SUBLINGUAL = "sublingual"


class Disposition(Enum):
    HOME = "HOME"
    TRANSFER = "TRANSFER"
    REHABILITATION = "REHABILITATION"
    AGAINST_MEDICAL_ADVICE = "AGAINST_MEDICAL_ADVICE"
    DECEASED = "DECEASED"


class SurgicalRisk(Enum):
    LOW = "LOW"
    MODERATE = "MODERATE"
    HIGH = "HIGH"


@dataclass(frozen=True)
class Measurement:
    sign: VitalSign
    value: float
    measured_at: datetime


@dataclass(frozen=True)
class ConsciousnessLevel:
    level: Consciousness
    measured_at: datetime


@dataclass(frozen=True)
class NewPatient:
    given_name: str
    family_name: str
    birth_date: date
    sex: Sex
    mrn: str | None = None


@dataclass(frozen=True)
class Admission:
    """A known patient (`patient_id`) or a new one (`patient`), exactly one of the two."""

    arrival_mode: ArrivalMode
    arrived_at: datetime
    chief_complaint: str
    triage_level: int
    patient_id: str | None = None
    patient: NewPatient | None = None
    crew_id: str | None = None
    allergies: Sequence[str] | None = None
    current_medications: Sequence[str] | None = None
    contact_phone: str | None = None
    insurance: str | None = None
    vitals: Sequence[Measurement] | None = None
    consciousness: ConsciousnessLevel | None = None


@dataclass(frozen=True)
class Vitals:
    patient_id: str
    vitals: Sequence[Measurement] | None = None
    consciousness: ConsciousnessLevel | None = None


@dataclass(frozen=True)
class Result:
    """A lab or imaging result: a LOINC code, and a value or a text."""

    code: str
    name: str
    observed_at: datetime
    value: float | None = None
    unit: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Diagnosis:
    patient_id: str
    diagnosed_at: datetime
    diseases: Sequence[str]
    """ICD-10-CM codes, e.g. I21.4."""
    symptoms: Sequence[str] | None = None
    findings: str | None = None
    results: Sequence[Result] | None = None


@dataclass(frozen=True)
class PreOperative:
    assessed_at: datetime
    asa_class: int
    consent_signed: bool
    risk: SurgicalRisk
    notes: str | None = None


@dataclass(frozen=True)
class IntraOperative:
    started_at: datetime
    ended_at: datetime
    anaesthesia: str
    team: Sequence[str] | None = None
    notes: str | None = None


@dataclass(frozen=True)
class PostOperative:
    recorded_at: datetime
    recovery: str
    complications: Sequence[str] | None = None
    disposition: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Surgery:
    patient_id: str
    procedure_code: str
    """A SNOMED CT procedure concept id."""
    procedure_display: str
    scheduled_at: datetime
    pre_operative: PreOperative
    intra_operative: IntraOperative | None = None
    post_operative: PostOperative | None = None


@dataclass(frozen=True)
class Discharge:
    patient_id: str
    discharged_at: datetime
    disposition: Disposition
    summary: str | None = None


@dataclass(frozen=True)
class Prescription:
    patient_id: str
    medication_code: str
    """An RxNorm concept id, e.g. 1191 for aspirin."""
    medication_name: str
    dose: float
    unit: str
    route: Route
    frequency: str
    prescribed_at: datetime
    diagnosis_id: str | None = None


@dataclass(frozen=True)
class Administration:
    prescription_id: str
    dose: float
    unit: str
    route: Route
    administered_at: datetime


@dataclass(frozen=True)
class Discontinuation:
    prescription_id: str
    discontinued_at: datetime
    reason: str
