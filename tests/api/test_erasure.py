"""Erasing a patient (GDPR art. 17) on a real `hdt serve`: nothing of them is left in any file
the server wrote, the ledger still verifies, the graph still audits clean, and no replay
brings them back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from starlette.testclient import TestClient

from api.app import create_app
from graph.neo4j_store import Neo4jStore
from ledger.verify import verify_ledger
from tests.api.conftest import Api, first_admin, make_settings
from tests.api.live import HDT, PASSWORD, LiveServer, start_ward
from tests.api.test_graph_audit import audit_now, resources_of
from tests.api.test_story import ADMIT, DIAGNOSE, PRESCRIBE, admit_new_patient

# Made-up words that occur nowhere else: any byte of them found means the patient survived.
DISTINCT = ["Quillonde", "Zarathrax", "Xylophage bite on the left ankle", "Vexolinamide",
            "Grumwald sign at the knee", "Zyntheticol", "MRN-QZ-77123", "+44 7700 900417",
            "quillonde.zx"]
ERASE = """
mutation($p: ID!, $r: String!) {
  erasePatient(patientId: $p, reason: $r) { patientId storeFilesRewritten anchor { seq } }
}"""
TWIN = "query($p: ID!) { twin(patientId: $p) { patient { givenName } } }"
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  __typename } }"""


def admit(server: LiveServer, token: str, given: str, family: str, complaint: str,
          **extra: Any) -> str:
    data = server.call(token, ADMIT, {"i": {
        "patient": {"givenName": given, "familyName": family, "birthDate": "1966-03-14",
                    "sex": "MALE", **extra.pop("patient", {})},
        "arrivalMode": "WALK_IN", "arrivedAt": "2026-11-20T08:05:00Z",
        "chiefComplaint": complaint, "triageLevel": 3, **extra}})
    return str(data["admitPatient"]["patientId"])


def found_in(directory: Path, words: list[str]) -> dict[str, list[str]]:
    """Every file under `directory` holding any of `words` (their UTF-8 bytes), by word."""
    hits: dict[str, list[str]] = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and not p.is_socket()):
        data = path.read_bytes()
        for word in words:
            if word.encode() in data:
                hits.setdefault(word, []).append(str(path.relative_to(directory)))
    return hits


def hdt(server: LiveServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HDT, *args], env={**server.env, "COLUMNS": "200"},
                          capture_output=True, text=True, timeout=300)


def graphql_error(server: LiveServer, token: str, query: str,
                  variables: dict[str, Any]) -> dict[str, Any]:
    body = httpx.post(f"{server.base}/graphql", json={"query": query, "variables": variables},
                      headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    assert body.get("errors"), body
    error: dict[str, Any] = body["errors"][0]
    return error


@pytest.fixture
def ward(data_dir: Path) -> Any:
    data_dir.mkdir(parents=True)
    server = start_ward(data_dir, log_path=data_dir / "server.log", log_level="INFO")
    yield server
    server.stop()


def test_an_erased_patient_is_in_no_file_and_comes_back_from_no_replay(
        ward: LiveServer, data_dir: Path) -> None:
    admin, doctor = ward.login("admin"), ward.login("dr.live")
    erased = admit(ward, doctor, DISTINCT[0], DISTINCT[1], DISTINCT[2],
                   allergies=[DISTINCT[3]], contactPhone=DISTINCT[7],
                   patient={"mrn": DISTINCT[6]})
    kept = admit(ward, doctor, "Keptina", "Remainder", "Sprained wrist after a fall")
    diagnosis = ward.call(doctor, DIAGNOSE, {"i": {
        "patientId": erased, "diagnosedAt": "2026-11-20T08:40:00Z",
        "diseases": [{"code": "S93.4"}], "findings": DISTINCT[4]}})["recordDiagnosis"]
    ward.call(doctor, PRESCRIBE, {"i": {
        "patientId": erased, "diagnosisId": diagnosis["id"],
        "medication": {"code": "999001", "name": DISTINCT[5]}, "dose": 10, "unit": "mg",
        "route": "ORAL", "frequency": "once", "prescribedAt": "2026-11-20T08:45:00Z"}})
    code = ward.call(admin, "mutation($p: ID!) { invitePatient(patientId: $p) { code } }",
                     {"p": erased})["invitePatient"]["code"]
    ward.call(None, "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) "
              "{ userId } }", {"i": {"code": code, "username": DISTINCT[8],
                                     "password": PASSWORD, "displayName": "Q. Z."}})
    own = ward.login(DISTINCT[8])
    assert ward.call(own, TWIN, {"p": erased})["twin"]["patient"]["givenName"] == DISTINCT[0]
    # The control: before the erasure the store's files do hold the patient (the ledger
    # holds ciphertext only), so the search below can find what is there.
    before = found_in(data_dir, DISTINCT)
    assert set(before) == set(DISTINCT), before

    unknown = graphql_error(ward, admin, TWIN, {"p": "00000000-0000-4000-8000-000000000000"})
    refused = graphql_error(ward, admin, ERASE, {"p": erased, "r": f"request of {DISTINCT[1]}"})
    assert refused["extensions"]["code"] == "BAD_USER_INPUT", refused
    done = ward.call(admin, ERASE, {"p": erased, "r": "GDPR art. 17 request, ticket 2026-118"})
    assert done["erasePatient"]["storeFilesRewritten"] is True

    # At once, not only after the clean stop (which rewrites the file anyway).
    assert found_in(data_dir, DISTINCT) == {}
    answer = graphql_error(ward, admin, TWIN, {"p": erased})
    assert answer["extensions"] == unknown["extensions"]
    assert answer["message"] == unknown["message"].replace(
        "00000000-0000-4000-8000-000000000000", erased)
    refused_login = ward.call(None, LOGIN, {"u": DISTINCT[8], "p": PASSWORD})["login"]
    assert refused_login["__typename"] == "InvalidCredentials"
    again = graphql_error(ward, admin, ERASE, {"p": erased, "r": "GDPR art. 17, a second time"})
    assert again["extensions"]["code"] == "NOT_FOUND"
    assert ward.call(admin, TWIN, {"p": kept})["twin"]["patient"]["givenName"] == "Keptina"

    ward.stop()
    assert found_in(data_dir, DISTINCT) == {}
    verified = hdt(ward, "ledger", "verify", str(data_dir / "ledger"))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    audited = hdt(ward, "audit")
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "OK: the graph is exactly what the ledger gives" in audited.stdout

    # A graph rebuilt from the ledger alone: the patient's entries no longer decrypt, the
    # erasure replays, and the twin stays unknown.
    shutil.rmtree(data_dir / "graph")
    ward.start()
    admin = ward.login("admin")
    assert graphql_error(ward, admin, TWIN, {"p": erased})["extensions"]["code"] == "NOT_FOUND"
    assert ward.call(admin, TWIN, {"p": kept})["twin"]["patient"]["givenName"] == "Keptina"
    ward.stop()
    assert found_in(data_dir, DISTINCT) == {}


def test_on_neo4j_the_erasure_holds_and_says_the_store_keeps_deleted_data(
        neo4j_local_uri: str, data_dir: Path) -> None:
    """Neo4j keeps deleted records in its transaction logs until pruned, which a Bolt session
    cannot force: the answer says so (`storeFilesRewritten: false`), and everything the
    server itself controls holds as on the embedded store."""
    async def clear() -> None:
        store = Neo4jStore(neo4j_local_uri)
        await store.open()
        try:
            await store.clear()
        finally:
            await store.close()

    anyio.run(clear)
    settings = make_settings(data_dir, graph_url=neo4j_local_uri)
    with TestClient(create_app(settings)) as client:
        admin = first_admin(client)
        doctor, _ = Api(client).staff(admin, "PHYSICIAN")
        erased = admit_new_patient(doctor)["patientId"]
        kept = admit_new_patient(doctor)["patientId"]
        done = admin.data(ERASE, {"p": erased, "r": "GDPR art. 17 request, ticket 2026-119"})
        assert done["erasePatient"]["storeFilesRewritten"] is False
        unknown = admin.error(TWIN, {"p": "00000000-0000-4000-8000-000000000000"})
        assert admin.error(TWIN, {"p": erased})["extensions"] == unknown["extensions"]
        assert admin.data(TWIN, {"p": kept})["twin"]["patient"]["givenName"] == "Robin"
        assert audit_now(client, data_dir).ok
        resources = resources_of(client)
        assert resources.ledger.is_erased(erased)
    assert verify_ledger(settings.ledger_dir).ok
