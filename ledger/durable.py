"""Durable file operations: what they write survives a power cut once the call returns."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a directory's entries (new, renamed or removed files) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace `path` with `data` all at once: readers see the old or the new file, never half.

    Durable on return (file and directory fsync'd).
    """
    tmp = path.with_name(path.name + ".tmp")
    _write_synced(tmp, data, mode, os.O_TRUNC)  # a crash may have left a .tmp behind
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def write_new(path: Path, data: bytes, mode: int) -> None:
    """Create `path`, which must not exist yet (FileExistsError), holding `data`, fsync'd.

    The file's directory entry is durable only once the directory is (`fsync_dir`), which a
    caller creating several files does once for all.
    """
    _write_synced(path, data, mode, os.O_EXCL)


def _write_synced(path: Path, data: bytes, mode: int, flags: int) -> None:
    """Open `path` for writing with `flags` added, write all of `data`, fsync, close."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | flags, mode)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written (a regular file may accept fewer in one call)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def destroy(path: Path) -> None:
    """Overwrite a small secret file with zeros, then unlink it; durable on return.

    Best effort against recovery: the filesystem or the disk may keep old blocks elsewhere.
    """
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return
    try:
        size = os.fstat(fd).st_size
        write_all(fd, bytes(size))
        os.fsync(fd)
    finally:
        os.close(fd)
    path.unlink()
    fsync_dir(path.parent)
