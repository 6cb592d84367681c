"""Typed failures of the ledger: one class per thing that can go wrong, for callers to match."""

from __future__ import annotations


class LedgerError(Exception):
    """Base class of every failure the ledger raises on purpose."""


class LedgerNotFound(LedgerError):
    """The directory holds no ledger (or does not exist)."""


class LedgerCorrupted(LedgerError):
    """Stored bytes are damaged (not a torn tail); `seq` names the first bad entry.

    `reason` reads on from the seq: "entry 41 was altered: ...".
    """

    def __init__(self, seq: int | None, reason: str, *, offset: int | None = None) -> None:
        self.seq = seq
        self.reason = reason
        self.offset = offset
        where = f"entry {seq} " if seq is not None else "the ledger "
        super().__init__(where + reason)


class TornTail(LedgerCorrupted):
    """The file ends inside its last record, as a write cut short by a crash leaves it.

    `offset` is where the last whole record ends; cutting the file there repairs it.
    """


class EntriesMissing(LedgerCorrupted):
    """Whole entries are gone from the end of the entries file: something durable (a signed
    checkpoint, the tree file, or a projection the caller holds) counts more than it holds.

    No crash explains it (an entry is acknowledged only once fsync'd, and its tree nodes are
    written after that), so the ledger refuses to open and rewrites nothing: cutting the tree
    or signing over the shorter history would hide acknowledged writes. `held` is how many
    entries the file holds, `expected` how many `source` counts.
    """

    def __init__(self, held: int, expected: int, source: str) -> None:
        self.held, self.expected, self.source = held, expected, source
        self.seq, self.offset = held, None
        gone = f"entry {held} is" if expected - 1 == held else \
            f"entries {held}..{expected - 1} are"
        self.reason = f"the ledger holds {held} entries but {source} {expected}: {gone} missing"
        LedgerError.__init__(self, self.reason)


class LedgerClosed(LedgerError):
    """The ledger was closed; no more appends are accepted."""


class LedgerFailed(LedgerError):
    """A write or fsync failed; the ledger refuses further appends until it is reopened."""


class LedgerLocked(LedgerError):
    """Another process has this ledger open for writing."""


class ErasedSubject(LedgerError):
    """The subject's data key was destroyed: its payloads can no longer be read or written."""

    def __init__(self, key_subject: str) -> None:
        self.key_subject = key_subject
        super().__init__(f"the data key of subject {key_subject!r} was erased")


class KeyMissing(LedgerError):
    """A key the ledger needs is not where it should be (and was not erased on purpose)."""


class WrongMasterKey(LedgerError):
    """The master key given does not unwrap this ledger's keys."""


class OriginMismatch(LedgerError):
    """The ledger was created with another origin than the one asked for."""


class InvalidNote(LedgerError):
    """A signed note is malformed, or no signature on it verifies with the key given."""


class InvalidCheckpoint(InvalidNote):
    """A checkpoint is malformed, unsigned by the key given, or names another origin."""


class InvalidKey(LedgerError):
    """A verifier key (note key text or PEM) cannot be parsed."""


class InvalidProof(LedgerError):
    """A Merkle proof does not show what it was checked for; the message says why."""


class ProofOutOfRange(InvalidProof):
    """The leaf index lies outside the tree, or the sizes do not go from smaller to larger."""


class MalformedHash(InvalidProof):
    """A hash given (leaf, root or one of the proof's) is not 32 bytes."""


class WrongProofSize(InvalidProof):
    """The proof has more or fewer hashes than the tree sizes call for."""


class RootMismatch(InvalidProof):
    """The proof's hashes lead to another root than the one it was checked against."""


class CopyRefused(LedgerError):
    """A ledger's files do not hold what its latest checkpoint signs, so no faithful copy of
    them can be made; the message names the file."""
