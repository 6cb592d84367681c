"""Checkpoints: the C2SP tlog-checkpoint body (origin, tree size, root hash) as a signed note,
and where a ledger keeps them (`checkpoint`: the latest; `checkpoints.log`: every one issued,
in order of tree size, never smaller than the one before).
"""

from __future__ import annotations

import base64
import binascii
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ledger.durable import write_atomic
from ledger.errors import InvalidCheckpoint, InvalidNote, LedgerCorrupted, TornTail
from ledger.merkle import HASH_SIZE, leaf_hash
from ledger.note import NoteSigner, NoteVerifier, open_note
from ledger.store import AppendFile, encode_frame, frames, mapped

log = logging.getLogger(__name__)

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


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    """A tree head and the signed note that states it, as the ledger issued them."""

    note: str
    tree_size: int
    root_hash: bytes

    @classmethod
    def of(cls, note: str) -> SignedCheckpoint:
        """What a note of this ledger states, its signature NOT checked: for the ledger's own
        files only (anyone else opens a note with `open_checkpoint`)."""
        head = Checkpoint.parse(note[: note.find("\n\n") + 1])
        return cls(note, head.tree_size, head.root_hash)


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
    """The checkpoints a ledger issued: appended durably, the latest also in its own file.

    Not thread-safe: `Checkpointer` appends under its lock, each note larger than the last.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._history = AppendFile(directory / HISTORY)

    def append(self, note: str) -> None:
        """Record `note` as issued and as the latest; durable on return."""
        body = note.encode()
        self._history.append(encode_frame(body, leaf_hash(body)))
        self._history.sync()
        write_atomic(self.directory / LATEST, body)

    def repair(self) -> SignedCheckpoint | None:
        """Undo what a crash mid-`append` leaves, and return the latest checkpoint issued.

        Cuts a torn last record of the history, and rewrites the `checkpoint` file when it
        is missing or older than the history's last record (the crash fell between the two
        writes). Other damage raises LedgerCorrupted.
        """
        try:
            history = read_history(self.directory)
        except TornTail as exc:
            if exc.offset is None:
                raise
            self._history.truncate(exc.offset)
            history = read_history(self.directory)
        text = read_latest(self.directory)
        latest = None if text is None else SignedCheckpoint.of(text)
        if history:
            last = SignedCheckpoint.of(history[-1])
            if latest is None or latest.tree_size < last.tree_size:
                write_atomic(self.directory / LATEST, last.note.encode())
                latest = last
        return latest

    def close(self) -> None:
        self._history.close()


class Checkpointer:
    """Issues the signed checkpoints of one growing tree: at most one per tree size, persisted
    in order of size (the latest never goes back), and, if `interval` > 0, one at most every
    `interval` seconds as the writer commits, without making appends wait on its fsyncs.

    `head` reads the tree's current size and root together. Thread-safe. When the signature
    times of a past run are unknown (after opening), the first grown batch is signed.
    """

    def __init__(self, log: CheckpointLog, signer: NoteSigner, head: Callable[[], Checkpoint],
                 interval: float) -> None:
        if not interval >= 0:
            raise ValueError("the checkpoint interval must be 0 (off) or a number of seconds")
        self._log, self._signer, self._head, self._interval = log, signer, head, interval
        self._lock = threading.Lock()  # held to read the head, sign, and persist
        self._latest: SignedCheckpoint | None = None  # the latest persisted
        self._marks = threading.Lock()
        self._signed_size, self._signed_at = -1, float("-inf")  # the last signed, under _marks
        self._queue: queue.SimpleQueue[SignedCheckpoint | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._persist_queued, name="ledger-checkpoints",
                                        daemon=True)

    @property
    def latest(self) -> SignedCheckpoint | None:
        """The latest persisted checkpoint (None before the first)."""
        return self._latest

    def recover(self) -> SignedCheckpoint | None:
        """Repair the log after a crash and load the latest checkpoint; before `start`."""
        self._latest = self._log.repair()
        if self._latest is not None:
            self._signed_size = self._latest.tree_size
        return self._latest

    def checkpoint(self) -> SignedCheckpoint:
        """The latest checkpoint if it covers the current head, else a new one; durable."""
        with self._lock:
            head, latest = self._head(), self._latest
            if latest is not None and latest.tree_size >= head.tree_size:
                return latest
            return self._publish(self._sign(head))

    def sign_if_due(self, head: Checkpoint) -> SignedCheckpoint | None:
        """For the writer, once `head` is durable: sign it if it grew past the last signed
        checkpoint and `interval` has passed since that one (one signature, ~50 us).
        Hand the result to `persist_later`."""
        # Read without _marks: a stale value costs one signature more or less, never the
        # order of what is persisted (`_publish` keeps that).
        if not self._interval or head.tree_size <= self._signed_size:
            return None
        if time.monotonic() - self._signed_at < self._interval:
            return None
        return self._sign(head)

    def persist_later(self, signed: SignedCheckpoint) -> None:
        """Persist `signed` in the checkpoints thread (skipped if a larger one came first)."""
        self._queue.put(signed)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Persist what is queued, then end the checkpoints thread."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def close(self) -> None:
        self._log.close()

    def _sign(self, head: Checkpoint) -> SignedCheckpoint:
        signed = SignedCheckpoint(sign_checkpoint(head, self._signer), head.tree_size,
                                  head.root_hash)
        with self._marks:
            self._signed_size = max(self._signed_size, head.tree_size)
            self._signed_at = time.monotonic()
        return signed

    def _publish(self, signed: SignedCheckpoint) -> SignedCheckpoint:
        """Persist `signed` unless one as large already is; returns the latest. Under _lock."""
        latest = self._latest
        if latest is not None and latest.tree_size >= signed.tree_size:
            return latest
        self._log.append(signed.note)
        self._latest = signed
        return signed

    def _persist_queued(self) -> None:
        """Persist what the writer signed; and when appends stop, sign the head they left
        once `interval` has passed, so that no entry waits for the next append to be in a
        checkpoint (which a witness or a tiles client needs)."""
        while True:
            try:
                signed = self._queue.get(timeout=self._interval or None)
            except queue.Empty:
                signed = self._trailing()
                if signed is None:
                    continue
            if signed is None:
                return
            try:
                with self._lock:
                    self._publish(signed)
            except Exception as exc:  # the entries are durable; only this checkpoint is lost
                log.error("checkpoint not persisted", extra={
                    "event": "ledger.checkpoint_failed", "tree_size": signed.tree_size,
                    "error": repr(exc)})

    def _trailing(self) -> SignedCheckpoint | None:
        """A signature of the head if it grew past the last signed and is due."""
        head = self._head()
        if head.tree_size <= self._signed_size:
            return None
        if time.monotonic() - self._signed_at < self._interval:
            return None
        return self._sign(head)


def read_latest(directory: Path) -> str | None:
    path = directory / LATEST
    return path.read_text(encoding="utf-8") if path.exists() else None


def read_history(directory: Path, *, torn_tail_ok: bool = False) -> list[str]:
    """Every checkpoint note issued, oldest first; raises TornTail/LedgerCorrupted on damage.

    With `torn_tail_ok`, a last record cut short (one being appended by a live ledger right
    now) is left out instead. The `seq` of a damage report here counts checkpoints, not
    entries.
    """
    path = directory / HISTORY
    if not path.exists():
        return []
    notes: list[str] = []
    with mapped(path) as buf:
        try:
            for s, e, _ in frames(buf):
                notes.append(bytes(buf[s:e]).decode("utf-8"))
        except UnicodeDecodeError:
            raise LedgerCorrupted(None, "holds a checkpoint that is not text") from None
        except TornTail:
            if not torn_tail_ok:
                raise
    return notes
