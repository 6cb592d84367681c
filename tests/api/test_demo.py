"""The demo hospital: every role can log in, patients reach every stage, same seed same data."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.ops import demo
from ledger.verify import verify_ledger
from tests.api.conftest import Api, make_settings
from tests.api.live import HDT, LiveServer, env_for
from tests.api.test_graph_audit import audit_now

PATIENTS = """query($after: String) { patients(first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id givenName familyName status currentStage admittedAt } } } }"""


def _hospital(data_dir: Path, seed: int) -> tuple[demo.Hospital, list[dict[str, Any]], Any]:
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        resources = client.app.state.resources  # type: ignore[attr-defined]
        assert client.portal is not None
        hospital = client.portal.call(demo.create, resources, 40, seed)
        admin = Api(client).login("admin", demo.DEMO_PASSWORD)
        patients = admin.data(PATIENTS)["patients"]
        logins = {user: Api(client).login(user, demo.DEMO_PASSWORD).data("{ me { role } }")
                  for user in hospital.users}
    assert {login["me"]["role"] for login in logins.values()} == {
        "ADMIN", "AUDITOR", "PHYSICIAN", "TRANSPORT"}
    return hospital, [e["node"] for e in patients["edges"]], settings


def test_a_demo_hospital_has_every_stage_and_verifies(short_tmp: Path) -> None:
    hospital, patients, settings = _hospital(short_tmp / "demo-a", seed=11)
    assert len(patients) == 40
    assert {p["currentStage"] for p in patients} == {"ADMISSION", "DIAGNOSIS", "SURGERY"}
    assert {p["status"] for p in patients} == {"ADMITTED", "DISCHARGED"}
    assert all(hospital.stages[stage] > 0 for stage in hospital.stages)
    report = verify_ledger(settings.ledger_dir)
    assert report.ok and report.tree_size == hospital.events + len(hospital.users)


def test_the_same_seed_gives_the_same_patients(short_tmp: Path) -> None:
    _, first, _ = _hospital(short_tmp / "demo-b", seed=5)
    _, again, _ = _hospital(short_tmp / "demo-c", seed=5)
    _, other, _ = _hospital(short_tmp / "demo-d", seed=6)
    assert first == again
    assert first != other


def test_a_demo_graph_is_exactly_its_ledger_replayed(short_tmp: Path) -> None:
    with TestClient(create_app(make_settings(short_tmp / "demo-replayed"))) as client:
        resources = client.app.state.resources  # type: ignore[attr-defined]
        assert client.portal is not None
        client.portal.call(demo.create, resources, 6, 3)
        report = audit_now(client, short_tmp / "demo-replayed")
    assert report.differences == () and report.ok


@pytest.mark.timeout(1800)  # the demo's ICD-10-CM (~74,000 codes) is replayed by each audit
def test_hdt_audit_finds_a_fresh_demo_exactly_what_its_ledger_gives(short_tmp: Path) -> None:
    """What `make serve` does (`hdt demo --if-empty`, then `hdt serve`), with `hdt audit`
    after each step: the graph written live must equal the ledger replayed, value for value
    (a dose of 300 is the same number either way), or an audit would hide real tampering."""
    env = env_for(short_tmp / "demo-audit", HDT_LOG_LEVEL="WARNING", COLUMNS="200")

    def hdt(*args: str) -> str:
        done = subprocess.run([HDT, *args], env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    hdt("demo", "--if-empty", "--patients", "6", "--seed", "3")
    assert "OK: the graph is exactly what the ledger gives" in hdt("audit")
    server = LiveServer(short_tmp / "demo-audit", env)
    server.start()
    server.stop()
    assert "OK: the graph is exactly what the ledger gives" in hdt("audit")
