"""`make bench-neo4j`: HDT against the official `@neo4j/graphql` on the same Neo4j, same data.

One Neo4j 5.26 Community (our `neo4j-local` launcher, APOC Core from Maven Central on its
plugin path) holds the hospital that `hdt demo` wrote through HDT's ledger. Two servers, each
a process of its own, serve it: `hdt serve` and `@neo4j/graphql` on Apollo Server
(bench/neo4j_graphql/, typeDefs mapped onto HDT's labels). The benchmark first checks that
both answer the same twin, value for value, then runs each workload against each server in
turn (HDT, then the peer, at 1 and at 16 clients), and prints rates, latency percentiles, the
db hits of one twin read (PROFILE), the ratios and the targets of issue 16.

On writes the peer runs a bare statement; HDT also anchors each write in its ledger (fsync'd,
encrypted, hash-chained) before it answers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j

from bench.wire import Wire
from graph.neo4j_local import NEO4J_VERSION, Neo4jLocalProcess

HERE = Path(__file__).resolve().parent
PEER_DIR = HERE / "neo4j_graphql"
ROOT = HERE.parent
HDT = ROOT / ".venv" / "bin" / "hdt"
APOC = "org.neo4j.procedure:apoc-core:5.26.0:jar:core"
APOC_JAR = PEER_DIR / "target" / "apoc-core-5.26.0-core.jar"
PHYSICIAN = "dr.rivera"
BENCH_NAME = "Bench"
"""The given name of the patients the benchmark admits."""
PASSWORD = "demo-password-2026"

TWIN_HDT = """query($p: ID!) { twin(patientId: $p) {
  patient { id givenName familyName birthDate sex mrn status admittedAt }
  timeline { __typename id at observations { id code name at value unit }
             ... on Diagnosis { diseases { code display } } }
  medicationTransactions { id kind at dose unit medication { code name } }
  careTeam { id displayName role specialty company } } }"""
TWIN_PEER = """query($p: ID!) { patients(where: {id: {eq: $p}}) {
  id givenName familyName birthDate sex mrn status admittedAt
  stages(sort: [{at: ASC}]) { id stage at observations { id code name at value unit }
                              diseases { code display } }
  transactions { id kind at dose unit medication { code name } }
  physicians { id displayName specialty }
  crews { id displayName company } } }"""
VITALS_HDT = """mutation($i: RecordVitalsInput!) { recordVitals(input: $i) { anchor { seq } } }"""
VITALS_PEER = """mutation($i: [ObservationCreateInput!]!) {
  createObservations(input: $i) { observations { id } } }"""
ADMIT_HDT = """mutation($i: AdmitPatientInput!) { admitPatient(input: $i) { anchor { seq } } }"""
ADMIT_PEER = """mutation($i: [PatientCreateInput!]!) {
  createPatients(input: $i) { patients { id } } }"""
PAGE_HDT = """query($after: String) { patients(first: 100, after: $after,
  filter: {status: ADMITTED}) { edges { node { id givenName } }
  pageInfo { hasNextPage endCursor } } }"""
LATEST_STAGE = """query($p: ID!) { twin(patientId: $p) { timeline { id } } }"""

TARGETS = {"twin read": 1.0, "recordVitals": (0.67, 1.0), "admitPatient": (0.67, 1.0)}
"""Throughput ratio HDT / peer: twin reads at every C; writes at C=1 then at C=16."""
P99_OVER_P50 = 3.0

VITAL_SIGNS = (("HEART_RATE", "8867-4", "/min", 72.0), ("RESPIRATORY_RATE", "9279-1", "/min",
               16.0), ("BODY_TEMPERATURE", "8310-5", "Cel", 37.0))


@dataclass
class Run:
    workload: str
    clients: int
    server: str
    rate: float
    latencies: list[float]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


# -- the processes --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def apoc_jar() -> Path:
    """APOC Core from Maven Central (the peer's Cypher calls it), cached under the bench."""
    if not APOC_JAR.is_file():
        subprocess.run(["mvn", "-q", "dependency:copy", f"-Dartifact={APOC}",
                        f"-DoutputDirectory={APOC_JAR.parent}"], check=True, cwd=PEER_DIR)
    return APOC_JAR


def peer_packages() -> None:
    if not (PEER_DIR / "node_modules" / ".installed").is_file():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], check=True,
                       cwd=PEER_DIR)
        (PEER_DIR / "node_modules" / ".installed").touch()


def _wait_ready(proc: subprocess.Popen[bytes], port: int, what: str, log: Path,
                timeout: float = 120) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}; see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not listen within {timeout:.0f} s; see {log}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- the twin both answer -------------------------------------------------------------------


def _hdt_twin(answer: dict[str, Any]) -> dict[str, Any]:
    twin = answer["data"]["twin"]
    p = twin["patient"]
    return {
        "patient": p,
        "stages": sorted(({"id": s["id"], "stage": s["__typename"].upper(), "at": s["at"],
                           "observations": _sorted(s["observations"]),
                           "diseases": _sorted(s.get("diseases", []), "code")}
                          for s in twin["timeline"]), key=lambda s: (s["at"], s["id"])),
        "transactions": _sorted([{**t, "medication": [t["medication"]]}
                                 for t in twin["medicationTransactions"]]),
        "care_team": _sorted(twin["careTeam"]),
    }


def _peer_twin(answer: dict[str, Any]) -> dict[str, Any]:
    [p] = answer["data"]["patients"]
    return {
        "patient": {k: p[k] for k in ("id", "givenName", "familyName", "birthDate", "sex", "mrn",
                                      "status", "admittedAt")},
        "stages": sorted(({**s, "observations": _sorted(s["observations"]),
                           "diseases": _sorted(s["diseases"], "code")} for s in p["stages"]),
                         key=lambda s: (s["at"], s["id"])),
        "transactions": _sorted(p["transactions"]),
        "care_team": _sorted(
            [{**d, "role": "PHYSICIAN", "company": None} for d in p["physicians"]]
            + [{**c, "role": "TRANSPORT", "specialty": None} for c in p["crews"]]),
    }


def _sorted(items: list[dict[str, Any]], key: str = "id") -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: str(item[key]))


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def _differs(ours: Any, theirs: Any, where: str = "") -> str | None:
    """The first place two twins differ, or None."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs)):
            found = _differs(ours.get(key), theirs.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            return f"{where}: {len(ours)} items against {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            found = _differs(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if ours == theirs else f"{where}: {ours!r} against {theirs!r}"


# -- load -----------------------------------------------------------------------------------


async def _load(clients: int, seconds: float,
                call: Callable[[int, int], Awaitable[None]]) -> tuple[float, list[float]]:
    """Completed calls per second, and each call's latency, with `clients` callers."""
    latencies: list[float] = []
    until = time.monotonic() + seconds

    async def worker(n: int) -> None:
        i = 0
        while time.monotonic() < until:
            start = time.perf_counter()
            await call(n, i)
            latencies.append(time.perf_counter() - start)
            i += 1

    start = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    return len(latencies) / (time.monotonic() - start), latencies


def _ok(answer: dict[str, Any]) -> None:
    if "errors" in answer:
        raise SystemExit(f"a request failed: {json.dumps(answer['errors'])[:500]}")


class Bench:
    def __init__(self, hdt_port: int, peer_port: int, token: str, ids: list[str],
                 stages: dict[str, str], seconds: float) -> None:
        self.hdt_port, self.peer_port = hdt_port, peer_port
        self.token, self.ids, self.stages, self.seconds = token, ids, stages, seconds
        self.runs: list[Run] = []

    def _wires(self, server: str, clients: int) -> list[Wire]:
        if server == "HDT":
            return [Wire("127.0.0.1", self.hdt_port, self.token) for _ in range(clients)]
        return [Wire("127.0.0.1", self.peer_port) for _ in range(clients)]

    async def run(self, workload: str, clients: int, server: str,
                  seconds: float | None = None, keep: bool = True) -> Run:
        wires = self._wires(server, clients)
        call = getattr(self, "_" + workload.replace(" ", "_").lower())
        tag = uuid.uuid4().hex[:8]

        async def one(n: int, i: int) -> None:
            await call(wires[n], server == "HDT", n * 1_000_000 + i, tag)

        for n in range(clients):  # connect (and warm) before the clock starts
            await one(n, 999_999)
        rate, latencies = await _load(clients, seconds or self.seconds, one)
        for wire in wires:
            await wire.close()
        result = Run(workload, clients, server, rate, latencies)
        if keep:
            self.runs.append(result)
        return result

    async def _twin_read(self, wire: Wire, hdt: bool, i: int, tag: str) -> None:
        patient = self.ids[i % len(self.ids)]
        _ok(await wire.post(TWIN_HDT if hdt else TWIN_PEER, {"p": patient}))

    async def _recordvitals(self, wire: Wire, hdt: bool, i: int, tag: str) -> None:
        patient = self.ids[i % len(self.ids)]
        at = f"2026-11-25T{(i // 60) % 24:02d}:{i % 60:02d}:00Z"
        if hdt:
            _ok(await wire.post(VITALS_HDT, {"i": {"patientId": patient, "vitals": [
                {"sign": "HEART_RATE", "value": 60 + i % 50, "measuredAt": at}]}}))
            return
        _ok(await wire.post(VITALS_PEER, {"i": [{
            "id": f"bench-{tag}-{i}", "code": "8867-4", "name": "Heart rate", "at": at,
            "value": float(60 + i % 50), "unit": "/min", "patientId": patient,
            "stage": {"connect": [{"where": {"node": {"id": {"eq": self.stages[patient]}}}}]},
        }]}))

    async def _admitpatient(self, wire: Wire, hdt: bool, i: int, tag: str) -> None:
        at = f"2026-11-25T{(i // 60) % 24:02d}:{i % 60:02d}:00Z"
        if hdt:
            _ok(await wire.post(ADMIT_HDT, {"i": {
                "patient": {"givenName": BENCH_NAME, "familyName": f"Synthetic {i}",
                            "birthDate": "1970-01-01", "sex": "OTHER"},
                "arrivalMode": "WALK_IN", "arrivedAt": at, "chiefComplaint": "benchmark",
                "triageLevel": 3,
                "vitals": [{"sign": sign, "value": value, "measuredAt": at}
                           for sign, _, _, value in VITAL_SIGNS]}}))
            return
        patient = f"bench-{tag}-{i}"
        _ok(await wire.post(ADMIT_PEER, {"i": [{
            "id": patient, "givenName": BENCH_NAME, "familyName": f"Synthetic {i}",
            "birthDate": "1970-01-01", "sex": "OTHER", "status": "ADMITTED", "admittedAt": at,
            "stages": {"create": [{"node": {
                "id": f"{patient}-s", "stage": "ADMISSION", "at": at, "patientId": patient,
                "observations": {"create": [{"node": {
                    "id": f"{patient}-o{k}", "code": code, "name": sign.lower(), "at": at,
                    "value": value, "unit": unit, "patientId": patient}}
                    for k, (sign, code, unit, value) in enumerate(VITAL_SIGNS)]}}}]},
        }]}))


# -- db hits --------------------------------------------------------------------------------


def _db_hits(plan: Any) -> int:
    return int(plan.get("dbHits", 0) if isinstance(plan, dict) else plan.db_hits) + sum(
        _db_hits(child) for child in (plan.get("children", []) if isinstance(plan, dict)
                                      else plan.children))


def _profile(uri: str, text: str, params: dict[str, Any]) -> int:
    with neo4j.GraphDatabase.driver(uri, auth=None, notifications_min_severity="OFF") as driver:
        summary = driver.execute_query("PROFILE " + text, params).summary
        return _db_hits(summary.profile)


def hdt_twin_statements(viewer: str, patient: str) -> list[tuple[str, dict[str, Any]]]:
    """The statements one twin read of HDT runs, with their parameters, as the server runs them
    (graph/reads.py and api/graphql/twin_reads.py): keep in step with them."""
    return [("twin_get", {"scope": "care", "viewer": viewer, "granted": [],
                          "patient_id": patient})]


def peer_twin_cypher(bolt: str, port: int, patient: str, log: Path) -> tuple[str, dict[str, Any]]:
    """The Cypher @neo4j/graphql generates for the twin query, from its own debug log."""
    env = os.environ | {"DEBUG": "@neo4j/graphql:execution"}
    with log.open("wb") as out:
        proc = subprocess.Popen(["node", "server.mjs", bolt, str(port)], cwd=PEER_DIR, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_ready(proc, port, "the peer (debug)", log)

        async def ask() -> None:
            wire = Wire("127.0.0.1", port)
            _ok(await wire.post(TWIN_PEER, {"p": patient}))
            await wire.close()

        asyncio.run(ask())
        time.sleep(0.5)
    finally:
        _stop(proc)
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text())
    stamp = r"\n\S+ @neo4j/graphql:execution "
    found = re.findall(r"executing cypher" + stamp + r"(?:CYPHER 5\n)?(.*?)" + stamp
                       + r"cypher params: (\{.*?\})\n", text, re.S)
    if not found:
        raise SystemExit(f"could not read the peer's Cypher from {log}")
    body, params = found[-1]
    return body, dict(re.findall(r"(\w+): '([^']*)'", params))


# -- the run --------------------------------------------------------------------------------


async def _login(port: int) -> str:
    wire = Wire("127.0.0.1", port)
    answer = await wire.post('mutation($u: String!, $p: String!) { login(username: $u, '
                             'password: $p) { ... on Session { token } } }',
                             {"u": PHYSICIAN, "p": PASSWORD})
    await wire.close()
    return str(answer["data"]["login"]["token"])


async def _patients(port: int, token: str) -> tuple[list[str], dict[str, str], str]:
    """The admitted patients in the physician's care, each one's latest stage, and one patient
    with three stages (the twin whose db hits are counted)."""
    wire = Wire("127.0.0.1", port, token)
    ids: list[str] = []
    after = None
    while True:
        page = (await wire.post(PAGE_HDT, {"after": after}))["data"]["patients"]
        # Not the patients an earlier run's admitPatient added (with --keep).
        ids += [edge["node"]["id"] for edge in page["edges"]
                if edge["node"]["givenName"] != BENCH_NAME]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    stages, lengths = {}, {}
    for patient in ids:
        timeline = (await wire.post(LATEST_STAGE, {"p": patient}))["data"]["twin"]["timeline"]
        stages[patient] = timeline[-1]["id"]
        lengths[patient] = len(timeline)
    await wire.close()
    three = next((p for p in ids if lengths[p] == 3), max(ids, key=lambda p: lengths[p]))
    return ids, stages, three


async def _same_twin(hdt_port: int, peer_port: int, token: str, ids: list[str]) -> int:
    hdt, peer = Wire("127.0.0.1", hdt_port, token), Wire("127.0.0.1", peer_port)
    values = 0
    for patient in ids:
        ours = _hdt_twin(await hdt.post(TWIN_HDT, {"p": patient}))
        theirs = _peer_twin(await peer.post(TWIN_PEER, {"p": patient}))
        where = _differs(ours, theirs)
        if where is not None:
            raise SystemExit(f"the two servers answer different twins for {patient}: {where}")
        values += sum(1 for _ in _leaves(ours))
    await hdt.close()
    await peer.close()
    return values


def _table(runs: list[Run], hits: tuple[int, int]) -> bool:
    print("\n| workload | C | HDT rps | peer rps | ratio | HDT p50/p95/p99 ms | "
          "peer p50/p95/p99 ms | target |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    all_met = True
    by = {(r.workload, r.clients, r.server): r for r in runs}
    for workload, clients in sorted({(r.workload, r.clients) for r in runs},
                                    key=lambda k: (list(TARGETS).index(_key(k[0])), k[1])):
        ours, theirs = by[(workload, clients, "HDT")], by[(workload, clients, "peer")]
        ratio = ours.rate / theirs.rate
        goal = TARGETS[_key(workload)]
        want = goal if isinstance(goal, float) else goal[0 if clients == 1 else 1]
        met = ratio >= want
        all_met &= met
        print(f"| {workload} | {clients} | {ours.rate:.0f} | {theirs.rate:.0f} | {ratio:.2f} | "
              f"{_pcts(ours)} | {_pcts(theirs)} | {'met' if met else 'MISSED'} ≥{want:g}x |")
    print(f"\ndb hits per twin read: HDT {hits[0]}, peer {hits[1]} "
          f"({'met' if hits[0] <= hits[1] else 'MISSED'} ≤ peer)")
    for r in runs:
        if r.server == "HDT":
            tail = r.percentile(99) / r.percentile(50)
            ok = tail <= P99_OVER_P50
            all_met &= ok
            print(f"HDT p99/p50 {r.workload}, C={r.clients}: {tail:.2f} "
                  f"({'met' if ok else 'MISSED'} ≤{P99_OVER_P50:g})")
    return all_met and hits[0] <= hits[1]


def _key(workload: str) -> str:
    return next(k for k in TARGETS if workload.startswith(k))


def _pcts(run: Run) -> str:
    return "/".join(f"{run.percentile(p):.1f}" for p in (50, 95, 99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=300,
                        help="patients `hdt demo` writes (the issue measured 1,000)")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each run")
    parser.add_argument("--profile", type=Path, default=None,
                        help="write py-spy's profile of HDT during twin reads at C=16 here")
    parser.add_argument("--keep", type=Path, default=None,
                        help="reuse (or fill) this directory: Neo4j and HDT data stay there")
    args = parser.parse_args()
    print(f"HDT vs @neo4j/graphql on Neo4j {NEO4J_VERSION}, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    started = time.monotonic()
    root = args.keep or Path(tempfile.mkdtemp(prefix="hdt-bench-neo4j-", dir="/tmp"))
    root.mkdir(parents=True, exist_ok=True)
    peer_packages()
    neo = Neo4jLocalProcess(root / "neo4j", heap="1g", pagecache="256m", plugins=(apoc_jar(),))
    bolt = neo.start()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        env = os.environ | {"HDT_GRAPH_URL": bolt, "HDT_DATA_DIR": str(root / "hdt")}
        if not (root / "hdt" / "demo.done").is_file():
            t = time.monotonic()
            subprocess.run([str(HDT), "demo", "--patients", str(args.patients), "--seed", "7"],
                           env=env, check=True, stdout=subprocess.DEVNULL,
                           stderr=(root / "hdt-demo.log").open("wb"))
            (root / "hdt" / "demo.done").write_text(str(args.patients))
            print(f"hdt demo --patients {args.patients}: {time.monotonic() - t:.0f} s")
        hdt_port, peer_port = _free_port(), _free_port()
        hdt_log, peer_log = root / "hdt-serve.log", root / "peer.log"
        with hdt_log.open("wb") as out:
            hdt = subprocess.Popen([str(HDT), "serve"], env=env | {"HDT_PORT": str(hdt_port)},
                                   stdout=out, stderr=subprocess.STDOUT)
        procs.append(hdt)
        _wait_ready(hdt, hdt_port, "hdt serve", hdt_log)
        token = asyncio.run(_login(hdt_port))
        ids, stages, sample = asyncio.run(_patients(hdt_port, token))
        viewer = json.loads(_b64(token.split(".")[1]))["sub"]
        peer_text, peer_params = peer_twin_cypher(bolt, _free_port(), sample,
                                                  root / "peer-debug.log")
        hits = (sum(_profile(bolt, _statement(name), params)
                    for name, params in hdt_twin_statements(viewer, sample)),
                _profile(bolt, peer_text, peer_params))
        with peer_log.open("wb") as out:
            peer = subprocess.Popen(["node", "server.mjs", bolt, str(peer_port)], cwd=PEER_DIR,
                                    stdout=out, stderr=subprocess.STDOUT)
        procs.append(peer)
        _wait_ready(peer, peer_port, "the peer", peer_log)
        values = asyncio.run(_same_twin(hdt_port, peer_port, token, ids))
        print(f"{len(ids)} admitted patients of {PHYSICIAN}: the same twin from both, "
              f"{values:,} values compared")
        bench = Bench(hdt_port, peer_port, token, ids, stages, args.seconds)
        logged_before = hdt_log.stat().st_size

        async def everything() -> None:
            for workload in ("twin read", "recordVitals", "admitPatient"):  # warm both up
                for server in ("HDT", "peer"):
                    await bench.run(workload, 4, server, seconds=2, keep=False)
            for workload in ("twin read", "recordVitals", "admitPatient"):
                for clients in (1, 16):
                    for server in ("HDT", "peer"):
                        spy = None
                        if (args.profile and server == "HDT" and workload == "twin read"
                                and clients == 16):
                            spy = _py_spy(hdt.pid, args.profile, args.seconds)
                        run = await bench.run(workload, clients, server)
                        if spy is not None:
                            spy.wait()
                        print(f"  {workload:13} C={clients:<2} {server:4} {run.rate:7.0f} rps "
                              f"p50/p95/p99 {_pcts(run)} ms", flush=True)

        asyncio.run(everything())
        met = _table(bench.runs, hits)
        with hdt_log.open("rb") as logged:
            logged.seek(logged_before)
            warnings = sum(1 for line in logged if b"neo4j.notifications" in line)
        print(f"Neo4j notifications HDT logged during the runs: {warnings}")
        if args.profile:
            from bench.spy import top_frames

            print(f"\npy-spy, HDT during twin reads at C=16 ({args.profile}):")
            print(top_frames(args.profile.read_text()))
        print(f"\n{'all targets met' if met else 'some targets MISSED'} "
              f"({time.monotonic() - started:.0f} s; data in {root})")
    finally:
        for proc in procs:
            _stop(proc)
        neo.stop()
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _py_spy(pid: int, out: Path, seconds: float) -> subprocess.Popen[bytes]:
    spy = ROOT / ".venv" / "bin" / "py-spy"
    return subprocess.Popen([str(spy), "record", "--pid", str(pid), "--duration",
                             str(int(seconds)), "--format", "raw", "--output", str(out),
                             "--nonblocking"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _b64(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _statement(name: str) -> str:
    from graph.cypher import statement

    return statement(name, "neo4j")


if __name__ == "__main__":
    sys.exit(main())
