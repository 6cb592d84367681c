"""The Merkle tree of RFC 6962 / RFC 9162 section 2.1, under the names DESIGN.md gives it.

Roots and proofs over raw leaf data held in memory, and boolean checks: the short way for a
caller that has the leaves, or only wants a yes or no. The parts live apart, as in
transparency-dev/merkle: the hashes in `ledger.rfc6962`, proof building over stored subtree
hashes in `ledger.proof`, proof checking, which says why a proof fails, in
`ledger.proof_check`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ledger.errors import InvalidProof
from ledger.proof import (
    NodeReader,
    consistency_path,
    inclusion_path,
    memory_nodes,
    range_hash,
)
from ledger.proof_check import check_consistency, check_inclusion, root_from_inclusion
from ledger.rfc6962 import EMPTY_ROOT, HASH_SIZE, leaf_hash, node_hash, split_point

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "NodeReader",
    "check_consistency",
    "check_inclusion",
    "consistency_path",
    "consistency_proof",
    "inclusion_path",
    "inclusion_proof",
    "leaf_hash",
    "memory_nodes",
    "node_hash",
    "range_hash",
    "root",
    "root_from_inclusion",
    "split_point",
    "verify_consistency",
    "verify_inclusion",
]


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of raw leaf data; SHA-256("") for no leaves."""
    return range_hash(0, len(leaves), memory_nodes(leaves))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of leaf `index` in the tree of all `leaves`."""
    return inclusion_path(index, len(leaves), memory_nodes(leaves))


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """The consistency proof from the tree of the first `old_size` leaves to the tree of all."""
    return consistency_path(old_size, len(leaves), memory_nodes(leaves))


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """True iff `proof` shows the leaf hash `leaf` at `index` in the tree (`size`, `root_hash`).
    Never raises on a bad proof; `check_inclusion` says why one fails."""
    return _holds(check_inclusion, leaf, index, size, proof, root_hash)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True iff `proof` shows the tree (old_size, old_root) is a prefix of (new_size, new_root).
    Never raises on a bad proof; `check_consistency` says why one fails."""
    return _holds(check_consistency, old_size, new_size, old_root, new_root, proof)


def _holds(check: Callable[..., None], *args: object) -> bool:
    try:
        check(*args)
    except InvalidProof:
        return False
    return True
