"""A C2SP tlog-witness: cosigns a log's checkpoint only if it extends the last one it cosigned.

For each log it knows (by origin, with the log's note verifier keys), the witness keeps the
latest tree it cosigned, durably, before it answers. A checkpoint is cosigned only when its
log signature verifies and a consistency proof shows it extends that tree; so the witness
never cosigns two roots for one size, and two histories of one log (a split view) cannot
both get its cosignature. Refusals carry the status the spec gives (`Refused.status`).

Layout of a witness directory (0700):
    witness.key     the Ed25519 seed of the cosigning key (0600)
    cosigned.log    one line per cosigned tree, "<origin> <size> <base64 root>", fsync'd
                    before the cosignature is returned; the last line per origin is its state
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.checkpoint import Checkpoint
from ledger.cosignature import CosignatureSigner
from ledger.durable import fsync_dir, write_all, write_new
from ledger.errors import InvalidCheckpoint, InvalidNote, InvalidProof, LedgerCorrupted
from ledger.merkle import EMPTY_ROOT, HASH_SIZE
from ledger.note import NoteVerifier, split_note
from ledger.proof_check import check_consistency

log = logging.getLogger(__name__)

KEY_FILE, HISTORY_FILE = "witness.key", "cosigned.log"
MAX_PROOF = 63
MAX_REQUEST = 64 * 1024
SIZE_TYPE = "text/x.tlog.size"
"""The Content-Type of a 409's body, the size the witness holds."""


class Refused(Exception):
    """A request the witness turns down; `status` is the HTTP status the spec gives."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(Refused):
    status = 400


class BadSignature(Refused):
    status = 403


class UnknownLog(Refused):
    status = 404


class Conflict(Refused):
    """The old size is not the size the witness cosigned last: `known` is that size."""

    status = 409

    def __init__(self, known: int) -> None:
        super().__init__(f"the witness holds size {known}")
        self.known = known


class BadProof(Refused):
    status = 422


@dataclass(frozen=True, slots=True)
class AddCheckpoint:
    """An add-checkpoint request: the size it extends, the proof from it, the signed note."""

    old_size: int
    proof: tuple[bytes, ...]
    note: str

    def body(self) -> bytes:
        lines = [f"old {self.old_size}\n"]
        lines += [base64.b64encode(h).decode() + "\n" for h in self.proof]
        return ("".join(lines) + "\n" + self.note).encode()

    @classmethod
    def parse(cls, body: bytes) -> AddCheckpoint:
        """Read a request body; BadRequest if it is not one the spec allows."""
        if len(body) > MAX_REQUEST:
            raise BadRequest("the request is too large")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the request is not UTF-8") from None
        head, sep, note = text.partition("\n\n")
        if not sep:
            raise BadRequest("no empty line before the checkpoint")
        lines = head.split("\n")
        size_text = lines[0].removeprefix("old ")
        if size_text == lines[0] or not size_text.isdigit() or (
            size_text != "0" and size_text.startswith("0")
        ) or not size_text.isascii():
            raise BadRequest("the first line must be 'old <size>'")
        if len(lines) - 1 > MAX_PROOF:
            raise BadRequest(f"more than {MAX_PROOF} consistency proof lines")
        proof = []
        for line in lines[1:]:
            try:
                digest = base64.b64decode(line, validate=True)
            except binascii.Error:
                raise BadRequest("a proof line is not base64") from None
            if len(digest) != HASH_SIZE:
                raise BadRequest("a proof line is not a 32-byte hash")
            proof.append(digest)
        return cls(int(size_text), tuple(proof), note)


@dataclass(frozen=True, slots=True)
class Cosigned:
    """The tree of a log the witness cosigned last."""

    tree_size: int
    root_hash: bytes


class Witness:
    """One witness: its key, the logs it knows, and what it cosigned. Thread-safe: checking
    a request against the state and recording the new state happen under one lock, so two
    requests can never roll the state back (the race the spec warns of)."""

    def __init__(self, directory: Path, name: str, logs: Iterable[NoteVerifier]) -> None:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.directory = directory
        self.signer = CosignatureSigner(name, _load_key(directory / KEY_FILE))
        self._logs: dict[str, list[NoteVerifier]] = {}
        for verifier in logs:
            self._logs.setdefault(verifier.name, []).append(verifier)
        self._lock = threading.Lock()
        self._state = _read_history(directory / HISTORY_FILE)
        self._history = os.open(directory / HISTORY_FILE,
                                os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def close(self) -> None:
        os.close(self._history)

    def latest(self, origin: str) -> Cosigned:
        """The tree of `origin` cosigned last (size 0 before the first)."""
        with self._lock:
            return self._state.get(origin, Cosigned(0, EMPTY_ROOT))

    def add_checkpoint(self, request: AddCheckpoint) -> str:
        """Cosign the request's checkpoint if it extends the latest cosigned one; returns
        the cosignature line. Durable before it returns. Raises a `Refused` otherwise."""
        origin = request.note.partition("\n")[0]
        verifiers = self._logs.get(origin)
        if not verifiers:
            raise UnknownLog(f"the witness does not know the log {origin!r}")
        text = _verified_text(request.note, verifiers)
        try:
            checkpoint = Checkpoint.parse(text)
        except InvalidCheckpoint as exc:
            raise BadRequest(str(exc)) from None
        if request.old_size > checkpoint.tree_size:
            raise BadRequest(f"old size {request.old_size} is past the checkpoint's size "
                             f"{checkpoint.tree_size}")
        with self._lock:
            held = self._state.get(origin, Cosigned(0, EMPTY_ROOT))
            if request.old_size != held.tree_size:
                raise Conflict(held.tree_size)
            _check_extends(held, checkpoint, request.proof)
            if (checkpoint.tree_size, checkpoint.root_hash) != (held.tree_size, held.root_hash):
                self._record(origin, checkpoint)
            line = self.signer.cosign(text)
        log.info("checkpoint cosigned", extra={"event": "witness.cosigned", "origin": origin,
                                               "tree_size": checkpoint.tree_size})
        return line

    def _record(self, origin: str, checkpoint: Checkpoint) -> None:
        root = base64.b64encode(checkpoint.root_hash).decode()
        write_all(self._history, f"{origin} {checkpoint.tree_size} {root}\n".encode())
        os.fsync(self._history)
        self._state[origin] = Cosigned(checkpoint.tree_size, checkpoint.root_hash)


def _verified_text(note: str, verifiers: Sequence[NoteVerifier]) -> str:
    """The note's text if one of the log's keys signed it. Signatures by other keys are
    ignored; BadSignature if none is by a trusted key, or one that names a trusted key does
    not verify (a malformed note, per signed-note); BadRequest if the note does not parse."""
    try:
        text, signatures = split_note(note)
    except InvalidNote as exc:
        raise BadRequest(str(exc)) from None
    found = False
    for name, sig in signatures:
        for verifier in verifiers:
            if (name, sig[:4]) != (verifier.name, verifier.key_hash):
                continue
            if not verifier.verify(text.encode(), sig[4:]):
                raise BadSignature(f"the signature by {name} does not verify")
            found = True
    if not found:
        raise BadSignature("no signature by a key the witness trusts for this log")
    return text


def _check_extends(held: Cosigned, checkpoint: Checkpoint, proof: Sequence[bytes]) -> None:
    if checkpoint.tree_size == 0 and checkpoint.root_hash != EMPTY_ROOT:
        raise BadProof("a checkpoint of size 0 must have the empty tree's root")
    if held.tree_size == 0 and proof:
        raise BadProof("from size 0 the consistency proof must be empty")
    try:
        check_consistency(held.tree_size, checkpoint.tree_size, held.root_hash,
                          checkpoint.root_hash, proof)
    except InvalidProof as exc:
        raise BadProof(f"the checkpoint does not extend the one cosigned at size "
                       f"{held.tree_size}: {exc}") from None


def _load_key(path: Path) -> Ed25519PrivateKey:
    """The witness's key, made on first start (0600, the seed alone)."""
    if path.exists():
        seed = path.read_bytes()
        if len(seed) != 32:
            raise LedgerCorrupted(None, f"{path} does not hold a 32-byte key")
        return Ed25519PrivateKey.from_private_bytes(seed)
    key = Ed25519PrivateKey.generate()
    write_new(path, key.private_bytes_raw(), 0o600)
    fsync_dir(path.parent)
    return key


def _read_history(path: Path) -> dict[str, Cosigned]:
    """The latest cosigned tree per origin. A last line cut short (a crash mid-write, before
    the cosignature was returned) is dropped; any other damage refuses to start."""
    state: dict[str, Cosigned] = {}
    if not path.exists():
        return state
    data = path.read_bytes()
    lines = data.split(b"\n")
    if lines[-1]:  # torn: never acknowledged
        with path.open("r+b") as f:
            f.truncate(len(data) - len(lines[-1]))
            os.fsync(f.fileno())
    for number, line in enumerate(lines[:-1], 1):
        try:
            origin, size, root = line.decode().split(" ")
            cosigned = Cosigned(int(size), base64.b64decode(root, validate=True))
        except (ValueError, binascii.Error):
            raise LedgerCorrupted(None, f"{path} line {number} is damaged") from None
        before = state.get(origin)
        if before is not None and before.tree_size >= cosigned.tree_size:
            raise LedgerCorrupted(None, f"{path} line {number} goes back in size")
        state[origin] = cosigned
    return state
