"""The events that change a twin: what the ledger records and the graph projects.

An event is a frozen value. It carries every id it creates (chosen before it is appended),
so that projecting it again gives the same graph: replay is deterministic. Its `subjects`
are the ids of the patient's own nodes it touches (public ledger metadata: random ids only,
never a code that would tell a diagnosis or a medication)
and its `key_subject` names the data key its payload is encrypted under (the patient's, so
that erasing a patient makes all their payloads unreadable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from graph.event_values import (
    DiseaseRef,
    MedicationRef,
    ObservationData,
    SurgeryPhaseData,
    ids_of,
    optional,
)
from graph.fhir_events import (
    AdministrationImported,
    AdmissionImported,
    DiagnosisImported,
    ObservationImported,
    PatientImported,
    PrescriptionImported,
    SurgeryImported,
)
from graph.knowledge_events import DiseaseHashGenerated, DiseasesImported, MedicationsImported


@dataclass(frozen=True)
class UserRegistered:
    kind: Literal["UserRegistered"] = field(default="UserRegistered", kw_only=True)
    user_id: str
    username: str
    password_hash: str
    role: str
    status: str
    display_name: str
    at: str
    specialty: str | None = None
    licence_number: str | None = None
    company: str | None = None

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.user_id,)

    @property
    def key_subject(self) -> str:
        return self.user_id


@dataclass(frozen=True)
class UserStatusChanged:
    kind: Literal["UserStatusChanged"] = field(default="UserStatusChanged", kw_only=True)
    user_id: str
    status: str
    at: str

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.user_id,)

    @property
    def key_subject(self) -> str:
        return self.user_id


@dataclass(frozen=True)
class PatientAdmitted:
    """Pre-Hospital Admit: creates the patient if new and opens an Admission stage."""

    kind: Literal["PatientAdmitted"] = field(default="PatientAdmitted", kw_only=True)
    patient_id: str
    stage_id: str
    at: str
    admitted_by: str
    given_name: str
    family_name: str
    birth_date: str
    sex: str
    arrival_mode: str
    chief_complaint: str
    triage_level: int
    crew_id: str | None = None
    mrn: str | None = None
    allergies: tuple[str, ...] = ()
    current_medications: tuple[str, ...] = ()
    contact_phone: str | None = None
    insurance: str | None = None
    observations: tuple[ObservationData, ...] = ()

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.stage_id, *ids_of(self.observations), *optional(self.crew_id))

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class VitalsRecorded:
    kind: Literal["VitalsRecorded"] = field(default="VitalsRecorded", kw_only=True)
    patient_id: str
    stage_id: str
    recorded_by: str
    observations: tuple[ObservationData, ...]

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.stage_id, *ids_of(self.observations))

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class DiagnosisRecorded:
    """Patient Disease Diagnose: a Diagnosis stage with its diseases, findings and results."""

    kind: Literal["DiagnosisRecorded"] = field(default="DiagnosisRecorded", kw_only=True)
    patient_id: str
    stage_id: str
    physician_id: str
    at: str
    diseases: tuple[DiseaseRef, ...]
    symptoms: tuple[str, ...] = ()
    findings: str = ""
    observations: tuple[ObservationData, ...] = ()

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.stage_id, *ids_of(self.observations))

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class MedicationPrescribed:
    kind: Literal["MedicationPrescribed"] = field(default="MedicationPrescribed", kw_only=True)
    patient_id: str
    transaction_id: str
    physician_id: str
    medication: MedicationRef
    dose: float
    unit: str
    route: str
    frequency: str
    at: str
    diagnosis_id: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.transaction_id, *optional(self.diagnosis_id))

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class MedicationAdministered:
    kind: Literal["MedicationAdministered"] = field(default="MedicationAdministered", kw_only=True)
    patient_id: str
    transaction_id: str
    prescription_id: str
    administered_by: str
    dose: float
    unit: str
    route: str
    at: str

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.transaction_id, self.prescription_id)

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class MedicationDiscontinued:
    """A prescription stopped: no longer given, nor checked against for interactions."""

    kind: Literal["MedicationDiscontinued"] = field(default="MedicationDiscontinued", kw_only=True)
    patient_id: str
    prescription_id: str
    discontinued_by: str
    at: str
    reason: str

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.prescription_id)

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class SurgeryRecorded:
    """Surgical Operative Procedure: a Surgery stage with the phases known so far."""

    kind: Literal["SurgeryRecorded"] = field(default="SurgeryRecorded", kw_only=True)
    patient_id: str
    stage_id: str
    physician_id: str
    at: str
    procedure_code: str
    procedure_display: str
    phases: tuple[SurgeryPhaseData, ...] = ()

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.stage_id, *ids_of(self.phases))

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class SurgeryPhaseRecorded:
    kind: Literal["SurgeryPhaseRecorded"] = field(default="SurgeryPhaseRecorded", kw_only=True)
    patient_id: str
    stage_id: str
    recorded_by: str
    phase: SurgeryPhaseData

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.stage_id, self.phase.id)

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class PhysicianAssigned:
    kind: Literal["PhysicianAssigned"] = field(default="PhysicianAssigned", kw_only=True)
    patient_id: str
    physician_id: str
    assigned_by: str
    at: str

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.physician_id)

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class PatientDischarged:
    kind: Literal["PatientDischarged"] = field(default="PatientDischarged", kw_only=True)
    patient_id: str
    discharged_by: str
    at: str
    disposition: str
    summary: str = ""

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id,)

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class BreakGlassUsed:
    """An emergency read outside the care relationship; granted for a bounded time."""

    kind: Literal["BreakGlassUsed"] = field(default="BreakGlassUsed", kw_only=True)
    access_id: str
    patient_id: str
    user_id: str
    reason: str
    at: str
    expires_at: str

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.access_id, self.patient_id, self.user_id)

    @property
    def key_subject(self) -> str:
        return self.patient_id


Event = Annotated[
    UserRegistered
    | UserStatusChanged
    | PatientAdmitted
    | VitalsRecorded
    | DiagnosisRecorded
    | MedicationPrescribed
    | MedicationAdministered
    | MedicationDiscontinued
    | SurgeryRecorded
    | SurgeryPhaseRecorded
    | PhysicianAssigned
    | PatientDischarged
    | BreakGlassUsed
    | DiseaseHashGenerated
    | DiseasesImported
    | MedicationsImported
    | PatientImported
    | AdmissionImported
    | DiagnosisImported
    | SurgeryImported
    | ObservationImported
    | PrescriptionImported
    | AdministrationImported,
    Field(discriminator="kind"),
]

_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def encode(event: Event) -> bytes:
    """The event as JSON bytes: what the ledger encrypts and stores."""
    return _ADAPTER.dump_json(event)


def decode(data: bytes) -> Event:
    """The inverse of `encode`; raises pydantic's ValidationError on bytes that are not an event."""
    return _ADAPTER.validate_json(data)
