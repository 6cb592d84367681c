"""The twin as FHIR, read-only: the routes under /fhir, their access matrix (the same tokens
and rules as GraphQL), and that they serve the export's resources, paged."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.capabilitystatement import CapabilityStatement
from fhirclient.models.operationoutcome import OperationOutcome
from starlette.testclient import TestClient

from api.app import create_app
from api.knowledge import fhir_import
from api.knowledge import fhir_values as fv
from tests.api.conftest import STAFF_PASSWORD, Api, first_admin, make_settings
from tests.api.test_identity import _token

FIXTURE = Path(__file__).parents[1] / "fixtures" / "fhir" / "Dyan_Gutmann_029e734f.json"
EXPORT = "query($p: ID!) { exportPatient(patientId: $p) }"
Json = dict[str, object]


@dataclass
class Ward:
    client: TestClient
    fhir_id: str
    twin_id: str
    callers: dict[str, str | None]
    """Caller name -> the bearer token they send (None: no Authorization header)."""


@pytest.fixture(scope="module")
def ward(short_tmp: Path) -> Iterator[Ward]:
    """One imported patient, cared for by `doctor`, opened to `glass` by a break-glass
    access; the others at a distance."""
    with TestClient(create_app(make_settings(short_tmp / uuid.uuid4().hex[:10]))) as client:
        bundle = json.loads(FIXTURE.read_text())
        assert client.portal is not None
        report = client.portal.call(fhir_import.load_bundle,
                                    client.app.state.resources,  # type: ignore[attr-defined]
                                    bundle, "fhir-test")
        assert report.problems == []
        [fhir_id] = [e["resource"]["id"] for e in bundle["entry"]
                     if e["resource"]["resourceType"] == "Patient"]
        twin_id = fv.node_id("Patient", fhir_id)
        admin, api = first_admin(client), Api(client)
        doctor, doctor_id = api.staff(admin, "PHYSICIAN")
        stranger, _ = api.staff(admin, "PHYSICIAN")
        glass, _ = api.staff(admin, "PHYSICIAN")
        crew, _ = api.staff(admin, "TRANSPORT")
        admin.data("mutation($p: ID!, $d: ID!) { assignPhysician(patientId: $p, "
                   "physicianId: $d) { anchor { seq } } }", {"p": twin_id, "d": doctor_id})
        glass.data("mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r)"
                   " { anchor { seq } } }", {"p": twin_id, "r": "Unresponsive, no carer"})
        admin.data("mutation($i: AuditorInput!) { createAuditor(input: $i) { user { id } } }",
                   {"i": {"username": "audit.rest", "password": STAFF_PASSWORD,
                          "displayName": "Auditor"}})
        auditor = api.login("audit.rest", STAFF_PASSWORD)
        callers = {"nobody": None, "forged": _token(client, sub=doctor_id, role="PHYSICIAN"),
                   "auditor": auditor.token, "admin": admin.token, "doctor": doctor.token,
                   "glass": glass.token, "stranger": stranger.token, "crew": crew.token}
        yield Ward(client, fhir_id, twin_id, callers)


def _get(ward: Ward, caller: str, path: str) -> tuple[int, Json]:
    token = ward.callers[caller]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = ward.client.get(path, headers=headers)
    assert answer.headers["content-type"].startswith("application/fhir+json")
    body: Json = answer.json()
    return answer.status_code, body


def _paths(patient: str) -> list[str]:
    return [f"/fhir/Patient/{patient}", f"/fhir/Patient/{patient}/$everything",
            f"/fhir/Observation?patient={patient}", f"/fhir/Immunization?patient={patient}"]


READS = {"admin": 200, "doctor": 200, "glass": 200, "stranger": 404, "crew": 404,
         "auditor": 403, "nobody": 401, "forged": 401}
"""What each caller gets for the patient: read, hidden (404, as a missing patient), a role
that never reads records (403), no caller (401)."""


@pytest.mark.parametrize("caller", list(READS))
def test_the_access_matrix_is_graphqls(ward: Ward, caller: str) -> None:
    unknown = str(uuid.uuid4())
    for by in (ward.twin_id, ward.fhir_id):
        for path, missing in zip(_paths(by), _paths(unknown), strict=True):
            status, body = _get(ward, caller, path)
            assert status == READS[caller], (caller, path, body)
            if status != 200:
                OperationOutcome(body, strict=True)
            if status == 404:
                assert (status, json.dumps(body).replace(by, "?")) == (
                    _get(ward, caller, missing)[0],
                    json.dumps(_get(ward, caller, missing)[1]).replace(unknown, "?")), \
                    "a hidden patient is answered exactly as one that does not exist"
    graphql = Api(ward.client, ward.callers[caller]).post(EXPORT, {"p": ward.twin_id})
    exported = (graphql.get("data") or {}).get("exportPatient")
    assert (exported is not None) == (READS[caller] == 200), "the same rule as exportPatient"


def test_metadata_is_a_capability_statement_anyone_may_read(ward: Ward) -> None:
    status, body = _get(ward, "nobody", "/fhir/metadata")
    assert status == 200
    CapabilityStatement(body, strict=True)
    assert body["fhirVersion"] == "4.0.1"


def test_everything_is_the_export_and_a_search_pages_through_it(ward: Ward) -> None:
    exported = json.loads(Api(ward.client, ward.callers["doctor"]).data(
        EXPORT, {"p": ward.twin_id})["exportPatient"])
    status, everything = _get(ward, "doctor", f"/fhir/Patient/{ward.fhir_id}/$everything")
    assert status == 200
    Bundle(everything, strict=True)
    assert everything["type"] == "searchset"
    assert [{k: v for k, v in e.items() if k != "search"} for e in everything["entry"]] \
        == exported["entry"]  # type: ignore[union-attr]
    observations = [e["resource"] for e in exported["entry"]
                    if e["resource"]["resourceType"] == "Observation"]
    found: list[Json] = []
    path: str | None = f"/fhir/Observation?patient={ward.twin_id}&_count=40"
    pages = 0
    while path is not None:
        status, page = _get(ward, "doctor", path)
        assert status == 200 and page["total"] == len(observations)
        Bundle(page, strict=True)
        found.extend(e["resource"] for e in page.get("entry", []))  # type: ignore[attr-defined]
        path = next((link["url"] for link in page["link"]  # type: ignore[attr-defined]
                     if link["relation"] == "next"), None)
        pages += 1
    assert found == observations and pages == -(-len(observations) // 40)
    assert _get(ward, "doctor", f"/fhir/Patient/{ward.twin_id}")[1] == next(
        e["resource"] for e in exported["entry"] if e["resource"]["resourceType"] == "Patient")


@pytest.mark.parametrize(("path", "status"), [
    ("/fhir/Frobnicator?patient={p}", 400), ("/fhir/Observation", 400),
    ("/fhir/Observation?patient={p}&_count=0", 400),
    ("/fhir/Observation?patient={p}&_offset=-1", 400)])
def test_a_request_the_facade_does_not_answer_gets_an_operation_outcome(
    ward: Ward, path: str, status: int,
) -> None:
    answer, body = _get(ward, "admin", path.format(p=ward.twin_id))
    assert answer == status
    OperationOutcome(body, strict=True)


HISTORY = """query($p: ID!) { accessHistory(patientId: $p, first: 100) {
  edges { node { readerRole grounds sections } } } }"""


def test_a_read_through_the_facade_is_in_the_patients_access_history(ward: Ward) -> None:
    admin = Api(ward.client, ward.callers["admin"])

    def reads_of(section: str) -> list[dict[str, object]]:
        edges = admin.data(HISTORY, {"p": ward.twin_id})["accessHistory"]["edges"]
        return [e["node"] for e in edges if section in e["node"]["sections"]]

    before = len(reads_of("fhir:$everything"))
    assert _get(ward, "glass", f"/fhir/Patient/{ward.fhir_id}/$everything")[0] == 200
    assert _get(ward, "stranger", f"/fhir/Patient/{ward.twin_id}/$everything")[0] == 404
    found = reads_of("fhir:$everything")
    assert len(found) == before + 1, "the one read that was answered, and only it"
    assert any(r["readerRole"] == "PHYSICIAN" and r["grounds"] == "BREAK_GLASS" for r in found)
