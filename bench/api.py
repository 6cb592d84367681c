"""The costs we add on top of the store, measured side by side on the same demo data.

- read: `twin(patientId)` and a `patients` page over GraphQL/HTTP against the bare Cypher
  statements that answer them, in the same process.
- write: an anchored `recordVitals` over GraphQL against the same mutation with the ledger
  replaced by a sequencer that neither encrypts nor fsyncs (the cost of anchoring), at 1 and
  at 32 concurrent clients.
- import: ICD-10-CM recorded through the ledger against the bare projection of the same
  batches; FHIR bundles (the Synthea fixtures of the tests) validated, mapped and recorded
  through the ledger against the bare projection of the events they map to.
"""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import tempfile
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from api.app import create_app
from api.knowledge import fhir_import, icd10
from api.ops import demo
from api.resources import Resources
from api.settings import Settings
from api.twin import access_log
from bench.wire import Wire
from graph import projection
from graph.knowledge_events import DiseasesImported
from ledger import Anchor

FHIR_BUNDLES = Path(__file__).parents[1] / "tests" / "fixtures" / "fhir"
"""Synthea bundles, the same the FHIR tests import."""

TWIN = """query($p: ID!) { twin(patientId: $p) { patient { id givenName }
  timeline { __typename id at ... on Diagnosis { diseases { code } } }
  vitals { code value at } medicationTransactions { kind dose medication { name } } } }"""
PAGE = """{ patients(first: 20, filter: {status: ADMITTED}) {
  edges { node { id familyName currentStage } } } }"""
VITALS = "mutation($i: RecordVitalsInput!) { recordVitals(input: $i) { anchor { seq } } }"


@dataclass
class Measured:
    name: str
    ours: float
    baseline: float
    unit: str

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline


class _Sequencer:
    """Stands in for the ledger in the baseline: hands out seqs and acknowledges at once,
    with no encryption, no hashing and no fsync. Benchmark use only."""

    def __init__(self, first_seq: int) -> None:
        self._next = first_seq

    def append(self, actor: str, action: str, subjects: Any, payload: bytes,
               key_subject: str) -> Future[Anchor]:
        seq, self._next = self._next, self._next + 1
        done: Future[Anchor] = Future()
        done.set_result(Anchor(seq, b"\0" * 32, seq + 1, b"\0" * 32, ""))
        return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _serve(settings: Settings, patients: int) -> tuple[uvicorn.Server, Resources]:
    app = create_app(settings)
    resources: Resources = app.state.resources
    await resources.open()
    await demo.create(resources, patients, seed=1)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=settings.port,
                                           log_level="warning", lifespan="off"))
    asyncio.get_running_loop().create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    return server, resources


async def _timed(calls: int, call: Any) -> float:
    """Median seconds of `calls` sequential awaits of `call(i)`."""
    times = []
    for i in range(calls):
        start = time.perf_counter()
        await call(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _rate(clients: int, seconds: float, call: Any) -> float:
    """Completed calls per second with `clients` concurrent callers."""
    done = 0
    until = time.monotonic() + seconds

    async def worker(n: int) -> None:
        nonlocal done
        i = 0
        while time.monotonic() < until:
            await call(n * 1_000_000 + i)
            done += 1
            i += 1

    start = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    return done / (time.monotonic() - start)


async def measure(patients: int, seconds: float, root: Path) -> list[Measured]:
    settings = Settings(data_dir=root / f"api-{patients}", port=_free_port(),
                        _env_file=None)  # type: ignore[call-arg]
    server, resources = await _serve(settings, patients)
    store = resources.store
    try:
        wire = Wire("127.0.0.1", settings.port)
        login = await wire.post('mutation { login(username: "dr.rivera", password: '
                                '"demo-password-2026") { ... on Session { token } } }')
        token = login["data"]["login"]["token"]
        wire.token = token
        viewer = resources.tokens.verify(token).user_id
        page = await wire.post(PAGE)
        ids = [e["node"]["id"] for e in page["data"]["patients"]["edges"]]
        await wire.close()
        results = await _reads(Wire("127.0.0.1", settings.port, token), store, viewer, ids)
        results += await _writes(settings.port, token, resources, ids, seconds)
    finally:
        server.should_exit = True
        await asyncio.sleep(0.2)
        await resources.close()
    return [Measured(f"{m.name} [{patients} patients]", m.ours, m.baseline, m.unit)
            for m in results]


async def _reads(http: Wire, store: Any, viewer: str, ids: list[str]) -> list[Measured]:
    scope = {"scope": "care", "viewer": viewer, "granted": []}
    filters = {"status": None, "stage": None, "admitted_after": None, "admitted_before": None,
               "search": None}

    async def twin_api(i: int) -> None:
        answer = await http.post(TWIN, {"p": ids[i % len(ids)]})
        assert "errors" not in answer, answer

    async def twin_bare(i: int) -> None:
        patient = ids[i % len(ids)]
        await store.read("twin_get", scope | {"patient_id": patient})

    async def page_api(i: int) -> None:
        assert "errors" not in await http.post(PAGE)

    async def page_bare(i: int) -> None:
        await store.read("patients_page", scope | filters | {"status": "ADMITTED",
            "after_at": None, "after_id": None, "limit": 21})

    await _timed(20, twin_api)  # warm caches and connections
    return [
        Measured("read twin: GraphQL/HTTP vs bare Cypher (p50)", await _timed(300, twin_api),
                 await _timed(300, twin_bare), "ms"),
        Measured("read patients page: GraphQL/HTTP vs bare Cypher (p50)",
                 await _timed(200, page_api), await _timed(200, page_bare), "ms"),
        *await _access_log(http, ids),
    ]


async def _access_log(http: Wire, ids: list[str]) -> list[Measured]:
    """The cost of recording every twin read (a TwinRead ledger entry, durable before the
    answer, group-committed): the same GraphQL read with the record switched off."""
    wires = [Wire("127.0.0.1", http.port, http.token) for _ in range(32)]

    async def twin_api(i: int) -> None:
        answer = await http.post(TWIN, {"p": ids[i % len(ids)]})
        assert "errors" not in answer, answer

    async def twin_many(i: int) -> None:
        answer = await wires[i // 1_000_000].post(TWIN, {"p": ids[i % len(ids)]})
        assert "errors" not in answer, answer

    recorded = (await _timed(300, twin_api), await _rate(32, 3.0, twin_many))
    real = access_log._record

    async def unrecorded(*args: Any) -> None:
        return None

    access_log._record = unrecorded  # type: ignore[assignment]
    try:
        bare = (await _timed(300, twin_api), await _rate(32, 3.0, twin_many))
    finally:
        access_log._record = real
    for wire in wires:
        await wire.close()
    return [
        Measured("read twin, access history: recorded vs not (p50)", recorded[0], bare[0],
                 "ms"),
        Measured("read twin, access history, 32 clients: recorded vs not (time/op)",
                 1 / recorded[1], 1 / bare[1], "ms"),
    ]


async def _writes(port: int, token: str, resources: Resources, ids: list[str],
                  seconds: float) -> list[Measured]:
    wires = [Wire("127.0.0.1", port, token) for _ in range(32)]

    async def vitals(i: int) -> None:
        answer = await wires[i // 1_000_000].post(VITALS, {"i": {
            "patientId": ids[i % len(ids)],
            "vitals": [{"sign": "HEART_RATE", "value": 60 + i % 50,
                        "measuredAt": "2026-11-24T12:00:00Z"}]}})
        assert "errors" not in answer, answer

    anchored = {n: await _rate(n, seconds, vitals) for n in (1, 32)}
    recorder = resources.recorder
    real = recorder._ledger
    recorder._ledger = _Sequencer(real.size + 1_000_000)  # type: ignore[assignment]
    try:
        bare = {n: await _rate(n, seconds, vitals) for n in (1, 32)}
    finally:
        recorder._ledger = real
    # Rates: a higher rate is better, so the ratio is baseline time over our time.
    return [Measured(f"write recordVitals, {n} clients: anchored vs no ledger (time/op)",
                     1 / anchored[n], 1 / bare[n], "ms") for n in (1, 32)]


async def import_rates(root: Path) -> list[Measured]:
    """ICD-10-CM through the ledger vs the bare projection of the same batches."""
    results = []
    batches = list(icd10.batches())
    rows = sum(len(b) for b in batches)
    anchored_settings = Settings(data_dir=root / "import-anchored", _env_file=None)  # type: ignore[call-arg]
    resources = Resources(anchored_settings)
    await resources.open()
    try:
        start = time.perf_counter()
        await icd10.load(resources, "bench")
        anchored = time.perf_counter() - start
    finally:
        await resources.close()
    bare_settings = Settings(data_dir=root / "import-bare", _env_file=None)  # type: ignore[call-arg]
    resources = Resources(bare_settings)
    await resources.open()
    try:
        start = time.perf_counter()
        for seq, batch in enumerate(batches):
            await projection.apply(resources.store, DiseasesImported(
                source="bench", batch=seq, rows=batch, imported_by="bench", at=""), seq)
        bare = time.perf_counter() - start
    finally:
        await resources.close()
    results.append(Measured(f"import ICD-10-CM ({rows} rows): anchored vs bare UNWIND (time)",
                            anchored, bare, "s"))
    results.append(await fhir_rate(root))
    return results


async def fhir_rate(root: Path) -> Measured:
    """FHIR import (strict validation, mapping, one anchored event per resource) against the
    same events projected without validation, ledger or encryption."""
    bundles = [json.loads(p.read_text()) for p in sorted(FHIR_BUNDLES.glob("*.json"))]
    count = sum(len(b["entry"]) for b in bundles)
    resources = Resources(Settings(data_dir=root / "fhir-anchored",
                                   _env_file=None))  # type: ignore[call-arg]
    await resources.open()
    try:
        start = time.perf_counter()
        for bundle in bundles:
            await fhir_import.load_bundle(resources, bundle, "bench")
        anchored = time.perf_counter() - start
    finally:
        await resources.close()
    events = [e for bundle in bundles for e in fhir_import.events_of(bundle, "bench")]
    resources = Resources(Settings(data_dir=root / "fhir-bare",
                                   _env_file=None))  # type: ignore[call-arg]
    await resources.open()
    try:
        start = time.perf_counter()
        for seq, event in enumerate(events):
            await projection.apply(resources.store, event, seq)
        bare = time.perf_counter() - start
    finally:
        await resources.close()
    return Measured(f"import FHIR ({count} resources, {count / anchored:.0f}/s): anchored vs "
                    "bare projection (time)", anchored, bare, "s")


def run(patients: int, seconds: float, scale: int) -> list[Measured]:
    with tempfile.TemporaryDirectory(prefix="hdt-bench-", dir="/tmp") as tmp:
        root = Path(tmp)

        async def all_of_it() -> list[Measured]:
            found = await measure(patients, seconds, root)
            found += await measure(patients * scale, seconds, root)
            found += await import_rates(root)
            return found

        return asyncio.run(all_of_it())
