"""Events of the FHIR import (api/knowledge/fhir_import.py).

Imported history is placed in time order in a twin, whenever it arrives, and never opens a
stay. Each node keeps the FHIR id it came from (`fhir_id`) so that an export writes the same
ids and an import of that export finds the same nodes; node ids are derived from FHIR ids, so
importing a bundle twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.event_base import EventBase
from graph.event_values import DiseaseRef, MedicationRef, SurgeryPhaseData
from graph.knowledge_events import KnowledgeEvent


@dataclass(frozen=True)
class PatientImported(EventBase, kind="PatientImported", subjects=("patient_id",)):
    """A patient's identity from a FHIR Patient, without opening a stay. `admitted_at` and
    `discharged_at` are the start and end of their latest encounter: the patient lists sort on
    them, so a patient must never be without `admitted_at`."""

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
    resource: str = ""
    """The resource as imported, JSON text with its numbers as written: what an export gives
    back (empty in ledgers written before the import kept it)."""


@dataclass(frozen=True)
class AdmissionImported(EventBase, kind="AdmissionImported", subjects=("patient_id", "stage_id")):
    """A FHIR Encounter as an Admission stage. `types` and `reason_codings` are codings written
    `system|code|display`, kept so that an export gives the encounter back."""

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
    resource: str = ""
    """The resource as imported, JSON text with its numbers as written: what an export gives
    back (empty in ledgers written before the import kept it)."""


@dataclass(frozen=True)
class DiagnosisImported(EventBase, kind="DiagnosisImported", subjects=("patient_id", "stage_id")):
    """A FHIR Condition as a Diagnosis stage with its one disease, keyed by the condition's first
    coding (SNOMED CT as Synthea writes it: no code is dropped for want of an ICD-10 mapping);
    its other codings (`system|code|display`) are kept on the stage and on the disease."""

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
    disease_display: str = ""
    """The condition's own text for its code; the shared Disease keeps the catalogue's."""
    resource: str = ""
    """The resource as imported, JSON text with its numbers as written: what an export gives
    back (empty in ledgers written before the import kept it)."""


@dataclass(frozen=True)
class SurgeryImported(EventBase, kind="SurgeryImported",
                      subjects=("patient_id", "stage_id", "phases")):
    """A FHIR Procedure as a Surgery stage, with the phases its data gives (the performed time
    is the intra-operative phase; outcome and complications the post-operative one)."""

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
    resource: str = ""
    """The resource as imported, JSON text with its numbers as written: what an export gives
    back (empty in ledgers written before the import kept it)."""


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
class ObservationImported(EventBase, kind="ObservationImported",
                          subjects=("patient_id", "stage_id", "observations")):
    """A FHIR Observation on the stage of its encounter (or of the condition it is evidence
    for): its own node first, then one node per component."""

    patient_id: str
    stage_id: str
    imported_by: str
    observations: tuple[ImportedObservation, ...]
    resource: str = ""
    """The resource as imported, JSON text with its numbers as written: what an export gives
    back (empty in ledgers written before the import kept it)."""


@dataclass(frozen=True)
class PrescriptionImported(EventBase, kind="PrescriptionImported",
                           subjects=("patient_id", "transaction_id", "diagnosis_id")):
    """A FHIR MedicationRequest as a prescription. A request may state no dose: the twin's
    dose is then 0 and `dose_stated` false, the ledger keeps None."""

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
    medication_display: str = ""
    """The request's own text for its medication; the shared Medication keeps the catalogue's."""
    resource: str = ""
    """The resource as imported, JSON text with its numbers as written: what an export gives
    back (empty in ledgers written before the import kept it)."""


@dataclass(frozen=True)
class AdministrationImported(EventBase, kind="AdministrationImported",
                             subjects=("patient_id", "transaction_id", "prescription_id")):
    """A FHIR MedicationAdministration; it fulfils a prescription when it names one."""

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
    medication_display: str = ""
    """The administration's own text for its medication (see PrescriptionImported)."""
    resource: str = ""
    """The resource as imported, JSON text with its numbers as written: what an export gives
    back (empty in ledgers written before the import kept it)."""


@dataclass(frozen=True)
class ResourceImported(EventBase, kind="ResourceImported", subjects=("patient_id", "node_id")):
    """A patient's FHIR resource of a type the twin's stages do not hold (an allergy, an
    immunization, a report, a claim...), kept whole, with a few fields to find it by."""

    patient_id: str
    node_id: str
    fhir_id: str
    resource_type: str
    imported_by: str
    resource: str
    at: str | None = None
    code_system: str | None = None
    code: str | None = None
    display: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class SharedResourceImported(KnowledgeEvent, kind="SharedResourceImported",
                             subjects=("node_id",)):
    """A resource that belongs to no one patient (an Organization, a Practitioner, a
    Location): kept once, under the knowledge data key, and referenced by the twins."""

    node_id: str
    fhir_id: str
    resource_type: str
    imported_by: str
    resource: str
    name: str | None = None


@dataclass(frozen=True)
class SharedResourcesUsed(EventBase, kind="SharedResourcesUsed",
                          subjects=("patient_id", "link_id")):
    """The shared resources a patient's bundle came with: their export gives them back.
    `link_id` is derived from the patient and the set, so a bundle imported again adds
    nothing."""

    patient_id: str
    link_id: str
    shared: tuple[str, ...]
    imported_by: str


ImportedEvent = (PatientImported | AdmissionImported | DiagnosisImported | SurgeryImported
                 | ObservationImported | PrescriptionImported | AdministrationImported
                 | ResourceImported | SharedResourceImported | SharedResourcesUsed)
"""The events an import records: history, never a change to a stay in progress."""
