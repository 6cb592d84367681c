"""The ledger: appends sequenced by one writer thread, sealed, made durable in groups, and
signed into checkpoints. Which file holds what is in layout.py.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from cryptography.exceptions import InvalidTag

from ledger import entry as entry_format
from ledger.checkpoint import Checkpoint, Checkpointer, CheckpointLog, SignedCheckpoint
from ledger.entry import GENESIS_PREV, LedgerEntry
from ledger.errors import LedgerClosed, LedgerCorrupted, LedgerError, LedgerFailed
from ledger.keys import DataKeys
from ledger.layout import ENTRIES, TREE, claim
from ledger.merkle import leaf_hash
from ledger.note import NoteSigner
from ledger.recovery import recover
from ledger.store import HASH_SIZE, HEADER, AppendFile, encode_frame
from ledger.tiles import MAX_ENTRY, EntryTooLarge
from ledger.tree import CompactRange, TreeFile

log = logging.getLogger(__name__)

MAX_BATCH = 4096
READ_CHUNK = 1 << 20
CHECKPOINT_INTERVAL = 1.0
"""Default seconds between the checkpoints the writer signs of itself (0 turns them off)."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a durable entry sits: its seq (= Merkle leaf index) and the tree that holds it."""

    seq: int
    entry_hash: bytes
    tree_size: int
    root_hash: bytes
    time: str


@dataclass(slots=True)
class _Pending:
    event: bytes
    key_subject: str
    payload: bytes
    future: Future[Anchor]


class Ledger:
    """An open ledger directory. Thread-safe; one `Ledger` per directory (a lock file holds it)."""

    def __init__(
        self, path: Path, origin: str, keys: DataKeys, signer: NoteSigner, *,
        checkpoint_interval: float = CHECKPOINT_INTERVAL,
    ) -> None:
        self.path = path
        self.origin = origin
        self._keys = keys
        self._signer = signer
        self._lock_fd = -1
        self._entries = AppendFile(path / ENTRIES)
        self._tree = TreeFile(path / TREE)
        self._checkpoints = Checkpointer(CheckpointLog(path), signer, self.head,
                                         checkpoint_interval)
        self._offsets = array("Q", [0])
        self._compact = CompactRange()
        self._last_hash = GENESIS_PREV
        self._last_ms = 0
        self._root = self._compact.root()
        self._state = threading.Lock()
        self._gate = threading.Lock()
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._closed = False
        self._failed: BaseException | None = None
        self._writer = threading.Thread(target=self._run, name="ledger-writer", daemon=True)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path, *, origin: str = "hdt.local/ledger", master_key: bytes | None = None,
        checkpoint_interval: float = CHECKPOINT_INTERVAL,
        known_size: int | Callable[[], int] = 0, known_by: str = "the caller has seen",
    ) -> Ledger:
        """Open (or create) the ledger in `path`, repairing a torn tail, and start its writer.

        Creates the directory and keys on first open. Raises LedgerCorrupted (naming the
        first bad seq) for damage other than a torn tail; EntriesMissing, having written
        nothing, when the entries file holds fewer entries than the latest signed
        checkpoint, the tree file, or `known_size` (what `known_by`, say a projection of
        the ledger, has seen) count; WrongMasterKey, OriginMismatch, and
        LedgerLocked if another process has it open. A callable `known_size` is called once
        this process holds the ledger's lock, before anything is recovered: a caller can
        then start what counts (a graph store) knowing no other process serves this ledger.
        After a batch of appends, the writer signs a checkpoint when the tree grew and
        `checkpoint_interval` seconds have passed since the last one was signed (0: only
        `checkpoint()` and `close()` sign).
        """
        path = Path(path)
        claimed = claim(path, origin, master_key)
        try:
            ledger = cls(path, origin, claimed.keys, claimed.signer,
                         checkpoint_interval=checkpoint_interval)
        except BaseException:
            os.close(claimed.lock_fd)
            raise
        ledger._lock_fd = claimed.lock_fd
        try:
            known = known_size() if callable(known_size) else known_size
            ledger._recover((known, known_by))
        except BaseException:
            ledger._release()
            raise
        ledger._writer.start()
        ledger._checkpoints.start()
        return ledger

    def _recover(self, known: tuple[int, str]) -> None:
        """Load the chain and tree state after any crash (see recovery.py)."""
        latest = self._checkpoints.recover()
        signed = 0 if latest is None else latest.tree_size
        self._offsets, self._compact = recover(self._entries, self._tree, signed, known)
        self._root = self._compact.root()
        if self.size:
            last = self.entry(self.size - 1)
            self._last_hash = last.entry_hash
            self._last_ms = entry_format.parse_time(last.time)
        if latest is None:
            self.checkpoint()

    # -- appending -----------------------------------------------------------------------

    def append(
        self, actor: str, action: str, subjects: Sequence[str], payload: bytes, key_subject: str
    ) -> Future[Anchor]:
        """Queue an entry; the future resolves to its Anchor once it is durable (fsync'd).

        Thread-safe; seqs follow the order of calls. Bad arguments raise ValueError here;
        so does an entry longer than a tlog-tiles entry bundle carries (EntryTooLarge): the
        log stays servable whole, whatever an event holds. An erased `key_subject` fails
        the future with ErasedSubject. Appends from many threads share one fsync (group
        commit).
        """
        if not isinstance(payload, bytes | bytearray | memoryview):
            raise ValueError("payload must be bytes")
        event = entry_format.event_bytes(actor, action, subjects, key_subject)
        size = entry_format.entry_size(len(event), len(payload), self.size)
        if size > MAX_ENTRY:
            raise EntryTooLarge(size, f"{action}: an entry")
        pending = _Pending(event, key_subject, bytes(payload), Future())
        with self._gate:
            if self._closed:
                raise LedgerClosed("the ledger is closed")
            if self._failed is not None:
                raise LedgerFailed("an earlier write failed; reopen the ledger") from self._failed
            self._queue.put(pending)
        return pending.future

    def append_sync(
        self, actor: str, action: str, subjects: Sequence[str], payload: bytes, key_subject: str
    ) -> Anchor:
        """`append(...).result()`: returns once the entry is durable."""
        return self.append(actor, action, subjects, payload, key_subject).result()

    def _run(self) -> None:
        """The writer: take every queued append, seal and write them, one fsync per group."""
        stop = False
        while not stop:
            batch: list[_Pending] = []
            item = self._queue.get()
            while True:
                if item is None:
                    stop = True
                else:
                    batch.append(item)
                if len(batch) >= MAX_BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            live = [p for p in batch if p.future.set_running_or_notify_cancel()]
            if self._failed is not None:
                for p in live:
                    p.future.set_exception(LedgerFailed("an earlier write failed"))
                continue
            try:
                self._commit(live)
            except BaseException as exc:  # a failed write or fsync poisons the ledger
                self._failed = exc
                log.error("write failed; ledger refuses appends",
                          extra={"event": "ledger.write_failed", "error": repr(exc)})
                for p in live:
                    if not p.future.done():
                        p.future.set_exception(LedgerFailed(f"write failed: {exc!r}"))

    def _commit(self, batch: list[_Pending]) -> None:
        seq, prev, last_ms = self.size, self._last_hash, self._last_ms
        compact = self._compact
        frames: list[bytes] = []
        nodes: list[bytes] = []
        done: list[tuple[_Pending, int, bytes, str]] = []
        stamp, stamp_ms = "", -1
        for p in batch:
            try:
                aead = self._keys.get_or_create(p.key_subject)
            except LedgerError as exc:
                p.future.set_exception(exc)
                continue
            last_ms = max(last_ms, time.time_ns() // 1_000_000)
            if last_ms != stamp_ms:
                stamp, stamp_ms = entry_format.format_time(last_ms), last_ms
            chain = entry_format.chain_bytes(prev, seq, stamp)
            nonce = os.urandom(12)
            sealed = aead.encrypt(nonce, p.payload, entry_format.associated_data(chain, p.event))
            payload = entry_format.payload_bytes(nonce, sealed)
            body = entry_format.entry_bytes(chain, p.event, payload)
            if len(body) > MAX_ENTRY:  # checked at append for an earlier seq: one digit more
                p.future.set_exception(EntryTooLarge(len(body), "an entry"))
                continue
            prev = leaf_hash(body)
            frames.append(encode_frame(body, prev))
            nodes.extend(compact.append(prev))
            done.append((p, seq, prev, stamp))
            seq += 1
        if not done:
            return
        self._keys.sync()
        start = self._entries.size
        self._entries.append(b"".join(frames))
        self._entries.sync()
        # Tree nodes only once their entries are durable: then a tree file counting more
        # entries than the entries file is damage, never a crash (see recovery.py).
        self._tree.append(nodes)
        self._tree.file.sync()
        root = compact.root()
        offsets = array("Q")
        for frame in frames:
            start += len(frame)
            offsets.append(start)
        with self._state:
            self._offsets.extend(offsets)
            self._root = root
            self._last_hash, self._last_ms = prev, last_ms
        signed = self._checkpoints.sign_if_due(Checkpoint(self.origin, seq, root))
        for p, s, digest, stamp in done:
            p.future.set_result(Anchor(s, digest, seq, root, stamp))
        if signed is not None:
            self._checkpoints.persist_later(signed)

    # -- reading -------------------------------------------------------------------------

    @property
    def size(self) -> int:
        """How many entries are durable (the current tree size)."""
        return len(self._offsets) - 1

    def root_hash(self, size: int | None = None) -> bytes:
        """The Merkle root of the first `size` entries (default: all durable ones)."""
        if size is None:
            return self._root
        self._check_size(size)
        return self._tree.root(size)

    def entry(self, seq: int) -> LedgerEntry:
        """Entry `seq`, read and hash-checked. IndexError if it is not (yet) durable."""
        if not 0 <= seq < self.size:
            raise IndexError(f"no entry {seq} in a ledger of {self.size}")
        start, end = self._offsets[seq], self._offsets[seq + 1]
        return _decode_frame(seq, self._entries.read(start, end - start))

    def entries(self, start: int = 0, stop: int | None = None) -> Iterator[LedgerEntry]:
        """Entries start..stop-1 in order, read in large sequential chunks (for replay)."""
        for seq, frame in self._frames(start, stop):
            yield _decode_frame(seq, frame)

    def entry_bytes(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """The canonical bytes of entries start..stop-1 (each the data of its Merkle leaf),
        hash-checked: what a tlog-tiles entry bundle carries."""
        for seq, frame in self._frames(start, stop):
            body, digest = frame[HEADER.size : -HASH_SIZE], frame[-HASH_SIZE:]
            if leaf_hash(body) != digest:
                raise LedgerCorrupted(seq, "was altered: its content does not match its "
                                      "recorded hash")
            yield body

    def _frames(self, start: int, stop: int | None) -> Iterator[tuple[int, bytes]]:
        stop = self.size if stop is None else min(stop, self.size)
        offsets = self._offsets
        seq = max(start, 0)
        while seq < stop:
            last = seq + 1
            while last < stop and offsets[last + 1] - offsets[seq] <= READ_CHUNK:
                last += 1
            base = offsets[seq]
            chunk = self._entries.read(base, offsets[last] - base)
            for s in range(seq, last):
                yield s, chunk[offsets[s] - base : offsets[s + 1] - base]
            seq = last

    def node(self, level: int, index: int) -> bytes:
        """The hash of the complete subtree of 2**level leaves from index * 2**level, which
        must lie within the durable tree (ValueError if not). Never changes once durable."""
        if level < 0 or index < 0 or (index + 1) << level > self.size:
            raise ValueError(f"node ({level}, {index}) is outside a tree of {self.size}")
        return self._tree.node(level, index)

    def decrypt(self, entry: LedgerEntry) -> bytes:
        """The payload of `entry`. ErasedSubject once its subject was erased."""
        aead = self._keys.get(entry.key_subject)
        try:
            return aead.decrypt(entry.nonce, entry.ciphertext, entry_format.entry_aad(entry))
        except InvalidTag:
            raise LedgerCorrupted(entry.seq, "has a payload that does not decrypt") from None

    def erase_subject(self, key_subject: str) -> None:
        """Destroy the subject's data key: its payloads become unreadable, the chain still
        verifies, and later appends under it fail with ErasedSubject. Idempotent, durable."""
        self._keys.erase(key_subject)
        log.info("subject erased", extra={"event": "ledger.subject_erased",
                                          "key_subject": key_subject})

    def is_erased(self, key_subject: str) -> bool:
        """True once `erase_subject` destroyed this subject's key."""
        return self._keys.is_erased(key_subject)

    # -- proofs and checkpoints ----------------------------------------------------------

    def inclusion_proof(self, seq: int, tree_size: int | None = None) -> list[bytes]:
        size = self.size if tree_size is None else tree_size
        self._check_size(size)
        return self._tree.inclusion_proof(seq, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        size = self.size if new_size is None else new_size
        self._check_size(size)
        return self._tree.consistency_proof(old_size, size)

    def head(self) -> Checkpoint:
        """The current tree head (size and root read together), unsigned."""
        with self._state:
            return Checkpoint(self.origin, self.size, self._root)

    def checkpoint(self) -> SignedCheckpoint:
        """A durable signed checkpoint of the tree as it is now.

        Signs and persists a new one only when the tree grew past the latest one: asking
        again while nothing is appended returns the same note, and `checkpoints.log` does not
        grow. Thread-safe: the head is read and the note persisted under one lock, so the
        persisted checkpoints only ever grow in size. The tree may grow meanwhile: the
        checkpoint signs some size <= `self.size`, the one proofs must be made against.
        """
        return self._checkpoints.checkpoint()

    def latest_checkpoint(self) -> SignedCheckpoint | None:
        """The latest durable signed checkpoint, without signing one."""
        return self._checkpoints.latest

    def public_key_text(self) -> str:
        """The note verifier key: name+hexhash+base64(0x01||pubkey)."""
        return self._signer.verifier.key_text()

    def public_key_pem(self) -> bytes:
        return self._signer.verifier.pem()

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise ValueError(f"tree size {size} is outside 0..{self.size}")

    # -- closing -------------------------------------------------------------------------

    def close(self) -> None:
        """Finish queued appends, checkpoint a grown tree, stop the threads. Idempotent."""
        with self._gate:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)
        self._writer.join()
        self._checkpoints.stop()
        try:
            if self._failed is None:
                self.checkpoint()
        finally:
            self._release()

    def _release(self) -> None:
        self._entries.close()
        self._tree.close()
        self._checkpoints.close()
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _decode_frame(seq: int, frame: bytes) -> LedgerEntry:
    body, digest = frame[HEADER.size : -HASH_SIZE], frame[-HASH_SIZE:]
    if leaf_hash(body) != digest:
        raise LedgerCorrupted(seq, "was altered: its content does not match its recorded hash")
    try:
        entry = entry_format.decode(body, digest)
    except ValueError as exc:
        raise LedgerCorrupted(seq, f"is not a well-formed entry: {exc}") from None
    if entry.seq != seq:
        raise LedgerCorrupted(seq, "is out of place: it does not carry its seq")
    return entry
