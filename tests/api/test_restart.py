"""Stopping and starting the server loses nothing, and the graph can always be rebuilt from
the ledger: the ledger is the source of truth, the graph its projection."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.resources import Resources
from graph.child import pid_alive
from graph.events import encode
from ledger import Ledger, LedgerLocked
from ledger.verify import verify_ledger
from tests import synthetic
from tests.api.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, Api, first_admin, make_settings
from tests.api.test_story import DIAGNOSE, SURGERY, TWIN, VITALS, admit_new_patient
from tests.graph.test_falkordb_process import readable_by_others

FULL_TWIN = TWIN.replace("careTeam { role displayName }",
                         "careTeam { role displayName } patient { anchor { seq entryHash } }")


def _diagnose(doctor: Api, patient_id: str, at: str, code: str) -> None:
    doctor.data(DIAGNOSE, {"i": {"patientId": patient_id, "diagnosedAt": at,
                                 "diseases": [{"code": code}]}})


def test_state_and_ledger_are_identical_after_a_restart(data_dir: Path) -> None:
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        admin = first_admin(client)
        doctor, _ = Api(client).staff(admin, "PHYSICIAN")
        patient_id = admit_new_patient(doctor)["patientId"]
        _diagnose(doctor, patient_id, "2026-11-20T09:00:00Z", "I21.4")
        before = doctor.data(FULL_TWIN, {"p": patient_id})
        username = doctor.data("{ me { username } }")["me"]["username"]
        resources = client.app.state.resources  # type: ignore[attr-defined]
        size, root = resources.ledger.size, resources.ledger.root_hash()

    with TestClient(create_app(settings)) as client:
        doctor = Api(client).login(username, STAFF_PASSWORD)
        # Compared before the twin is read: a read is itself recorded (the access history).
        resources = client.app.state.resources  # type: ignore[attr-defined]
        assert (resources.ledger.size, resources.ledger.root_hash()) == (size, root)
        assert doctor.data(FULL_TWIN, {"p": patient_id}) == before
        doctor.data(SURGERY, {"i": {
            "patientId": patient_id, "procedureCode": "232717009",
            "procedureDisplay": "CABG", "scheduledAt": "2026-11-20T12:00:00Z",
            "preOperative": {"assessedAt": "2026-11-20T12:00:00Z", "asaClass": 3,
                             "consentSigned": True, "risk": "HIGH"}}})
        after = doctor.data(FULL_TWIN, {"p": patient_id})["twin"]
        assert [s["__typename"] for s in after["timeline"]] == ["Admission", "Diagnosis",
                                                                "Surgery"]
    assert verify_ledger(settings.ledger_dir).ok


def test_a_lost_graph_is_rebuilt_from_the_ledger_on_start(data_dir: Path) -> None:
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        admin = first_admin(client)
        doctor, _ = Api(client).staff(admin, "PHYSICIAN")
        patient_id = admit_new_patient(doctor)["patientId"]
        doctor.data(VITALS, {"i": {"patientId": patient_id, "vitals": [
            {"sign": "BODY_TEMPERATURE", "value": 38.4, "measuredAt": "2026-11-20T08:20:00Z"}]}})
        before = doctor.data(FULL_TWIN, {"p": patient_id})
        resources = client.app.state.resources  # type: ignore[attr-defined]
        assert client.portal is not None
        client.portal.call(resources.store.clear)  # the graph is gone; the ledger is not

    with TestClient(create_app(settings)) as client:
        admin = Api(client).login("admin", ADMIN_PASSWORD)
        assert admin.data(FULL_TWIN, {"p": patient_id}) == before


def test_a_twin_is_read_in_a_fixed_number_of_store_calls(client: TestClient, admin: Api) -> None:
    doctor, _ = Api(client).staff(admin, "PHYSICIAN")
    store = client.app.state.resources.store  # type: ignore[attr-defined]

    def calls_to_read(patient_id: str) -> int:
        start = store.statements_run
        doctor.data(FULL_TWIN, {"p": patient_id})
        return int(store.statements_run - start)

    small = admit_new_patient(doctor)["patientId"]
    large = admit_new_patient(doctor, arrivedAt="2026-11-20T08:06:00Z")["patientId"]
    for hour in range(9, 21):
        _diagnose(doctor, large, f"2026-11-20T{hour:02}:00:00Z", "J18.9")
    assert calls_to_read(small) == calls_to_read(large) <= 4


def test_an_entry_the_graph_refuses_is_skipped_on_start_not_fatal(data_dir: Path) -> None:
    """One bad entry (here a NUL, written past the API by hand) must not keep the hospital's
    server from starting: it is logged, and every later entry is still applied."""
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        admin = first_admin(client)
        doctor, _ = Api(client).staff(admin, "PHYSICIAN")
        doctor_id = doctor.data("{ me { id } }")["me"]["id"]

    refused = synthetic.admission(synthetic.new_id(), by=doctor_id)
    refused = replace(refused, chief_complaint="Chest pain\x00")
    later = synthetic.admission(synthetic.new_id(), by=doctor_id)
    master = (settings.keys_dir / "master.key").read_bytes()
    with Ledger.open(settings.ledger_dir, origin=settings.ledger_origin,
                     master_key=master) as ledger:
        for event in (refused, later):
            ledger.append_sync("test", event.kind, event.subjects, encode(event),
                               event.key_subject)

    with TestClient(create_app(settings)) as client:
        admin = Api(client).login("admin", ADMIN_PASSWORD)
        listed = admin.data("{ patients { edges { node { id } } } }")["patients"]["edges"]
        assert [e["node"]["id"] for e in listed] == [later.patient_id]
        progress = client.get("/ready").json()["progress"]
        assert progress["refused_entries"] == [progress["ledger_size"] - 2]


def test_the_data_directory_and_the_graph_in_it_are_the_servers_alone(data_dir: Path) -> None:
    old = os.umask(0o022)  # the common umask: the server must not rely on a stricter one
    try:
        with TestClient(create_app(make_settings(data_dir))) as client:
            first_admin(client)
    finally:
        os.umask(old)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert readable_by_others(data_dir / "graph") == []
    assert (data_dir / "ledger" / "entries.log").stat().st_size  # public by design, in a 0700


def test_a_second_server_on_a_running_data_dir_is_refused_and_leaves_its_store_alone(
    data_dir: Path,
) -> None:
    """The graph's cursor is read before the ledger recovers, but only once the ledger's lock
    is held: a second server must not restart the running one's store under it."""
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        admin = first_admin(client)
        store = client.app.state.resources.store  # type: ignore[attr-defined]
        store_pid = store.process.pid
        assert client.portal is not None
        with pytest.raises(LedgerLocked):
            client.portal.call(Resources(settings).open)
        assert pid_alive(store_pid)
        assert admin.data("{ me { role } }")["me"]["role"] == "ADMIN"
