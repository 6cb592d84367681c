"""Bad clinical input gets a precise error naming its field, and changes nothing stored."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from api.twin.recorder import UnstorableEvent, encoded_nul
from graph.events import encode
from tests import synthetic
from tests.api.conftest import Api, first_admin
from tests.api.test_story import ADMIT, DIAGNOSE, INTRA, PRESCRIBE, SURGERY, VITALS

GOOD_ADMISSION: dict[str, Any] = {
    "patient": {"givenName": "Kai", "familyName": "Synthetic", "birthDate": "1990-05-05",
                "sex": "MALE"},
    "arrivalMode": "AMBULANCE", "arrivedAt": "2026-11-21T10:00:00Z",
    "chiefComplaint": "Fall from ladder", "triageLevel": 3,
}


@pytest.fixture(scope="module")
def ward(shared_client: TestClient) -> dict[str, Any]:
    admin = first_admin(shared_client)
    doctor, _ = Api(shared_client).staff(admin, "PHYSICIAN")
    admitted = doctor.data(ADMIT, {"i": GOOD_ADMISSION})["admitPatient"]
    surgery = doctor.data(SURGERY, {"i": {
        "patientId": admitted["patientId"], "procedureCode": "71388002",
        "procedureDisplay": "Procedure", "scheduledAt": "2026-11-21T12:00:00Z",
        "preOperative": {"assessedAt": "2026-11-21T12:00:00Z", "asaClass": 2,
                         "consentSigned": True, "risk": "LOW"}}})["recordSurgery"]
    return {"doctor": doctor, "client": shared_client, "patient_id": admitted["patientId"],
            "surgery_id": surgery["id"]}


def _state(ward: dict[str, Any]) -> tuple[int, str]:
    """What must not change: the ledger's size and the twin as the doctor reads it."""
    resources = ward["client"].app.state.resources
    twin = ward["doctor"].post("query($p: ID!) { twin(patientId: $p) { timeline { id }"
                               " vitals { id } medicationTransactions { id } } }",
                               {"p": ward["patient_id"]})
    return resources.ledger.size, str(twin)


def _admission(**changes: Any) -> dict[str, Any]:
    return {"i": {**GOOD_ADMISSION, **changes}}


def _patient(**changes: Any) -> dict[str, Any]:
    return _admission(patient={**GOOD_ADMISSION["patient"], **changes})


CASES: list[tuple[str, str, Any, str]] = [
    ("triage out of range", ADMIT, _admission(triageLevel=7),
     "triageLevel: must be between 1 and 5, got 7"),
    ("time without zone", ADMIT, _admission(arrivedAt="2026-11-21T10:00:00"),
     "arrivedAt: needs a time zone"),
    ("a time that is not a time", ADMIT, _admission(arrivedAt="yest"),
     "Variable '$i' has invalid value at .arrivedAt: 'yest' is not an ISO-8601 date-time "
     "such as 2026-11-20T08:05:00Z"),
    ("a date that is not a date", ADMIT, _patient(birthDate="11/02/1958"),
     "Variable '$i' has invalid value at .patient.birthDate: '11/02/1958' is not an ISO-8601 "
     "date such as 1958-02-11"),
    ("a number for a time", ADMIT, _admission(arrivedAt=1700000000),
     "Variable '$i' has invalid value at .arrivedAt: 1700000000 is not an ISO-8601 date-time"),
    ("arrival in the future", ADMIT, _admission(arrivedAt="2099-01-01T00:00:00Z"),
     "arrivedAt: is in the future"),
    ("born in the future", ADMIT, _patient(birthDate="2099-01-01"),
     "patient.birthDate: is in the future"),
    ("arrived before birth", ADMIT, _patient(birthDate="2026-11-22"),
     "arrivedAt: is before the patient's birth (2026-11-22)"),
    ("empty complaint", ADMIT, _admission(chiefComplaint="  "), "chiefComplaint: is required"),
    ("both old and new patient", ADMIT,
     _admission(patientId="00000000-0000-0000-0000-000000000000"),
     "patientId: give either patientId"),
    ("heart rate of 1200", ADMIT, _admission(vitals=[
        {"sign": "HEART_RATE", "value": 1200, "measuredAt": "2026-11-21T09:50:00Z"}]),
     "vitals[0].value: must be between 10 and 300 /min, got 1200"),
    ("unknown vital sign", ADMIT, _admission(vitals=[
        {"sign": "MOOD", "value": 1, "measuredAt": "2026-11-21T09:50:00Z"}]),
     "Variable '$i' has invalid value at .vitals[0].sign: Value 'MOOD' does not exist"),
    ("unknown crew", ADMIT, _admission(crewId="no-such-crew"),
     "crewId: no transport crew member no-such-crew"),
    ("bidi override in a name", ADMIT, _patient(givenName="Kai\u202enna"),
     "patient.givenName: holds U+202E (RIGHT-TO-LEFT OVERRIDE), a control, format or "
     "unassigned character, which no text accepts"),
    ("zero-width space in a complaint", ADMIT, _admission(chiefComplaint="Fall\u200bfrom"),
     "chiefComplaint: holds U+200B (ZERO WIDTH SPACE)"),
    ("zero-width joiner in a name", ADMIT, _patient(familyName="Syn\u200dthetic"),
     "patient.familyName: holds U+200D (ZERO WIDTH JOINER)"),
    ("terminal escape in a name", ADMIT, _patient(familyName="Syn\x1b[31mthetic"),
     "patient.familyName: holds U+001B, a control"),
    ("bell in a complaint", ADMIT, _admission(chiefComplaint="Fall\x07 from a ladder"),
     "chiefComplaint: holds U+0007, a control"),
    ("line break in a name", ADMIT, _patient(givenName="Kai\nBob"),
     "patient.givenName: holds U+000A, a line break or tab; this text is one line"),
    ("line separator in a complaint", ADMIT, _admission(chiefComplaint="Fall\u2028Ladder"),
     "chiefComplaint: holds U+2028 (LINE SEPARATOR)"),
    ("private use character in an allergy", ADMIT, _admission(allergies=["pea\ue000nuts"]),
     "allergies[0]: holds U+E000, a control"),
    ("unassigned code point in a phone", ADMIT, _admission(contactPhone="555\U000e0080"),
     "contactPhone: holds U+E0080, a control"),
]


PATIENT_CASES: list[tuple[str, str, Any, str]] = [
    ("not an ICD-10 code", DIAGNOSE, lambda p: {"i": {
        "patientId": p, "diagnosedAt": "2026-11-21T13:00:00Z", "diseases": [{"code": "XYZ"}]}},
     "diseases[0].code: 'XYZ' is not an ICD-10-CM code"),
    ("an ICD-10 chapter is not a diagnosis", DIAGNOSE, lambda p: {"i": {
        "patientId": p, "diagnosedAt": "2026-11-21T13:00:00Z", "diseases": [{"code": "9"}]}},
     "diseases[0].code: '9' is not an ICD-10-CM code"),
    ("diagnosis before the last stage", DIAGNOSE, lambda p: {"i": {
        "patientId": p, "diagnosedAt": "2026-11-21T11:00:00Z", "diseases": [{"code": "S72.0"}]}},
     "diagnosedAt: is before the previous step"),
    ("no disease", DIAGNOSE, lambda p: {"i": {
        "patientId": p, "diagnosedAt": "2026-11-21T13:00:00Z", "diseases": []}},
     "diseases: give between 1 and 20"),
    ("LOINC code malformed", DIAGNOSE, lambda p: {"i": {
        "patientId": p, "diagnosedAt": "2026-11-21T13:00:00Z", "diseases": [{"code": "S72.0"}],
        "results": [{"code": "troponin", "name": "T", "value": 1,
                     "observedAt": "2026-11-21T12:30:00Z"}]}},
     "results[0].code: 'troponin' is not a LOINC code"),
    ("no vitals given", VITALS, lambda p: {"i": {"patientId": p, "vitals": []}},
     "vitals: give at least one measurement"),
    ("negative dose", PRESCRIBE, lambda p: {"i": {
        "patientId": p, "medication": {"code": "1191", "name": "aspirin"}, "dose": -5,
        "unit": "mg", "route": "ORAL", "frequency": "once",
        "prescribedAt": "2026-11-21T13:00:00Z"}},
     "dose: must be between"),
    ("RxNorm code with letters", PRESCRIBE, lambda p: {"i": {
        "patientId": p, "medication": {"code": "ASP", "name": "aspirin"}, "dose": 5,
        "unit": "mg", "route": "ORAL", "frequency": "once",
        "prescribedAt": "2026-11-21T13:00:00Z"}},
     "medication.code: 'ASP' is not a RxNorm code"),
    ("unknown diagnosis for the prescription", PRESCRIBE, lambda p: {"i": {
        "patientId": p, "medication": {"code": "1191", "name": "aspirin"}, "dose": 5,
        "unit": "mg", "route": "ORAL", "frequency": "once", "diagnosisId": "nope",
        "prescribedAt": "2026-11-21T13:00:00Z"}},
     "diagnosisId: no diagnosis nope for this patient"),
    ("unknown patient", VITALS, lambda p: {"i": {
        "patientId": "00000000-0000-0000-0000-00000000beef",
        "vitals": [{"sign": "HEART_RATE", "value": 80, "measuredAt": "2026-11-21T13:00:00Z"}]}},
     "no patient 00000000-0000-0000-0000-00000000beef or not in your care"),
]


@pytest.mark.parametrize(("name", "mutation", "variables", "message"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_admissions(ward: dict[str, Any], name: str, mutation: str, variables: Any,
                        message: str) -> None:
    before = ward["client"].app.state.resources.ledger.size
    error = ward["doctor"].error(mutation, variables)
    assert error["message"].startswith(message), error["message"]
    assert ward["client"].app.state.resources.ledger.size == before


@pytest.mark.parametrize(("name", "mutation", "make", "message"), PATIENT_CASES,
                         ids=[c[0] for c in PATIENT_CASES])
def test_bad_records_for_a_patient(ward: dict[str, Any], name: str, mutation: str, make: Any,
                                   message: str) -> None:
    before = _state(ward)
    error = ward["doctor"].error(mutation, make(ward["patient_id"]))
    assert error["message"].startswith(message), error["message"]
    assert _state(ward) == before


def test_a_bad_time_written_in_the_document_gets_our_message(ward: dict[str, Any]) -> None:
    error = ward["doctor"].error(
        'mutation { recordVitals(input: {patientId: "p", vitals: [{sign: HEART_RATE, '
        'value: 80, measuredAt: "2026-13-45T99:00:00Z"}]}) { anchor { seq } } }')
    assert error["message"] == ("'2026-13-45T99:00:00Z' is not an ISO-8601 date-time such as "
                                "2026-11-20T08:05:00Z")
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}


def test_free_text_is_stored_nfc_and_multi_line_texts_keep_their_lines(
    ward: dict[str, Any],
) -> None:
    """The rule of README "Free text": one stored form per text, line breaks where a
    text is more than one line."""
    doctor = ward["doctor"]
    decomposed = "Ame\u0301lie"  # e + combining acute: looks like, and is, "Amélie"
    patient_id = doctor.data(ADMIT, _patient(givenName=decomposed))["admitPatient"]["patientId"]
    doctor.data(DIAGNOSE, {"i": {
        "patientId": patient_id, "diagnosedAt": "2026-11-21T13:00:00Z",
        "diseases": [{"code": "S72.0"}], "findings": "Bruised hip.\n\tNo fracture seen."}})
    twin = doctor.data("query($p: ID!) { twin(patientId: $p) { patient { givenName } "
                       "timeline { ... on Diagnosis { findings } } } }", {"p": patient_id})
    assert twin["twin"]["patient"]["givenName"] == "Am\u00e9lie"
    assert {"findings": "Bruised hip.\n\tNo fracture seen."} in twin["twin"]["timeline"]
    error = doctor.error(DIAGNOSE, {"i": {
        "patientId": patient_id, "diagnosedAt": "2026-11-21T14:00:00Z",
        "diseases": [{"code": "S72.0"}], "findings": "Bruised hip.\r\n\u202eNo fracture."}})
    assert error["message"].startswith("findings: holds U+000D, a control")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "findings"}


def test_a_display_name_follows_the_free_text_rule(ward: dict[str, Any]) -> None:
    error = Api(ward["client"]).error(
        "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }", {"i": {
            "username": "dr.bidi", "password": "a long synthetic passphrase",
            "displayName": "Dr \u202eeviL", "role": "TRANSPORT", "company": "Metro"}})
    assert error["message"].startswith("displayName: holds U+202E (RIGHT-TO-LEFT OVERRIDE)")


def test_surgery_phases_must_be_in_time_order(ward: dict[str, Any]) -> None:
    before = _state(ward)
    error = ward["doctor"].error(INTRA, {"s": ward["surgery_id"], "i": {
        "startedAt": "2026-11-21T14:00:00Z", "endedAt": "2026-11-21T13:00:00Z",
        "anaesthesia": "general"}})
    assert error["message"].startswith("intraOperative.endedAt: is before the start")
    error = ward["doctor"].error(INTRA, {"s": ward["surgery_id"], "i": {
        "startedAt": "2026-11-21T11:00:00Z", "endedAt": "2026-11-21T13:00:00Z",
        "anaesthesia": "general"}})
    assert error["message"].startswith(
        "intraOperative.startedAt: is before the pre-operative assessment")
    assert _state(ward) == before


def test_a_nul_that_slips_past_the_api_is_refused_before_the_ledger(ward: dict[str, Any]) -> None:
    """The last line of defence: an event the graph would refuse never reaches the ledger,
    which would otherwise hold an entry that the twin never shows."""
    client = ward["client"]
    before = _state(ward)
    event = replace(synthetic.admission(ward["patient_id"], by=synthetic.new_id()),
                    chief_complaint="Chest pain\x00")
    with pytest.raises(UnstorableEvent, match="PatientAdmitted: a text holds a NUL character"):
        client.portal.call(client.app.state.resources.recorder.record, event, "test")
    assert _state(ward) == before


@given(st.text(alphabet="\x00\\u0a") | st.text())
def test_a_nul_is_found_in_any_text_however_it_is_escaped(text: str) -> None:
    event = replace(synthetic.admission("p", by="d"), chief_complaint=text)
    assert encoded_nul(encode(event)) == ("\x00" in text)
