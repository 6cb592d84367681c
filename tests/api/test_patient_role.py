"""The PATIENT role at the real GraphQL endpoint: an administrator's one-time invitation, the
patient's own account, and a patient who reads their own twin and finds nothing else."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.resources import Resources
from graph.patient_events import PatientInvited
from tests.api.conftest import Api
from tests.api.test_story import admit_new_patient

INVITE = """mutation($p: ID!) { invitePatient(patientId: $p) {
  patientId code expiresAt anchor { seq } } }"""
REGISTER = """mutation($i: RegisterPatientInput!) { registerPatient(input: $i) {
  userId username patientId anchor { seq } } }"""
PASSWORD = "a patient's own long passphrase"
NOBODY = "00000000-0000-4000-8000-000000000000"


def register(api: Api, code: str, username: str) -> dict[str, Any]:
    return api.post(REGISTER, {"i": {"code": code, "username": username, "password": PASSWORD,
                                     "displayName": "Synthetic Patient"}})


def ward(api: Api, admin: Api) -> tuple[Api, str, str]:
    """A physician with two patients; the first one gets an account. Its caller, and the
    ids of their own patient and of the other one."""
    doctor, _ = api.staff(admin, "PHYSICIAN")
    mine = admit_new_patient(doctor)["patientId"]
    other = admit_new_patient(doctor, patient={"givenName": "Other", "familyName": "Person",
                                               "birthDate": "1970-01-01", "sex": "MALE"}
                              )["patientId"]
    code = admin.data(INVITE, {"p": mine})["invitePatient"]["code"]
    made = register(api, code, "robin.patient")
    assert not made.get("errors"), made
    assert made["data"]["registerPatient"]["patientId"] == mine
    return api.login("robin.patient", PASSWORD), mine, other


def same_as_unknown(caller: Api, query: str, name: str, hidden: str) -> None:
    unknown = caller.error(query, {name: NOBODY})
    answer = caller.error(query, {name: hidden})
    assert answer["extensions"] == unknown["extensions"]
    assert answer["message"] == unknown["message"].replace(NOBODY, hidden)


TWIN = "query($p: ID!) { twin(patientId: $p) { patient { id givenName } } }"
EXPORT = "query($p: ID!) { exportPatient(patientId: $p) }"
TRANSACTIONS = """query($p: ID!) { medicationTransactions(filter: {patientId: $p}) {
  edges { node { id } } } }"""


def test_a_patient_reads_their_own_twin_and_nothing_else(api: Api, admin: Api) -> None:
    patient, mine, other = ward(api, admin)
    assert patient.data(TWIN, {"p": mine})["twin"]["patient"] == {"id": mine,
                                                                   "givenName": "Robin"}
    assert patient.data("{ me { role } }")["me"]["role"] == "PATIENT"
    for query in (TWIN, EXPORT):
        same_as_unknown(patient, query, "p", other)
    listed = patient.data("{ patients(first: 50) { edges { node { id } } } }")["patients"]
    assert [e["node"]["id"] for e in listed["edges"]] == [mine]
    hidden = patient.data(TRANSACTIONS, {"p": other})["medicationTransactions"]["edges"]
    assert hidden == patient.data(TRANSACTIONS, {"p": NOBODY})["medicationTransactions"]["edges"]


@pytest.mark.parametrize(("operation", "variables"), [
    ("mutation($p: ID!) { breakGlass(patientId: $p, reason: \"I want to see it now\") "
     "{ id } }", {"p": "other"}),
    ("mutation($p: ID!) { invitePatient(patientId: $p) { code } }", {"p": "mine"}),
    ("mutation($p: ID!) { erasePatient(patientId: $p, reason: \"my own request, art. 17\") "
     "{ patientId } }", {"p": "mine"}),
    ("mutation($i: RecordVitalsInput!) { recordVitals(input: $i) { id } }",
     {"i": {"patientId": "mine", "vitals": [{"sign": "HEART_RATE", "value": 60,
                                             "measuredAt": "2026-11-20T09:00:00Z"}]}}),
    ("{ ledgerEntries(first: 1) { seq } }", {}),
    ("{ physicians(first: 1) { edges { node { id } } } }", {}),
    ("{ breakGlassAccesses(first: 1) { edges { node { id } } } }", {}),
])
def test_a_patient_may_not_act_as_staff(api: Api, admin: Api, operation: str,
                                        variables: dict[str, Any]) -> None:
    patient, mine, other = ward(api, admin)
    ids = {"mine": mine, "other": other}

    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return ids.get(value, value) if isinstance(value, str) else value

    assert patient.error(operation, fill(variables))["extensions"]["code"] == "FORBIDDEN"


def test_an_invitation_works_once_and_only_an_admin_makes_one(api: Api, admin: Api) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    patient_id = admit_new_patient(doctor)["patientId"]
    assert doctor.error(INVITE, {"p": patient_id})["extensions"]["code"] == "FORBIDDEN"
    same_as_unknown(admin, INVITE, "p", str(uuid.uuid4()))  # an unknown id: NOT_FOUND
    code = admin.data(INVITE, {"p": patient_id})["invitePatient"]["code"]
    assert not register(api, code.lower().replace("-", " "), "first.user").get("errors")
    used = register(api, code, "second.user")["errors"][0]
    made_up = register(api, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "third.user")["errors"][0]
    assert used["extensions"]["code"] == "BAD_USER_INPUT"
    assert used == made_up


def test_an_expired_invitation_is_refused_like_an_unknown_one(
        client: TestClient, api: Api, admin: Api) -> None:
    from api.auth.invitations import code_hash, new_code

    doctor, _ = api.staff(admin, "PHYSICIAN")
    patient_id = admit_new_patient(doctor)["patientId"]
    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    code = new_code()
    expired = PatientInvited(invitation_id=str(uuid.uuid4()), patient_id=patient_id,
                             code_hash=code_hash(code), invited_by="test",
                             at="2026-01-01T00:00:00.000Z",
                             expires_at="2026-01-04T00:00:00.000Z")
    assert client.portal is not None
    client.portal.call(resources.recorder.record, expired, "test")
    refused = register(api, code, "late.user")["errors"][0]
    assert refused == register(api, new_code(), "late.user")["errors"][0]


def test_the_code_is_anchored_but_stored_nowhere(
        client: TestClient, api: Api, admin: Api, data_dir: Path) -> None:
    doctor, _ = api.staff(admin, "PHYSICIAN")
    patient_id = admit_new_patient(doctor)["patientId"]
    invitation = admin.data(INVITE, {"p": patient_id})["invitePatient"]
    [entry] = admin.data("""query($s: Int!) { ledgerEntries(from: $s, first: 1) {
        seq action subjects keySubject } }""", {"s": invitation["anchor"]["seq"]}
    )["ledgerEntries"]
    assert entry["action"] == "PatientInvited" and entry["keySubject"] == patient_id
    assert patient_id in entry["subjects"]
    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    assert client.portal is not None
    client.portal.call(resources.store.forget_deleted)  # flush the store's files now
    code = invitation["code"].encode()
    bare = code.replace(b"-", b"")
    files = [p for p in data_dir.rglob("*") if p.is_file() and not p.is_socket()]
    assert files
    assert [p for p in files if code in p.read_bytes() or bare in p.read_bytes()] == []
