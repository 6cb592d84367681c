"""The tree file: post-order positions, the growing right edge, and proofs read from disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger import merkle
from ledger.tree import CompactRange, TreeFile, node_count, node_position, size_for_count


def postorder(size: int) -> list[tuple[int, int]]:
    """(level, index) of each complete subtree in the order appends complete them."""
    order = []
    for i in range(size):
        level, index = 0, i
        order.append((0, i))
        while index & 1:
            level, index = level + 1, index >> 1
            order.append((level, index))
    return order


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 8, 100, 1025])
def test_node_positions_follow_the_append_order(size: int) -> None:
    order = postorder(size)
    assert [node_position(lv, ix) for lv, ix in order] == list(range(len(order)))
    assert node_count(size) == len(order)


@pytest.mark.parametrize("count", range(0, 300))
def test_size_for_count_is_the_largest_size_that_fits(count: int) -> None:
    size = size_for_count(count)
    assert node_count(size) <= count < node_count(size + 1)


def leaves(size: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(size)]


def build(path: Path, data: list[bytes]) -> TreeFile:
    tree = TreeFile(path)
    compact = CompactRange()
    for d in data:
        tree.append(compact.append(merkle.leaf_hash(d)))
    return tree


def test_compact_range_root_matches_rfc_root_at_every_size() -> None:
    data = leaves(130)
    compact = CompactRange()
    assert compact.root() == merkle.root([])
    for i, d in enumerate(data):
        compact.append(merkle.leaf_hash(d))
        assert compact.root() == merkle.root(data[: i + 1])


def test_tree_file_roots_and_proofs_match_in_memory_ones_at_every_past_size(
    tmp_path: Path,
) -> None:
    data = leaves(70)
    tree = build(tmp_path / "tree.bin", data)
    assert tree.stored_size == 70
    memory = merkle.memory_nodes(data)
    for size in range(0, 71):
        assert tree.root(size) == merkle.root(data[:size])
        for index in range(size):
            assert tree.inclusion_proof(index, size) == merkle.inclusion_path(index, size, memory)
        for old in range(0, size + 1):
            assert tree.consistency_proof(old, size) == merkle.consistency_path(old, size, memory)
    tree.close()


def test_compact_range_reloads_from_the_file_at_any_size(tmp_path: Path) -> None:
    data = leaves(37)
    tree = build(tmp_path / "tree.bin", data)
    for size in range(38):
        assert CompactRange.at(size, tree.node).root() == merkle.root(data[:size])
    tree.close()


def test_proof_reads_stay_logarithmic(tmp_path: Path) -> None:
    """A proof in a tree of 2**16 leaves reads O(log n) nodes, not the tree."""
    data = leaves(1 << 16)
    tree = build(tmp_path / "tree.bin", data)
    reads = []

    def counting(level: int, index: int) -> bytes:
        reads.append((level, index))
        return tree.node(level, index)

    size = (1 << 16) - 3
    for index in (0, 12345, size - 1):
        reads.clear()
        proof = merkle.inclusion_path(index, size, counting)
        assert merkle.verify_inclusion(merkle.leaf_hash(data[index]), index, size, proof,
                                       merkle.range_hash(0, size, tree.node))
        assert len(reads) <= 2 * 16
    reads.clear()
    merkle.consistency_path(1000, size, counting)
    assert len(reads) <= 3 * 16
    tree.close()
