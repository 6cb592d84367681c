"""What both store launchers share: children that die with us, pid files that outlive a crash."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import time
from pathlib import Path

from graph.store import StoreUnavailable

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to send SIGTERM to this (child) process when its parent dies.

    Runs in the child between fork and exec, so that a server killed with SIGKILL does not
    leave its store running behind it; the store then shuts down cleanly on its own.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def pid_command(pid: int) -> str:
    """The command line of a running process, or '' when it cannot be read."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def stop_stale(pid_file: Path, marker: str) -> None:
    """Stop a leftover child from an earlier run that crashed, then remove its pid file.

    Only a process whose command line contains `marker` (our data directory) is signalled,
    so a recycled pid belonging to something else is never touched.
    """
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        pid_file.unlink(missing_ok=True)
        return
    if pid_alive(pid) and marker in pid_command(pid):
        log.warning("stopping a store left running by an earlier run", extra={"pid": pid})
        terminate(pid, timeout=60)
    pid_file.unlink(missing_ok=True)


def terminate(pid: int, timeout: float) -> None:
    """SIGTERM, wait up to `timeout` seconds, then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.05)


def stop_child(proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Stop a child we started and reap it, so no zombie or orphan is left."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ensure_writable(directory: Path, what: str) -> None:
    """Create `directory` if needed and prove we can write in it, or raise one clear line."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StoreUnavailable(
            f"the {what} directory {directory} is not writable ({exc.strerror})"
        ) from None
