"""RFC 6962 / RFC 9162 section 2.1's hashes: of a leaf, of an interior node, of the empty tree.

What both sides of a proof agree on, and nothing else: `ledger.proof` builds proofs from
these hashes, `ledger.proof_check` checks them (as transparency-dev/merkle's `rfc6962`
hasher serves its `proof` package).
"""

from __future__ import annotations

import hashlib

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right), the hash of an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n > 1): RFC 6962's k."""
    return 1 << ((n - 1).bit_length() - 1)
