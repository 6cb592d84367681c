"""RFC 6962 / RFC 9162 section 2.1 Merkle tree hashing, proof building and proof checking.

Everything here is a pure function of bytes. Proof *building* works over any source of
complete-subtree hashes (a `NodeReader`), so the same code serves an in-memory list of
leaves and the append-only tree file on disk; proof *checking* needs nothing but hashes.
The verification functions return `bool` and never raise on bad proofs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeReader = Callable[[int, int], bytes]
"""`node(level, index)`: hash of the complete subtree of 2**level leaves from index * 2**level."""


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right), the hash of an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n > 1): RFC 6962's k."""
    return 1 << ((n - 1).bit_length() - 1)


def range_hash(start: int, end: int, node: NodeReader) -> bytes:
    """MTH(D[start:end]) for a range that is a complete aligned subtree or runs to the tree's edge.

    Costs O(log(end - start)) node reads: complete aligned subtrees are read, not recomputed.
    """
    size = end - start
    if size <= 0:
        return EMPTY_ROOT
    if size & (size - 1) == 0 and start % size == 0:
        level = size.bit_length() - 1
        return node(level, start >> level)
    k = split_point(size)
    return node_hash(node(k.bit_length() - 1, start // k), range_hash(start + k, end, node))


def inclusion_path(index: int, size: int, node: NodeReader) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 6962 2.1.1, leaf to root, built from stored nodes."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    return _path(index, 0, size, node)


def _path(m: int, start: int, end: int, node: NodeReader) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = split_point(n)
    if m < k:
        return [*_path(m, start, start + k, node), range_hash(start + k, end, node)]
    return [*_path(m - k, start + k, end, node), range_hash(start, start + k, node)]


def consistency_path(old_size: int, new_size: int, node: NodeReader) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) of RFC 6962 2.1.2; empty when old_size is 0 or equal."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size in (0, new_size):
        return []
    return _subproof(old_size, 0, new_size, True, node)


def _subproof(m: int, start: int, end: int, whole: bool, node: NodeReader) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if whole else [range_hash(start, end, node)]
    k = split_point(n)
    if m <= k:
        return [*_subproof(m, start, start + k, whole, node), range_hash(start + k, end, node)]
    return [*_subproof(m - k, start + k, end, False, node), range_hash(start, start + k, node)]


def memory_nodes(leaves: Sequence[bytes]) -> NodeReader:
    """A `NodeReader` over raw leaf data held in memory: every complete subtree, per level."""
    levels = [[leaf_hash(d) for d in leaves]]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])

    def node(level: int, index: int) -> bytes:
        return levels[level][index]

    return node


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of raw leaf data; SHA-256("") for no leaves."""
    return range_hash(0, len(leaves), memory_nodes(leaves))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of leaf `index` in the tree of all `leaves`."""
    return inclusion_path(index, len(leaves), memory_nodes(leaves))


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """The consistency proof from the tree of the first `old_size` leaves to the tree of all."""
    return consistency_path(old_size, len(leaves), memory_nodes(leaves))


def _hashes_ok(*hashes: bytes) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def root_from_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes | None:
    """The root implied by an audit path (RFC 9162 2.1.3.2), or None if the path cannot fit."""
    if not 0 <= index < size or not _hashes_ok(leaf, *proof):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """True iff `proof` shows the leaf hash `leaf` at `index` in the tree (`size`, `root_hash`)."""
    return _hashes_ok(root_hash) and root_from_inclusion(leaf, index, size, proof) == root_hash


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True iff `proof` shows the tree (old_size, old_root) is a prefix of (new_size, new_root).

    RFC 9162 2.1.4.2, with the usual edge cases: from size 0 any empty proof holds, and
    equal sizes need an empty proof and equal roots.
    """
    if not 0 <= old_size <= new_size or not _hashes_ok(old_root, new_root, *proof):
        return False
    if old_size == 0:
        return not proof
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0
