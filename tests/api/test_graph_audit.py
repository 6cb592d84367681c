"""`hdt audit` finds every edit made to the graph behind the server's back, and names the seq
that last wrote what changed; `hdt rebuild` replays the ledger into another store, FalkorDB or
Neo4j, giving the same graph."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from falkordb import FalkorDB
from starlette.testclient import TestClient

from api.app import create_app
from api.ops import graph_audit
from api.ops.graph_audit import AuditReport, RebuildRefused
from api.resources import Resources, store_at
from api.settings import Settings
from graph import snapshot
from graph.falkordb_store import FalkorStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from ledger import LedgerLocked
from tests.api.conftest import Api, first_admin, make_settings
from tests.api.test_story import (
    ADMINISTER,
    ASSIGN,
    DIAGNOSE,
    DISCHARGE,
    PRESCRIBE,
    SURGERY,
    VITALS,
    admit_new_patient,
)

HDT = str(Path(sys.executable).with_name("hdt"))
CLINICAL_WORDS = ["Robin", "Synthetic", "chest pain", "Crushing", "penicillin", "aspirin",
                  "I21.4", "ST depression", "Tampered", "Nobody"]


@dataclass
class Hospital:
    patient_id: str
    admitted_seq: int
    vitals_seq: int
    last_patient_seq: int
    doctor_id: str
    doctor: Api


def build_hospital(client: TestClient) -> Hospital:
    """Staff of every role and one patient through every stage, over the real endpoint."""
    admin = first_admin(client)
    crew, _ = Api(client).staff(admin, "TRANSPORT")
    doctor, doctor_id = Api(client).staff(admin, "PHYSICIAN")
    admitted = admit_new_patient(crew)
    patient_id = admitted["patientId"]
    vitals = crew.data(VITALS, {"i": {"patientId": patient_id, "vitals": [
        {"sign": "OXYGEN_SATURATION", "value": 93, "measuredAt": "2026-11-20T08:10:00Z"}]}})
    admin.data(ASSIGN, {"p": patient_id, "d": doctor_id})
    diagnosis = doctor.data(DIAGNOSE, {"i": {
        "patientId": patient_id, "diagnosedAt": "2026-11-20T08:40:00Z",
        "diseases": [{"code": "I21.4"}], "symptoms": ["chest pain"],
        "findings": "ST depression V4-V6"}})["recordDiagnosis"]
    rx = doctor.data(PRESCRIBE, {"i": {
        "patientId": patient_id, "diagnosisId": diagnosis["id"],
        "medication": {"code": "1191", "name": "aspirin"}, "dose": 300, "unit": "mg",
        "route": "ORAL", "frequency": "once", "prescribedAt": "2026-11-20T08:45:00Z"}}
    )["prescribeMedication"]
    doctor.data(ADMINISTER, {"i": {
        "prescriptionId": rx["id"], "dose": 300, "unit": "mg", "route": "ORAL",
        "administeredAt": "2026-11-20T08:50:00Z"}})
    doctor.data(SURGERY, {"i": {
        "patientId": patient_id, "procedureCode": "232717009",
        "procedureDisplay": "Coronary artery bypass grafting",
        "scheduledAt": "2026-11-20T10:00:00Z",
        "preOperative": {"assessedAt": "2026-11-20T10:00:00Z", "asaClass": 3,
                         "consentSigned": True, "risk": "MODERATE"}}})
    last = doctor.data(DISCHARGE, {"i": {
        "patientId": patient_id, "dischargedAt": "2026-11-24T10:00:00Z",
        "disposition": "HOME"}})["dischargePatient"]["anchor"]["seq"]
    return Hospital(patient_id, admitted["anchor"]["seq"],
                    vitals["recordVitals"]["anchor"]["seq"], last, doctor_id, doctor)


def resources_of(client: TestClient) -> Resources:
    resources: Resources = client.app.state.resources  # type: ignore[attr-defined]
    return resources


def behind_the_back(client: TestClient, query: str, **params: Any) -> list[list[Any]]:
    """A literal query on the server's own embedded store, through FalkorDB's native client:
    what someone with access to the database could do, bypassing the ledger."""
    store = resources_of(client).store
    assert isinstance(store, FalkorStore) and store.process is not None
    db = FalkorDB(unix_socket_path=str(store.process.socket))
    try:
        rows: list[list[Any]] = db.select_graph("hdt").query(query, params).result_set
    finally:
        db.connection.close()
    return rows


def audit_now(client: TestClient, data_dir: Path) -> AuditReport:
    resources = resources_of(client)
    assert client.portal is not None
    report: AuditReport = client.portal.call(graph_audit.audit, resources.ledger,
                                             resources.store, data_dir)
    return report


def hdt(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDT_")}
    env.update(HDT_DATA_DIR=str(data_dir), COLUMNS="200")
    return subprocess.run([HDT, *args], env=env, capture_output=True, text=True, timeout=240)


def test_an_untouched_graph_is_what_the_ledger_gives(data_dir: Path) -> None:
    with TestClient(create_app(make_settings(data_dir))) as client:
        build_hospital(client)
        report = audit_now(client, data_dir)
        size = resources_of(client).ledger.size
    assert report.ok and report.total == 0 and report.differences == ()
    assert report.ledger_size == size and report.graph_cursor == size - 1
    assert report.replay.applied == size and report.replay.erased == ()
    assert report.nodes > 10 and report.relationships > 10
    assert not [p for p in data_dir.iterdir() if p.name.startswith("audit-")], "scratch left"


def test_edits_behind_the_servers_back_are_each_found_with_their_seq(data_dir: Path) -> None:
    with TestClient(create_app(make_settings(data_dir))) as client:
        hospital = build_hospital(client)
        [[observation_id]] = behind_the_back(
            client, "MATCH (o:Observation {seq: $seq}) RETURN o.id ORDER BY o.id LIMIT 1",
            seq=hospital.admitted_seq)
        behind_the_back(client, "MATCH (p:Patient {id: $id}) SET p.given_name = 'Tampered'",
                        id=hospital.patient_id)
        behind_the_back(client, "MATCH (o:Observation {id: $id}) DETACH DELETE o",
                        id=observation_id)
        behind_the_back(client, "CREATE (:Patient {id: 'forged-patient', given_name: 'Nobody',"
                                " seq: 999})")
        behind_the_back(client, "CREATE (:Note {text: 'Nobody'})")  # no id at all
        report = audit_now(client, data_dir)

    nodes = {(d.change, d.labels, d.identity, d.seq) for d in report.differences
             if d.element == "node"}
    assert nodes == {
        ("changed", ("Patient",), hospital.patient_id, hospital.last_patient_seq),
        ("missing", ("Observation",), observation_id, hospital.admitted_seq),
        ("extra", ("Patient",), "forged-patient", 999),
        ("extra", ("Note",), "", None),
    }
    [changed] = [d for d in report.differences if d.change == "changed"]
    assert [p.name for p in changed.properties] == ["given_name"]
    assert changed.properties[0].expected != changed.properties[0].actual
    [lost_link] = [d for d in report.differences if d.element == "relationship"]
    assert (lost_link.change, lost_link.labels, lost_link.type, lost_link.end) == (
        "missing", ("Admission", "Stage"), "HAS_OBSERVATION", observation_id)
    # it records no seq of its own: its stage was last written by the vitals after it
    assert (lost_link.seq, lost_link.seq_exact) == (hospital.vitals_seq, False)
    assert report.counts == {("node", "changed"): 1, ("node", "missing"): 1,
                             ("node", "extra"): 2, ("relationship", "missing"): 1}
    assert not any(word in repr(report) for word in CLINICAL_WORDS)

    done = hdt(data_dir, "audit")
    assert done.returncode == 1, done.stderr
    assert "DIFFERS: 1 node changed, 2 nodes extra, 1 node missing, 1 relationship missing" \
        in done.stdout
    for text in (hospital.patient_id, observation_id, "forged-patient", "given_name",
                 "HAS_OBSERVATION", str(hospital.last_patient_seq), "999", "(no id)"):
        assert text in done.stdout, text
    assert not any(word in done.stdout + done.stderr for word in CLINICAL_WORDS)


def test_hdt_audit_passes_a_clean_graph_and_waits_for_a_stopped_server(data_dir: Path) -> None:
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        build_hospital(client)
        assert client.portal is not None
        with pytest.raises(LedgerLocked):
            client.portal.call(graph_audit.audit_data_dir, settings)
    done = hdt(data_dir, "audit")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: the graph is exactly what the ledger gives" in done.stdout
    assert not any(word in done.stdout + done.stderr for word in CLINICAL_WORDS)


def test_an_erased_subject_is_not_replayed_and_its_nodes_are_extra(data_dir: Path) -> None:
    with TestClient(create_app(make_settings(data_dir))) as client:
        hospital = build_hospital(client)
        resources_of(client).ledger.erase_subject(hospital.patient_id)
        report = audit_now(client, data_dir)
    assert len(report.replay.erased) == 8  # admission, vitals, assignment ... discharge
    assert ("node", "extra", ("Patient",), hospital.patient_id) in {
        (d.element, d.change, d.labels, d.identity) for d in report.differences}
    assert "8 events of erased subjects were not replayed" in " ".join(
        graph_audit.summary(report))


async def _differences(expected: GraphStore, actual: GraphStore) -> list[Any]:
    return [d async for d in snapshot.compare(expected, actual)]


def _compare_with_live(settings: Settings, other: GraphStore) -> list[Any]:
    """Open the stopped server's own graph and `other`, and compare them."""
    async def run() -> list[Any]:
        live = store_at(settings, settings.graph)
        await live.open()
        await other.open()
        try:
            return await _differences(live, other)
        finally:
            await other.close()
            await live.close()

    return anyio.run(run)


def test_rebuild_into_another_embedded_store_gives_the_same_graph(data_dir: Path) -> None:
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        build_hospital(client)
        size = resources_of(client).ledger.size
    target = data_dir.parent / (data_dir.name + "-copy")
    done = hdt(data_dir, "rebuild", "--to", f"embedded://{target}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"replayed {size} events" in done.stdout
    assert _compare_with_live(settings, FalkorStore(target)) == []

    with pytest.raises(RebuildRefused, match="pass --clear to replace it"):
        anyio.run(lambda: graph_audit.rebuild(settings, f"embedded://{target}"))
    resumed = anyio.run(lambda: graph_audit.rebuild(settings, f"embedded://{target}",
                                                    resume=True))
    assert (resumed.replay.start, resumed.replay.applied) == (size, 0)


def test_rebuild_moves_the_twin_to_neo4j(data_dir: Path, neo4j_local_uri: str) -> None:
    """From the embedded store to a real Neo4j: the same nodes, labels, properties and
    relationships, compared across backends."""
    settings = make_settings(data_dir)
    with TestClient(create_app(settings)) as client:
        build_hospital(client)
        with pytest.raises(LedgerLocked):
            client.portal.call(graph_audit.rebuild, settings, neo4j_local_uri)  # type: ignore
    with pytest.raises(RebuildRefused):
        anyio.run(_fill_then_rebuild, settings, neo4j_local_uri)
    rebuilt = anyio.run(lambda: graph_audit.rebuild(settings, neo4j_local_uri, clear=True))
    assert rebuilt.cleared and rebuilt.replay.applied == rebuilt.replay.stop
    assert _compare_with_live(settings, Neo4jStore(neo4j_local_uri)) == []
    anyio.run(_clear, neo4j_local_uri)


async def _fill_then_rebuild(settings: Settings, uri: str) -> None:
    await graph_audit.rebuild(settings, uri, clear=True)
    await graph_audit.rebuild(settings, uri)


async def _clear(uri: str) -> None:
    store = Neo4jStore(uri)
    await store.open()
    await store.clear()
    await store.close()
