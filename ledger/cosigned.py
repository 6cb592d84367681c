"""Cosigned checkpoints: the latest checkpoint that enough witnesses vouched for, kept in the
ledger directory (`checkpoint.cosigned`) for anyone to verify offline, and the k-of-n check.

The witnesses are named by their cosignature/v1 verifier keys; the policy is "at least k
of them cosigned this very checkpoint". Cosignatures by keys not in the list count for
nothing, as the signed-note spec asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ledger.checkpoint import Checkpoint, SignedCheckpoint, open_checkpoint
from ledger.cosignature import Cosignature, CosignatureVerifier, cosignatures
from ledger.durable import write_atomic
from ledger.errors import InvalidCheckpoint, InvalidNote
from ledger.note import NoteVerifier, split_note

COSIGNED = "checkpoint.cosigned"


class TooFewCosignatures(InvalidCheckpoint):
    """A checkpoint carries fewer valid cosignatures than the policy asks for."""

    def __init__(self, found: Sequence[Cosignature], needed: int) -> None:
        self.found, self.needed = list(found), needed
        names = ", ".join(c.witness for c in found) or "none"
        super().__init__(f"the checkpoint has {len(found)} valid cosignature(s) ({names}); "
                         f"the policy asks for {needed}")


def open_cosigned(note: str, log: NoteVerifier, witnesses: Sequence[CosignatureVerifier],
                  needed: int) -> tuple[Checkpoint, list[Cosignature]]:
    """The checkpoint in `note` and its valid cosignatures, if the log signed it and at least
    `needed` of `witnesses` cosigned it; InvalidCheckpoint (TooFewCosignatures) if not."""
    checkpoint = open_checkpoint(note, log, log.name)
    try:
        found = cosignatures(note, witnesses)
    except InvalidNote as exc:
        raise InvalidCheckpoint(str(exc)) from None
    if len(found) < needed:
        raise TooFewCosignatures(found, needed)
    return checkpoint, found


def read_cosigned(directory: Path) -> str | None:
    """The latest cosigned checkpoint note kept in a ledger directory, if any."""
    path = directory / COSIGNED
    return path.read_text(encoding="utf-8") if path.exists() else None


def publish_cosigned(directory: Path, note: str) -> bool:
    """Keep `note` as the latest cosigned checkpoint if it signs a larger tree than the one
    kept, or the same tree with more signatures; durable on return. Whether it was kept.
    Called from one place (the witness client)."""
    current = read_cosigned(directory)
    if current is not None and _rank(current) >= _rank(note):
        return False
    write_atomic(directory / COSIGNED, note.encode())
    return True


def _rank(note: str) -> tuple[int, int]:
    head = SignedCheckpoint.of(note)
    return head.tree_size, len(split_note(note)[1])
