"""Load on loopback: many clients, a ward's mix of reads and writes, for a fixed time, against
a live `hdt serve`. Zero errors, a contiguous ledger, and the latencies reported.
`HDT_LOAD_SECONDS` and `HDT_LOAD_CLIENTS` set the effort (make soak runs it long)."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.live import LiveServer, start_ward

SECONDS = float(os.environ.get("HDT_LOAD_SECONDS", "6"))
CLIENTS = int(os.environ.get("HDT_LOAD_CLIENTS", "16"))
TWIN = "query($p: ID!) { twin(patientId: $p) { patient { id } timeline { at } vitals { value } } }"
PAGE = "{ patients(first: 20) { totalCount edges { node { id currentStage } } } }"
VITALS = """mutation($i: RecordVitalsInput!) { recordVitals(input: $i) { anchor { seq } } }"""
ADMIT = """mutation($i: AdmitPatientInput!) { admitPatient(input: $i) {
  patientId anchor { seq } } }"""


def _admission() -> dict[str, Any]:
    return {"i": {"patient": {"givenName": "Load", "familyName": "Test",
                              "birthDate": "1980-02-02", "sex": "FEMALE"},
                  "arrivalMode": "AMBULANCE", "arrivedAt": "2026-11-20T08:00:00Z",
                  "chiefComplaint": "Synthetic load", "triageLevel": 3}}


async def _client(base: str, token: str, patients: list[str], until: float, seed: int,
                  latencies: dict[str, list[float]], seqs: list[int]) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
        while time.monotonic() < until:
            roll = rng.random()
            variables: dict[str, Any]
            if roll < 0.5:
                kind, query, variables = "twin", TWIN, {"p": rng.choice(patients)}
            elif roll < 0.7:
                kind, query, variables = "page", PAGE, {}
            elif roll < 0.95:
                kind, query, variables = "vitals", VITALS, {"i": {
                    "patientId": rng.choice(patients), "vitals": [
                        {"sign": "HEART_RATE", "value": rng.randint(50, 140),
                         "measuredAt": "2026-11-20T09:00:00Z"}]}}
            else:
                kind, query, variables = "admit", ADMIT, _admission()
            started = time.perf_counter()
            answer = await http.post("/graphql", json={"query": query, "variables": variables})
            latencies.setdefault(kind, []).append(time.perf_counter() - started)
            body = answer.json()
            assert answer.status_code == 200 and not body.get("errors"), body
            data = next(iter(body["data"].values()))
            if "anchor" in data:
                seqs.append(data["anchor"]["seq"])
            if kind == "admit":
                patients.append(data["patientId"])


@pytest.fixture
def ward(short_tmp: Path) -> Iterator[tuple[LiveServer, str, list[str]]]:
    server = start_ward(short_tmp / "load")
    token = server.login("dr.live")
    patients = [server.call(token, ADMIT, _admission())["admitPatient"]["patientId"]
                for _ in range(10)]
    yield server, token, patients
    server.stop()


def test_a_mixed_load_has_no_errors_and_a_contiguous_ledger(
    ward: tuple[LiveServer, str, list[str]],
) -> None:
    server, token, patients = ward
    size_before = httpx.get(f"{server.base}/ready").json()["progress"]["ledger_size"]
    latencies: dict[str, list[float]] = {}
    seqs: list[int] = []
    until = time.monotonic() + SECONDS

    async def run() -> None:
        await asyncio.gather(*(_client(server.base, token, patients, until, n, latencies, seqs)
                               for n in range(CLIENTS)))

    asyncio.run(run())
    progress = httpx.get(f"{server.base}/ready").json()["progress"]
    assert progress["graph_cursor"] == progress["ledger_size"] - 1
    admin = server.login("admin")
    # Every write answered with its seq, and every twin read recorded (the access history):
    # together they are the whole ledger since, with no gap.
    reads = []
    for start in range(size_before, progress["ledger_size"], 100):
        entries = server.call(admin, "query($f: Int!) { ledgerEntries(from: $f, first: 100) {"
                              " seq action } }", {"f": start})["ledgerEntries"]
        reads += [e["seq"] for e in entries if e["action"] == "TwinRead"]
    assert len(reads) == len(latencies.get("twin", []))
    assert sorted(seqs + reads) == list(range(size_before, progress["ledger_size"]))
    verified = server.call(admin, "{ verifyLedger { ok treeSize } }", {})["verifyLedger"]
    assert verified == {"ok": True, "treeSize": progress["ledger_size"]}
    total = sum(len(v) for v in latencies.values())
    lines = [f"load: {CLIENTS} clients, {SECONDS:.0f} s, {total} requests, 0 errors, "
             f"{total / SECONDS:.0f} req/s"]
    for kind, values in sorted(latencies.items()):
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        lines.append(f"  {kind:7} n={len(values):5}  p50={statistics.median(values) * 1000:7.1f} ms"
                     f"  p99={p99 * 1000:7.1f} ms")
    print("\n".join(lines), file=sys.stderr)
