"""Bad clinical input over the real endpoint: a value GraphQL cannot parse is named by its
variable, and each mutation's refusal reaches the caller with its error code, its message and
the field it names, changing nothing stored.

The rules themselves (ranges, times in order, codes, free text, state) are the commands' and
are tested without HTTP in tests/api/twin/.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.conftest import Api, changes_recorded, first_admin
from tests.api.test_story import (
    ADMINISTER,
    ADMIT,
    ASSIGN,
    DIAGNOSE,
    DISCHARGE,
    INTRA,
    POST,
    PRESCRIBE,
    SURGERY,
    VITALS,
)

GOOD_ADMISSION: dict[str, Any] = {
    "patient": {"givenName": "Kai", "familyName": "Synthetic", "birthDate": "1990-05-05",
                "sex": "MALE"},
    "arrivalMode": "AMBULANCE", "arrivedAt": "2026-11-21T10:00:00Z",
    "chiefComplaint": "Fall from ladder", "triageLevel": 3,
}
DISCONTINUE = """
mutation($i: DiscontinueMedicationInput!) { discontinueMedication(input: $i) { id } }"""
CHECK = """
query($p: ID!, $c: String!) { interactionCheck(patientId: $p, medicationCode: $c) {
  warnings } }"""


@pytest.fixture(scope="module")
def ward(shared_client: TestClient) -> dict[str, Any]:
    """A doctor's patient with a scheduled surgery and a stopped prescription; a crew."""
    admin = first_admin(shared_client)
    doctor, _ = Api(shared_client).staff(admin, "PHYSICIAN")
    crew, _ = Api(shared_client).staff(admin, "TRANSPORT")
    admitted = doctor.data(ADMIT, {"i": GOOD_ADMISSION})["admitPatient"]
    surgery = doctor.data(SURGERY, {"i": {
        "patientId": admitted["patientId"], "procedureCode": "71388002",
        "procedureDisplay": "Procedure", "scheduledAt": "2026-11-21T12:00:00Z",
        "preOperative": {"assessedAt": "2026-11-21T12:00:00Z", "asaClass": 2,
                         "consentSigned": True, "risk": "LOW"}}})["recordSurgery"]
    prescription = doctor.data(PRESCRIBE, {"i": {
        "patientId": admitted["patientId"], "medication": {"code": "1191", "name": "aspirin"},
        "dose": 75, "unit": "mg", "route": "ORAL", "frequency": "daily",
        "prescribedAt": "2026-11-21T12:30:00Z"}})["prescribeMedication"]
    doctor.data(DISCONTINUE, {"i": {"prescriptionId": prescription["id"],
                                    "discontinuedAt": "2026-11-21T13:00:00Z",
                                    "reason": "course complete"}})
    return {"doctor": doctor, "crew": crew, "client": shared_client,
            "patient_id": admitted["patientId"], "surgery_id": surgery["id"],
            "prescription_id": prescription["id"]}


def _state(ward: dict[str, Any]) -> tuple[list[str], str]:
    """What must not change: the changes the ledger records (reading the twin is recorded
    too, as a read) and the twin as the doctor reads it."""
    twin = ward["doctor"].post("query($p: ID!) { twin(patientId: $p) { timeline { id }"
                               " vitals { id } medicationTransactions { id status } } }",
                               {"p": ward["patient_id"]})
    return changes_recorded(ward["client"].app.state.resources), str(twin)


def _admission(**changes: Any) -> dict[str, Any]:
    return {"i": {**GOOD_ADMISSION, **changes}}


def _patient(**changes: Any) -> dict[str, Any]:
    return _admission(patient={**GOOD_ADMISSION["patient"], **changes})


PARSING_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("a time that is not a time", _admission(arrivedAt="yest"),
     "Variable '$i' has invalid value at .arrivedAt: 'yest' is not an ISO-8601 date-time "
     "such as 2026-11-20T08:05:00Z"),
    ("a date that is not a date", _patient(birthDate="11/02/1958"),
     "Variable '$i' has invalid value at .patient.birthDate: '11/02/1958' is not an ISO-8601 "
     "date such as 1958-02-11"),
    ("a number for a time", _admission(arrivedAt=1700000000),
     "Variable '$i' has invalid value at .arrivedAt: 1700000000 is not an ISO-8601 date-time"),
    ("unknown vital sign", _admission(vitals=[
        {"sign": "MOOD", "value": 1, "measuredAt": "2026-11-21T09:50:00Z"}]),
     "Variable '$i' has invalid value at .vitals[0].sign: Value 'MOOD' does not exist"),
]


@pytest.mark.parametrize(("name", "variables", "message"), PARSING_CASES,
                         ids=[c[0] for c in PARSING_CASES])
def test_a_value_graphql_cannot_parse_is_named_by_its_variable(
        ward: dict[str, Any], name: str, variables: Any, message: str) -> None:
    before = ward["client"].app.state.resources.ledger.size
    error = ward["doctor"].error(ADMIT, variables)
    assert error["message"].startswith(message), error["message"]
    assert ward["client"].app.state.resources.ledger.size == before


def test_a_bad_time_written_in_the_document_gets_our_message(ward: dict[str, Any]) -> None:
    error = ward["doctor"].error(
        'mutation { recordVitals(input: {patientId: "p", vitals: [{sign: HEART_RATE, '
        'value: 80, measuredAt: "2026-13-45T99:00:00Z"}]}) { anchor { seq } } }')
    assert error["message"] == ("'2026-13-45T99:00:00Z' is not an ISO-8601 date-time such as "
                                "2026-11-20T08:05:00Z")
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}


UNKNOWN = "00000000-0000-0000-0000-00000000beef"

# One refusal per command, as its caller sees it: (mutation or query, caller, variables
# built from the ward, error code, the field named (for BAD_USER_INPUT), message start).
EDGE_CASES: list[tuple[str, str, str, Any, str, str | None, str]] = [
    ("admitPatient", ADMIT, "doctor", lambda w: _admission(triageLevel=7),
     "BAD_USER_INPUT", "triageLevel", "triageLevel: must be between 1 and 5, got 7"),
    ("recordVitals", VITALS, "doctor", lambda w: {"i": {"patientId": UNKNOWN, "vitals": [
        {"sign": "HEART_RATE", "value": 80, "measuredAt": "2026-11-21T13:00:00Z"}]}},
     "NOT_FOUND", None, f"no patient {UNKNOWN} or not in your care"),
    ("recordDiagnosis", DIAGNOSE, "doctor", lambda w: {"i": {
        "patientId": w["patient_id"], "diagnosedAt": "2026-11-21T14:00:00Z",
        "diseases": [{"code": "S72.0"}], "findings": "Bruised hip.\r\n\u202eNo fracture."}},
     "BAD_USER_INPUT", "findings", "findings: holds U+000D, a control"),
    ("assignPhysician", ASSIGN, "doctor", lambda w: {"p": w["patient_id"], "d": UNKNOWN},
     "NOT_FOUND", None, f"physicianId: no physician {UNKNOWN}"),
    ("recordSurgery", SURGERY, "doctor", lambda w: {"i": {
        "patientId": w["patient_id"], "procedureCode": "appendectomy",
        "procedureDisplay": "Appendectomy", "scheduledAt": "2026-11-21T14:00:00Z",
        "preOperative": {"assessedAt": "2026-11-21T14:00:00Z", "asaClass": 2,
                         "consentSigned": True, "risk": "LOW"}}},
     "BAD_USER_INPUT", "procedureCode", "procedureCode: 'appendectomy' is not a SNOMED CT code"),
    ("recordIntraOperative", INTRA, "doctor", lambda w: {"s": w["surgery_id"], "i": {
        "startedAt": "2026-11-21T14:00:00Z", "endedAt": "2026-11-21T13:00:00Z",
        "anaesthesia": "general"}},
     "BAD_USER_INPUT", "intraOperative.endedAt", "intraOperative.endedAt: is before the start"),
    ("recordPostOperative", POST, "doctor", lambda w: {"s": w["surgery_id"], "i": {
        "recordedAt": "2026-11-21T18:00:00Z", "recovery": "uneventful"}},
     "CONFLICT", None, "record the intra-operative phase first"),
    ("dischargePatient", DISCHARGE, "doctor", lambda w: {"i": {
        "patientId": w["patient_id"], "dischargedAt": "2026-11-21T11:00:00Z",
        "disposition": "HOME"}},
     "BAD_USER_INPUT", "dischargedAt", "dischargedAt: is before the previous step"),
    ("prescribeMedication", PRESCRIBE, "doctor", lambda w: {"i": {
        "patientId": w["patient_id"], "medication": {"code": "ASP", "name": "aspirin"},
        "dose": 5, "unit": "mg", "route": "ORAL", "frequency": "once",
        "prescribedAt": "2026-11-21T13:00:00Z"}},
     "BAD_USER_INPUT", "medication.code", "medication.code: 'ASP' is not a RxNorm code"),
    ("administerMedication", ADMINISTER, "doctor", lambda w: {"i": {
        "prescriptionId": w["prescription_id"], "dose": 75, "unit": "mg", "route": "ORAL",
        "administeredAt": "2026-11-21T14:00:00Z"}},
     "CONFLICT", None, "prescriptionId: the prescription was stopped at "
                       "2026-11-21T13:00:00.000Z; record a dose given after that"),
    ("discontinueMedication", DISCONTINUE, "crew", lambda w: {"i": {
        "prescriptionId": w["prescription_id"], "discontinuedAt": "2026-11-21T14:00:00Z",
        "reason": "course complete"}},
     "FORBIDDEN", None, "this operation is for PHYSICIAN"),
    ("interactionCheck", CHECK, "doctor", lambda w: {"p": w["patient_id"], "c": "aspirin"},
     "BAD_USER_INPUT", "medicationCode", "medicationCode: 'aspirin' is not a RxNorm code"),
]


@pytest.mark.parametrize(("name", "operation", "caller", "variables", "code", "field",
                          "message"), EDGE_CASES, ids=[c[0] for c in EDGE_CASES])
def test_each_commands_refusal_reaches_the_caller_with_its_code_and_field(
        ward: dict[str, Any], name: str, operation: str, caller: str, variables: Any,
        code: str, field: str | None, message: str) -> None:
    before = _state(ward)
    error = ward[caller].error(operation, variables(ward))
    assert error["message"].startswith(message), error["message"]
    expected = {"code": code} | ({"field": field} if field else {})
    assert error["extensions"] == expected
    assert error["path"] == [name]
    assert _state(ward) == before
