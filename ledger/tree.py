"""The Merkle tree on disk: the hash of every complete subtree, in the order appends complete them.

Appending leaf i writes its leaf hash and then the hash of each subtree it completes, so the
file is the post-order of the complete subtrees and node (level, index) sits at a position
computed in O(1). Roots and proofs for any past tree size then take O(log n) reads of 32
bytes (`proof.range_hash`), never a recomputation of the tree.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ledger import proof
from ledger.rfc6962 import EMPTY_ROOT, HASH_SIZE, node_hash
from ledger.store import AppendFile

UPPER_LEVEL = 8
UPPER_NODES = 1 << 16
"""At most this many upper nodes are kept (2 MiB of hashes): all of them up to ~8 million
entries, the most recently read beyond."""


def node_count(size: int) -> int:
    """How many complete subtrees a tree of `size` leaves has (the tree file's length / 32)."""
    return 2 * size - size.bit_count()


def node_position(level: int, index: int) -> int:
    """Where node (level, index) sits in the post-order file."""
    last = ((index + 1) << level) - 1
    return 2 * last - last.bit_count() + level


def size_for_count(count: int) -> int:
    """The largest tree size whose nodes fit in `count` stored nodes."""
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if node_count(mid) <= count:
            lo = mid
        else:
            hi = mid - 1
    return lo


class CompactRange:
    """The right edge of a growing tree: the roots of the complete subtrees covering it.

    Appending takes amortised O(1) hashes and yields the nodes to store; `root` takes
    O(log n). Not thread-safe (owned by the one writer, or by a verifier).
    """

    def __init__(self, size: int = 0, hashes: list[bytes] | None = None) -> None:
        self.size = size
        self.hashes = list(hashes or [])

    @classmethod
    def at(cls, size: int, node: proof.NodeReader) -> CompactRange:
        """The right edge of the stored tree of `size` leaves."""
        hashes, start = [], 0
        for level in reversed(range(size.bit_length())):
            if size >> level & 1:
                hashes.append(node(level, start >> level))
                start += 1 << level
        return cls(size, hashes)

    def append(self, leaf: bytes) -> list[bytes]:
        """Add a leaf hash; returns it and the subtree hashes it completes, in post-order."""
        out = [leaf]
        node, index = leaf, self.size
        hashes = self.hashes
        while index & 1:
            node = node_hash(hashes.pop(), node)
            out.append(node)
            index >>= 1
        hashes.append(node)
        self.size += 1
        return out

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        node = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            node = node_hash(left, node)
        return node


class TreeFile:
    """The append-only tree file: node reads, roots and proofs at any size it covers."""

    def __init__(self, path: Path) -> None:
        self.file = AppendFile(path)
        self._upper = functools.lru_cache(maxsize=UPPER_NODES)(self._read)

    def _read(self, level: int, index: int) -> bytes:
        return self.file.read(node_position(level, index) * HASH_SIZE, HASH_SIZE)

    @property
    def stored_size(self) -> int:
        """The tree size the file's whole nodes cover."""
        return size_for_count(self.file.size // HASH_SIZE)

    def node(self, level: int, index: int) -> bytes:
        """A stored node. Those over `2**UPPER_LEVEL` leaves or more are on most proofs' path,
        so they are kept once read; a stored node never changes (the file only grows, and is
        cut back only by recovery, before anything is read)."""
        if level >= UPPER_LEVEL:
            return self._upper(level, index)
        return self._read(level, index)

    def append(self, nodes: list[bytes]) -> None:
        self.file.append(b"".join(nodes))

    def root(self, size: int) -> bytes:
        return proof.range_hash(0, size, self.node)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        return proof.inclusion_path(index, size, self.node)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        return proof.consistency_path(old_size, new_size, self.node)

    def close(self) -> None:
        self.file.close()
