"""Twin analytics over the real endpoint: NEWS2 from the latest vitals of the current stay,
the length of stay per stage, and disease explorations within what the caller may read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.testclient import TestClient

from tests.api.conftest import Api
from tests.api.test_story import (
    DIAGNOSE,
    DISCHARGE,
    SURGERY,
    TWIN,
    VITALS,
    admit_new_patient,
)

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
