"""A real Neo4j Community server on this machine, without Docker or a Neo4j install.

Why: HDT's Neo4j backend must be tested against a real Neo4j, but the machines it is built and
tested on have no Docker. Neo4j Community is published on Maven Central as a library, so a tiny
Java launcher (``src/main/java/hdt/Neo4jLocal.java`` beside this file) runs it embedded with
only a Bolt connector on 127.0.0.1. This module builds that launcher with Maven (once; Maven
caches the ~210 jars) and manages the Java process: start on a data directory, wait until
Bolt is ready, stop cleanly, and recover after a crash.

Typical use::

    from graph.neo4j_local import Neo4jLocalProcess

    with Neo4jLocalProcess(Path("data/neo4j")) as server:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=None)

Files kept in the data directory: ``neo4j-local.pid`` (the Java pid while it runs),
``neo4j-local.log`` (the launcher's stdout and stderr), ``logs/`` (Neo4j's own logs) and
``data/`` (the store).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Final

from graph.child import PRIVATE_UMASK, ensure_writable, pid_alive, write_private
from graph.store import StoreUnavailable

__all__ = [
    "NEO4J_VERSION",
    "DataDirInUse",
    "JavaMissing",
    "Neo4jLocalError",
    "Neo4jLocalProcess",
    "PortInUse",
    "build",
    "classpath",
    "find_java",
    "java_version",
    "stop_running",
]

#: The Neo4j version the launcher pins (kept in step with ``pom.xml``).
NEO4J_VERSION: Final = "5.26.30"
#: The oldest Java that Neo4j 5.26 runs on.
MIN_JAVA: Final = 17

_HERE: Final = Path(__file__).resolve().parent
_POM: Final = _HERE / "pom.xml"
_SOURCES: Final = _HERE / "src" / "main" / "java"
_TARGET: Final = _HERE / "target"
_CLASSES: Final = _TARGET / "classes"
_CLASSPATH_FILE: Final = _TARGET / "classpath.txt"
_STAMP_FILE: Final = _TARGET / "hdt-build.stamp"
_BUILD_LOCK: Final = _TARGET / ".hdt-build.lock"

_MAIN_CLASS: Final = "hdt.Neo4jLocal"
_READY_MARK: Final = "HDT-NEO4J-READY "
_ERROR_MARK: Final = "HDT-NEO4J-ERROR "
_PID_FILE: Final = "neo4j-local.pid"
_LOG_FILE: Final = "neo4j-local.log"
_HOST: Final = "127.0.0.1"

# Exit codes of the launcher (see Neo4jLocal.java).
_EXIT_USAGE: Final = 2
_EXIT_PORT_IN_USE: Final = 3
_EXIT_DIR_IN_USE: Final = 4

# Flags the Neo4j server scripts pass too: without the opens, the page cache and Netty fall
# back to slower reflection-free paths and log warnings.
_JVM_FLAGS: Final = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dfile.encoding=UTF-8",
    "-XX:-OmitStackTraceInFastThrow",
)


class JavaMissing(Exception):
    """No Java (or one too old) to run Neo4j; the message is one line that says what was found."""


class Neo4jLocalError(Exception):
    """The launcher could not be built, started or stopped; the message says why."""


class PortInUse(Neo4jLocalError):
    """The requested Bolt port is already taken by another process."""


class DataDirInUse(Neo4jLocalError):
    """Another Neo4j process (or a live launcher) holds the data directory."""


# --------------------------------------------------------------------------------------------
# Java and the build
# --------------------------------------------------------------------------------------------


def find_java() -> str | None:
    """Return the java executable to use: ``$JAVA_HOME/bin/java`` if set, else ``java`` on PATH.

    JAVA_HOME is honoured because it is the usual way to pick one JDK among several; nothing
    else is read from the environment.
    """
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("java")


def java_version(java: str | None = None) -> int | None:
    """Return the feature version of ``java`` (e.g. 17, or 8 for "1.8.0_x"), None if unusable."""
    exe = java if java is not None else find_java()
    if exe is None:
        return None
    try:
        proc = subprocess.run(
            [exe, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr + proc.stdout)
    if match is None:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2) is not None:  # "1.8.0_392" style
        return int(match.group(2))
    return major


def _require_java() -> str:
    """Return a java executable of at least MIN_JAVA, or raise JavaMissing saying what was found."""
    java = find_java()
    version = java_version(java) if java is not None else None
    if java is None or version is None or version < MIN_JAVA:
        found = "none" if java is None else f"{java}, version {version or 'unknown'}"
        raise JavaMissing(f"Java {MIN_JAVA}+ is needed for neo4j-local:// (found: {found})")
    return java


def _source_digest() -> str:
    """Hash the pom and Java sources, so an edit to either triggers a rebuild."""
    digest = hashlib.sha256()
    for path in [_POM, *sorted(_SOURCES.rglob("*.java"))]:
        digest.update(path.relative_to(_HERE).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _build_is_current(digest: str) -> bool:
    """True if the last build matches the sources and every jar it listed still exists.

    The jars live in the Maven cache (~/.m2), which can be wiped independently of target/.
    """
    try:
        if _STAMP_FILE.read_text().strip() != digest:
            return False
        entries = _CLASSPATH_FILE.read_text().strip().split(os.pathsep)
    except OSError:
        return False
    if not (_CLASSES / "hdt" / "Neo4jLocal.class").is_file():
        return False
    return all(entry and Path(entry).exists() for entry in entries)


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """Serialise builds across processes (parallel test workers share one target/)."""
    _TARGET.mkdir(parents=True, exist_ok=True)
    with open(_BUILD_LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(quiet: bool = True) -> Path:
    """Compile the launcher and resolve Neo4j's jars with Maven if needed; return the cp file.

    Maven runs only when target/ lacks a build of the current pom and sources (a stamp holds
    their hash) or a listed jar has gone from the Maven cache. The first run downloads ~210
    jars (~125 MB) into ~/.m2; later runs are a few seconds or, when current, instant.
    """
    digest = _source_digest()
    if _build_is_current(digest):
        return _CLASSPATH_FILE
    with _build_lock():
        if _build_is_current(digest):  # another process built it while we waited
            return _CLASSPATH_FILE
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jLocalError(
                "Maven (mvn) is needed to build the neo4j-local launcher (found: none)"
            )
        _require_java()
        _STAMP_FILE.unlink(missing_ok=True)
        cmd = [
            mvn,
            "-B",
            *(["-q"] if quiet else []),
            "-f",
            str(_POM),
            "compile",
            "dependency:build-classpath",
            f"-Dmdep.outputFile={_CLASSPATH_FILE}",
        ]
        proc = subprocess.run(
            cmd,
            stdout=subprocess.PIPE if quiet else None,
            stderr=subprocess.STDOUT if quiet else None,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            tail = _tail_lines(proc.stdout or "", 30)
            raise Neo4jLocalError(
                f"Maven failed to build the neo4j-local launcher (exit {proc.returncode}); "
                f"run `mvn -f {_POM} compile` to see why.\n{tail}"
            )
        _STAMP_FILE.write_text(digest + "\n")
    return _CLASSPATH_FILE


def classpath() -> str:
    """Return the launcher's Java classpath (its classes, then Neo4j's jars), building first."""
    jars = build().read_text().strip()
    return os.pathsep.join([str(_CLASSES), jars])


# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------


def _tail_lines(text: str, count: int) -> str:
    return "\n".join(text.splitlines()[-count:])


def _free_port() -> int:
    """Ask the kernel for a free loopback port (it may be taken again before Neo4j binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _is_launcher_for(pid: int, data_dir: Path) -> bool:
    """True if ``pid`` is a live launcher for ``data_dir`` (guards against reused pids)."""
    if not pid_alive(pid):
        return False
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc: trust the pid file rather than risk two servers on one store
    return _MAIN_CLASS.encode() in args and str(data_dir).encode() in args


def _read_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / _PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def _wait_gone(pid: int, timeout: float, proc: subprocess.Popen[bytes] | None) -> bool:
    """Wait until ``pid`` has exited (reaping it if it is our child); True if it did."""
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None:
            try:
                proc.wait(timeout=0.05)
                return True
            except subprocess.TimeoutExpired:
                pass
        elif not pid_alive(pid):
            return True
        else:
            time.sleep(0.05)
        if time.monotonic() >= deadline:
            return False


def _terminate(pid: int, timeout: float, proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM (clean shutdown via the launcher's hook), then SIGKILL after ``timeout``."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if _wait_gone(pid, timeout, proc):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait_gone(pid, 10.0, proc):
        raise Neo4jLocalError(f"neo4j-local process {pid} did not exit even after SIGKILL")


def stop_running(data_dir: Path, timeout: float = 30.0) -> bool:
    """Stop a launcher left running on ``data_dir`` by another Python process; True if one was.

    Why: a server started with ``watch_parent=False`` outlives its starter; this finds it
    through the pid file (checking the pid really is that launcher) and shuts it down cleanly.
    """
    data_dir = data_dir.resolve()
    pid = _read_pid(data_dir)
    if pid is None or not _is_launcher_for(pid, data_dir):
        (data_dir / _PID_FILE).unlink(missing_ok=True)
        return False
    _terminate(pid, timeout, None)
    (data_dir / _PID_FILE).unlink(missing_ok=True)
    return True


class Neo4jLocalProcess:
    """One embedded Neo4j server on one data directory, reachable at ``uri`` once started.

    ``port=None`` picks a free loopback port. ``heap`` bounds the JVM heap (-Xms and -Xmx);
    ``pagecache`` bounds Neo4j's off-heap page cache, which otherwise grows to half the RAM.
    With ``watch_parent`` (the default) the server also shuts down cleanly when this Python
    process dies without calling stop(), so a crashed test run leaves no JVM behind; pass
    False for a server meant to outlive its starter (then use :func:`stop_running`).

    Restarting after a crash (kill -9 of Java or of Python) needs nothing special: Neo4j's
    store lock is an OS file lock that dies with the process, committed transactions are in its
    transaction log and are recovered on the next start, and a stale pid file is ignored.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        heap: str = "512m",
        *,
        pagecache: str = "128m",
        start_timeout: float = 120.0,
        stop_timeout: float = 30.0,
        watch_parent: bool = True,
        plugins: tuple[Path, ...] = (),
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.plugins = plugins
        """Plugin jars (APOC, for a benchmark's peer): copied to the plugin directory, whence
        Neo4j loads their procedures, and put on the class path, whence embedded Neo4j loads
        the extensions those procedures are injected with."""
        self.requested_port = port
        self.heap = heap
        self.pagecache = pagecache
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.watch_parent = watch_parent
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._uri: str | None = None
        self._port: int | None = None

    # -- public API -------------------------------------------------------------------------

    @property
    def uri(self) -> str:
        """The Bolt URI (``bolt://127.0.0.1:PORT``) of the running server."""
        if self._uri is None:
            raise Neo4jLocalError("neo4j-local is not running; call start() first")
        return self._uri

    @property
    def port(self) -> int:
        """The Bolt port of the running server."""
        if self._port is None:
            raise Neo4jLocalError("neo4j-local is not running; call start() first")
        return self._port

    @property
    def pid(self) -> int | None:
        """The Java process id while it runs, else None."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    @property
    def log_path(self) -> Path:
        """The launcher's stdout/stderr log; Neo4j's own logs are in ``data_dir / "logs"``."""
        return self.data_dir / _LOG_FILE

    def start(self) -> str:
        """Start the server and wait until Bolt accepts connections; return the Bolt URI.

        Raises JavaMissing, PortInUse, DataDirInUse or Neo4jLocalError (the latter with the
        last lines of the log when Neo4j itself failed or did not get ready in time).
        """
        if self._proc is not None:
            if self._proc.poll() is None:
                return self.uri
            self._cleanup()
        java = _require_java()
        cp = os.pathsep.join([classpath(), *(str(jar.resolve()) for jar in self.plugins)])
        self._prepare_data_dir()
        if self.plugins:
            (self.data_dir / "plugins").mkdir(exist_ok=True)
            for jar in self.plugins:
                shutil.copy(jar, self.data_dir / "plugins" / jar.name)
        attempts = 3 if self.requested_port is None else 1
        for attempt in range(attempts):
            port = self.requested_port if self.requested_port is not None else _free_port()
            try:
                return self._launch(java, cp, port)
            except PortInUse:
                # A free port chosen by us was grabbed before Neo4j bound it: pick another.
                if attempt + 1 == attempts:
                    raise
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Shut down cleanly (SIGTERM), SIGKILL after ``stop_timeout``; no process is left."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            _terminate(proc.pid, self.stop_timeout, proc)
        self._cleanup()

    def __enter__(self) -> Neo4jLocalProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self._uri if self.pid is not None else "stopped"
        return f"Neo4jLocalProcess({str(self.data_dir)!r}, {state})"

    # -- internals --------------------------------------------------------------------------

    def _prepare_data_dir(self) -> None:
        """Create the data dir and clear a stale pid file; refuse if a live launcher owns it."""
        try:
            # The store holds every record in clear: ours alone (0700), tightened if not.
            ensure_writable(self.data_dir, "neo4j-local data", contents=True)
        except StoreUnavailable as exc:
            raise Neo4jLocalError(str(exc)) from None
        pid = _read_pid(self.data_dir)
        if pid is not None and _is_launcher_for(pid, self.data_dir):
            raise DataDirInUse(
                f"data directory {self.data_dir} is in use by neo4j-local process {pid} "
                "(stop it, e.g. with graph.neo4j_local.stop_running)"
            )
        (self.data_dir / _PID_FILE).unlink(missing_ok=True)

    def _launch(self, java: str, cp: str, port: int) -> str:
        cmd = [
            java,
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *_JVM_FLAGS,
            "-cp",
            cp,
            _MAIN_CLASS,
            str(self.data_dir),
            str(port),
            "--pagecache",
            self.pagecache,
        ]
        if self.watch_parent:
            cmd.append("--watch-stdin")
        # Kept open for the process's lifetime; private, as everything the store writes.
        log = os.fdopen(os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600),
                        "ab")
        log.write(f"--- neo4j-local start {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        log.flush()
        offset = log.tell()
        try:
            proc = subprocess.Popen(
                cmd,
                # Kept open (never written): EOF tells the launcher that its parent is gone.
                stdin=subprocess.PIPE if self.watch_parent else subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd=self.data_dir,
                umask=PRIVATE_UMASK,
                # Own session: a Ctrl-C in the terminal reaches Python, which stops Neo4j
                # cleanly, instead of hitting the JVM directly.
                start_new_session=True,
            )
        except OSError as exc:
            log.close()
            raise Neo4jLocalError(f"could not run {java}: {exc}") from exc
        self._proc, self._log = proc, log
        write_private(self.data_dir / _PID_FILE, f"{proc.pid}\n")
        try:
            uri = self._wait_ready(proc, offset)
        except BaseException:
            if proc.poll() is None:
                _terminate(proc.pid, self.stop_timeout, proc)
            self._cleanup()
            raise
        self._uri, self._port = uri, port
        return uri

    def _wait_ready(self, proc: subprocess.Popen[bytes], offset: int) -> str:
        """Poll the log for the ready line; fail fast if the launcher exits first."""
        deadline = time.monotonic() + self.start_timeout
        while True:
            text = self._log_since(offset)
            for line in text.splitlines():
                if line.startswith(_READY_MARK):
                    return line[len(_READY_MARK) :].strip()
            code = proc.poll()
            if code is not None:
                text = self._log_since(offset)
                raise self._start_error(code, text)
            if time.monotonic() >= deadline:
                raise Neo4jLocalError(
                    f"neo4j-local did not get ready within {self.start_timeout:.0f} s "
                    f"(log: {self.log_path}); last lines:\n{self._diagnostic_tail(text)}"
                )
            time.sleep(0.1)

    def _log_since(self, offset: int) -> str:
        with open(self.log_path, "rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", "replace")

    def _start_error(self, code: int, text: str) -> Neo4jLocalError:
        errors = [ln for ln in text.splitlines() if ln.startswith(_ERROR_MARK)]
        reason = errors[-1][len(_ERROR_MARK) :] if errors else f"exited with code {code}"
        message = f"neo4j-local could not start: {reason}"
        if code == _EXIT_PORT_IN_USE:
            return PortInUse(message)
        if code == _EXIT_DIR_IN_USE:
            return DataDirInUse(message)
        if code == _EXIT_USAGE:
            return Neo4jLocalError(message)
        return Neo4jLocalError(
            f"{message} (log: {self.log_path}); last lines:\n{self._diagnostic_tail(text)}"
        )

    def _diagnostic_tail(self, launcher_text: str) -> str:
        """The launcher's last output plus the end of Neo4j's debug.log, where causes end up."""
        parts = [_tail_lines(launcher_text, 15)]
        debug_log = self.data_dir / "logs" / "debug.log"
        with contextlib.suppress(OSError):
            debug_tail = _tail_lines(debug_log.read_text(errors="replace"), 10)
            parts.append(f"--- {debug_log}:\n{debug_tail}")
        return "\n".join(part for part in parts if part)

    def _cleanup(self) -> None:
        """Forget the process; remove the pid file only if it still names our process."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
            if _read_pid(self.data_dir) == proc.pid:
                (self.data_dir / _PID_FILE).unlink(missing_ok=True)
        if self._log is not None:
            self._log.close()
            self._log = None
        self._uri = self._port = None
