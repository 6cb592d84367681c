"""The bytes of every event kind, fixed: ledgers written by earlier versions must replay.

The expected payloads, subjects and key subjects were computed from the events as they were
declared before they shared a base class; any change to a field's name, order or default, or
to how an event names its subjects, shows up here as a difference.
"""

from __future__ import annotations

import pytest

from graph.event_values import DiseaseRef, MedicationRef, ObservationData, SurgeryPhaseData
from graph.events import (
    AdministrationImported,
    AdmissionImported,
    BreakGlassUsed,
    DiagnosisImported,
    DiagnosisRecorded,
    DiseaseHashGenerated,
    DiseasesImported,
    Event,
    MedicationAdministered,
    MedicationDiscontinued,
    MedicationPrescribed,
    MedicationsImported,
    ObservationImported,
    PatientAdmitted,
    PatientDischarged,
    PatientImported,
    PhysicianAssigned,
    PrescriptionImported,
    SurgeryImported,
    SurgeryPhaseRecorded,
    SurgeryRecorded,
    UserRegistered,
    UserStatusChanged,
    VitalsRecorded,
    decode,
    encode,
)
from graph.fhir_events import ImportedObservation
from graph.knowledge_events import DiseaseRow, InteractionRow, MedicationRow

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


ENCODED = [  # (kind, payload, subjects, key_subject), in the order of EVENTS
    (UserRegistered,
     b'{"kind":"UserRegistered","user_id":"u-1","username":"dr.lee","password_hash":"$argon2i'
     b'd$x","role":"PHYSICIAN","status":"ACTIVE","display_name":"Dr Lee","at":"2026-03-01T08:'
     b'00:00Z","specialty":"surgery","licence_number":"L-9","company":"St Mary"}',
     ("u-1",), "u-1"),
    (UserStatusChanged,
     b'{"kind":"UserStatusChanged","user_id":"u-1","status":"SUSPENDED","at":"2026-03-01T08:0'
     b'0:00Z"}',
     ("u-1",), "u-1"),
    (PatientAdmitted,
     b'{"kind":"PatientAdmitted","patient_id":"p-1","stage_id":"s-1","at":"2026-03-01T08:00:0'
     b'0Z","admitted_by":"u-1","given_name":"Ann","family_name":"Test","birth_date":"1970-01-'
     b'02","sex":"female","arrival_mode":"AMBULANCE","chief_complaint":"abdominal pain","tria'
     b'ge_level":2,"crew_id":"c-1","mrn":"MRN-1","allergies":["penicillin"],"current_medicati'
     b'ons":["aspirin"],"contact_phone":"+100","insurance":"none","observations":[{"id":"o-1"'
     b',"code":"8867-4","name":"Heart rate","at":"2026-03-01T08:00:00Z","value":88.0,"unit":"'
     b'/min","text":"regular"},{"id":"o-2","code":"59408-5","name":"SpO2","at":"2026-03-01T08'
     b':00:00Z","value":97.0,"unit":"%","text":null}]}',
     ("p-1", "s-1", "o-1", "o-2", "c-1"), "p-1"),
    (VitalsRecorded,
     b'{"kind":"VitalsRecorded","patient_id":"p-1","stage_id":"s-1","recorded_by":"u-1","obse'
     b'rvations":[{"id":"o-1","code":"8867-4","name":"Heart rate","at":"2026-03-01T08:00:00Z"'
     b',"value":88.0,"unit":"/min","text":"regular"}]}',
     ("p-1", "s-1", "o-1"), "p-1"),
    (DiagnosisRecorded,
     b'{"kind":"DiagnosisRecorded","patient_id":"p-1","stage_id":"s-2","physician_id":"u-1","'
     b'at":"2026-03-01T08:00:00Z","diseases":[{"system":"icd10","code":"K35.80","display":"Ac'
     b'ute appendicitis"}],"symptoms":["fever"],"findings":"tender RLQ","observations":[{"id"'
     b':"o-2","code":"59408-5","name":"SpO2","at":"2026-03-01T08:00:00Z","value":97.0,"unit":'
     b'"%","text":null}]}',
     ("p-1", "s-2", "o-2"), "p-1"),
    (MedicationPrescribed,
     b'{"kind":"MedicationPrescribed","patient_id":"p-1","transaction_id":"t-1","physician_id'
     b'":"u-1","medication":{"system":"rxnorm","code":"723","name":"Amoxicillin"},"dose":500.'
     b'0,"unit":"mg","route":"oral","frequency":"q8h","at":"2026-03-01T08:00:00Z","diagnosis_'
     b'id":"s-2","warnings":["check renal"]}',
     ("p-1", "t-1", "s-2"), "p-1"),
    (MedicationAdministered,
     b'{"kind":"MedicationAdministered","patient_id":"p-1","transaction_id":"t-2","prescripti'
     b'on_id":"t-1","administered_by":"u-4","dose":500.0,"unit":"mg","route":"oral","at":"202'
     b'6-03-01T08:00:00Z"}',
     ("p-1", "t-2", "t-1"), "p-1"),
    (MedicationDiscontinued,
     b'{"kind":"MedicationDiscontinued","patient_id":"p-1","prescription_id":"t-1","discontin'
     b'ued_by":"u-1","at":"2026-03-01T08:00:00Z","reason":"course complete"}',
     ("p-1", "t-1"), "p-1"),
    (SurgeryRecorded,
     b'{"kind":"SurgeryRecorded","patient_id":"p-1","stage_id":"s-3","physician_id":"u-1","at'
     b'":"2026-03-01T08:00:00Z","procedure_code":"0DTJ4ZZ","procedure_display":"Appendectomy"'
     b',"phases":[{"id":"ph-1","phase":"PRE_OPERATIVE","at":"2026-03-01T08:00:00Z","asa_class'
     b'":2,"consent_signed":true,"risk":"low","procedure_code":null,"procedure_display":null,'
     b'"anaesthesia":null,"started_at":null,"ended_at":null,"team":[],"complications":[],"rec'
     b'overy":null,"disposition":null,"notes":null},{"id":"ph-2","phase":"INTRA_OPERATIVE","a'
     b't":"2026-03-01T08:00:00Z","asa_class":null,"consent_signed":null,"risk":null,"procedur'
     b'e_code":"0DTJ4ZZ","procedure_display":"Appendectomy","anaesthesia":"general","started_'
     b'at":"2026-03-01T08:00:00Z","ended_at":"2026-03-01T08:00:00Z","team":["u-2","u-3"],"com'
     b'plications":["none"],"recovery":null,"disposition":null,"notes":"uneventful"}]}',
     ("p-1", "s-3", "ph-1", "ph-2"), "p-1"),
    (SurgeryPhaseRecorded,
     b'{"kind":"SurgeryPhaseRecorded","patient_id":"p-1","stage_id":"s-3","recorded_by":"u-1"'
     b',"phase":{"id":"ph-2","phase":"INTRA_OPERATIVE","at":"2026-03-01T08:00:00Z","asa_class'
     b'":null,"consent_signed":null,"risk":null,"procedure_code":"0DTJ4ZZ","procedure_display'
     b'":"Appendectomy","anaesthesia":"general","started_at":"2026-03-01T08:00:00Z","ended_at'
     b'":"2026-03-01T08:00:00Z","team":["u-2","u-3"],"complications":["none"],"recovery":null'
     b',"disposition":null,"notes":"uneventful"}}',
     ("p-1", "s-3", "ph-2"), "p-1"),
    (PhysicianAssigned,
     b'{"kind":"PhysicianAssigned","patient_id":"p-1","physician_id":"u-1","assigned_by":"u-5'
     b'","at":"2026-03-01T08:00:00Z"}',
     ("p-1", "u-1"), "p-1"),
    (PatientDischarged,
     b'{"kind":"PatientDischarged","patient_id":"p-1","discharged_by":"u-1","at":"2026-03-01T'
     b'08:00:00Z","disposition":"HOME","summary":"recovered"}',
     ("p-1",), "p-1"),
    (BreakGlassUsed,
     b'{"kind":"BreakGlassUsed","access_id":"a-1","patient_id":"p-1","user_id":"u-6","reason"'
     b':"unconscious","at":"2026-03-01T08:00:00Z","expires_at":"2026-03-01T09:00:00Z"}',
     ("a-1", "p-1", "u-6"), "p-1"),
    (DiseaseHashGenerated,
     b'{"kind":"DiseaseHashGenerated","disease_key":"icd10|K35.80","record_hash":"ab12","gene'
     b'rated_by":"u-1","at":"2026-03-01T08:00:00Z","system":"icd10","code":"K35.80","display"'
     b':"Acute appendicitis","parent_code":"K35.8"}',
     ("icd10|K35.80",), "knowledge"),
    (DiseasesImported,
     b'{"kind":"DiseasesImported","source":"icd10","batch":3,"rows":[{"system":"icd10","code"'
     b':"K35","display":"Appendicitis","parent":null},{"system":"icd10","code":"K35.8","displ'
     b'ay":"Other","parent":"K35"}],"imported_by":"u-1","at":"2026-03-01T08:00:00Z"}',
     ("knowledge:icd10", "knowledge:icd10:ff8a93c82b067645cb358543a85a2094"), "knowledge"),
    (MedicationsImported,
     b'{"kind":"MedicationsImported","source":"ansm","batch":1,"medications":[{"system":"rxno'
     b'rm","code":"723","name":"Amoxicillin","treats":["icd10|K35"]}],"interactions":[{"first'
     b'":"rxnorm|723","second":"rxnorm|11289","severity":"major","description":"bleeding"}],"'
     b'imported_by":"u-1","at":"2026-03-01T08:00:00Z"}',
     ("knowledge:ansm", "knowledge:ansm:a6cc97c82ea501eef92d75c0a2b281d0"), "knowledge"),
    (PatientImported,
     b'{"kind":"PatientImported","patient_id":"p-2","fhir_id":"f-p","imported_by":"u-1","give'
     b'n_name":"Bo","family_name":"Test","birth_date":"1980-05-06","sex":"male","admitted_at"'
     b':"2026-03-01T08:00:00Z","discharged_at":"2026-03-01T08:00:00Z","mrn":"MRN-2","contact_'
     b'phone":"+200","deceased_at":"2026-03-01T08:00:00Z"}',
     ("p-2",), "p-2"),
    (AdmissionImported,
     b'{"kind":"AdmissionImported","patient_id":"p-2","stage_id":"s-4","fhir_id":"f-e","impor'
     b'ted_by":"u-1","at":"2026-03-01T08:00:00Z","encounter_class":"EMER","encounter_status":'
     b'"finished","arrival_mode":"WALK_IN","chief_complaint":"cough","triage_level":4,"ended_'
     b'at":"2026-03-01T08:00:00Z","types":["http://snomed.info/sct|50849002|Emergency"],"reas'
     b'on_codings":["http://snomed.info/sct|49727002|Cough"]}',
     ("p-2", "s-4"), "p-2"),
    (DiagnosisImported,
     b'{"kind":"DiagnosisImported","patient_id":"p-2","stage_id":"s-5","fhir_id":"f-c","impor'
     b'ted_by":"u-1","at":"2026-03-01T08:00:00Z","disease":{"system":"http://snomed.info/sct"'
     b',"code":"49727002","display":"Cough"},"other_codings":["icd10|R05|Cough"],"symptoms":['
     b'"cough"],"findings":"dry","clinical_status":"resolved","verification_status":"confirme'
     b'd","category":"encounter-diagnosis","onset_at":"2026-03-01T08:00:00Z","abated_at":"202'
     b'6-03-01T08:00:00Z","encounter_id":"s-4"}',
     ("p-2", "s-5"), "p-2"),
    (SurgeryImported,
     b'{"kind":"SurgeryImported","patient_id":"p-2","stage_id":"s-6","fhir_id":"f-pr","import'
     b'ed_by":"u-1","at":"2026-03-01T08:00:00Z","procedure_system":"http://snomed.info/sct","'
     b'procedure_code":"80146002","procedure_display":"Appendectomy","procedure_status":"comp'
     b'leted","other_codings":["icd10pcs|0DTJ4ZZ|Resection"],"encounter_id":"s-4","reasons":['
     b'"s-5"],"phases":[{"id":"ph-2","phase":"INTRA_OPERATIVE","at":"2026-03-01T08:00:00Z","a'
     b'sa_class":null,"consent_signed":null,"risk":null,"procedure_code":"0DTJ4ZZ","procedure'
     b'_display":"Appendectomy","anaesthesia":"general","started_at":"2026-03-01T08:00:00Z","'
     b'ended_at":"2026-03-01T08:00:00Z","team":["u-2","u-3"],"complications":["none"],"recove'
     b'ry":null,"disposition":null,"notes":"uneventful"}]}',
     ("p-2", "s-6", "ph-2"), "p-2"),
    (ObservationImported,
     b'{"kind":"ObservationImported","patient_id":"p-2","stage_id":"s-4","imported_by":"u-1",'
     b'"observations":[{"id":"o-3","code":"85354-9","name":"Blood pressure","at":"2026-03-01T'
     b'08:00:00Z","system":"http://loinc.org","status":"final","value":null,"unit":null,"unit'
     b'_system":null,"unit_code":null,"text":null,"value_system":null,"value_code":null,"cate'
     b'gory":"vital-signs","other_codings":[],"fhir_id":"f-o","panel_id":null,"component_inde'
     b'x":null},{"id":"o-4","code":"8480-6","name":"Systolic","at":"2026-03-01T08:00:00Z","sy'
     b'stem":"http://loinc.org","status":"final","value":120.0,"unit":"mm[Hg]","unit_system":'
     b'"http://unitsofmeasure.org","unit_code":"mm[Hg]","text":"normal","value_system":"sys",'
     b'"value_code":"N","category":null,"other_codings":["x|y|z"],"fhir_id":null,"panel_id":"'
     b'o-3","component_index":0}]}',
     ("p-2", "s-4", "o-3", "o-4"), "p-2"),
    (PrescriptionImported,
     b'{"kind":"PrescriptionImported","patient_id":"p-2","transaction_id":"t-3","fhir_id":"f-'
     b'mr","imported_by":"u-1","at":"2026-03-01T08:00:00Z","medication":{"system":"rxnorm","c'
     b'ode":"723","name":"Amoxicillin"},"status":"active","intent":"order","other_codings":["'
     b'a|b|c"],"dose":250.0,"unit":"mg","route":"oral","frequency":"q12h","diagnosis_id":"s-5'
     b'","encounter_id":"s-4"}',
     ("p-2", "t-3", "s-5"), "p-2"),
    (AdministrationImported,
     b'{"kind":"AdministrationImported","patient_id":"p-2","transaction_id":"t-4","fhir_id":"'
     b'f-ma","imported_by":"u-1","at":"2026-03-01T08:00:00Z","medication":{"system":"rxnorm",'
     b'"code":"723","name":"Amoxicillin"},"status":"completed","other_codings":["a|b|c"],"dos'
     b'e":250.0,"unit":"mg","route":"oral","prescription_id":"t-3","encounter_id":"s-4"}',
     ("p-2", "t-4", "t-3"), "p-2"),
]

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


def test_the_table_holds_one_event_of_each_kind() -> None:
    kinds = [kind for kind, *_ in ENCODED]
    assert [type(event) for event in EVENTS] == kinds
    assert len(set(kinds)) == len(kinds) == len(Event.__origin__.__args__)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("event", "expected"), list(zip(EVENTS, ENCODED, strict=True)),
                         ids=[type(event).__name__ for event in EVENTS])
def test_event_encodes_to_the_bytes_earlier_ledgers_hold(
    event: Event, expected: tuple[type, bytes, tuple[str, ...], str]
) -> None:
    _, payload, subjects, key_subject = expected
    assert encode(event) == payload
    assert (event.kind, event.subjects, event.key_subject) == (
        type(event).__name__, subjects, key_subject)
    assert decode(payload) == event


@pytest.mark.parametrize(("event", "subjects"), list(zip(SPARSE, SPARSE_SUBJECTS, strict=True)))
def test_optional_ids_left_out_name_no_subject(event: Event, subjects: tuple[str, ...]) -> None:
    assert event.subjects == subjects
    assert decode(encode(event)) == event
