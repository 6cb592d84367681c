"""HDT's tamper-evident ledger: a hash chain and RFC 6962 Merkle tree over encrypted entries,
with signed checkpoints and an offline verifier. Imports nothing of the rest of HDT.
"""

from ledger.checkpoint import Checkpoint, SignedCheckpoint
from ledger.entry import LedgerEntry
from ledger.errors import (
    EntriesMissing,
    ErasedSubject,
    InvalidCheckpoint,
    InvalidKey,
    InvalidNote,
    InvalidProof,
    KeyMissing,
    LedgerClosed,
    LedgerCorrupted,
    LedgerError,
    LedgerFailed,
    LedgerLocked,
    LedgerNotFound,
    MalformedHash,
    OriginMismatch,
    ProofOutOfRange,
    RootMismatch,
    TornTail,
    WrongMasterKey,
    WrongProofSize,
)
from ledger.layout import has_keys
from ledger.log import Anchor, Ledger
from ledger.tiles import MAX_ENTRY, EntryTooLarge

__all__ = [
    "MAX_ENTRY",
    "Anchor",
    "Checkpoint",
    "EntriesMissing",
    "EntryTooLarge",
    "ErasedSubject",
    "InvalidCheckpoint",
    "InvalidKey",
    "InvalidNote",
    "InvalidProof",
    "KeyMissing",
    "Ledger",
    "LedgerClosed",
    "LedgerCorrupted",
    "LedgerEntry",
    "LedgerError",
    "LedgerFailed",
    "LedgerLocked",
    "LedgerNotFound",
    "MalformedHash",
    "OriginMismatch",
    "ProofOutOfRange",
    "RootMismatch",
    "SignedCheckpoint",
    "TornTail",
    "WrongMasterKey",
    "WrongProofSize",
    "has_keys",
]
