"""What both store launchers share: children that die with us, pid files that outlive a crash."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import stat
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


PRIVATE_UMASK = 0o077
"""The umask our store children run under: every file they create is 0600, every directory
0700, since the graph holds names, diagnoses and password hashes in clear."""


def ensure_writable(directory: Path, what: str, *, contents: bool = False) -> None:
    """Create `directory` private to us (0700) if needed, prove we can write in it, or raise
    one clear line.

    An existing directory that others may read (a looser umask, a copy, an older version) is
    tightened to 0700, and with `contents` so is every file and directory under it (group
    and other bits cleared); each change is logged as a warning naming the path. Fixing
    rather than refusing: the store's own files are ours alone, so nothing else can rely on
    reading them.
    """
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        tightened = _tighten(directory)
        if contents:
            for root, dirs, files in os.walk(directory):
                tightened += sum(_tighten(Path(root, name)) for name in dirs + files)
        probe = directory / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StoreUnavailable(
            f"the {what} directory {directory} is not writable ({exc.strerror})"
        ) from None
    if tightened:
        log.warning("files readable by others made private", extra={
            "event": "store.permissions_tightened", "path": str(directory),
            "files": tightened})


def _tighten(path: Path) -> int:
    """Clear the group and other bits of `path` (not following a symlink); 1 if it had any."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode) or not mode & 0o077:
        return 0
    os.chmod(path, stat.S_IMODE(mode) & ~0o077)
    return 1


def write_private(path: Path, text: str) -> None:
    """Write a small file (a pid) readable by us alone."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
