"""The ledger as C2SP tlog-tiles: tile paths, tiles of hashes and entry bundles.

A tile at level L, index N holds the hashes of the complete subtrees of 256**L leaves
numbered N*256 .. N*256+255, that is nodes (8*L, N*256 + i) of the tree file, which stores
every complete subtree already: a tile is read, never recomputed. A tile of all 256 hashes
(or a bundle of 256 entries) never changes; a partial one (`.p/<W>`) is a prefix of it.
Entry bundles hold the entries' canonical bytes, each behind its length as a big-endian
uint16, so every entry hashes to its leaf in the level-0 tile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ledger.proof import NodeReader

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_LEVEL = 63
MAX_ENTRY = 0xFFFF
"""The longest entry an entry bundle can carry (its length is a uint16)."""

_ELEMENT = re.compile(r"x\d{3}")
_LAST = re.compile(r"\d{3}")
_NUMBER = re.compile(r"0|[1-9]\d*")


class TileNotFound(ValueError):
    """The path names no tile, or one the tree does not (yet) cover."""


class EntryTooLarge(ValueError):
    """An entry is longer than an entry bundle can carry; `size` is its length in bytes."""

    def __init__(self, size: int, what: str = "an entry") -> None:
        self.size = size
        super().__init__(f"{what} of {size} bytes does not fit a tlog-tiles entry bundle "
                         f"(at most {MAX_ENTRY} bytes an entry)")


@dataclass(frozen=True, slots=True)
class TileRef:
    """A tile (`level` 0..63) or an entry bundle (`level` None), `width` 1..256 (256: full)."""

    level: int | None
    index: int
    width: int = TILE_WIDTH

    @property
    def full(self) -> bool:
        return self.width == TILE_WIDTH

    def path(self) -> str:
        """The path under `<prefix>/tile/`, as the spec spells it."""
        digits = f"{self.index:03d}"
        digits = "0" * (-len(digits) % 3) + digits
        groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
        encoded = "/".join([*("x" + g for g in groups[:-1]), groups[-1]])
        level = "entries" if self.level is None else str(self.level)
        suffix = "" if self.full else f".p/{self.width}"
        return f"{level}/{encoded}{suffix}"

    def size_needed(self) -> int:
        """The smallest tree size that holds every hash (or entry) of this tile."""
        level = self.level or 0
        return (self.index * TILE_WIDTH + self.width) << (TILE_HEIGHT * level)


def parse_tile_path(path: str) -> TileRef:
    """The tile named by `path` (what follows `tile/`); TileNotFound if it names none.

    Strict, as the spec: no leading zeros, three-digit elements, `x` on all but the last,
    a width of 1..255 after `.p/`.
    """
    parts = path.split("/")
    if len(parts) < 2:
        raise TileNotFound(f"not a tile path: {path!r}")
    level_text, rest = parts[0], parts[1:]
    width = TILE_WIDTH
    if len(rest) >= 2 and rest[-2].endswith(".p"):
        width_text = rest[-1]
        if not _NUMBER.fullmatch(width_text) or not 1 <= int(width_text) < TILE_WIDTH:
            raise TileNotFound(f"not a partial tile width: {width_text!r}")
        width = int(width_text)
        rest = [*rest[:-2], rest[-2][:-2]]
    if not rest or not _LAST.fullmatch(rest[-1]) or not all(
        _ELEMENT.fullmatch(e) for e in rest[:-1]
    ):
        raise TileNotFound(f"not a tile index: {'/'.join(rest)!r}")
    index = int("".join(e.lstrip("x") for e in rest))
    if level_text == "entries":
        ref = TileRef(None, index, width)
    elif _NUMBER.fullmatch(level_text) and int(level_text) <= MAX_LEVEL:
        ref = TileRef(int(level_text), index, width)
    else:
        raise TileNotFound(f"not a tile level: {level_text!r}")
    if ref.path() != path:  # e.g. x000/001: an index with a needless leading group
        raise TileNotFound(f"not the canonical path of a tile: {path!r}")
    return ref


def tile_hashes(ref: TileRef, tree_size: int, node: NodeReader) -> bytes:
    """The bytes of hash tile `ref` in a tree of `tree_size` leaves whose complete subtrees
    `node` reads; TileNotFound if the tree does not cover it yet."""
    if ref.level is None:
        raise ValueError("an entry bundle is not a tile of hashes")
    if ref.size_needed() > tree_size:
        raise TileNotFound(f"tile {ref.path()} is not in a tree of {tree_size} entries")
    level, first = ref.level * TILE_HEIGHT, ref.index * TILE_WIDTH
    return b"".join(node(level, first + i) for i in range(ref.width))


def entry_bundle(entries: Iterable[bytes]) -> bytes:
    """An entry bundle: each entry's bytes behind its big-endian uint16 length."""
    out = bytearray()
    for entry in entries:
        if len(entry) > MAX_ENTRY:
            raise EntryTooLarge(len(entry))
        out += len(entry).to_bytes(2, "big") + entry
    return bytes(out)


def bundle_range(ref: TileRef, tree_size: int) -> range:
    """The seqs of the entries bundle `ref` holds; TileNotFound if the tree lacks some."""
    if ref.level is not None:
        raise ValueError("a tile of hashes is not an entry bundle")
    if ref.size_needed() > tree_size:
        raise TileNotFound(f"bundle {ref.path()} is not in a tree of {tree_size} entries")
    first = ref.index * TILE_WIDTH
    return range(first, first + ref.width)
