"""One patient from ambulance to discharge, each actor with their own token, every step anchored."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api

ADMIT = """
mutation($i: AdmitPatientInput!) {
  admitPatient(input: $i) { id patientId warnings anchor { seq entryHash treeSize rootHash } }
}"""
VITALS = """
mutation($i: RecordVitalsInput!) { recordVitals(input: $i) { id anchor { seq } } }"""
DIAGNOSE = """
mutation($i: RecordDiagnosisInput!) { recordDiagnosis(input: $i) { id anchor { seq } } }"""
PRESCRIBE = """
mutation($i: PrescribeMedicationInput!) {
  prescribeMedication(input: $i) { id anchor { seq } } }"""
ADMINISTER = """
mutation($i: AdministerMedicationInput!) {
  administerMedication(input: $i) { id anchor { seq } } }"""
SURGERY = """
mutation($i: RecordSurgeryInput!) { recordSurgery(input: $i) { id anchor { seq } } }"""
INTRA = """
mutation($s: ID!, $i: IntraOperativeInput!) {
  recordIntraOperative(surgeryId: $s, input: $i) { id anchor { seq } } }"""
POST = """
mutation($s: ID!, $i: PostOperativeInput!) {
  recordPostOperative(surgeryId: $s, input: $i) { id anchor { seq } } }"""
ASSIGN = """
mutation($p: ID!, $d: ID!) { assignPhysician(patientId: $p, physicianId: $d) { anchor { seq } } }"""
DISCHARGE = """
mutation($i: DischargeInput!) { dischargePatient(input: $i) { anchor { seq } } }"""
TWIN = """
query($p: ID!) {
  twin(patientId: $p) {
    patient { givenName status anchor { seq } }
    timeline {
      __typename id at anchor { seq entryHash }
      ... on Admission { triageLevel chiefComplaint crewId }
      ... on Diagnosis { diseases { code display } findings }
      ... on Surgery { procedureDisplay phases { phase asaClass startedAt endedAt recovery } }
    }
    vitals { code value unit at }
    medicationTransactions { kind medication { code name } dose }
    solutions { diagnosis { id } treatments { medication { name } } }
    careTeam { role displayName }
  }
}"""


def admit_new_patient(crew: Api, **changes: Any) -> dict[str, Any]:
    data = {
        "patient": {"givenName": "Robin", "familyName": "Synthetic", "birthDate": "1958-02-11",
                    "sex": "FEMALE"},
        "arrivalMode": "AMBULANCE",
        "arrivedAt": "2026-11-20T08:05:00Z",
        "chiefComplaint": "Crushing chest pain for 40 minutes",
        "triageLevel": 2,
        "allergies": ["penicillin"],
        "vitals": [
            {"sign": "HEART_RATE", "value": 118, "measuredAt": "2026-11-20T07:50:00Z"},
            {"sign": "SYSTOLIC_BLOOD_PRESSURE", "value": 92, "measuredAt": "2026-11-20T07:50:00Z"},
        ],
        "consciousness": {"level": "ALERT", "measuredAt": "2026-11-20T07:50:00Z"},
        **changes,
    }
    result: dict[str, Any] = crew.data(ADMIT, {"i": data})["admitPatient"]
    return result


def test_a_patient_from_ambulance_to_discharge(api: Api, admin: Api) -> None:
    crew, crew_id = api.staff(admin, "TRANSPORT")
    doctor, doctor_id = api.staff(admin, "PHYSICIAN")

    admitted = admit_new_patient(crew)
    patient_id = admitted["patientId"]
    seqs = [admitted["anchor"]["seq"]]
    assert len(admitted["anchor"]["entryHash"]) == 64
    assert admitted["anchor"]["treeSize"] == seqs[0] + 1

    seqs.append(crew.data(VITALS, {"i": {"patientId": patient_id, "vitals": [
        {"sign": "OXYGEN_SATURATION", "value": 93, "measuredAt": "2026-11-20T08:10:00Z"}]}}
    )["recordVitals"]["anchor"]["seq"])
    seqs.append(admin.data(ASSIGN, {"p": patient_id, "d": doctor_id})
                ["assignPhysician"]["anchor"]["seq"])
    diagnosis = doctor.data(DIAGNOSE, {"i": {
        "patientId": patient_id, "diagnosedAt": "2026-11-20T08:40:00Z",
        "diseases": [{"code": "I21.4"}], "symptoms": ["chest pain"],
        "findings": "ST depression V4-V6",
        "results": [{"code": "6598-7", "name": "Troponin T", "value": 0.41, "unit": "ng/mL",
                     "observedAt": "2026-11-20T08:30:00Z"}]}})["recordDiagnosis"]
    seqs.append(diagnosis["anchor"]["seq"])
    rx = doctor.data(PRESCRIBE, {"i": {
        "patientId": patient_id, "diagnosisId": diagnosis["id"],
        "medication": {"code": "1191", "name": "aspirin"}, "dose": 300, "unit": "mg",
        "route": "ORAL", "frequency": "once", "prescribedAt": "2026-11-20T08:45:00Z"}}
    )["prescribeMedication"]
    seqs.append(rx["anchor"]["seq"])
    seqs.append(doctor.data(ADMINISTER, {"i": {
        "prescriptionId": rx["id"], "dose": 300, "unit": "mg", "route": "ORAL",
        "administeredAt": "2026-11-20T08:50:00Z"}})["administerMedication"]["anchor"]["seq"])
    surgery = doctor.data(SURGERY, {"i": {
        "patientId": patient_id, "procedureCode": "232717009",
        "procedureDisplay": "Coronary artery bypass grafting",
        "scheduledAt": "2026-11-20T10:00:00Z",
        "preOperative": {"assessedAt": "2026-11-20T10:00:00Z", "asaClass": 3,
                         "consentSigned": True, "risk": "MODERATE"}}})["recordSurgery"]
    seqs.append(surgery["anchor"]["seq"])
    seqs.append(doctor.data(INTRA, {"s": surgery["id"], "i": {
        "startedAt": "2026-11-20T11:00:00Z", "endedAt": "2026-11-20T14:30:00Z",
        "anaesthesia": "general", "team": [doctor_id]}})["recordIntraOperative"]["anchor"]["seq"])
    seqs.append(doctor.data(POST, {"s": surgery["id"], "i": {
        "recordedAt": "2026-11-20T18:00:00Z", "recovery": "uneventful"}}
    )["recordPostOperative"]["anchor"]["seq"])
    seqs.append(doctor.data(DISCHARGE, {"i": {
        "patientId": patient_id, "dischargedAt": "2026-11-24T10:00:00Z",
        "disposition": "HOME"}})["dischargePatient"]["anchor"]["seq"])

    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)

    twin = doctor.data(TWIN, {"p": patient_id})["twin"]
    assert twin["patient"] == {"givenName": "Robin", "status": "DISCHARGED",
                               "anchor": {"seq": seqs[-1]}}
    assert [s["__typename"] for s in twin["timeline"]] == ["Admission", "Diagnosis", "Surgery"]
    admission, diagnosed, operated = twin["timeline"]
    assert admission["crewId"] == crew_id and admission["triageLevel"] == 2
    assert diagnosed["diseases"] == [{"code": "I21.4", "display":
                                      "Non-ST elevation (NSTEMI) myocardial infarction"}]
    assert [p["phase"] for p in operated["phases"]] == ["PRE_OPERATIVE", "INTRA_OPERATIVE",
                                                         "POST_OPERATIVE"]
    assert [(v["code"], v["value"]) for v in twin["vitals"]] == [
        ("80288-4", None), ("8480-6", 92.0), ("8867-4", 118.0), ("59408-5", 93.0)
    ], "oldest first, then by LOINC code"
    assert [t["kind"] for t in twin["medicationTransactions"]] == ["PRESCRIPTION",
                                                                  "ADMINISTRATION"]
    assert twin["solutions"] == [{"diagnosis": {"id": diagnosis["id"]},
                                  "treatments": [{"medication": {"name": "aspirin"}}]}]
    assert sorted(m["role"] for m in twin["careTeam"]) == ["PHYSICIAN", "TRANSPORT"]
