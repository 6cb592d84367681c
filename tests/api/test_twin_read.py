"""A twin is read from whatever the store holds: nodes another tool wrote, with only the
properties that identify them, are answered (as a twin and as a FHIR export), never an
"internal error"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import neo4j
import pytest
from falkordb import FalkorDB
from starlette.testclient import TestClient

from api.app import create_app
from api.resources import Resources
from graph.falkordb_store import FalkorStore
from graph.neo4j_store import Neo4jStore
from tests.api.conftest import Api, first_admin, make_settings
from tests.conftest import clear_neo4j

# The required properties only (see api/graphql/twin_types.py): ids, times, kinds and codes.
MINIMAL_TWIN = """
CREATE (p:Patient {id: 'imported-patient'})
CREATE (a:Stage:Admission {id: 'imported-admission', at: '2026-11-20T08:00:00Z'})
CREATE (d:Stage:Diagnosis {id: 'imported-diagnosis', at: '2026-11-20T09:00:00Z'})
CREATE (s:Stage:Surgery {id: 'imported-surgery', at: '2026-11-20T10:00:00Z'})
CREATE (p)-[:HAS_STAGE]->(a), (p)-[:HAS_STAGE]->(d), (p)-[:HAS_STAGE]->(s)
CREATE (a)-[:NEXT]->(d), (d)-[:NEXT]->(s)
CREATE (a)-[:HAS_OBSERVATION]->(:Observation {id: 'imported-pulse', code: '8867-4',
                                               at: '2026-11-20T08:01:00Z'})
CREATE (d)-[:DIAGNOSED_AS]->(:Disease {system: 'http://hl7.org/fhir/sid/icd-10-cm',
                                       code: 'I21.4'})
CREATE (s)-[:HAS_PHASE]->(:SurgeryPhase {id: 'imported-phase', phase: 'PRE_OPERATIVE',
                                         at: '2026-11-20T10:00:00Z'})
CREATE (t:MedicationTransaction {id: 'imported-prescription', kind: 'PRESCRIPTION',
                                 at: '2026-11-20T09:30:00Z'})
CREATE (p)-[:HAS_TRANSACTION]->(t), (d)-[:TREATED_WITH]->(t)
CREATE (t)-[:OF]->(:Medication {system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
                                code: '1191'})
CREATE (:Physician {id: 'imported-physician'})-[:CARES_FOR]->(p)
CREATE (:TransportCrew {id: 'imported-crew'})-[:BROUGHT_IN]->(p)
"""

TWIN = """query($p: ID!) { twin(patientId: $p) {
  patient { id givenName status anchor { seq } }
  timeline {
    __typename id at recordedBy anchor { seq } observations { id code name value }
    ... on Admission { arrivalMode chiefComplaint triageLevel allergies crewId }
    ... on Diagnosis { diseases { code display } symptoms findings }
    ... on Surgery { procedureCode procedureDisplay phases { id phase at team complications } }
  }
  vitals { id code }
  medicationTransactions { id kind patientId medication { code name } dose unit route
                           recordedBy warnings }
  solutions { diagnosis { id } treatments { id } }
  careTeam { id role displayName }
  news2 { total complete }
  lengthOfStay { stage { id } startedAt endedAt }
  stayHours
} }"""


def _write_directly(resources: Resources, query: str) -> None:
    """A literal write on the server's own store, through the store's native client: what
    another tool, an import or a migration writing to the same database does."""
    store = resources.store
    if isinstance(store, FalkorStore):
        assert store.process is not None
        db = FalkorDB(unix_socket_path=str(store.process.socket))
        try:
            db.select_graph(resources.settings.graph_name).query(query)
        finally:
            db.connection.close()
    else:
        assert isinstance(store, Neo4jStore) and resources.settings.graph_url is not None
        with neo4j.GraphDatabase.driver(resources.settings.graph_url, auth=None) as driver:
            driver.execute_query(query)


@pytest.fixture(params=["falkordb", "neo4j-local"])
def any_store_client(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[TestClient]:
    """A server on the embedded store, or on the session's real Neo4j (emptied first)."""
    overrides: dict[str, Any] = {}
    if request.param == "neo4j-local":
        uri = request.getfixturevalue("neo4j_local_uri")
        anyio.run(clear_neo4j, uri)
        overrides["graph_url"] = uri
    with TestClient(create_app(make_settings(data_dir, **overrides))) as client:
        yield client
    if request.param == "neo4j-local":
        anyio.run(clear_neo4j, overrides["graph_url"])


def test_a_twin_written_by_another_tool_is_read(any_store_client: TestClient) -> None:
    admin: Api = first_admin(any_store_client)
    _write_directly(any_store_client.app.state.resources,  # type: ignore[attr-defined]
                    MINIMAL_TWIN)
    body = admin.post(TWIN, {"p": "imported-patient"})
    assert "errors" not in body, body["errors"]
    twin = body["data"]["twin"]
    assert twin["patient"] == {"id": "imported-patient", "givenName": "", "status": "",
                               "anchor": None}
    admission, diagnosis, surgery = twin["timeline"]
    assert admission == {
        "__typename": "Admission", "id": "imported-admission", "at": "2026-11-20T08:00:00Z",
        "recordedBy": None, "anchor": None,
        "observations": [{"id": "imported-pulse", "code": "8867-4", "name": None,
                          "value": None}],
        "arrivalMode": None, "chiefComplaint": None, "triageLevel": None, "allergies": [],
        "crewId": None}
    assert diagnosis["__typename"] == "Diagnosis" and diagnosis["recordedBy"] is None
    assert diagnosis["diseases"] == [{"code": "I21.4", "display": ""}]
    assert (diagnosis["symptoms"], diagnosis["findings"]) == ([], "")
    assert surgery["__typename"] == "Surgery"
    assert (surgery["procedureCode"], surgery["procedureDisplay"]) == (None, None)
    assert surgery["phases"] == [{"id": "imported-phase", "phase": "PRE_OPERATIVE",
                                  "at": "2026-11-20T10:00:00Z", "team": [],
                                  "complications": []}]
    assert twin["vitals"] == [{"id": "imported-pulse", "code": "8867-4"}]
    assert twin["medicationTransactions"] == [{
        "id": "imported-prescription", "kind": "PRESCRIPTION", "patientId": "imported-patient",
        "medication": {"code": "1191", "name": ""}, "dose": None, "unit": None, "route": None,
        "recordedBy": None, "warnings": []}]
    assert twin["solutions"] == [{"diagnosis": {"id": "imported-diagnosis"},
                                  "treatments": [{"id": "imported-prescription"}]}]
    assert sorted((m["id"], m["role"], m["displayName"]) for m in twin["careTeam"]) == [
        ("imported-crew", "TRANSPORT", None), ("imported-physician", "PHYSICIAN", None)]
    assert twin["news2"]["complete"] is False
    assert [s["stage"]["id"] for s in twin["lengthOfStay"]] == [
        "imported-admission", "imported-diagnosis", "imported-surgery"]

    exported = admin.post("query($p: ID!) { exportPatient(patientId: $p) }",
                          {"p": "imported-patient"})
    assert "errors" not in exported, exported["errors"]
    bundle = json.loads(exported["data"]["exportPatient"])
    assert sorted(e["resource"]["resourceType"] for e in bundle["entry"]) == [
        "Condition", "Encounter", "MedicationRequest", "Observation", "Patient",
        "Practitioner", "Procedure"]
