"""The demo hospital: every role can log in, patients reach every stage, same seed same data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from api import demo
from api.app import create_app
from ledger.verify import verify_ledger
from tests.api.conftest import Api, make_settings

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
