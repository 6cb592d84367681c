"""Tests for graph.neo4j_local: a real embedded Neo4j Community started without Docker.

They start real JVMs (~5 s each), so each test does several checks per start; the Maven build
is shared (and skipped when target/ is current). Total run time is about 40 s when built.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

import graph.neo4j_local as nl
from graph.neo4j_local import (
    DataDirInUse,
    JavaMissing,
    Neo4jLocalProcess,
    PortInUse,
    build,
    java_version,
)
from tests.graph.test_falkordb_process import readable_by_others

REPO = Path(__file__).resolve().parents[2]


def _gone(pid: int) -> bool:
    """True once ``pid`` no longer exists (a zombie of another parent counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z"
    except OSError:
        return True


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.05)
    return _gone(pid)


def _count(uri: str, label: str) -> int:
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        records, _, _ = driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS c")
        return int(records[0]["c"])


def _write(uri: str, label: str, value: int) -> None:
    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        driver.execute_query(f"CREATE (:{label} {{v: $v}})", v=value)


@pytest.fixture(scope="module")
def built() -> Path:
    """Build the launcher once for the module (a no-op when target/ is current)."""
    if java_version() is None:
        pytest.skip("no java on this machine: neo4j-local needs Java 17+")
    return build()


@pytest.fixture
def server(tmp_path: Path, built: Path) -> Iterator[Neo4jLocalProcess]:
    proc = Neo4jLocalProcess(tmp_path / "neo4j")
    yield proc
    proc.stop()


def test_java_version_is_at_least_17() -> None:
    version = java_version()
    if version is None:
        pytest.skip("no java on this machine")
    assert version >= 17


def test_java_missing_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(nl, "find_java", lambda: None)
    with pytest.raises(JavaMissing) as info:
        Neo4jLocalProcess(tmp_path).start()
    assert str(info.value) == "Java 17+ is needed for neo4j-local:// (found: none)"


def test_build_is_cached(built: Path) -> None:
    started = time.monotonic()
    assert build() == built
    assert time.monotonic() - started < 1.0
    entries = built.read_text().strip().split(os.pathsep)
    assert any(Path(e).name == f"neo4j-{nl.NEO4J_VERSION}.jar" for e in entries)


def test_start_write_stop_restart(server: Neo4jLocalProcess) -> None:
    uri = server.start()
    assert uri == f"bolt://127.0.0.1:{server.port}"
    pid = server.pid
    assert pid is not None
    assert (server.data_dir / "neo4j-local.pid").read_text().strip() == str(pid)

    with neo4j.GraphDatabase.driver(uri, auth=None) as driver:
        records, _, _ = driver.execute_query("CALL dbms.components()")
        assert records[0]["name"] == "Neo4j Kernel"
        assert records[0]["versions"][0].startswith("5.26.")
        assert records[0]["edition"] == "community"
    _write(uri, "Patient", 1)
    _write(uri, "Patient", 2)

    # A second server on the same data dir is refused before Java even starts.
    with pytest.raises(DataDirInUse, match="in use"):
        Neo4jLocalProcess(server.data_dir).start()

    server.stop()
    assert _gone(pid), "stop() left the java process behind"
    assert not (server.data_dir / "neo4j-local.pid").exists()
    assert "HDT-NEO4J-STOPPED" in server.log_path.read_text()
    server.stop()  # idempotent

    server.start()
    assert _count(server.uri, "Patient") == 2


def test_restart_after_sigkill_keeps_committed_data(server: Neo4jLocalProcess) -> None:
    server.start()
    _write(server.uri, "Observation", 7)
    pid = server.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    assert server._proc is not None
    server._proc.wait(timeout=10)
    # The crash leaves the pid file behind; the next start must treat it as stale.
    assert (server.data_dir / "neo4j-local.pid").exists()

    again = Neo4jLocalProcess(server.data_dir, port=server.port)
    try:
        again.start()
        assert _count(again.uri, "Observation") == 1
    finally:
        again.stop()
    server.stop()


def test_taken_port_gives_clear_error(tmp_path: Path, built: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = Neo4jLocalProcess(tmp_path / "neo4j", port=port)
        with pytest.raises(PortInUse) as info:
            proc.start()
    expected = f"neo4j-local could not start: port 127.0.0.1:{port} is already in use"
    assert str(info.value) == expected
    assert proc.pid is None
    assert not (tmp_path / "neo4j" / "neo4j-local.pid").exists()


def test_unwritable_data_dir_gives_clear_error(tmp_path: Path, built: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(nl.Neo4jLocalError, match="not writable"):
        Neo4jLocalProcess(blocker / "neo4j").start()


def test_server_stops_when_its_python_parent_dies(tmp_path: Path, built: Path) -> None:
    """A crashed Python (kill -9) must not leave a JVM behind: the launcher watches stdin."""
    data_dir = tmp_path / "neo4j"
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from graph.neo4j_local import Neo4jLocalProcess
        proc = Neo4jLocalProcess(Path({str(data_dir)!r}))
        proc.start()
        print(proc.pid, flush=True)
        time.sleep(600)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        java_pid = int(parent.stdout.readline())
    finally:
        parent.kill()
        parent.wait()
    assert _wait_gone(java_pid, 30), "java outlived its killed parent"
    assert "HDT-NEO4J-STOPPED" in (data_dir / "neo4j-local.log").read_text()


def test_the_store_files_are_private_whatever_the_umask(tmp_path: Path, built: Path) -> None:
    """Neo4j's store holds every record in clear: what it writes is ours alone under the
    common umask 022, and what an older run left readable by others is tightened at start."""
    data_dir = tmp_path / "neo4j"
    data_dir.mkdir(mode=0o755)
    (data_dir / "neo4j-local.log").write_text("an older run\n")
    (data_dir / "neo4j-local.log").chmod(0o644)
    old = os.umask(0o022)
    try:
        with Neo4jLocalProcess(data_dir) as server:
            _write(server.uri, "Patient", 1)
    finally:
        os.umask(old)
    assert any(p.name.startswith("neostore") for p in data_dir.rglob("*"))
    assert readable_by_others(data_dir) == []
