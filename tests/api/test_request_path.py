"""What one request costs the store, and what it must still see at once, on both stores over
the real endpoint: the caller's account is held in memory (kept current from the server's own
events), the twin is one statement with the visibility check folded in, and Neo4j has nothing
to warn about on any request."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.resources import Resources
from tests.api.conftest import Api, first_admin, make_settings
from tests.api.test_story import VITALS, admit_new_patient
from tests.conftest import clear_neo4j

TWIN = """query($p: ID!) { twin(patientId: $p) { patient { id }
  timeline { id observations { code value } } medicationTransactions { id } careTeam { id } } }"""
ME = "{ me { username status } }"
SUSPEND = "mutation($id: ID!) { suspendUser(id: $id) { user { status } } }"
AUTHORIZE = "mutation($id: ID!) { authorizeUser(id: $id) { user { status } } }"
BREAK_GLASS = ("mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r)"
               " { anchor { seq } } }")


@pytest.fixture(params=["falkordb", "neo4j-local"])
def client(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[TestClient]:
    """A server on the embedded store, or on a real Neo4j whose graph starts empty (fresh, as
    a new deployment's is: no label, type or property its statements name exists yet)."""
    overrides = {}
    if request.param == "neo4j-local":
        uri = request.getfixturevalue("neo4j_local_uri")
        anyio.run(clear_neo4j, uri)
        overrides["graph_url"] = uri
    with TestClient(create_app(make_settings(data_dir, **overrides))) as test_client:
        yield test_client
    if request.param == "neo4j-local":
        anyio.run(clear_neo4j, uri)


def _ward(client: TestClient) -> tuple[Api, Api, str, str]:
    """An admin, a physician caring for one patient, the physician's id and the patient's."""
    admin = first_admin(client)
    doctor, doctor_id = Api(client).staff(admin, "PHYSICIAN")
    patient_id = str(admit_new_patient(doctor)["patientId"])
    return admin, doctor, doctor_id, patient_id


def test_a_suspension_stops_the_next_request_and_an_authorization_restores_it(
        client: TestClient) -> None:
    admin, doctor, doctor_id, patient_id = _ward(client)
    assert doctor.data(TWIN, {"p": patient_id})["twin"]["patient"]["id"] == patient_id
    admin.data(SUSPEND, {"id": doctor_id})
    error = doctor.error(TWIN, {"p": patient_id})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "not active" in error["message"]
    assert doctor.error(ME)["extensions"]["code"] == "UNAUTHENTICATED"
    admin.data(AUTHORIZE, {"id": doctor_id})
    assert doctor.data(ME)["me"]["status"] == "ACTIVE"
    assert doctor.data(TWIN, {"p": patient_id})["twin"]["patient"]["id"] == patient_id


def test_a_new_account_and_a_break_glass_access_count_from_the_next_request(
        client: TestClient) -> None:
    admin, _, _, patient_id = _ward(client)
    stranger, _ = Api(client).staff(admin, "PHYSICIAN")
    hidden = stranger.error(TWIN, {"p": patient_id})
    assert hidden["extensions"]["code"] == "NOT_FOUND"
    stranger.data(BREAK_GLASS, {"p": patient_id, "r": "Unresponsive, no carer reachable"})
    assert stranger.data(TWIN, {"p": patient_id})["twin"]["patient"]["id"] == patient_id


def test_a_restarted_server_knows_every_account_from_the_graph(data_dir: Path) -> None:
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        admin, doctor, _, patient_id = _ward(client)
        other, other_id = Api(client).staff(admin, "PHYSICIAN")
        admin.data(SUSPEND, {"id": other_id})
        tokens = doctor.token, other.token
    with TestClient(create_app(settings)) as client:
        doctor, other = Api(client, tokens[0]), Api(client, tokens[1])
        assert doctor.data(TWIN, {"p": patient_id})["twin"]["patient"]["id"] == patient_id
        assert other.error(ME)["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_twin_read_is_two_reads_and_its_access_record(client: TestClient) -> None:
    """The caller's account comes from memory: the store runs the grounds check (care team,
    consent, break-glass), the twin, and the projection of the read's access record."""
    _, doctor, _, patient_id = _ward(client)
    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    before = resources.store.statements_run
    doctor.data(TWIN, {"p": patient_id})
    assert resources.store.statements_run - before == 3


def test_no_request_makes_neo4j_warn(client: TestClient,
                                     caplog: pytest.LogCaptureFixture) -> None:
    admin, doctor, _, patient_id = _ward(client)
    with caplog.at_level(logging.INFO, logger="neo4j"):
        doctor.data(VITALS, {"i": {"patientId": patient_id, "vitals": [
            {"sign": "HEART_RATE", "value": 90, "measuredAt": "2026-11-20T09:00:00Z"}]}})
        doctor.data(TWIN, {"p": patient_id})
        admin.data(TWIN, {"p": patient_id})
        doctor.data("{ patients(first: 5) { edges { node { id } } } }")
    assert [r.getMessage()[:200] for r in caplog.records
            if r.name.startswith("neo4j.notifications")] == []
