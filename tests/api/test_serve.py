"""`hdt serve` as an operator runs it: answers, stops cleanly, and fails in one clear line."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.child import pid_alive
from tests.api.live import CLEAN_EXIT, HDT, env_for, wait_for_health


@pytest.fixture
def served(request: pytest.FixtureRequest, short_tmp: Path) -> Iterator[tuple[str, Path]]:
    """A real `hdt serve` process; `request.param` is the HDT_GRAPH_URL or None."""
    data_dir = short_tmp / f"serve-{request.node.name[-20:]}"
    extra = {"HDT_GRAPH_URL": request.param.format(data=data_dir)} if request.param else {}
    env = env_for(data_dir, **extra)
    proc = subprocess.Popen([HDT, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{env['HDT_PORT']}"
    try:
        wait_for_health(base, proc, timeout=180)
        yield base, data_dir
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=90) in CLEAN_EXIT


def _store_pid(data_dir: Path) -> int:
    pid_files = list(data_dir.rglob("*.pid"))
    assert len(pid_files) == 1, pid_files
    return int(pid_files[0].read_text())


@pytest.mark.parametrize(
    "served", [None, "neo4j-local:///{data}/neo4j"], indirect=True, ids=["embedded", "neo4j-local"]
)
def test_serve_answers_health_graphql_and_graphiql(served: tuple[str, Path]) -> None:
    base, _ = served
    assert httpx.get(f"{base}/ready").json()["ready"] is True
    answer = httpx.post(f"{base}/graphql", json={"query": "{ serverInfo { graphBackend } }"})
    assert answer.status_code == 200
    assert answer.json()["data"]["serverInfo"]["graphBackend"] in {"falkordb", "neo4j"}
    page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_stopping_the_server_stops_its_store(short_tmp: Path) -> None:
    data_dir = short_tmp / "serve-stop"
    env = env_for(data_dir)
    proc = subprocess.Popen([HDT, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_for_health(f"http://127.0.0.1:{env['HDT_PORT']}", proc, timeout=60)
    store_pid = _store_pid(data_dir)
    assert pid_alive(store_pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) in CLEAN_EXIT
    assert not pid_alive(store_pid)


def test_a_killed_server_takes_its_store_with_it(short_tmp: Path) -> None:
    data_dir = short_tmp / "serve-kill"
    env = env_for(data_dir)
    proc = subprocess.Popen([HDT, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    wait_for_health(f"http://127.0.0.1:{env['HDT_PORT']}", proc, timeout=60)
    store_pid = _store_pid(data_dir)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 30
    while pid_alive(store_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(store_pid)


def _one_line_failure(env: dict[str, str]) -> str:
    done = subprocess.run([HDT, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def test_a_bad_graph_url_is_one_line(short_tmp: Path) -> None:
    line = _one_line_failure(env_for(short_tmp / "bad-url", HDT_GRAPH_URL="mongodb://x"))
    assert line.startswith("hdt: HDT_GRAPH_URL='mongodb://x': unknown scheme")


def test_an_unwritable_data_directory_is_one_line(short_tmp: Path) -> None:
    blocker = short_tmp / "not-a-dir"
    blocker.write_text("")
    line = _one_line_failure(env_for(blocker / "data"))
    assert "is not writable" in line


def test_neo4j_local_without_java_is_one_line(short_tmp: Path) -> None:
    bare_path = short_tmp / "bin-without-java"
    bare_path.mkdir(exist_ok=True)
    env = env_for(short_tmp / "no-java", HDT_GRAPH_URL=f"neo4j-local:///{short_tmp}/no-java/neo4j")
    env["PATH"] = str(bare_path)
    env.pop("JAVA_HOME", None)
    assert shutil.which("java", path=env["PATH"]) is None
    line = _one_line_failure(env)
    assert "Java 17" in line


def test_a_lost_master_key_is_named_and_not_replaced(short_tmp: Path) -> None:
    data_dir = short_tmp / "lost-key"
    env = env_for(data_dir, HDT_ADMIN_PASSWORD="a-long-enough-password")
    subprocess.run([HDT, "create-admin", "--username", "admin", "--display-name", "Admin"],
                   env=env, check=True, capture_output=True)
    master = next(data_dir.rglob("master.key"))
    master.unlink()
    line = _one_line_failure(env)
    assert f"{master} is missing" in line
    assert not master.exists()  # a fresh key would lock the old ledger's payloads away for good


@pytest.mark.parametrize("graph_url", [None, "neo4j-local:///{data}/neo4j"],
                         ids=["embedded", "neo4j-local"])
def test_ctrl_c_stops_the_server_which_then_stops_its_store_in_order(
    short_tmp: Path, graph_url: str | None
) -> None:
    """Ctrl-C in a terminal sends SIGINT to the whole foreground process group. The store
    child lives in its own session, so only the server gets it: the server snapshots the
    store and then stops it, rather than finding it already dying."""
    data_dir = short_tmp / f"serve-sigint-{'neo4j' if graph_url else 'embedded'}"
    extra = {"HDT_GRAPH_URL": graph_url.format(data=data_dir)} if graph_url else {}
    env = env_for(data_dir, HDT_ADMIN_PASSWORD="sigint test passphrase", **extra)
    subprocess.run([HDT, "create-admin", "--username", "admin", "--display-name", "Admin"],
                   env=env, check=True, capture_output=True)
    # A process group of its own, as a shell gives a foreground job.
    # A job started in the background of a script inherits SIGINT ignored; a terminal's
    # foreground job has it at its default, so the server reports Ctrl-C as 128 + SIGINT.
    proc = subprocess.Popen([HDT, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    wait_for_health(f"http://127.0.0.1:{env['HDT_PORT']}", proc, timeout=180)
    store_pid = _store_pid(data_dir)
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=90) == 128 + signal.SIGINT  # shut down, then reported Ctrl-C
    assert proc.stderr is not None
    log = proc.stderr.read().decode()
    assert "Application shutdown complete" in log and "Traceback" not in log, log
    assert "rewrite failed" not in log and "rewrite still running" not in log, log
    assert not pid_alive(store_pid)
    if graph_url is None:
        store_log = (data_dir / "graph" / "falkordb.log").read_text()
        assert "Received SIGTERM" in store_log and "Received SIGINT" not in store_log
    else:
        assert "HDT-NEO4J-STOPPED" in (data_dir / "neo4j" / "neo4j-local.log").read_text()
    audit = subprocess.run([HDT, "audit"], env=env, capture_output=True, text=True, timeout=300)
    assert "OK: the graph is exactly what the ledger gives" in audit.stdout, audit.stderr
