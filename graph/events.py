"""The events that change a twin: what the ledger records and the graph projects.

An event is a frozen value. It carries every id it creates (chosen before it is appended),
so that projecting it again gives the same graph: replay is deterministic. Its `subjects`
are the ids of the patient's own nodes it touches (public ledger metadata: random ids only,
never a code that would tell a diagnosis or a medication)
and its `key_subject` names the data key its payload is encrypted under (the patient's, so
that erasing a patient makes all their payloads unreadable).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, TypeAdapter

from graph.event_base import EventBase
from graph.event_values import (
    DiseaseRef,
    MedicationRef,
    ObservationData,
    SurgeryPhaseData,
)
from graph.fhir_events import ImportedEvent
from graph.knowledge_events import DiseaseHashGenerated, DiseasesImported, MedicationsImported
from graph.patient_events import (
    ConsentChanged,
    ErasureRequested,
    PatientAccountCreated,
    PatientInvited,
    TwinRead,
)


@dataclass(frozen=True)
class UserRegistered(EventBase, kind="UserRegistered",
                     subjects=("user_id",), key_subject="user_id"):
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


@dataclass(frozen=True)
class UserStatusChanged(EventBase, kind="UserStatusChanged",
                        subjects=("user_id",), key_subject="user_id"):
    user_id: str
    status: str
    at: str


@dataclass(frozen=True)
class PatientAdmitted(EventBase, kind="PatientAdmitted",
                      subjects=("patient_id", "stage_id", "observations", "crew_id")):
    """Pre-Hospital Admit: creates the patient if new and opens an Admission stage."""

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


@dataclass(frozen=True)
class VitalsRecorded(EventBase, kind="VitalsRecorded",
                     subjects=("patient_id", "stage_id", "observations")):
    patient_id: str
    stage_id: str
    recorded_by: str
    observations: tuple[ObservationData, ...]


@dataclass(frozen=True)
class DiagnosisRecorded(EventBase, kind="DiagnosisRecorded",
                        subjects=("patient_id", "stage_id", "observations")):
    """Patient Disease Diagnose: a Diagnosis stage with its diseases, findings and results."""

    patient_id: str
    stage_id: str
    physician_id: str
    at: str
    diseases: tuple[DiseaseRef, ...]
    symptoms: tuple[str, ...] = ()
    findings: str = ""
    observations: tuple[ObservationData, ...] = ()


@dataclass(frozen=True)
class MedicationPrescribed(EventBase, kind="MedicationPrescribed",
                           subjects=("patient_id", "transaction_id", "diagnosis_id")):
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


@dataclass(frozen=True)
class MedicationAdministered(EventBase, kind="MedicationAdministered",
                             subjects=("patient_id", "transaction_id", "prescription_id")):
    patient_id: str
    transaction_id: str
    prescription_id: str
    administered_by: str
    dose: float
    unit: str
    route: str
    at: str


@dataclass(frozen=True)
class MedicationDiscontinued(EventBase, kind="MedicationDiscontinued",
                             subjects=("patient_id", "prescription_id")):
    """A prescription stopped: no longer given, nor checked against for interactions."""

    patient_id: str
    prescription_id: str
    discontinued_by: str
    at: str
    reason: str


@dataclass(frozen=True)
class SurgeryRecorded(EventBase, kind="SurgeryRecorded",
                      subjects=("patient_id", "stage_id", "phases")):
    """Surgical Operative Procedure: a Surgery stage with the phases known so far."""

    patient_id: str
    stage_id: str
    physician_id: str
    at: str
    procedure_code: str
    procedure_display: str
    phases: tuple[SurgeryPhaseData, ...] = ()


@dataclass(frozen=True)
class SurgeryPhaseRecorded(EventBase, kind="SurgeryPhaseRecorded",
                           subjects=("patient_id", "stage_id", "phase")):
    patient_id: str
    stage_id: str
    recorded_by: str
    phase: SurgeryPhaseData


@dataclass(frozen=True)
class PhysicianAssigned(EventBase, kind="PhysicianAssigned",
                        subjects=("patient_id", "physician_id")):
    patient_id: str
    physician_id: str
    assigned_by: str
    at: str


@dataclass(frozen=True)
class PatientDischarged(EventBase, kind="PatientDischarged", subjects=("patient_id",)):
    patient_id: str
    discharged_by: str
    at: str
    disposition: str
    summary: str = ""


@dataclass(frozen=True)
class BreakGlassUsed(EventBase, kind="BreakGlassUsed",
                     subjects=("access_id", "patient_id", "user_id")):
    """An emergency read outside the care relationship; granted for a bounded time."""

    access_id: str
    patient_id: str
    user_id: str
    reason: str
    at: str
    expires_at: str


ERASURES_KEY_SUBJECT = "erasures"
"""Erasures are encrypted under this data key, not the patient's: the patient's key is
destroyed by the erasure, and the erasure itself must still replay (it is what keeps the
patient out of every rebuilt graph)."""


@dataclass(frozen=True)
class PatientErased(EventBase, kind="PatientErased", subjects=("patient_id",)):
    """The patient's nodes removed, a tombstone left (GDPR art. 17). Holds no clinical
    content: the patient's id (random), who erased them, when, and the stated grounds,
    which the command refuses when they name the patient."""

    patient_id: str
    erased_by: str
    reason: str
    at: str
    seqs: tuple[int, ...] = ()
    """The patient's entries (public ledger metadata): a code that first came into the graph
    with one of them, and that nothing else uses, goes with the patient."""

    @property
    def key_subject(self) -> str:
        return ERASURES_KEY_SUBJECT


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
    | PatientErased
    | PatientInvited
    | PatientAccountCreated
    | ConsentChanged
    | ErasureRequested
    | TwinRead
    | DiseaseHashGenerated
    | DiseasesImported
    | MedicationsImported
    | ImportedEvent,
    Field(discriminator="kind"),
]

_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def encode(event: Event) -> bytes:
    """The event as JSON bytes: what the ledger encrypts and stores."""
    return _ADAPTER.dump_json(event)


def decode(data: bytes) -> Event:
    """The inverse of `encode`; raises pydantic's ValidationError on bytes that are not an event."""
    return _ADAPTER.validate_json(data)
