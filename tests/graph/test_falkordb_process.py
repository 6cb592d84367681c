"""The embedded store as the server runs it: a child process that keeps its data and cleans up."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
import redis

from graph import backends, projection
from graph.child import pid_alive
from graph.falkordb_store import FalkorProcess, FalkorStore
from graph.store import GraphStore, StoreUnavailable
from tests import synthetic

pytestmark = pytest.mark.anyio


async def _write_patient(store: GraphStore) -> str:
    doctor = synthetic.physician()
    event = synthetic.admission(synthetic.new_id(), by=doctor.user_id)
    await projection.apply(store, doctor, 0)
    await projection.apply(store, event, 1)
    return event.patient_id


async def test_data_survives_a_clean_restart(short_tmp: Path) -> None:
    data_dir = short_tmp / "restart"
    store = FalkorStore(data_dir)
    await store.open()
    patient_id = await _write_patient(store)
    await store.close()

    store = FalkorStore(data_dir)
    await store.open()
    assert await store.read("patient_get", {"patient_id": patient_id})
    assert await projection.cursor(store) == 1
    await store.close()


async def test_stop_leaves_no_process_and_no_socket(short_tmp: Path) -> None:
    store = FalkorStore(short_tmp / "stop")
    await store.open()
    assert store.process is not None
    pid = store.process.pid
    assert pid is not None and pid_alive(pid)
    await store.close()
    assert not pid_alive(pid)
    assert not (short_tmp / "stop" / "graph.sock").exists()
    assert not (short_tmp / "stop" / "graph.pid").exists()


async def test_a_store_left_running_by_a_crash_is_replaced_and_its_data_kept(
    short_tmp: Path,
) -> None:
    data_dir = short_tmp / "stale"
    orphan = FalkorStore(data_dir)
    await orphan.open()
    patient_id = await _write_patient(orphan)
    assert orphan.process is not None
    orphan_pid = orphan.process.pid
    assert orphan_pid is not None

    # A new server on the same directory, as after our own process was killed.
    store = FalkorStore(data_dir)
    await store.open()
    assert not pid_alive(orphan_pid)
    assert await store.read("patient_get", {"patient_id": patient_id})
    await store.close()


async def test_data_survives_the_store_being_killed(short_tmp: Path) -> None:
    data_dir = short_tmp / "killed"
    store = FalkorStore(data_dir)
    await store.open()
    patient_id = await _write_patient(store)
    assert store.process is not None and store.process.pid is not None
    os.kill(store.process.pid, signal.SIGKILL)
    await store.close()

    store = FalkorStore(data_dir)
    await store.open()
    assert await store.read("patient_get", {"patient_id": patient_id})
    await store.close()


async def test_a_store_that_dies_under_a_running_server_is_restarted(short_tmp: Path) -> None:
    store = FalkorStore(short_tmp / "revive")
    await store.open()
    patient_id = await _write_patient(store)
    assert store.process is not None and store.process.pid is not None
    first_pid = store.process.pid
    os.kill(first_pid, signal.SIGKILL)
    while pid_alive(first_pid):
        await asyncio.sleep(0.01)
    assert await store.read("patient_get", {"patient_id": patient_id})
    assert store.process.pid != first_pid and pid_alive(store.process.pid)
    await store.close()


def test_a_stale_pid_file_of_another_program_is_ignored(short_tmp: Path) -> None:
    data_dir = short_tmp / "pidfile"
    data_dir.mkdir()
    (data_dir / "graph.pid").write_text(str(os.getpid()))  # alive, but not a store of ours
    (data_dir / "graph.sock").write_text("left over")
    process = FalkorProcess(data_dir)
    process.start()
    try:
        assert pid_alive(os.getpid())
        assert process.socket.is_socket()
    finally:
        process.stop()


def test_an_unusable_data_directory_is_one_clear_error(short_tmp: Path) -> None:
    blocker = short_tmp / "a-file"
    blocker.write_text("")
    with pytest.raises(StoreUnavailable, match=r"directory .*a-file/graph is not writable"):
        FalkorProcess(blocker / "graph").start()


def test_a_socket_path_too_long_for_unix_is_one_clear_error(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 120)
    with pytest.raises(StoreUnavailable, match="longer than"):
        FalkorProcess(deep).start()


async def test_a_store_out_of_memory_is_unavailable_not_a_refused_statement(
    short_tmp: Path,
) -> None:
    """The recorder retries an unavailable store but skips a refused statement for good:
    a full memory must be the first, or the event it hit would never reach the graph."""
    store = FalkorStore(short_tmp / "oom")
    await store.open()
    assert store.process is not None
    admin = redis.Redis(unix_socket_path=str(store.process.socket))
    try:
        admin.config_set("maxmemory", "1")
        doctor = synthetic.physician()
        with pytest.raises(StoreUnavailable, match=r"cannot take it now: .*maxmemory"):
            await projection.apply(store, doctor, 0)
        admin.config_set("maxmemory", "0")
        assert await projection.apply(store, doctor, 0)
    finally:
        admin.close()
        await store.close()


async def test_a_scratch_store_starts_empty_and_leaves_nothing_behind(short_tmp: Path) -> None:
    work_dir = short_tmp / "scratch"
    async with backends.scratch_store(work_dir) as scratch:
        assert await projection.cursor(scratch) == -1
        patient_id = await _write_patient(scratch)
        assert await scratch.read("patient_get", {"patient_id": patient_id})
        directory = next(work_dir.iterdir())
        assert (directory / "graph.sock").exists()
    assert list(work_dir.iterdir()) == []


async def test_a_scratch_store_under_a_long_path_goes_to_the_temporary_directory(
    tmp_path: Path,
) -> None:
    work_dir = tmp_path / ("x" * 80)
    async with backends.scratch_store(work_dir) as scratch:
        assert await projection.cursor(scratch) == -1
    assert list(work_dir.iterdir()) == []


def readable_by_others(directory: Path) -> list[str]:
    """Every path under `directory` (itself included) that group or others may access."""
    paths = [directory, *directory.rglob("*")]
    return [f"{p} {oct(p.lstat().st_mode & 0o777)}" for p in paths
            if not p.is_symlink() and p.lstat().st_mode & 0o077]


async def test_the_stores_files_are_private_whatever_the_umask(short_tmp: Path) -> None:
    """The append-only file and its snapshot hold every record in clear: 0600 in a 0700
    directory, even when the server runs under the common umask 022."""
    data_dir = short_tmp / "private"
    old = os.umask(0o022)
    try:
        store = FalkorStore(data_dir)
        await store.open()
        await _write_patient(store)
        await store.close()  # rewrites the append-only file as a snapshot
    finally:
        os.umask(old)
    written = [p.name for p in data_dir.rglob("*")]
    assert any(name.endswith(".aof") for name in written)
    assert any(name.endswith(".rdb") for name in written)
    assert readable_by_others(data_dir) == []


async def test_store_files_readable_by_others_are_made_private_at_start(
    short_tmp: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = short_tmp / "loose"
    store = FalkorStore(data_dir)
    await store.open()
    patient_id = await _write_patient(store)
    await store.close()
    for path in [data_dir, *data_dir.rglob("*")]:  # as an older version left them
        path.chmod(0o755 if path.is_dir() else 0o644)
    store = FalkorStore(data_dir)
    with caplog.at_level("WARNING", logger="graph.child"):
        await store.open()
    try:
        assert readable_by_others(data_dir) == []
        assert await store.read("patient_get", {"patient_id": patient_id})
    finally:
        await store.close()
    [warning] = [r for r in caplog.records if r.message == "files readable by others made private"]
    assert warning.path == str(data_dir)  # type: ignore[attr-defined]
    assert warning.files >= 3  # type: ignore[attr-defined]
