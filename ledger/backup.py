"""What a backup needs from a ledger directory: the files that hold the tree its latest signed
checkpoint signs, which of them are secret, and the verifier to check a copy with.

Why here: which file holds what, how far into each the signed tree reaches, and where a
subject's data key lives are the ledger's own layout. A backup (api/ops/backup.py) copies what
this module lists and needs to know none of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ledger.checkpoint import HISTORY, LATEST, SignedCheckpoint, read_latest
from ledger.durable import fsync_dir, write_all, write_atomic
from ledger.entry import decode
from ledger.errors import CopyRefused, LedgerCorrupted
from ledger.keys import key_file_stem
from ledger.layout import ENTRIES, KEYS, META, TREE
from ledger.store import HASH_SIZE, entry_frames, frames, mapped
from ledger.tree import node_count
from ledger.verify import VerifyReport, verify_ledger

__all__ = [
    "LATEST",
    "CopyRefused",
    "LedgerFile",
    "VerifyReport",
    "files_through",
    "fsync_dir",
    "holds_ledger",
    "is_secret",
    "latest_checkpoint",
    "origin_of",
    "verify_ledger",
    "write_all",
    "write_atomic",
]

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class LedgerFile:
    """One file to copy: its path in the ledger directory ('/'-separated), its bytes as
    chunks read on demand, and whether it is secret (keys: to be kept private)."""

    path: str
    chunks: Iterator[bytes]
    secret: bool


def holds_ledger(directory: Path) -> bool:
    """True when `directory` holds a ledger (it was created there, whatever it holds since)."""
    return (directory / META).is_file()


def origin_of(directory: Path) -> str:
    """The origin the ledger in `directory` was created with (its checkpoints name it)."""
    origin: str = json.loads((directory / META).read_text())["origin"]
    return origin


def latest_checkpoint(directory: Path) -> str | None:
    """The latest signed checkpoint note of the ledger in `directory`, None before the first."""
    return read_latest(directory)


def is_secret(path: str) -> bool:
    """Whether the file at `path` (as `LedgerFile.path` names it) holds key material."""
    return path.startswith(f"{KEYS}/")


def files_through(directory: Path, note: str) -> Iterator[LedgerFile]:
    """The files of the ledger in `directory` cut at the tree `note` (its latest signed
    checkpoint) signs: what a copy needs to verify and to open with the same master key.

    Safe while a server appends: every file already holds that prefix, and the bytes past it
    are not read. Each entry's hash and chain link are checked on the way. The files come in
    turn and their chunks are read lazily: consume each file's chunks before asking for the
    next. Raises CopyRefused, naming the file, when one does not hold what `note` signs.
    """
    tree_size = SignedCheckpoint.of(note).tree_size
    end, subjects = _entries_through(directory / ENTRIES, tree_size)
    yield LedgerFile(ENTRIES, _prefix(directory / ENTRIES, end), secret=False)
    yield LedgerFile(TREE, _prefix(directory / TREE, node_count(tree_size) * HASH_SIZE),
                     secret=False)
    yield LedgerFile(HISTORY, iter([_history_through(directory / HISTORY, note)]),
                     secret=False)
    yield LedgerFile(LATEST, iter([note.encode()]), secret=False)
    yield LedgerFile(META, iter([(directory / META).read_bytes()]), secret=False)
    yield from _keys_for(directory / KEYS, subjects)


def _entries_through(path: Path, tree_size: int) -> tuple[int, set[str]]:
    """Where entry `tree_size` - 1 ends, and the key subjects of the entries up to it."""
    subjects: set[str] = set()
    if tree_size == 0:
        return 0, subjects
    with mapped(path) as buf:
        try:
            for seq, (start, body_end, digest) in enumerate(entry_frames(buf)):
                subjects.add(decode(bytes(buf[start:body_end]), digest).key_subject)
                if seq + 1 == tree_size:
                    return body_end + HASH_SIZE, subjects
        except LedgerCorrupted as exc:
            raise CopyRefused(f"{ENTRIES} is damaged: {exc}") from None
        except ValueError as exc:
            raise CopyRefused(f"{ENTRIES} holds an entry that does not read: {exc}") from None
    raise CopyRefused(f"{ENTRIES} holds fewer entries than the {tree_size} its latest "
                      "checkpoint signs")


def _history_through(path: Path, note: str) -> bytes:
    """checkpoints.log up to and including the record of `note` (a running server may be
    appending a later one)."""
    with mapped(path) as buf:
        try:
            for start, end, _ in frames(buf):
                if bytes(buf[start:end]) == note.encode():
                    return bytes(buf[: end + HASH_SIZE])
        except LedgerCorrupted as exc:
            raise CopyRefused(f"{HISTORY} is damaged: {exc}") from None
    raise CopyRefused(f"{HISTORY} does not hold the latest checkpoint")


def _keys_for(keys: Path, subjects: set[str]) -> Iterator[LedgerFile]:
    """The signing key and public keys, and the data key (or its erasure tombstone) of each
    subject the copied entries need; keys made since are left out."""
    for path in sorted(p for p in keys.iterdir() if p.is_file()):
        yield LedgerFile(f"{KEYS}/{path.name}", _chunks(path), secret=True)
    for subject in sorted(subjects):
        name = key_file_stem(subject)
        for suffix in (".erased", ".key"):
            path = keys / "subjects" / (name + suffix)
            if path.exists():
                yield LedgerFile(f"{KEYS}/subjects/{path.name}", _chunks(path), secret=True)
                break
        else:
            raise CopyRefused(f"{KEYS}/subjects holds no data key for subject #{name[:12]}, "
                              "which entries of the ledger are encrypted under")


def _prefix(path: Path, length: int) -> Iterator[bytes]:
    with path.open("rb") as f:
        left = length
        while left:
            chunk = f.read(min(left, _CHUNK))
            if not chunk:
                raise CopyRefused(f"{path.name} is shorter than the tree it must hold")
            left -= len(chunk)
            yield chunk


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            yield chunk
