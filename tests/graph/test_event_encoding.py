"""The bytes of every event kind, fixed: ledgers written by earlier versions must replay.

The expected payloads (tests/fixtures/event_payloads.jsonl, one line per event), subjects
and key subjects were computed from the events as they were declared before they shared a
base class; any change to a field's name, order or default, or to how an event names its
subjects, shows up here as a difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.event_values import DiseaseRef, MedicationRef, ObservationData, SurgeryPhaseData
from graph.events import (
    BreakGlassUsed,
    DiagnosisRecorded,
    DiseaseHashGenerated,
    DiseasesImported,
    Event,
    MedicationAdministered,
    MedicationDiscontinued,
    MedicationPrescribed,
    MedicationsImported,
    PatientAdmitted,
    PatientDischarged,
    PatientErased,
    PhysicianAssigned,
    SurgeryPhaseRecorded,
    SurgeryRecorded,
    UserRegistered,
    UserStatusChanged,
    VitalsRecorded,
    decode,
    encode,
)
from graph.fhir_events import (
    AdministrationImported,
    AdmissionImported,
    DiagnosisImported,
    ImportedObservation,
    ObservationImported,
    PatientImported,
    PrescriptionImported,
    ResourceImported,
    SharedResourceImported,
    SharedResourcesUsed,
    SurgeryImported,
)
from graph.knowledge_events import DiseaseRow, InteractionRow, MedicationRow
from graph.patient_events import (
    ConsentChanged,
    ErasureRequested,
    PatientAccountCreated,
    PatientInvited,
    TwinRead,
)

AT = "2026-03-01T08:00:00Z"
PULSE = ObservationData(id="o-1", code="8867-4", name="Heart rate", at=AT, value=88.0,
                        unit="/min", text="regular")
SPO2 = ObservationData(id="o-2", code="59408-5", name="SpO2", at=AT, value=97.0, unit="%")
PRE_OP = SurgeryPhaseData(id="ph-1", phase="PRE_OPERATIVE", at=AT, asa_class=2,
                          consent_signed=True, risk="low")
INTRA_OP = SurgeryPhaseData(id="ph-2", phase="INTRA_OPERATIVE", at=AT, procedure_code="0DTJ4ZZ",
                            procedure_display="Appendectomy", anaesthesia="general",
                            started_at=AT, ended_at=AT, team=("u-2", "u-3"),
                            complications=("none",), notes="uneventful")
APPENDICITIS = DiseaseRef(system="icd10", code="K35.80", display="Acute appendicitis")
AMOXICILLIN = MedicationRef(system="rxnorm", code="723", name="Amoxicillin")

# One event of each kind, with its optional fields set where the kind has any.
EVENTS: list[Event] = [
    UserRegistered(user_id="u-1", username="dr.lee", password_hash="$argon2id$x", role="PHYSICIAN",
                   status="ACTIVE", display_name="Dr Lee", at=AT, specialty="surgery",
                   licence_number="L-9", company="St Mary"),
    UserStatusChanged(user_id="u-1", status="SUSPENDED", at=AT),
    PatientAdmitted(patient_id="p-1", stage_id="s-1", at=AT, admitted_by="u-1", given_name="Ann",
                    family_name="Test", birth_date="1970-01-02", sex="female",
                    arrival_mode="AMBULANCE", chief_complaint="abdominal pain", triage_level=2,
                    crew_id="c-1", mrn="MRN-1", allergies=("penicillin",),
                    current_medications=("aspirin",), contact_phone="+100",
                    insurance="none", observations=(PULSE, SPO2)),
    VitalsRecorded(patient_id="p-1", stage_id="s-1", recorded_by="u-1", observations=(PULSE,)),
    DiagnosisRecorded(patient_id="p-1", stage_id="s-2", physician_id="u-1", at=AT,
                      diseases=(APPENDICITIS,), symptoms=("fever",), findings="tender RLQ",
                      observations=(SPO2,)),
    MedicationPrescribed(patient_id="p-1", transaction_id="t-1", physician_id="u-1",
                         medication=AMOXICILLIN, dose=500.0, unit="mg", route="oral",
                         frequency="q8h", at=AT, diagnosis_id="s-2", warnings=("check renal",)),
    MedicationAdministered(patient_id="p-1", transaction_id="t-2", prescription_id="t-1",
                           administered_by="u-4", dose=500.0, unit="mg", route="oral", at=AT),
    MedicationDiscontinued(patient_id="p-1", prescription_id="t-1", discontinued_by="u-1", at=AT,
                           reason="course complete"),
    SurgeryRecorded(patient_id="p-1", stage_id="s-3", physician_id="u-1", at=AT,
                    procedure_code="0DTJ4ZZ", procedure_display="Appendectomy",
                    phases=(PRE_OP, INTRA_OP)),
    SurgeryPhaseRecorded(patient_id="p-1", stage_id="s-3", recorded_by="u-1", phase=INTRA_OP),
    PhysicianAssigned(patient_id="p-1", physician_id="u-1", assigned_by="u-5", at=AT),
    PatientDischarged(patient_id="p-1", discharged_by="u-1", at=AT, disposition="HOME",
                      summary="recovered"),
    BreakGlassUsed(access_id="a-1", patient_id="p-1", user_id="u-6", reason="unconscious",
                   at=AT, expires_at="2026-03-01T09:00:00Z"),
    PatientErased(patient_id="p-1", erased_by="u-5", reason="art. 17 request", at=AT,
                  seqs=(2, 3, 4)),
    PatientInvited(invitation_id="i-1", patient_id="p-1", code_hash="ab" * 32, invited_by="u-5",
                   at=AT, expires_at="2026-03-04T08:00:00Z"),
    PatientAccountCreated(user_id="u-7", patient_id="p-1", invitation_id="i-1",
                          username="ann.test", password_hash="$argon2id$y",
                          display_name="Ann Test", at=AT),
    ConsentChanged(patient_id="p-1", purpose="SHARING", granted=True, changed_by="u-7", at=AT,
                   recipient_id="u-1"),
    ErasureRequested(patient_id="p-1", requested_by="u-7", at=AT),
    TwinRead(access_id="r-1", patient_id="p-1", reader_id="u-1", reader_role="PHYSICIAN",
             grounds="CARE_TEAM", sections=("patient", "vitals"), at=AT),
    DiseaseHashGenerated(disease_key="icd10|K35.80", record_hash="ab12", generated_by="u-1",
                         at=AT, system="icd10", code="K35.80", display="Acute appendicitis",
                         parent_code="K35.8"),
    DiseasesImported(source="icd10", batch=3,
                     rows=(DiseaseRow(system="icd10", code="K35", display="Appendicitis"),
                           DiseaseRow(system="icd10", code="K35.8", display="Other",
                                      parent="K35")),
                     imported_by="u-1", at=AT),
    MedicationsImported(source="ansm", batch=1,
                        medications=(MedicationRow(system="rxnorm", code="723",
                                                   name="Amoxicillin", treats=("icd10|K35",)),),
                        interactions=(InteractionRow(first="rxnorm|723", second="rxnorm|11289",
                                                     severity="major", description="bleeding"),),
                        imported_by="u-1", at=AT),
    PatientImported(patient_id="p-2", fhir_id="f-p", imported_by="u-1", given_name="Bo",
                    family_name="Test", birth_date="1980-05-06", sex="male", admitted_at=AT,
                    discharged_at=AT, mrn="MRN-2", contact_phone="+200", deceased_at=AT),
    AdmissionImported(patient_id="p-2", stage_id="s-4", fhir_id="f-e", imported_by="u-1", at=AT,
                      encounter_class="EMER", encounter_status="finished",
                      arrival_mode="WALK_IN", chief_complaint="cough", triage_level=4,
                      ended_at=AT, types=("http://snomed.info/sct|50849002|Emergency",),
                      reason_codings=("http://snomed.info/sct|49727002|Cough",)),
    DiagnosisImported(patient_id="p-2", stage_id="s-5", fhir_id="f-c", imported_by="u-1", at=AT,
                      disease=DiseaseRef(system="http://snomed.info/sct", code="49727002",
                                         display="Cough"),
                      other_codings=("icd10|R05|Cough",), symptoms=("cough",),
                      findings="dry", clinical_status="resolved",
                      verification_status="confirmed", category="encounter-diagnosis",
                      onset_at=AT, abated_at=AT, encounter_id="s-4"),
    SurgeryImported(patient_id="p-2", stage_id="s-6", fhir_id="f-pr", imported_by="u-1", at=AT,
                    procedure_system="http://snomed.info/sct", procedure_code="80146002",
                    procedure_display="Appendectomy", procedure_status="completed",
                    other_codings=("icd10pcs|0DTJ4ZZ|Resection",), encounter_id="s-4",
                    reasons=("s-5",), phases=(INTRA_OP,)),
    ObservationImported(patient_id="p-2", stage_id="s-4", imported_by="u-1", observations=(
        ImportedObservation(id="o-3", code="85354-9", name="Blood pressure", at=AT,
                            system="http://loinc.org", status="final", category="vital-signs",
                            fhir_id="f-o"),
        ImportedObservation(id="o-4", code="8480-6", name="Systolic", at=AT,
                            system="http://loinc.org", status="final", value=120.0,
                            unit="mm[Hg]", unit_system="http://unitsofmeasure.org",
                            unit_code="mm[Hg]", text="normal", value_system="sys",
                            value_code="N", other_codings=("x|y|z",), panel_id="o-3",
                            component_index=0),
    )),
    PrescriptionImported(patient_id="p-2", transaction_id="t-3", fhir_id="f-mr",
                         imported_by="u-1", at=AT, medication=AMOXICILLIN, status="active",
                         intent="order", other_codings=("a|b|c",), dose=250.0, unit="mg",
                         route="oral", frequency="q12h", diagnosis_id="s-5",
                         encounter_id="s-4"),
    AdministrationImported(patient_id="p-2", transaction_id="t-4", fhir_id="f-ma",
                           imported_by="u-1", at=AT, medication=AMOXICILLIN,
                           status="completed", other_codings=("a|b|c",), dose=250.0, unit="mg",
                           route="oral", prescription_id="t-3", encounter_id="s-4"),
    ResourceImported(patient_id="p-2", node_id="r-1", fhir_id="f-i", resource_type="Immunization",
                     imported_by="u-1", resource='{"resourceType":"Immunization","id":"f-i"}',
                     at=AT, code_system="http://hl7.org/fhir/sid/cvx", code="208",
                     display="COVID-19 vaccine", status="completed"),
    SharedResourceImported(node_id="r-2", fhir_id="f-org", resource_type="Organization",
                           imported_by="u-1", name="Clinic",
                           resource='{"resourceType":"Organization","id":"f-org"}'),
    SharedResourcesUsed(patient_id="p-2", link_id="l-1", shared=("r-2",), imported_by="u-1"),
]

# The same kinds with their optional ids left out (None, or empty): they name no subject.
SPARSE: list[Event] = [
    PatientAdmitted(patient_id="p-1", stage_id="s-1", at=AT, admitted_by="u-1", given_name="Ann",
                    family_name="Test", birth_date="1970-01-02", sex="female",
                    arrival_mode="WALK_IN", chief_complaint="cough", triage_level=4),
    PatientAdmitted(patient_id="p-1", stage_id="s-1", at=AT, admitted_by="u-1", given_name="Ann",
                    family_name="Test", birth_date="1970-01-02", sex="female",
                    arrival_mode="WALK_IN", chief_complaint="cough", triage_level=4, crew_id=""),
    MedicationPrescribed(patient_id="p-1", transaction_id="t-1", physician_id="u-1",
                         medication=AMOXICILLIN, dose=500.0, unit="mg", route="oral",
                         frequency="q8h", at=AT),
    MedicationPrescribed(patient_id="p-1", transaction_id="t-1", physician_id="u-1",
                         medication=AMOXICILLIN, dose=500.0, unit="mg", route="oral",
                         frequency="q8h", at=AT, diagnosis_id=""),
    SurgeryRecorded(patient_id="p-1", stage_id="s-3", physician_id="u-1", at=AT,
                    procedure_code="0DTJ4ZZ", procedure_display="Appendectomy"),
    PrescriptionImported(patient_id="p-2", transaction_id="t-3", fhir_id="f-mr",
                         imported_by="u-1", at=AT, medication=AMOXICILLIN, status="active",
                         intent="order"),
    AdministrationImported(patient_id="p-2", transaction_id="t-4", fhir_id="f-ma",
                           imported_by="u-1", at=AT, medication=AMOXICILLIN,
                           status="completed"),
    MedicationAdministered(patient_id="p-1", transaction_id="t-2", prescription_id="",
                           administered_by="u-4", dose=500.0, unit="mg", route="oral", at=AT),
]


PAYLOADS = (Path(__file__).parents[1] / "fixtures" / "event_payloads.jsonl").read_bytes() \
    .splitlines()
"""What `encode` gives for each of EVENTS, one line each, byte for byte: computed before the
events shared a base class (the commit that added this test held them inline); a kind added
since has its line added with it."""

METADATA = [  # (kind, subjects, key_subject), in the order of EVENTS
    (UserRegistered, ("u-1",), "u-1"),
    (UserStatusChanged, ("u-1",), "u-1"),
    (PatientAdmitted, ("p-1", "s-1", "o-1", "o-2", "c-1"), "p-1"),
    (VitalsRecorded, ("p-1", "s-1", "o-1"), "p-1"),
    (DiagnosisRecorded, ("p-1", "s-2", "o-2"), "p-1"),
    (MedicationPrescribed, ("p-1", "t-1", "s-2"), "p-1"),
    (MedicationAdministered, ("p-1", "t-2", "t-1"), "p-1"),
    (MedicationDiscontinued, ("p-1", "t-1"), "p-1"),
    (SurgeryRecorded, ("p-1", "s-3", "ph-1", "ph-2"), "p-1"),
    (SurgeryPhaseRecorded, ("p-1", "s-3", "ph-2"), "p-1"),
    (PhysicianAssigned, ("p-1", "u-1"), "p-1"),
    (PatientDischarged, ("p-1",), "p-1"),
    (BreakGlassUsed, ("a-1", "p-1", "u-6"), "p-1"),
    (PatientErased, ("p-1",), "erasures"),
    (PatientInvited, ("i-1", "p-1"), "p-1"),
    (PatientAccountCreated, ("u-7", "p-1", "i-1"), "p-1"),
    (ConsentChanged, ("p-1", "u-1"), "p-1"),
    (ErasureRequested, ("p-1",), "p-1"),
    (TwinRead, ("r-1", "p-1", "u-1"), "p-1"),
    (DiseaseHashGenerated, ("icd10|K35.80",), "knowledge"),
    (DiseasesImported,
     ("knowledge:icd10", "knowledge:icd10:ff8a93c82b067645cb358543a85a2094"), "knowledge"),
    (MedicationsImported,
     ("knowledge:ansm", "knowledge:ansm:a6cc97c82ea501eef92d75c0a2b281d0"), "knowledge"),
    (PatientImported, ("p-2",), "p-2"),
    (AdmissionImported, ("p-2", "s-4"), "p-2"),
    (DiagnosisImported, ("p-2", "s-5"), "p-2"),
    (SurgeryImported, ("p-2", "s-6", "ph-2"), "p-2"),
    (ObservationImported, ("p-2", "s-4", "o-3", "o-4"), "p-2"),
    (PrescriptionImported, ("p-2", "t-3", "s-5"), "p-2"),
    (AdministrationImported, ("p-2", "t-4", "t-3"), "p-2"),
    (ResourceImported, ("p-2", "r-1"), "p-2"),
    (SharedResourceImported, ("r-2",), "knowledge"),
    (SharedResourcesUsed, ("p-2", "l-1"), "p-2"),
]

APPENDED: dict[type, bytes] = {
    PatientImported: b',"resource":""',
    AdmissionImported: b',"resource":""',
    DiagnosisImported: b',"disease_display":"","resource":""',
    SurgeryImported: b',"resource":""',
    ObservationImported: b',"resource":""',
    PrescriptionImported: b',"medication_display":"","resource":""',
    AdministrationImported: b',"medication_display":"","resource":""',
}
"""Fields added since, at the end of an event and with a default: the bytes they add to the
encoding. A ledger written before them replays (`decode` gives the default)."""

SPARSE_SUBJECTS = [
    ("p-1", "s-1"),
    ("p-1", "s-1"),
    ("p-1", "t-1"),
    ("p-1", "t-1"),
    ("p-1", "s-3"),
    ("p-2", "t-3"),
    ("p-2", "t-4"),
    ("p-1", "t-2", ""),
]


def test_the_tables_hold_one_event_of_each_kind() -> None:
    kinds = [kind for kind, *_ in METADATA]
    assert [type(event) for event in EVENTS] == kinds
    assert len(set(kinds)) == len(kinds) == len(Event.__origin__.__args__)  # type: ignore[attr-defined]
    assert len(PAYLOADS) == len(EVENTS)


@pytest.mark.parametrize(("event", "payload", "metadata"),
                         list(zip(EVENTS, PAYLOADS, METADATA, strict=True)),
                         ids=[type(event).__name__ for event in EVENTS])
def test_event_encodes_to_the_bytes_earlier_ledgers_hold(
    event: Event, payload: bytes, metadata: tuple[type, tuple[str, ...], str]
) -> None:
    kind, subjects, key_subject = metadata
    assert encode(event) == payload[:-1] + APPENDED.get(kind, b"") + b"}"
    assert (event.kind, event.subjects, event.key_subject) == (
        type(event).__name__, subjects, key_subject)
    assert decode(payload) == event, "what earlier ledgers hold reads with the defaults"


@pytest.mark.parametrize(("event", "subjects"), list(zip(SPARSE, SPARSE_SUBJECTS, strict=True)))
def test_optional_ids_left_out_name_no_subject(event: Event, subjects: tuple[str, ...]) -> None:
    assert event.subjects == subjects
    assert decode(encode(event)) == event


@pytest.mark.parametrize("kind", [DiseasesImported, MedicationsImported])
def test_a_knowledge_batch_digests_its_rows_once_and_its_bytes_stay_the_same(
        kind: type) -> None:
    """A batch's digest is read by the import's check, the ledger and the recorder: it is
    computed once and kept, and kept out of the bytes the ledger stores."""
    [(event, payload)] = [(e, p) for e, p in zip(EVENTS, PAYLOADS, strict=True)
                          if isinstance(e, kind)]
    fresh = decode(payload)
    assert fresh.subjects is fresh.subjects
    assert encode(fresh) == payload and fresh == event
