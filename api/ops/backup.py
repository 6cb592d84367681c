"""Backups of a data directory: the ledger up to its latest signed checkpoint, the server's keys
and a manifest; restored only into an empty data directory, once every byte has been checked.

Why: the ledger is the source of truth and the graph only its projection, so a backup holds
no graph: the restored server rebuilds it by replay when it starts. A running server keeps
appending, so the copy stops at the latest signed checkpoint: the writer signs a tree only
once its entries are durable, so every file already holds that prefix, and the bytes after
it are never read. A stopped server's ledger is opened first and signs what it holds, so
nothing is left out. The backup holds the master key: keep it as secret as the data directory.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.resources import master_key
from api.settings import Settings
from ledger import ErasedSubject, KeyMissing, Ledger, LedgerLocked, SignedCheckpoint
from ledger.backup import (
    LATEST,
    CopyRefused,
    files_through,
    fsync_dir,
    holds_ledger,
    is_secret,
    latest_checkpoint,
    origin_of,
    verify_ledger,
    write_all,
    write_atomic,
)

FORMAT = "hdt-backup/1"
MANIFEST = "manifest.json"
LEDGER, SERVER_KEYS = "ledger", "keys"
SECRET, PUBLIC = 0o600, 0o644
_CHUNK = 1 << 20

Progress = Callable[[str, int, int], None]
"""Called as progress(task, done, total) while a restore decrypts every entry."""


class BackupError(ValueError):
    """A backup or a restore was refused; the message names the file or says why."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    directory: Path
    tree_size: int
    root_hash: bytes
    checkpoint: str
    files: int
    bytes: int
    server_running: bool
    """The ledger was open in a running server: the copy holds its latest signed checkpoint."""
    master_key_included: bool


@dataclass(frozen=True, slots=True)
class RestoreReport:
    data_dir: Path
    tree_size: int
    root_hash: bytes
    checkpoint: str
    erased: int
    """Entries of erased subjects (their data keys were destroyed before the backup)."""


def backup(settings: Settings, target: Path) -> BackupReport:
    """Copy the ledger (to its latest signed checkpoint), the server's keys and a manifest
    into `target`, a new or empty directory; the copy is verified before the manifest is
    written. Safe while the server runs. Raises BackupError, or a LedgerError from the ledger.
    """
    source = settings.ledger_dir
    if not holds_ledger(source):
        raise BackupError(f"{source} holds no ledger")
    _make_empty_dir(target, "the backup directory")
    copy = _Copy(target)
    with _signed(settings) as running:
        note = latest_checkpoint(source)
        if note is None:
            raise BackupError(f"{source} has no signed checkpoint yet; start the server once")
        head = SignedCheckpoint.of(note)
        try:
            for file in files_through(source, note):
                copy.file(f"{LEDGER}/{file.path}", file.chunks, SECRET if file.secret else PUBLIC)
        except CopyRefused as exc:
            raise BackupError(str(exc)) from None
    for path in sorted(p for p in settings.keys_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(settings.keys_dir).as_posix()
        copy.file(f"{SERVER_KEYS}/{relative}", _chunks(path), SECRET)
    copy.sync()
    verified = verify_ledger(target / LEDGER)
    if not verified.ok or (verified.tree_size, verified.root_hash) != (head.tree_size,
                                                                       head.root_hash):
        raise BackupError(f"the copy in {target} does not verify: {verified.message}")
    origin = origin_of(source)
    manifest = {
        "format": FORMAT,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "origin": origin,
        "tree_size": head.tree_size,
        "root_hash": base64.b64encode(head.root_hash).decode(),
        "checkpoint": note,
        "server_running": running,
        "files": copy.files,
    }
    write_atomic(target / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n")
                 .encode(), SECRET)
    return BackupReport(target, head.tree_size, head.root_hash, note, len(copy.files),
                        sum(f["size"] for f in copy.files.values()), running,
                        f"{SERVER_KEYS}/master.key" in copy.files)


def restore(settings: Settings, source: Path, progress: Progress | None = None) -> RestoreReport:
    """Restore the backup in `source` into the data directory, which must be empty.

    Checks every file against the manifest (naming the first that differs), verifies the
    ledger, opens it with the master key and decrypts every entry before anything is moved
    into place; on any failure the data directory is left empty. The graph is not restored:
    the server rebuilds it from the ledger when it next starts.
    """
    data_dir = settings.data_dir
    if data_dir.exists() and any(data_dir.iterdir()):
        names = ", ".join(sorted(p.name for p in data_dir.iterdir())[:5])
        raise BackupError(f"{data_dir} is not empty (it holds {names}): restore needs an "
                          "empty data directory")
    manifest = _manifest(source)
    files: dict[str, dict[str, Any]] = manifest["files"]
    _check_files(source, files)
    head = _check_ledger(source / LEDGER, manifest)
    if f"{SERVER_KEYS}/master.key" not in files and settings.master_key is None:
        raise BackupError("this backup holds no master key (it was made with HDT_MASTER_KEY): "
                          "set HDT_MASTER_KEY to restore it")
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = data_dir / ".restore"
    try:
        copy = _Copy(staging)
        for relative, expected in sorted(files.items()):
            mode = SECRET if _secret(relative) else PUBLIC
            copy.file(relative, _chunks(source / relative), mode)
            if copy.files[relative] != expected:
                raise BackupError(f"{relative} changed while it was being restored")
        copy.sync()
        erased = _open_and_decrypt(settings, staging, progress)
        for part in (LEDGER, SERVER_KEYS):
            if (staging / part).exists():
                (staging / part).rename(data_dir / part)
        staging.rmdir()
        fsync_dir(data_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RestoreReport(data_dir, head.tree_size, head.root_hash, head.note, erased)


# -- backing up ---------------------------------------------------------------------------


@contextlib.contextmanager
def _signed(settings: Settings) -> Iterator[bool]:
    """Hold a stopped server's ledger open (its lock keeps a server from starting meanwhile)
    with a checkpoint signing every entry it holds; yields whether a server has it open."""
    try:
        ledger = Ledger.open(settings.ledger_dir, origin=settings.ledger_origin,
                             master_key=master_key(settings))
    except LedgerLocked:
        yield True
        return
    try:
        ledger.checkpoint()
        yield False
    finally:
        ledger.close()


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            yield chunk


class _Copy:
    """Files written under `root` once each, durably, with the size and SHA-256 of each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, dict[str, Any]] = {}
        self._dirs: set[Path] = set()

    def file(self, relative: str, chunks: Iterable[bytes], mode: int = PUBLIC) -> None:
        path = self.root / relative
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._dirs.add(path.parent)
        digest, size = hashlib.sha256(), 0
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            for chunk in chunks:
                write_all(fd, chunk)
                digest.update(chunk)
                size += len(chunk)
            os.fsync(fd)
        finally:
            os.close(fd)
        self.files[relative] = {"size": size, "sha256": digest.hexdigest()}

    def sync(self) -> None:
        for directory in sorted(self._dirs, key=lambda p: len(p.parts), reverse=True):
            fsync_dir(directory)
        fsync_dir(self.root)


def _make_empty_dir(path: Path, what: str) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{what} {path} is not empty")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


# -- restoring ----------------------------------------------------------------------------


def _manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: it is not a backup") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{MANIFEST} in {source} is damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(
            manifest.get("files"), dict):
        raise BackupError(f"{MANIFEST} in {source} is not a {FORMAT} manifest")
    return manifest


def _check_files(source: Path, files: dict[str, dict[str, Any]]) -> None:
    """Every file listed is there with its size and SHA-256, and no other file is."""
    present = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    unlisted = sorted(present - set(files) - {MANIFEST})
    if unlisted:
        raise BackupError(f"{unlisted[0]} is not in the manifest: the backup was altered")
    for relative, expected in sorted(files.items()):
        path = source / relative
        if relative not in present:
            raise BackupError(f"{relative} is missing from the backup")
        digest = hashlib.sha256()
        for chunk in _chunks(path):
            digest.update(chunk)
        if path.stat().st_size != expected.get("size") or digest.hexdigest() != expected.get(
                "sha256"):
            raise BackupError(f"{relative} does not match the manifest: it was altered or "
                              "damaged")


def _check_ledger(ledger_dir: Path, manifest: dict[str, Any]) -> SignedCheckpoint:
    report = verify_ledger(ledger_dir)
    if not report.ok:
        raise BackupError(f"the backup's ledger does not verify: {report.message}")
    note = latest_checkpoint(ledger_dir)
    if note is None or note != manifest.get("checkpoint"):
        raise BackupError(f"{LEDGER}/{LATEST} is not the checkpoint the manifest names")
    head = SignedCheckpoint.of(note)
    root = base64.b64encode(report.root_hash).decode()
    if (report.tree_size, root) != (manifest.get("tree_size"), manifest.get("root_hash")) or (
            head.tree_size != report.tree_size):
        raise BackupError("the backup's ledger is not the tree its manifest names")
    return head


def _open_and_decrypt(settings: Settings, staging: Path, progress: Progress | None) -> int:
    """Open the staged ledger as the server will, and read every payload: the master key
    opens its keys and no data key is missing. Returns the entries of erased subjects."""
    if settings.master_key is not None:
        master = master_key(settings)
    else:
        master = (staging / SERVER_KEYS / "master.key").read_bytes()
    erased = 0
    with Ledger.open(staging / LEDGER, origin=settings.ledger_origin,
                     master_key=master) as ledger:
        total = ledger.size
        for entry in ledger.entries():
            try:
                ledger.decrypt(entry)
            except ErasedSubject:
                erased += 1
            except KeyMissing:
                raise BackupError(f"entry {entry.seq}: the backup holds no data key for "
                                  "it") from None
            if progress is not None and (entry.seq % 1024 == 0 or entry.seq + 1 == total):
                progress("decrypt", entry.seq + 1, total)
    return erased


def _secret(relative: str) -> bool:
    return relative.startswith(f"{SERVER_KEYS}/") or (
        relative.startswith(f"{LEDGER}/") and is_secret(relative.removeprefix(f"{LEDGER}/")))
