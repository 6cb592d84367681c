"""The events that change a twin: what the ledger records and the graph projects.

An event is a frozen value. It carries every id it creates (chosen before it is appended),
so that projecting it again gives the same graph: replay is deterministic. Its `subjects`
are the ids of the patient's own nodes it touches (public ledger metadata: random ids only,
never a code that would tell a diagnosis or a medication)
and its `key_subject` names the data key its payload is encrypted under (the patient's, so
that erasing a patient makes all their payloads unreadable).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

KNOWLEDGE_KEY_SUBJECT = "knowledge"
"""Events about shared knowledge, not a person, are encrypted under this data key."""


def _ids(items: tuple[ObservationData, ...] | tuple[SurgeryPhaseData, ...]) -> list[str]:
    return [item.id for item in items]


def _opt(value: str | None) -> list[str]:
    return [value] if value else []


@dataclass(frozen=True)
class ObservationData:
    """A vital sign or result (FHIR Observation): LOINC code, numeric or coded value, time."""

    id: str
    code: str
    name: str
    at: str
    value: float | None = None
    unit: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class DiseaseRef:
    """A disease by code system and code; `key` is how the knowledge graph names it."""

    system: str
    code: str
    display: str = ""

    @property
    def key(self) -> str:
        return f"{self.system}|{self.code}"


@dataclass(frozen=True)
class MedicationRef:
    """A medication by code system (RxNorm) and code."""

    system: str
    code: str
    name: str = ""

    @property
    def key(self) -> str:
        return f"{self.system}|{self.code}"


@dataclass(frozen=True)
class SurgeryPhaseData:
    """One phase of a surgery; the fields that do not belong to its phase stay None."""

    id: str
    phase: Literal["PRE_OPERATIVE", "INTRA_OPERATIVE", "POST_OPERATIVE"]
    at: str
    asa_class: int | None = None
    consent_signed: bool | None = None
    risk: str | None = None
    procedure_code: str | None = None
    procedure_display: str | None = None
    anaesthesia: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    team: tuple[str, ...] = ()
    complications: tuple[str, ...] = ()
    recovery: str | None = None
    disposition: str | None = None
    notes: str | None = None


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
        return (self.patient_id, self.stage_id, *_ids(self.observations), *_opt(self.crew_id))

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
        return (self.patient_id, self.stage_id, *_ids(self.observations))

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
        return (self.patient_id, self.stage_id, *_ids(self.observations))

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
        return (self.patient_id, self.transaction_id, *_opt(self.diagnosis_id))

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
        return (self.patient_id, self.stage_id, *_ids(self.phases))

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


@dataclass(frozen=True)
class DiseaseHashGenerated:
    kind: Literal["DiseaseHashGenerated"] = field(default="DiseaseHashGenerated", kw_only=True)
    disease_key: str
    record_hash: str
    generated_by: str
    at: str
    system: str = ""
    code: str = ""
    display: str = ""
    parent_code: str | None = None

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.disease_key,)

    @property
    def key_subject(self) -> str:
        return KNOWLEDGE_KEY_SUBJECT


@dataclass(frozen=True)
class DiseaseRow:
    """One disease of a terminology, with the code of its parent in the same system."""

    system: str
    code: str
    display: str
    parent: str | None = None


@dataclass(frozen=True)
class DiseasesImported:
    """A batch of a disease terminology (ICD-10-CM, SNOMED CT). Batches are cut so that every
    parent arrives in an earlier batch or earlier in the same one, never later."""

    kind: Literal["DiseasesImported"] = field(default="DiseasesImported", kw_only=True)
    source: str
    batch: int
    rows: tuple[DiseaseRow, ...]
    imported_by: str
    at: str

    @property
    def subjects(self) -> tuple[str, ...]:
        """The source, and the source with a digest of these rows: a batch already in the
        ledger is found by its digest, so an import can be run again without repeating it."""
        return (f"knowledge:{self.source}", f"knowledge:{self.source}:{_digest(self.rows)}")

    @property
    def key_subject(self) -> str:
        return KNOWLEDGE_KEY_SUBJECT


def _digest(rows: tuple[object, ...]) -> str:
    data = json.dumps([asdict(row) for row in rows], sort_keys=True)  # type: ignore[call-overload]
    return hashlib.sha256(data.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class MedicationRow:
    """A medication (RxNorm-coded) and the disease keys it treats."""

    system: str
    code: str
    name: str
    treats: tuple[str, ...] = ()


@dataclass(frozen=True)
class InteractionRow:
    """Two medications (by key) that interact, with the severity the source gives."""

    first: str
    second: str
    severity: str
    description: str = ""


@dataclass(frozen=True)
class MedicationsImported:
    """A batch of a medication catalogue and its interactions."""

    kind: Literal["MedicationsImported"] = field(default="MedicationsImported", kw_only=True)
    source: str
    batch: int
    medications: tuple[MedicationRow, ...]
    interactions: tuple[InteractionRow, ...]
    imported_by: str
    at: str

    @property
    def subjects(self) -> tuple[str, ...]:
        rows = (*self.medications, *self.interactions)
        return (f"knowledge:{self.source}", f"knowledge:{self.source}:{_digest(rows)}")

    @property
    def key_subject(self) -> str:
        return KNOWLEDGE_KEY_SUBJECT



# Events of the FHIR import (api/fhir_import.py). Imported history is placed in time order in a
# twin, whenever it arrives, and never opens a stay. Each node keeps the FHIR id it came from
# (`fhir_id`) so that an export writes the same ids and an import of that export finds the same
# nodes; node ids are derived from FHIR ids, so importing a bundle twice changes nothing.


@dataclass(frozen=True)
class PatientImported:
    """A patient's identity from a FHIR Patient, without opening a stay. `admitted_at` and
    `discharged_at` are the start and end of their latest encounter: the patient lists sort on
    them, so a patient must never be without `admitted_at`."""

    kind: Literal["PatientImported"] = field(default="PatientImported", kw_only=True)
    patient_id: str
    fhir_id: str
    imported_by: str
    given_name: str
    family_name: str
    birth_date: str
    sex: str
    admitted_at: str
    discharged_at: str | None = None
    mrn: str | None = None
    contact_phone: str | None = None
    deceased_at: str | None = None

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id,)

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class AdmissionImported:
    """A FHIR Encounter as an Admission stage. `types` and `reason_codings` are codings written
    `system|code|display`, kept so that an export gives the encounter back."""

    kind: Literal["AdmissionImported"] = field(default="AdmissionImported", kw_only=True)
    patient_id: str
    stage_id: str
    fhir_id: str
    imported_by: str
    at: str
    encounter_class: str
    encounter_status: str
    arrival_mode: str
    chief_complaint: str
    triage_level: int
    ended_at: str | None = None
    types: tuple[str, ...] = ()
    reason_codings: tuple[str, ...] = ()

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.stage_id)

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class DiagnosisImported:
    """A FHIR Condition as a Diagnosis stage with its one disease, keyed by the condition's first
    coding (SNOMED CT as Synthea writes it: no code is dropped for want of an ICD-10 mapping);
    its other codings (`system|code|display`) are kept on the stage and on the disease."""

    kind: Literal["DiagnosisImported"] = field(default="DiagnosisImported", kw_only=True)
    patient_id: str
    stage_id: str
    fhir_id: str
    imported_by: str
    at: str
    disease: DiseaseRef
    other_codings: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    findings: str = ""
    clinical_status: str | None = None
    verification_status: str | None = None
    category: str | None = None
    onset_at: str | None = None
    abated_at: str | None = None
    encounter_id: str | None = None

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.stage_id)

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class SurgeryImported:
    """A FHIR Procedure as a Surgery stage, with the phases its data gives (the performed time
    is the intra-operative phase; outcome and complications the post-operative one)."""

    kind: Literal["SurgeryImported"] = field(default="SurgeryImported", kw_only=True)
    patient_id: str
    stage_id: str
    fhir_id: str
    imported_by: str
    at: str
    procedure_system: str
    procedure_code: str
    procedure_display: str
    procedure_status: str
    other_codings: tuple[str, ...] = ()
    encounter_id: str | None = None
    reasons: tuple[str, ...] = ()
    phases: tuple[SurgeryPhaseData, ...] = ()

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.stage_id, *_ids(self.phases))

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class ImportedObservation:
    """An Observation node as FHIR data carries it: the twin's fields, the code system, a coded
    value, and for a component of a panel (a blood pressure) the panel's node and the position
    in it, so that an export writes one resource with its components again."""

    id: str
    code: str
    name: str
    at: str
    system: str
    status: str
    value: float | None = None
    unit: str | None = None
    unit_system: str | None = None
    unit_code: str | None = None
    text: str | None = None
    value_system: str | None = None
    value_code: str | None = None
    category: str | None = None
    other_codings: tuple[str, ...] = ()
    fhir_id: str | None = None
    panel_id: str | None = None
    component_index: int | None = None


@dataclass(frozen=True)
class ObservationImported:
    """A FHIR Observation on the stage of its encounter (or of the condition it is evidence
    for): its own node first, then one node per component."""

    kind: Literal["ObservationImported"] = field(default="ObservationImported", kw_only=True)
    patient_id: str
    stage_id: str
    imported_by: str
    observations: tuple[ImportedObservation, ...]

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.stage_id, *(o.id for o in self.observations))

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class PrescriptionImported:
    """A FHIR MedicationRequest as a prescription. A request may state no dose: the twin's
    dose is then 0 and `dose_stated` false, the ledger keeps None."""

    kind: Literal["PrescriptionImported"] = field(default="PrescriptionImported", kw_only=True)
    patient_id: str
    transaction_id: str
    fhir_id: str
    imported_by: str
    at: str
    medication: MedicationRef
    status: str
    intent: str
    other_codings: tuple[str, ...] = ()
    dose: float | None = None
    unit: str = ""
    route: str = ""
    frequency: str | None = None
    diagnosis_id: str | None = None
    encounter_id: str | None = None

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.transaction_id, *_opt(self.diagnosis_id))

    @property
    def key_subject(self) -> str:
        return self.patient_id


@dataclass(frozen=True)
class AdministrationImported:
    """A FHIR MedicationAdministration; it fulfils a prescription when it names one."""

    kind: Literal["AdministrationImported"] = field(default="AdministrationImported",
                                                    kw_only=True)
    patient_id: str
    transaction_id: str
    fhir_id: str
    imported_by: str
    at: str
    medication: MedicationRef
    status: str
    other_codings: tuple[str, ...] = ()
    dose: float | None = None
    unit: str = ""
    route: str = ""
    prescription_id: str | None = None
    encounter_id: str | None = None

    @property
    def subjects(self) -> tuple[str, ...]:
        return (self.patient_id, self.transaction_id, *_opt(self.prescription_id))

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
