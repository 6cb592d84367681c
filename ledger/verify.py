"""The offline verifier: recompute a ledger directory's chain, tree and checkpoint signatures.

Needs only the public files (entries.log, tree.bin, ledger.json, checkpoints, the public
key); never a private key, never a running server. Reports the first failure, naming the
entry (seq) where one can be named.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from ledger.checkpoint import Checkpoint, open_checkpoint, read_history, read_latest
from ledger.errors import (
    InvalidCheckpoint,
    InvalidKey,
    LedgerCorrupted,
    LedgerNotFound,
    TornTail,
)
from ledger.merkle import EMPTY_ROOT
from ledger.note import NoteVerifier
from ledger.store import FORMAT, HASH_SIZE, Buffer, entry_frames, mapped
from ledger.tree import CompactRange, node_count

Progress = Callable[[int, int], None]
"""Called as progress(bytes_checked, bytes_total) while the entries are walked."""

PROGRESS_EVERY = 1 << 16
HELD = "the checkpoint given"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The verdict. `first_bad_seq` names the first bad entry when the failure has one."""

    ok: bool
    tree_size: int
    root_hash: bytes
    first_bad_seq: int | None
    message: str


class _Failed(Exception):
    def __init__(self, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.seq = seq


def load_verifier(text: str, origin: str) -> NoteVerifier:
    """A verifier from note key text or an Ed25519 PEM (named by the ledger's origin).

    Raises InvalidKey if `text` is neither.
    """
    if "-----BEGIN" in text:
        return NoteVerifier.from_pem(text.encode(), origin)
    return NoteVerifier.from_key_text(text)


def verify_ledger(
    path: Path,
    *,
    public_key: str | None = None,
    checkpoint: str | None = None,
    progress: Progress | None = None,
    tree_size: int | None = None,
) -> VerifyReport:
    """Check every entry's hash and chain link, the whole tree file, and every checkpoint.

    `public_key` (note key text or PEM) is the key checkpoints must be signed by; without
    it, the ledger's own keys/signing.pub is trusted. `checkpoint` is a signed note held
    by the caller: the ledger must still contain the tree it signed. Checkpoints in
    checkpoints.log must never sign fewer entries than the one before them.

    `tree_size` verifies a consistent prefix of a ledger that a live writer keeps appending
    to: exactly the first `tree_size` entries, the tree nodes over them, and the checkpoints
    that sign at most that many; whatever follows (an entry or tree nodes being written, a
    checkpoint record cut short) is not read. Checkpoints that sign more are checked for
    their signature and order only. Read the size from the open ledger (`Ledger.head()`)
    before calling: every file already holds that prefix, durably.

    Raises LedgerNotFound if `path` holds no ledger, InvalidKey for an unreadable
    `public_key`, ValueError for a negative `tree_size`.
    """
    path = Path(path)
    if tree_size is not None and tree_size < 0:
        raise ValueError(f"tree_size must be 0 or more, not {tree_size}")
    if not (path / "entries.log").is_file() or not (path / "ledger.json").is_file():
        raise LedgerNotFound(f"{path} holds no ledger (no entries.log and ledger.json)")
    size, root = 0, EMPTY_ROOT
    live = tree_size is not None
    try:
        origin = _origin(path)
        verifier = _verifier(path, origin, public_key)
        held = [] if checkpoint is None else [(HELD, checkpoint)]
        latest, history = _notes(path, live)
        notes = held + latest + history
        heads = [(label, _open(note, verifier, origin, label)) for label, note in notes]
        _in_order(heads[len(held) + len(latest) :])
        roots: dict[int, bytes] = {
            c.tree_size: b"" for _, c in heads if tree_size is None or c.tree_size <= tree_size
        }
        size, root = _walk(path, roots, progress, tree_size)
        for label, head in heads:
            if live and label != HELD and head.tree_size > size:
                continue  # signed after the prefix asked for
            _match(label, head, size, roots, live)
    except _Failed as failure:
        return VerifyReport(False, size, root, failure.seq, failure.message)
    b64root = base64.b64encode(root).decode()
    matched = sum(1 for _, head in heads if head.tree_size <= size)
    what = f"the first {size} entries" if live else f"{size} entries"
    return VerifyReport(
        True, size, root, None,
        f"ledger verified: {what}, tree size {size}, root {b64root}; "
        f"{matched} checkpoint(s) signed by {verifier.key_text()}",
    )


def _origin(path: Path) -> str:
    try:
        meta = json.loads((path / "ledger.json").read_text())
    except (ValueError, UnicodeDecodeError):
        meta = None
    if not isinstance(meta, dict) or set(meta) != {"format", "origin"} or not isinstance(
        meta["origin"], str
    ):
        raise _Failed("ledger.json is damaged: it does not name the format and origin")
    if meta["format"] != FORMAT:
        raise _Failed(f"ledger.json names an unknown format {meta['format']!r}")
    return meta["origin"]


def _verifier(path: Path, origin: str, public_key: str | None) -> NoteVerifier:
    if public_key is not None:
        return load_verifier(public_key, origin)
    own = path / "keys" / "signing.pub"
    if not own.is_file():
        raise _Failed("no public key: keys/signing.pub is missing; pass the key to check with")
    try:
        text = own.read_text()
        verifier = NoteVerifier.from_key_text(text)
    except (InvalidKey, UnicodeDecodeError) as exc:  # a damaged ledger, not bad input
        raise _Failed(f"keys/signing.pub is damaged: {exc}") from None
    if text != verifier.key_text() + "\n":
        raise _Failed("keys/signing.pub is damaged: it is not the key text alone")
    return verifier


def _notes(path: Path, live: bool) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The latest checkpoint and the history, labelled; when `live`, a history record cut
    short at the end is one being appended, and left out."""
    try:
        latest = read_latest(path)
    except UnicodeDecodeError:
        raise _Failed("the latest checkpoint is damaged: it is not text") from None
    try:
        history = read_history(path, torn_tail_ok=live)
    except TornTail as exc:
        raise _Failed(f"checkpoints.log is cut short inside checkpoint {exc.seq}") from None
    except LedgerCorrupted as exc:
        raise _Failed(f"checkpoints.log is damaged at checkpoint {exc.seq}: {exc.reason}") from None
    return ([] if latest is None else [("the latest checkpoint", latest)],
            [(f"checkpoint {i} in checkpoints.log", note) for i, note in enumerate(history)])


def _in_order(logged: list[tuple[str, Checkpoint]]) -> None:
    """A log only ever grows: a checkpoint that signs fewer entries than the one before it
    was put there, or the one before it was."""
    for (before_label, before), (label, head) in pairwise(logged):
        if head.tree_size < before.tree_size:
            raise _Failed(
                f"{label} signs {head.tree_size} entries, fewer than the {before.tree_size} of "
                f"{before_label}: checkpoints.log was tampered with (it only ever grows)"
            )


def _open(note: str, verifier: NoteVerifier, origin: str, label: str) -> Checkpoint:
    try:
        return open_checkpoint(note, verifier, origin)
    except InvalidCheckpoint as exc:
        raise _Failed(f"{label} does not verify: {exc}") from None


def _walk(
    path: Path, roots: dict[int, bytes], progress: Progress | None, limit: int | None
) -> tuple[int, bytes]:
    """Walk entries and tree file together, the first `limit` entries or all of them; fill
    `roots` at the sizes asked; return the size and root walked."""
    compact = CompactRange()
    if 0 in roots:
        roots[0] = compact.root()
    with mapped(path / "entries.log") as buf, _mapped_tree(path) as tree:
        total, tree_len = len(buf), len(tree)
        pos = end = 0
        walked = entry_frames(buf) if limit != 0 else iter(())
        try:
            for seq, (_, body_end, digest) in enumerate(walked):
                nodes = b"".join(compact.append(digest))
                if tree[pos : pos + len(nodes)] != nodes:
                    raise _tree_failure(seq, pos + len(nodes) > tree_len)
                pos += len(nodes)
                end = body_end + HASH_SIZE
                if seq + 1 in roots:
                    roots[seq + 1] = compact.root()
                if progress is not None and seq % PROGRESS_EVERY == 0:
                    progress(body_end, total)
                if seq + 1 == limit:
                    break  # before the next frame is read: it may be half written
        except TornTail as exc:
            raise _Failed(
                f"entries.log ends in the middle of entry {exc.seq} (file cut short; "
                "opening the ledger cuts it back to the last whole entry)", exc.seq
            ) from None
        except LedgerCorrupted as exc:
            raise _Failed(str(exc), exc.seq) from None
        size = compact.size
        if limit is not None and size < limit:
            raise _Failed(f"entries.log holds {size} entries, not the {limit} asked for: "
                          "entries were removed", size)
        if limit is None and tree_len != node_count(size) * HASH_SIZE:
            raise _Failed(f"tree.bin holds {tree_len} bytes, not the {node_count(size) * HASH_SIZE}"
                          f" of a tree of {size} entries", size)
        if progress is not None:
            done = total if limit is None else end
            progress(done, done)
    return size, compact.root()


def _mapped_tree(path: Path) -> AbstractContextManager[Buffer]:
    """tree.bin mapped, or b"" when it is missing (then the first entry reports it)."""
    tree = path / "tree.bin"
    return mapped(tree) if tree.is_file() else nullcontext(b"")


def _tree_failure(seq: int, short: bool) -> _Failed:
    if short:
        return _Failed(f"tree.bin ends before entry {seq} (file cut short)", seq)
    return _Failed(f"entry {seq} does not match tree.bin: the Merkle tree file was altered", seq)


def _match(label: str, head: Checkpoint, size: int, roots: dict[int, bytes], live: bool) -> None:
    if head.tree_size > size:
        if live:
            raise _Failed(f"{label} signs a tree of {head.tree_size} entries, more than the "
                          f"first {size} verified")
        raise _Failed(
            f"{label} signs a tree of {head.tree_size} entries but the ledger holds only "
            f"{size}: entries were removed", size
        )
    if roots[head.tree_size] != head.root_hash:
        raise _Failed(
            f"{label} does not match: the first {head.tree_size} entries have another root "
            "than the one signed (history was rewritten)"
        )
