"""Typed failures of the ledger: one class per thing that can go wrong, for callers to match."""

from __future__ import annotations


class LedgerError(Exception):
    """Base class of every failure the ledger raises on purpose."""


class LedgerNotFound(LedgerError):
    """The directory holds no ledger (or does not exist)."""


class LedgerCorrupted(LedgerError):
    """Stored bytes are damaged (not a torn tail); `seq` names the first bad entry."""

    def __init__(self, seq: int | None, reason: str) -> None:
        self.seq = seq
        self.reason = reason
        where = f"entry {seq}" if seq is not None else "ledger"
        super().__init__(f"{where}: {reason}")


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


class InvalidCheckpoint(LedgerError):
    """A checkpoint note is malformed, or no signature on it verifies with the key given."""


class InvalidKey(LedgerError):
    """A verifier key (note key text or PEM) cannot be parsed."""
