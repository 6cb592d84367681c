"""Crash consistency: kill the real server (or its store) mid-write, restart, lose nothing.

A mutation is acknowledged only once its entry is fsync'd in the ledger and projected into
the graph. So after any SIGKILL: every acknowledged mutation is in the ledger and in the
graph, nothing is in the graph that the ledger lacks, the ledger verifies, and the graph's
cursor equals the ledger's last seq. `HDT_CRASH_ROUNDS` makes the rounds more (make soak).
"""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.child import pid_alive
from tests.api.live import LiveServer, start_ward

ROUNDS = int(os.environ.get("HDT_CRASH_ROUNDS", "2"))
WRITERS = 6
ADMIT = """mutation($i: AdmitPatientInput!) { admitPatient(input: $i) {
  patientId anchor { seq } } }"""


@pytest.fixture
def server(short_tmp: Path) -> Iterator[LiveServer]:
    running = start_ward(short_tmp / f"crash-{random.randrange(10**6)}")
    yield running
    running.stop()


def _writer(server: LiveServer, token: str, stop: threading.Event, lock: threading.Lock) -> None:
    """Admit patients until the server goes away; remember each acknowledged admission."""
    while not stop.is_set():
        variables = {"i": {
            "patient": {"givenName": "Crash", "familyName": "Test", "birthDate": "1970-01-01",
                        "sex": "OTHER"},
            "arrivalMode": "WALK_IN", "arrivedAt": "2026-11-20T08:00:00Z",
            "chiefComplaint": "Synthetic load", "triageLevel": 4}}
        try:
            data = server.call(token, ADMIT, variables)
        except (httpx.HTTPError, ValueError):
            return
        with lock:
            server.acknowledged[data["admitPatient"]["patientId"]] = \
                data["admitPatient"]["anchor"]["seq"]


def _round(server: LiveServer, kill: str, rng: random.Random) -> None:
    token = server.login("dr.live")
    stop, lock = threading.Event(), threading.Lock()
    threads = [threading.Thread(target=_writer, args=(server, token, stop, lock))
               for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    time.sleep(rng.uniform(0.5, 2.0))
    if kill == "server":
        store_pid = int((server.data_dir / "graph" / "graph.pid").read_text())
        server.kill()
        _gone(store_pid)  # the store does not outlive a killed server
    else:
        store_pid = int((server.data_dir / "graph" / "graph.pid").read_text())
        os.kill(store_pid, signal.SIGKILL)
        time.sleep(rng.uniform(0.2, 0.6))
        server.stop()
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    server.start()


def _check(server: LiveServer) -> None:
    doctor = server.login("dr.live")
    admin = server.login("admin")
    for patient_id, seq in server.acknowledged.items():
        twin = server.call(doctor, "query($p: ID!) { twin(patientId: $p) { timeline {"
                           " anchor { seq } } } }", {"p": patient_id})
        assert [s["anchor"]["seq"] for s in twin["twin"]["timeline"]] == [seq]
    ready = httpx.get(f"{server.base}/ready").json()["progress"]
    assert ready["graph_cursor"] == ready["ledger_size"] - 1
    admitted = server.call(admin, "{ patients { totalCount } }", {})["patients"]["totalCount"]
    in_ledger = 0
    for start in range(0, ready["ledger_size"], 100):
        entries = server.call(admin, "query($f: Int!) { ledgerEntries(from: $f, first: 100) {"
                              " action } }", {"f": start})["ledgerEntries"]
        in_ledger += sum(e["action"] == "PatientAdmitted" for e in entries)
    assert admitted == in_ledger >= len(server.acknowledged)
    verified = server.call(admin, "{ verifyLedger { ok treeSize } }", {})["verifyLedger"]
    assert verified == {"ok": True, "treeSize": ready["ledger_size"]}


@pytest.mark.parametrize("kill", ["server", "store"])
def test_nothing_acknowledged_is_lost_across_sigkills(server: LiveServer, kill: str) -> None:
    rng = random.Random(f"{kill}-{os.getpid()}")
    for _ in range(ROUNDS):
        _round(server, kill, rng)
        _check(server)
    assert len(server.acknowledged) > ROUNDS, "the writers should have been acknowledged"
    print(f"{kill}: {ROUNDS} rounds, {len(server.acknowledged)} acknowledged admissions found",
          file=sys.stderr)


def _gone(pid: int) -> None:
    deadline = time.monotonic() + 30
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(pid)
