"""Twin analytics over the real endpoint: NEWS2 from the latest vitals of the current stay,
the length of stay per stage, and disease explorations within what the caller may read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.testclient import TestClient

from api.resources import Resources
from graph.knowledge_events import DiseaseRow, DiseasesImported
from tests.api.conftest import STAFF_PASSWORD, Api
from tests.api.test_story import (
    DIAGNOSE,
    DISCHARGE,
    PRESCRIBE,
    SURGERY,
    TWIN,
    VITALS,
    admit_new_patient,
)

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"

NEWS2 = """
query($p: ID!, $scale: Int! = 1) {
  twin(patientId: $p) {
    news2(spo2Scale: $scale) {
      spo2Scale total complete missing riskBand trigger monitoring response
      components { parameter points observation { value text unit at } }
    }
  }
}"""
STAY = """
query($p: ID!) {
  twin(patientId: $p) {
    stayHours
    lengthOfStay { stage { __typename id } startedAt endedAt hours }
  }
}"""
ADMIT_AGAIN = """
mutation($i: AdmitPatientInput!) { admitPatient(input: $i) { id } }"""


def _vitals(doctor: Api, patient_id: str, at: str, **signs: float) -> None:
    doctor.data(VITALS, {"i": {"patientId": patient_id, "vitals": [
        {"sign": sign, "value": value, "measuredAt": at} for sign, value in signs.items()]}})


def _news2(doctor: Api, patient_id: str, scale: int = 1) -> dict[str, Any]:
    score: dict[str, Any] = doctor.data(NEWS2, {"p": patient_id, "scale": scale})["twin"]["news2"]
    return score


def _points(score: dict[str, Any]) -> dict[str, int | None]:
    return {c["parameter"]: c["points"] for c in score["components"]}


def test_news2_scores_the_latest_vitals_and_says_when_it_is_incomplete(
    api: Api, admin: Api,
) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    patient_id = admit_new_patient(doctor)["patientId"]  # pickup: HR 118, SBP 92, alert

    pickup = _news2(doctor, patient_id)
    assert _points(pickup) == {
        "RESPIRATION_RATE": None, "OXYGEN_SATURATION": None, "AIR_OR_OXYGEN": None,
        "SYSTOLIC_BLOOD_PRESSURE": 2, "PULSE": 2, "CONSCIOUSNESS": 0, "TEMPERATURE": None}
    assert (pickup["total"], pickup["complete"], pickup["riskBand"]) == (4, False, "LOW")
    assert pickup["missing"] == ["RESPIRATION_RATE", "OXYGEN_SATURATION", "AIR_OR_OXYGEN",
                                 "TEMPERATURE"]

    _vitals(doctor, patient_id, "2026-11-20T08:20:00Z", RESPIRATORY_RATE=24,
            OXYGEN_SATURATION=93, INHALED_OXYGEN_FLOW=2, BODY_TEMPERATURE=38.4, HEART_RATE=95)
    _vitals(doctor, patient_id, "2026-11-20T08:10:00Z", HEART_RATE=135)  # older: not used
    ward = _news2(doctor, patient_id)
    assert _points(ward) == {
        "RESPIRATION_RATE": 2, "OXYGEN_SATURATION": 2, "AIR_OR_OXYGEN": 2,
        "SYSTOLIC_BLOOD_PRESSURE": 2, "PULSE": 1, "CONSCIOUSNESS": 0, "TEMPERATURE": 1}
    assert (ward["total"], ward["complete"], ward["missing"]) == (10, True, [])
    assert (ward["riskBand"], ward["trigger"]) == ("HIGH", "7 or more")
    assert ward["monitoring"] == "Continuous monitoring of vital signs"
    assert "critical care competencies" in ward["response"]
    pulse = next(c for c in ward["components"] if c["parameter"] == "PULSE")
    assert pulse["observation"] == {"value": 95.0, "text": None, "unit": "/min",
                                    "at": "2026-11-20T08:20:00.000Z"}

    hypercapnic = _news2(doctor, patient_id, scale=2)
    assert hypercapnic["spo2Scale"] == 2 and _points(hypercapnic)["OXYGEN_SATURATION"] == 1
    assert hypercapnic["total"] == 9

    error = doctor.error(NEWS2, {"p": patient_id, "scale": 3})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "spo2Scale"}


TREND = """
query($p: ID!, $scale: Int! = 1) {
  twin(patientId: $p) {
    news2(spo2Scale: $scale) { total complete riskBand }
    news2Trend(spo2Scale: $scale) { at total complete riskBand }
  }
}"""


def test_the_news2_trend_scores_each_moment_as_news2_scored_it_then(
    api: Api, admin: Api,
) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    patient_id = admit_new_patient(doctor)["patientId"]  # 07:50: HR 118, SBP 92, alert
    _vitals(doctor, patient_id, "2026-11-20T08:20:00Z", RESPIRATORY_RATE=24,
            OXYGEN_SATURATION=93, INHALED_OXYGEN_FLOW=2, BODY_TEMPERATURE=38.4, HEART_RATE=95)
    _vitals(doctor, patient_id, "2026-11-20T08:10:00Z", HEART_RATE=135)  # recorded late
    doctor.data(VITALS, {"i": {"patientId": patient_id, "vitals": [
        {"sign": "BLOOD_GLUCOSE", "value": 110, "measuredAt": "2026-11-20T08:30:00Z"}]}})

    twin = doctor.data(TREND, {"p": patient_id})["twin"]
    trend = [(p["at"], p["total"], p["complete"], p["riskBand"]) for p in twin["news2Trend"]]
    assert trend == [
        # pickup: pulse 2 + systolic 2 + alert 0, four parameters not measured yet
        ("2026-11-20T07:50:00.000Z", 4, False, "LOW"),
        # a pulse of 135 scores 3: a red score in a single parameter
        ("2026-11-20T08:10:00.000Z", 5, False, "MEDIUM"),
        ("2026-11-20T08:20:00.000Z", 10, True, "HIGH"),
        # the glucose at 08:30 is no NEWS2 parameter: no new point
    ]
    now = twin["news2"]
    assert trend[-1][1:] == (now["total"], now["complete"], now["riskBand"])
    assert doctor.data(TREND, {"p": patient_id, "scale": 2})["twin"]["news2Trend"][-1][
        "total"] == 9
    error = doctor.error(TREND, {"p": patient_id, "scale": 3})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "spo2Scale"}


def test_a_new_stay_is_scored_from_its_own_vitals_only(api: Api, admin: Api) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    patient_id = admit_new_patient(doctor)["patientId"]
    _vitals(doctor, patient_id, "2026-11-20T08:20:00Z", RESPIRATORY_RATE=26)
    doctor.data(DISCHARGE, {"i": {"patientId": patient_id, "dischargedAt": "2026-11-21T10:00:00Z",
                                  "disposition": "HOME"}})
    doctor.data(ADMIT_AGAIN, {"i": {
        "patientId": patient_id, "arrivalMode": "WALK_IN", "arrivedAt": "2026-11-23T09:00:00Z",
        "chiefComplaint": "Fever", "triageLevel": 3,
        "vitals": [{"sign": "BODY_TEMPERATURE", "value": 39.4,
                    "measuredAt": "2026-11-23T09:05:00Z"}]}})
    again = _news2(doctor, patient_id)
    assert {k: v for k, v in _points(again).items() if v is not None} == {"TEMPERATURE": 2}
    assert again["total"] == 2 and len(again["missing"]) == 6


def _hours(start: str, end: datetime) -> float:
    return (end - datetime.fromisoformat(start)).total_seconds() / 3600


def test_length_of_stay_per_stage_until_discharge(api: Api, admin: Api) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    patient_id = admit_new_patient(doctor)["patientId"]  # arrived 2026-11-20T08:05
    admitted = doctor.data(STAY, {"p": patient_id})["twin"]
    [only] = admitted["lengthOfStay"]
    assert only["stage"]["__typename"] == "Admission" and only["endedAt"] is None
    before = datetime.now(UTC)
    assert abs(only["hours"] - _hours("2026-11-20T08:05:00+00:00", before)) < 0.05, \
        "an open stage counts to now"

    doctor.data(DIAGNOSE, {"i": {"patientId": patient_id, "diagnosedAt": "2026-11-20T08:40:00Z",
                                 "diseases": [{"code": "I21.4"}]}})
    doctor.data(SURGERY, {"i": {
        "patientId": patient_id, "procedureCode": "232717009", "procedureDisplay": "CABG",
        "scheduledAt": "2026-11-20T10:00:00Z",
        "preOperative": {"assessedAt": "2026-11-20T10:00:00Z", "asaClass": 3,
                         "consentSigned": True, "risk": "MODERATE"}}})
    doctor.data(DISCHARGE, {"i": {"patientId": patient_id, "dischargedAt": "2026-11-24T10:00:00Z",
                                  "disposition": "HOME"}})
    twin = doctor.data(STAY, {"p": patient_id})["twin"]
    assert [(s["stage"]["__typename"], s["startedAt"], s["endedAt"], s["hours"])
            for s in twin["lengthOfStay"]] == [
        ("Admission", "2026-11-20T08:05:00.000Z", "2026-11-20T08:40:00.000Z", 0.58),
        ("Diagnosis", "2026-11-20T08:40:00.000Z", "2026-11-20T10:00:00.000Z", 1.33),
        ("Surgery", "2026-11-20T10:00:00.000Z", "2026-11-24T10:00:00.000Z", 96.0),
    ]
    assert twin["stayHours"] == 97.92


def test_a_readmission_starts_a_new_stay(api: Api, admin: Api) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    patient_id = admit_new_patient(doctor)["patientId"]
    doctor.data(DISCHARGE, {"i": {"patientId": patient_id, "dischargedAt": "2026-11-21T08:05:00Z",
                                  "disposition": "HOME"}})
    doctor.data(ADMIT_AGAIN, {"i": {
        "patientId": patient_id, "arrivalMode": "WALK_IN", "arrivedAt": "2026-11-25T06:00:00Z",
        "chiefComplaint": "Fever", "triageLevel": 3}})
    twin = doctor.data(STAY, {"p": patient_id})["twin"]
    [stay] = twin["lengthOfStay"]
    assert stay["startedAt"] == "2026-11-25T06:00:00.000Z" and stay["endedAt"] is None
    assert abs(twin["stayHours"] - _hours("2026-11-25T06:00:00+00:00", datetime.now(UTC))) < 0.05


def test_analytics_add_no_store_call_to_a_twin(client: TestClient, admin: Api) -> None:
    doctor, _ = Api(client).staff(admin, "PHYSICIAN")
    store = client.app.state.resources.store  # type: ignore[attr-defined]
    patient_id = admit_new_patient(doctor)["patientId"]
    everything = TWIN.replace("careTeam { role displayName }",
                              "careTeam { role displayName } stayHours "
                              "lengthOfStay { hours } news2 { total components { points } }")

    def calls(query: str) -> int:
        start = store.statements_run
        doctor.data(query, {"p": patient_id})
        return int(store.statements_run - start)

    assert calls(everything) == calls(TWIN)


HIERARCHY = """
query($c: String!, $first: Int! = 50) {
  disease(code: $c) { ancestors { code display } descendants(first: $first) { code } }
}"""
PATH = """
query($a: String!, $b: String!, $max: Int! = 8) {
  diseasePath(from: $a, to: $b, maxLength: $max) { code }
}"""
PRESCRIBED = """
query($c: String!) {
  disease(code: $c) {
    medicationsPrescribed { medication { code name } patients prescriptions }
    coOccurring {
      disease { code } patients
      medicationsPrescribed(first: 1) { medication { code } patients prescriptions }
    }
  }
}"""


def _import(client: TestClient, *rows: tuple[str, str, str | None]) -> None:
    """Record a batch of the ICD-10-CM tree as `hdt import icd10` does."""
    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    assert client.portal is not None
    client.portal.call(resources.recorder.record, DiseasesImported(
        source="icd10cm", batch=0, imported_by="test", at="2026-11-22T07:00:00.000Z",
        rows=tuple(DiseaseRow(ICD10, code, display, parent) for code, display, parent in rows)),
        "test")


def _codes(found: list[dict[str, Any]] | None) -> list[str] | None:
    return None if found is None else [d["code"] for d in found]


def test_ancestors_and_descendants_before_and_after_the_graph_knows_more(
    api: Api, admin: Api, client: TestClient,
) -> None:
    crew, _ = api.staff(admin, "TRANSPORT")
    stemi = crew.data(HIERARCHY, {"c": "I21.01"})["disease"]
    assert stemi["ancestors"] == [
        {"code": "I21.0", "display": "ST elevation (STEMI) myocardial infarction of anterior wall"},
        {"code": "I21", "display": "Acute myocardial infarction"},
        {"code": "I20-I25", "display": "Ischemic heart diseases (I20-I25)"},
        {"code": "9", "display": "Diseases of the circulatory system (I00-I99)"},
    ], "nearest first, from the code system while the tree is not imported"
    assert stemi["descendants"] == []
    infarction = crew.data(HIERARCHY, {"c": "I21", "first": 3})["disease"]
    assert _codes(infarction["descendants"]) == ["I21.0", "I21.1", "I21.2"]
    chapter = crew.data(HIERARCHY, {"c": "9", "first": 100})["disease"]
    assert len(chapter["descendants"]) == 100 and chapter["descendants"][0]["code"] == "I00-I02"

    _import(client, ("I25", "Chronic ischemic heart disease", None),
            ("I21.4", "Non-ST elevation (NSTEMI) myocardial infarction", "I25"))
    nstemi = crew.data(HIERARCHY, {"c": "I21.4"})["disease"]
    assert _codes(nstemi["ancestors"]) == ["I21", "I25", "I20-I25", "9"], \
        "a second parent in the graph joins the code system's"
    assert _codes(crew.data(HIERARCHY, {"c": "I25", "first": 2})["disease"]["descendants"]) \
        == ["I21.4", "I25.1"]

    for first in (0, 101):
        error = crew.error(HIERARCHY, {"c": "I21", "first": first})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


def test_the_shortest_path_between_two_diseases(api: Api, admin: Api, client: TestClient) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")

    def path(a: str, b: str, max_length: int = 8) -> list[str] | None:
        return _codes(doctor.data(PATH, {"a": a, "b": b, "max": max_length})["diseasePath"])

    assert path("i214", "I25.10") == ["I21.4", "I21", "I20-I25", "I25", "I25.1", "I25.10"]
    assert path("I25.10", "I21.4") == ["I25.10", "I25.1", "I25", "I20-I25", "I21", "I21.4"]
    assert path("I21.4", "I21.4") == ["I21.4"]
    assert path("I21.4", "I25.10", 4) is None, "five links is more than four"
    assert path("I21.4", "E11.9") is None, "no common ancestor: different chapters"

    _import(client, ("I25", "Chronic ischemic heart disease", None),
            ("I25.1", "Atherosclerotic heart disease of native coronary artery", "I25"),
            ("I25.10", "ASHD without angina pectoris", "I25.1"),
            ("I21.4", "Non-ST elevation (NSTEMI) myocardial infarction", "I25"))
    assert path("I21.4", "I25.10", 4) == ["I21.4", "I25", "I25.1", "I25.10"], \
        "the graph's shorter route wins"

    assert doctor.error(PATH, {"a": "XYZ.9", "b": "I21.4"})["extensions"]["code"] == "NOT_FOUND"
    assert doctor.error(PATH, {"a": "I21.4", "b": "I21", "max": 17})["extensions"] == {
        "code": "BAD_USER_INPUT", "field": "maxLength"}


def _treated(doctor: Api, codes: list[str], drugs: list[tuple[str, str]]) -> str:
    """A new patient in the doctor's care, diagnosed with `codes` and prescribed `drugs`."""
    patient_id = str(admit_new_patient(doctor)["patientId"])
    diagnosis = doctor.data(DIAGNOSE, {"i": {
        "patientId": patient_id, "diagnosedAt": "2026-11-20T09:00:00Z",
        "diseases": [{"code": c} for c in codes]}})["recordDiagnosis"]
    for code, name in drugs:
        doctor.data(PRESCRIBE, {"i": {
            "patientId": patient_id, "diagnosisId": diagnosis["id"],
            "medication": {"code": code, "name": name}, "dose": 1, "unit": "tablet",
            "route": "ORAL", "frequency": "daily", "prescribedAt": "2026-11-20T09:30:00Z"}})
    return patient_id


ASPIRIN, CLOPIDOGREL, METFORMIN = ("1191", "aspirin"), ("32968", "clopidogrel"), \
    ("6809", "metformin")


def test_medications_prescribed_count_only_the_patients_the_caller_may_read(
    api: Api, admin: Api, client: TestClient,
) -> None:
    cardiology, _ = api.staff(admin, "PHYSICIAN")
    pulmonology, _ = api.staff(admin, "PHYSICIAN")
    _treated(cardiology, ["I21.4", "E11.9"], [ASPIRIN, METFORMIN])
    _treated(cardiology, ["I21.4"], [ASPIRIN, CLOPIDOGREL])
    _treated(pulmonology, ["I21.4", "J18.9"], [CLOPIDOGREL, CLOPIDOGREL])

    def prescribed(caller: Api) -> dict[str, Any]:
        answer: dict[str, Any] = caller.data(PRESCRIBED, {"c": "I21.4"})["disease"]
        return answer

    mine = prescribed(cardiology)
    assert [(m["medication"]["name"], m["patients"], m["prescriptions"])
            for m in mine["medicationsPrescribed"]] == [
        ("aspirin", 2, 2), ("clopidogrel", 1, 1), ("metformin", 1, 1)]
    assert mine["coOccurring"] == [{"disease": {"code": "E11.9"}, "patients": 1,
                                    "medicationsPrescribed": [{"medication": {"code": "1191"},
                                                               "patients": 1,
                                                               "prescriptions": 1}]}]

    everything = prescribed(admin)
    assert [(m["medication"]["name"], m["patients"], m["prescriptions"])
            for m in everything["medicationsPrescribed"]] == [
        ("clopidogrel", 2, 3), ("aspirin", 2, 2), ("metformin", 1, 1)], \
        "most patients first, then most prescriptions"
    assert [(c["disease"]["code"], c["medicationsPrescribed"][0]["medication"]["code"])
            for c in everything["coOccurring"]] == [("E11.9", "1191"), ("J18.9", "32968")]

    admin.data("mutation($i: AuditorInput!) { createAuditor(input: $i) { user { id } } }",
               {"i": {"username": "auditor.two", "password": STAFF_PASSWORD,
                      "displayName": "Synthetic Auditor"}})
    auditor = api.login("auditor.two", STAFF_PASSWORD)
    body = auditor.post("query { disease(code: \"I21.4\") { code medicationsPrescribed "
                        "{ patients } } }")
    assert body["data"]["disease"] == {"code": "I21.4", "medicationsPrescribed": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    store = client.app.state.resources.store  # type: ignore[attr-defined]

    def calls(query: str) -> int:
        start = store.statements_run
        admin.data(query, {"c": "I21.4"})
        return int(store.statements_run - start)

    one = PRESCRIBED.replace("coOccurring {", "coOccurring(first: 1) {")
    assert calls(PRESCRIBED) == calls(one), \
        "one call for all the diseases' prescriptions, not one per co-occurring disease"
