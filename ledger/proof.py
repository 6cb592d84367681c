"""Building roots and proofs (RFC 6962 2.1.1 and 2.1.2) from stored subtree hashes.

Building works over any source of complete-subtree hashes (a `NodeReader`), so the same code
serves an in-memory list of leaves and the append-only tree file on disk. Checking a proof
lives apart, in `ledger.proof_check`: it needs nothing but hashes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ledger.rfc6962 import EMPTY_ROOT, leaf_hash, node_hash, split_point

NodeReader = Callable[[int, int], bytes]
"""`node(level, index)`: hash of the complete subtree of 2**level leaves from index * 2**level."""


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
