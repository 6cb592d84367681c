"""Checkpoints: the C2SP tlog-checkpoint body (origin, tree size, root hash) as a signed note,
and where a ledger keeps them (`checkpoint`: the latest; `checkpoints.log`: every one issued).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

from ledger.durable import write_atomic
from ledger.errors import InvalidCheckpoint, InvalidNote, LedgerCorrupted, TornTail
from ledger.merkle import HASH_SIZE, leaf_hash
from ledger.note import NoteSigner, NoteVerifier, open_note
from ledger.store import AppendFile, encode_frame, frames, mapped

LATEST = "checkpoint"
HISTORY = "checkpoints.log"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A tree head: the log `origin` had `tree_size` entries with Merkle root `root_hash`."""

    origin: str
    tree_size: int
    root_hash: bytes

    def body(self) -> str:
        root = base64.b64encode(self.root_hash).decode()
        return f"{self.origin}\n{self.tree_size}\n{root}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read a checkpoint body (extension lines after the root are allowed and ignored)."""
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not lines[0]:
            raise InvalidCheckpoint("malformed checkpoint: want origin, size and root lines")
        origin, size_text, root_text = lines[:3]
        if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
            raise InvalidCheckpoint("malformed checkpoint: the tree size is not a number")
        try:
            root = base64.b64decode(root_text, validate=True)
        except binascii.Error:
            raise InvalidCheckpoint("malformed checkpoint: the root hash is not base64") from None
        if len(root) != HASH_SIZE or base64.b64encode(root).decode() != root_text:
            raise InvalidCheckpoint("malformed checkpoint: the root hash is not 32 bytes")
        return cls(origin, int(size_text), root)


def sign_checkpoint(checkpoint: Checkpoint, signer: NoteSigner) -> str:
    return signer.sign(checkpoint.body())


def open_checkpoint(note: str, verifier: NoteVerifier, origin: str | None = None) -> Checkpoint:
    """The checkpoint in `note` if `verifier` signed it (and it is for `origin`, if given)."""
    try:
        text = open_note(note, verifier)
    except InvalidCheckpoint:
        raise
    except InvalidNote as exc:
        raise InvalidCheckpoint(str(exc)) from None
    checkpoint = Checkpoint.parse(text)
    if origin is not None and checkpoint.origin != origin:
        raise InvalidCheckpoint(f"the checkpoint is for {checkpoint.origin!r}, not {origin!r}")
    return checkpoint


class CheckpointLog:
    """The checkpoints a ledger issued: appended durably, the latest also in its own file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._history = AppendFile(directory / HISTORY)

    def append(self, note: str) -> None:
        """Record `note` as issued and as the latest; durable on return."""
        body = note.encode()
        self._history.append(encode_frame(body, leaf_hash(body)))
        self._history.sync()
        write_atomic(self.directory / LATEST, body)

    def repair(self) -> None:
        """Cut a torn last record (a crash mid-append); other damage raises LedgerCorrupted."""
        try:
            read_history(self.directory)
        except TornTail as exc:
            if exc.offset is None:
                raise
            self._history.truncate(exc.offset)

    def close(self) -> None:
        self._history.close()


def read_latest(directory: Path) -> str | None:
    path = directory / LATEST
    return path.read_text(encoding="utf-8") if path.exists() else None


def read_history(directory: Path) -> list[str]:
    """Every checkpoint note issued, oldest first; raises TornTail/LedgerCorrupted on damage.

    The `seq` of a damage report here counts checkpoints, not entries.
    """
    path = directory / HISTORY
    if not path.exists():
        return []
    with mapped(path) as buf:
        try:
            return [bytes(buf[s:e]).decode("utf-8") for s, e, _ in frames(buf)]
        except UnicodeDecodeError:
            raise LedgerCorrupted(None, "holds a checkpoint that is not text") from None
