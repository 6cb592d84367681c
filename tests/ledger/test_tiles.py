"""tlog-tiles: paths as the spec spells them, tiles read from stored subtrees, bundles."""

from __future__ import annotations

import pytest

from ledger.entry import entry_size, event_bytes
from ledger.merkle import leaf_hash, memory_nodes, root
from ledger.tiles import (
    MAX_ENTRY,
    EntryTooLarge,
    TileNotFound,
    TileRef,
    bundle_range,
    entry_bundle,
    parse_tile_path,
    tile_hashes,
)
from tests.ledger.conftest import MakeLedger, fill

PATHS = [  # (path, level, index, width), from the spec's examples and edges
    ("0/000", 0, 0, 256),
    ("0/x001/x234/067", 0, 1234067, 256),
    ("1/x001/x234/067.p/17", 1, 1234067, 17),
    ("entries/000.p/1", None, 0, 1),
    ("entries/x999/999", None, 999999, 256),
    ("63/255", 63, 255, 256),
]


@pytest.mark.parametrize(("path", "level", "index", "width"), PATHS)
def test_a_tile_path_reads_and_writes_as_the_spec_spells_it(
    path: str, level: int | None, index: int, width: int
) -> None:
    ref = parse_tile_path(path)
    assert ref == TileRef(level, index, width)
    assert ref.path() == path


@pytest.mark.parametrize("path", [
    "0/1", "0/0000", "0/x000/001", "0/001/002", "0/x1/002", "00/000", "64/000", "-1/000",
    "0/000.p/0", "0/000.p/256", "0/000.p/07", "0/000.p/", "0/.p/3", "ent/000", "0", "",
    "0/000/", "0/x001/",
])
def test_a_path_that_names_no_tile_is_refused(path: str) -> None:
    with pytest.raises(TileNotFound):
        parse_tile_path(path)


def test_the_spec_example_tree_of_70000_has_the_tiles_it_lists() -> None:
    leaves = [b"%d" % i for i in range(70_000)]
    node = memory_nodes(leaves)
    size = len(leaves)
    assert len(tile_hashes(TileRef(0, 272), size, node)) == 256 * 32
    assert len(tile_hashes(TileRef(0, 273, 112), size, node)) == 112 * 32
    with pytest.raises(TileNotFound):
        tile_hashes(TileRef(0, 273, 113), size, node)
    assert len(tile_hashes(TileRef(1, 0), size, node)) == 256 * 32
    level1 = tile_hashes(TileRef(1, 1, 17), size, node)
    # Hash i of a level-1 tile is the root of 256 leaves.
    assert level1[16 * 32 : 17 * 32] == root(leaves[(256 + 16) * 256 : (256 + 17) * 256])
    assert tile_hashes(TileRef(2, 0, 1), size, node) == root(leaves[: 256 * 256])
    with pytest.raises(TileNotFound):
        tile_hashes(TileRef(1, 1, 18), size, node)


def test_a_bundle_holds_each_entry_behind_its_length() -> None:
    assert entry_bundle([b"ab", b"", b"c"]) == b"\x00\x02ab\x00\x00\x00\x01c"
    with pytest.raises(EntryTooLarge):
        entry_bundle([bytes(65_536)])
    assert bundle_range(TileRef(None, 2, 5), 517) == range(512, 517)
    with pytest.raises(TileNotFound):
        bundle_range(TileRef(None, 2, 6), 517)


def test_a_ledgers_bundle_hashes_to_its_level_zero_tile(open_ledger: MakeLedger) -> None:
    led = open_ledger()
    fill(led, 300)
    tile = tile_hashes(TileRef(0, 0), led.size, led.node)
    bodies = list(led.entry_bytes(0, 256))
    assert b"".join(leaf_hash(b) for b in bodies) == tile
    partial = tile_hashes(TileRef(0, 1, 44), led.size, led.node)
    assert partial == b"".join(leaf_hash(b) for b in led.entry_bytes(256, 300))
    assert tile_hashes(TileRef(1, 0, 1), led.size, led.node) == led.root_hash(256)
    with pytest.raises(ValueError):
        led.node(0, 300)


def test_an_entry_a_bundle_cannot_carry_is_refused_at_append(open_ledger: MakeLedger) -> None:
    """The longest payload that fits is written and served; one byte more is refused before
    anything is written, naming the size, and the ledger goes on."""
    led = open_ledger()
    fill(led, 2)
    args = ("user:0", "graph.upsert", ["patient:0"])
    event = len(event_bytes(*args, "patient:0"))
    longest = max(n for n in range(40_000, 50_000)
                  if entry_size(event, n, led.size) <= MAX_ENTRY)
    led.append_sync(*args, bytes(longest), "patient:0")
    [written] = led.entry_bytes(2, 3)
    assert len(written) == entry_size(event, longest, 2) > MAX_ENTRY - 4
    with pytest.raises(EntryTooLarge) as refused:
        led.append(*args, bytes(longest + 1), "patient:0")
    assert MAX_ENTRY < refused.value.size <= MAX_ENTRY + 4
    assert f"graph.upsert: an entry of {refused.value.size} bytes" in str(refused.value)
    assert led.size == 3
    fill(led, 1)
    bundle = entry_bundle(led.entry_bytes(0, led.size))
    assert len(bundle) == sum(2 + len(b) for b in led.entry_bytes(0, led.size))
