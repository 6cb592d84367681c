"""The access matrix: role x operation x relationship to the patient, over the real endpoint.

A caller who may not read a patient learns nothing about them: the answer is the one a
patient that does not exist gets, and lists, filters and counts leave them out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from tests.api.conftest import STAFF_PASSWORD, Api, first_admin
from tests.api.test_story import DIAGNOSE, VITALS, admit_new_patient

TWIN = "query($p: ID!) { twin(patientId: $p) { patient { id } } }"
PATIENTS = "{ patients(first: 50) { totalCount edges { node { id } } } }"
TRANSACTIONS = """query($p: ID!) { medicationTransactions(filter: {patientId: $p}) {
  totalCount edges { node { id } } } }"""
RECORDS = "{ patientRecords(first: 50) { totalCount edges { node { patient { id } } } } }"


@dataclass
class Ward:
    """One patient, brought in by `crew`, cared for by `doctor`; others at a distance."""

    patient_id: str
    mrn: str
    callers: dict[str, Api]


@pytest.fixture(scope="module")
def ward(shared_client: TestClient) -> Ward:
    admin = first_admin(shared_client)
    api = Api(shared_client)
    crew, _ = api.staff(admin, "TRANSPORT")
    other_crew, _ = api.staff(admin, "TRANSPORT")
    doctor, _ = api.staff(admin, "PHYSICIAN")
    stranger, _ = api.staff(admin, "PHYSICIAN")
    glass, _ = api.staff(admin, "PHYSICIAN")
    mrn = f"ACC-{uuid.uuid4().hex[:8].upper()}"
    patient_id = admit_new_patient(crew, patient={
        "givenName": "Robin", "familyName": "Synthetic", "birthDate": "1958-02-11",
        "sex": "FEMALE", "mrn": mrn})["patientId"]
    doctor_id = doctor.data("{ me { id } }")["me"]["id"]
    admin.data("mutation($p: ID!, $d: ID!) { assignPhysician(patientId: $p, physicianId: $d)"
               " { anchor { seq } } }", {"p": patient_id, "d": doctor_id})
    doctor.data("""mutation($i: PrescribeMedicationInput!) { prescribeMedication(input: $i)
      { id } }""", {"i": {"patientId": patient_id, "medication": {"code": "1191",
                                                                 "name": "aspirin"},
                        "dose": 75, "unit": "mg", "route": "ORAL", "frequency": "daily",
                        "prescribedAt": "2026-11-20T09:00:00Z"}})
    glass.data("mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r)"
               " { anchor { seq } } }",
               {"p": patient_id, "r": "Unresponsive in corridor, no carer reachable"})
    admin.data("mutation($i: AuditorInput!) { createAuditor(input: $i) { user { id } } }",
               {"i": {"username": "auditor", "password": STAFF_PASSWORD,
                      "displayName": "Auditor"}})
    auditor = api.login("auditor", STAFF_PASSWORD)
    return Ward(patient_id, mrn, {
        "admin": admin, "doctor": doctor, "stranger": stranger, "glass": glass,
        "crew": crew, "other_crew": other_crew, "auditor": auditor, "anonymous": api,
    })


# caller: (reads the twin, sees it in lists, error code when refused)
MATRIX = {
    "admin": (True, None),
    "doctor": (True, None),
    "glass": (True, None),
    "crew": (True, None),
    "stranger": (False, "NOT_FOUND"),
    "other_crew": (False, "NOT_FOUND"),
    "auditor": (False, "FORBIDDEN"),
    "anonymous": (False, "UNAUTHENTICATED"),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_reading_a_twin(ward: Ward, who: str) -> None:
    reads, code = MATRIX[who]
    caller = ward.callers[who]
    body = caller.post(TWIN, {"p": ward.patient_id})
    if reads:
        assert body["data"]["twin"]["patient"]["id"] == ward.patient_id
    else:
        assert body["errors"][0]["extensions"]["code"] == code
        assert "Robin" not in str(body)


@pytest.mark.parametrize("who", list(MATRIX))
def test_lists_filters_and_counts_show_only_readable_patients(ward: Ward, who: str) -> None:
    reads, code = MATRIX[who]
    caller = ward.callers[who]
    queries = [(PATIENTS, {}), (RECORDS, {}), (TRANSACTIONS, {"p": ward.patient_id})]
    for query, variables in queries:
        body = caller.post(query, variables)
        if code in ("FORBIDDEN", "UNAUTHENTICATED"):
            assert body["errors"][0]["extensions"]["code"] == code
            continue
        [page] = body["data"].values()
        assert (page["totalCount"] > 0) is reads
        assert (len(page["edges"]) > 0) is reads


SEARCH = """query($s: String!) { patients(first: 50, filter: {search: $s}) {
  totalCount edges { node { id mrn } } } }"""


@pytest.mark.parametrize("who", list(MATRIX))
def test_searching_by_name_or_mrn_finds_only_readable_patients(ward: Ward, who: str) -> None:
    reads, code = MATRIX[who]
    caller = ward.callers[who]
    for words in (ward.mrn, ward.mrn[:7].lower(), "robin synthetic", "  SYNTHETIC   Robin ",
                  "nthet"):
        body = caller.post(SEARCH, {"s": words})
        if code in ("FORBIDDEN", "UNAUTHENTICATED"):
            assert body["errors"][0]["extensions"]["code"] == code
            continue
        page = body["data"]["patients"]
        ids = [edge["node"]["id"] for edge in page["edges"]]
        assert (ward.patient_id in ids) is reads, words
        assert page["totalCount"] == len(ids)


def test_a_search_matches_the_start_of_an_mrn_and_nothing_else(ward: Ward) -> None:
    admin = ward.callers["admin"]
    by_mrn = admin.data(SEARCH, {"s": ward.mrn})["patients"]
    assert [e["node"]["mrn"] for e in by_mrn["edges"]] == [ward.mrn]
    assert admin.data(SEARCH, {"s": ward.mrn[4:]})["patients"]["totalCount"] == 0
    assert admin.data(SEARCH, {"s": "nobody by this name"})["patients"]["totalCount"] == 0
    error = admin.error(SEARCH, {"s": "x" * 101})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "filter.search"}


def test_unknown_and_hidden_patients_get_the_same_answer(ward: Ward) -> None:
    stranger = ward.callers["stranger"]
    hidden = stranger.error(TWIN, {"p": ward.patient_id})
    unknown = stranger.error(TWIN, {"p": "00000000-0000-0000-0000-000000000000"})
    assert hidden["message"].replace(ward.patient_id, "ID") == \
        unknown["message"].replace("00000000-0000-0000-0000-000000000000", "ID")


@pytest.mark.parametrize("who,allowed", [
    ("doctor", True), ("crew", True), ("stranger", False), ("other_crew", False),
    ("auditor", False), ("admin", False),
])
def test_recording_vitals(ward: Ward, who: str, allowed: bool) -> None:
    body = ward.callers[who].post(VITALS, {"i": {"patientId": ward.patient_id, "vitals": [
        {"sign": "HEART_RATE", "value": 90, "measuredAt": "2026-11-20T09:30:00Z"}]}})
    assert ("errors" not in body) is allowed, body


@pytest.mark.parametrize("who,allowed", [
    ("doctor", True), ("glass", True), ("crew", False), ("stranger", False), ("admin", False),
])
def test_recording_a_diagnosis(ward: Ward, who: str, allowed: bool) -> None:
    body = ward.callers[who].post(DIAGNOSE, {"i": {
        "patientId": ward.patient_id, "diagnosedAt": "2026-11-20T10:00:00Z",
        "diseases": [{"code": "R07.9"}]}})
    assert ("errors" not in body) is allowed, body


def test_break_glass_needs_a_reason(ward: Ward) -> None:
    error = ward.callers["stranger"].error(
        "mutation($p: ID!) { breakGlass(patientId: $p, reason: \"urgent\") { id } }",
        {"p": ward.patient_id})
    assert error["message"] == "reason: state the emergency in at least 10 characters"
    assert ward.callers["stranger"].error(TWIN, {"p": ward.patient_id})["extensions"][
        "code"] == "NOT_FOUND"


CHECK = """query($p: ID!) { interactionCheck(patientId: $p, medicationCode: "1191") {
  warnings } }"""


@pytest.mark.parametrize("who,code", [
    ("doctor", None), ("glass", None), ("crew", "FORBIDDEN"), ("stranger", "NOT_FOUND"),
    ("admin", "FORBIDDEN"), ("auditor", "FORBIDDEN"), ("anonymous", "UNAUTHENTICATED"),
])
def test_checking_interactions_before_prescribing(ward: Ward, who: str,
                                                  code: str | None) -> None:
    body = ward.callers[who].post(CHECK, {"p": ward.patient_id})
    if code is None:
        assert "errors" not in body, body
    else:
        assert body["errors"][0]["extensions"]["code"] == code
