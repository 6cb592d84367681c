"""Fixtures for the interop tests: the Go program built once, a live ward with a ledger."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.live import LiveServer, start_ward
from tests.interop import litewitness
from tests.interop.litewitness import LiteWitness

HERE = Path(__file__).resolve().parent
VITALS = "mutation($i: RecordVitalsInput!) { recordVitals(input: $i) { anchor { seq } } }"
ADMIT = """mutation($i: AdmitPatientInput!) { admitPatient(input: $i) {
  patientId anchor { seq } } }"""
ADMISSION = {"i": {"patient": {"givenName": "Tile", "familyName": "Test",
                               "birthDate": "1980-02-02", "sex": "FEMALE"},
                   "arrivalMode": "AMBULANCE", "arrivedAt": "2026-11-20T08:00:00Z",
                   "chiefComplaint": "Synthetic", "triageLevel": 3}}


@pytest.fixture(scope="session")
def interop(short_tmp: Path) -> Path:
    """tests/interop built with the Go toolchain (module cache and build cache under the
    default GOPATH, so a rerun builds in seconds)."""
    binary = short_tmp / "interop"
    subprocess.run(["go", "build", "-o", str(binary), "."], cwd=HERE, check=True,
                   capture_output=True)
    return binary


def run_go(binary: Path, *args: str, timeout: float = 120) -> dict[str, Any]:
    """Run a subcommand that must succeed; its JSON answer."""
    done = subprocess.run([str(binary), *args], capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


class Ward:
    """A live server with a physician's token and one patient to record vitals for."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.token = server.login("dr.live")
        self.patient = server.call(self.token, ADMIT, ADMISSION)["admitPatient"]["patientId"]

    @property
    def base(self) -> str:
        return self.server.base

    @property
    def ledger_origin(self) -> str:
        return self.public_key().split("+", 1)[0]

    @property
    def ledger_dir(self) -> Path:
        return self.server.data_dir / "ledger"

    def public_key(self) -> str:
        return (self.ledger_dir / "keys" / "signing.pub").read_text().strip()

    def write(self, count: int, clients: int = 8) -> list[int]:
        """Record `count` vital signs, `clients` at a time; their seqs."""
        seqs: list[int] = []

        async def one(http: httpx.AsyncClient, n: int) -> None:
            for i in range(n, count, clients):
                answer = await http.post("/graphql", json={"query": VITALS, "variables": {"i": {
                    "patientId": self.patient, "vitals": [
                        {"sign": "HEART_RATE", "value": 60 + i % 80,
                         "measuredAt": "2026-11-20T09:00:00Z"}]}}})
                body = answer.json()
                assert not body.get("errors"), body
                seqs.append(body["data"]["recordVitals"]["anchor"]["seq"])

        async def run() -> None:
            headers = {"Authorization": f"Bearer {self.token}"}
            async with httpx.AsyncClient(base_url=self.base, headers=headers,
                                         timeout=30) as http:
                await asyncio.gather(*(one(http, n) for n in range(clients)))

        asyncio.run(run())
        return seqs


@pytest.fixture(scope="module")
def ward(short_tmp: Path, request: pytest.FixtureRequest) -> Iterator[Ward]:
    server = start_ward(short_tmp / request.module.__name__.rsplit(".", 1)[-1])
    yield Ward(server)
    server.stop()


@pytest.fixture(scope="module")
def litewitness_bin() -> Path:
    return litewitness.install()


@pytest.fixture
def witnesses(litewitness_bin: Path, short_tmp: Path,
              request: pytest.FixtureRequest) -> Iterator[list[LiteWitness]]:
    made = [LiteWitness(litewitness_bin, short_tmp / f"{request.node.name[:20]}-w{i}",
                        f"witness.test/w{i}") for i in (1, 2)]
    for w in made:
        w.start()
    yield made
    for w in made:
        w.close()
