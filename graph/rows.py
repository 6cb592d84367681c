"""The rows the read statements of `graph/cypher/` return, as TypedDicts (see graph/reads.py).

A row stays the plain dict the store returns; these name its keys and their types. Map
projections that list their fields (`u {.id, .username}`) are typed field by field; a node
returned whole (`n {.*}`) is `Props`, whose keys are the properties the projection sets.
"""

from __future__ import annotations

from typing import Any, TypedDict

Props = dict[str, Any]
"""A node's properties, as `n {.*}` returns them."""


class UserFields(TypedDict):
    id: str
    username: str
    role: str
    status: str
    display_name: str
    registered_at: str
    seq: int
    specialty: str | None
    licence_number: str | None
    company: str | None


class UserRow(TypedDict):
    user: UserFields


class Credentials(TypedDict):
    id: str
    username: str
    role: str
    status: str
    display_name: str
    password_hash: str


class CredentialsRow(TypedDict):
    user: Credentials


class PrincipalUser(TypedDict):
    id: str
    username: str
    role: str
    status: str
    display_name: str
    patient_id: str | None
    """The patient whose account this is (role PATIENT), else None."""


class InvitationHead(TypedDict):
    id: str
    patient_id: str
    expires_at: str
    used_at: str | None


class InvitationRow(TypedDict):
    invitation: InvitationHead


class SharingConsent(TypedDict):
    """A patient's consent, still granted, to share their twin with one physician."""

    user_id: str
    patient_id: str


class VisibleRow(TypedDict):
    id: str
    grounds: str
    """ADMINISTRATION, CARE_TEAM, or GRANTED (the caller's `granted`: break-glass, a
    patient's sharing consent, or a patient's own twin)."""


class AccessRow(TypedDict):
    access: Props


class ConsentRow(TypedDict):
    consent: Props


class ErasureRequestRow(TypedDict):
    request: Props


class OpenGrant(TypedDict):
    user_id: str
    patient_id: str
    expires_at: str


class PatientRow(TypedDict):
    patient: Props


class Tombstone(TypedDict):
    id: str
    erased_at: str
    erased_by: str
    seq: int


class ErasedPatientRow(TypedDict):
    tombstone: Tombstone


class PatientHead(TypedDict):
    id: str
    status: str
    birth_date: str
    admitted_at: str
    discharged_at: str | None
    seq: int


class StageHead(TypedDict):
    id: str
    stage: str
    at: str


class PatientStateRow(TypedDict):
    patient: PatientHead
    last_stage: StageHead | None


class CaringPhysician(TypedDict):
    id: str
    display_name: str
    specialty: str | None


class BroughtInBy(TypedDict):
    id: str
    display_name: str
    company: str | None


class FhirResourcesRow(TypedDict):
    """A patient's imported resources of types the stages do not hold (`own`), and the shared
    ones their bundles named (`shared`): each a FhirResource node with its JSON text."""

    own: list[Props]
    shared: list[Props]


class TwinRow(TypedDict):
    """A whole twin: the patient, their stages in NEXT order (each with `labels`, and its
    `observations`, `diseases`, `phases` and `treatments` ids), medication transactions,
    the physicians who care for them and the crews who brought them in."""

    patient: Props
    stages: list[Props]
    transactions: list[Props]
    physicians: list[CaringPhysician]
    crews: list[BroughtInBy]


class SolutionsRow(TypedDict):
    patient_id: str
    diagnoses: list[Props]
    """In time order, each with its `diseases` and its `treatments` (with their medication)."""


class PatientListRow(TypedDict):
    patient: Props
    """The patient's properties and `current_stage`."""


class TransactionRow(TypedDict):
    transaction: Props
    """The transaction's properties and its `medication` (key, system, code, name)."""


class StageRef(TypedDict):
    id: str
    patient_id: str
    at: str


class DiagnosisRow(TypedDict):
    diagnosis: StageRef


class PhaseTimes(TypedDict):
    phase: str
    at: str
    started_at: str | None
    ended_at: str | None


class SurgeryRow(TypedDict):
    surgery: StageRef
    phases: list[PhaseTimes]


class PrescriptionFields(TypedDict):
    id: str
    patient_id: str
    at: str
    dose: float
    unit: str
    route: str
    status: str
    discontinued_at: str | None
    last_given: str | None


class KeyedMedication(TypedDict):
    key: str
    code: str
    name: str


class PrescriptionRow(TypedDict):
    prescription: PrescriptionFields
    medication: KeyedMedication


class MedicationFields(TypedDict):
    system: str
    code: str
    name: str


class MedicationCounts(TypedDict):
    medications: int
    interactions: int
    treats: int


class Interaction(TypedDict):
    medication: MedicationFields
    severity: str
    description: str | None


class AdmissionNotes(TypedDict):
    at: str
    allergies: list[str] | None
    current_medications: list[str] | None


class DiseaseFound(TypedDict):
    disease: Props


class MedicationFound(TypedDict):
    medication: MedicationFields


class MedicationKnowledgeRow(TypedDict):
    medication: MedicationFields
    treats: list[Props]
    interactions: list[Interaction]


class DiseaseFields(TypedDict):
    system: str
    code: str
    display: str


class DiseaseCounts(TypedDict):
    diseases: int
    is_a: int


class DiseaseKnowledgeRow(TypedDict):
    disease: Props
    parents: list[Props]
    children: list[Props]
    treated_by: list[Props]


class RelatedDisease(TypedDict):
    disease: DiseaseFields
    distance: int
    key: str


class DiseasePatients(TypedDict):
    disease: DiseaseFields
    patients: int
    key: str


class PrescribedForDisease(TypedDict):
    key: str
    """The disease's key."""
    medication: MedicationFields
    patients: int
    prescriptions: int
    medication_key: str


class DiseasePathRow(TypedDict):
    up: list[DiseaseFields]
    down: list[DiseaseFields]
    distance: int
    via: str
    route: str


class DiseaseRecordRow(TypedDict):
    disease: Props


class StagePatients(TypedDict):
    stage: str
    patients: int


class DayDiagnoses(TypedDict):
    day: str
    diagnoses: int


class AccessFields(TypedDict):
    id: str
    patient_id: str
    reason: str
    at: str
    expires_at: str
    seq: int


class BreakGlassRow(TypedDict):
    access: AccessFields
    user: UserFields
