"""Anchors: where a change sits in the ledger, as every mutation and twin part reports it."""

from __future__ import annotations

import strawberry

from ledger import Anchor as LedgerAnchor
from ledger import Ledger


@strawberry.type(description="A ledger entry and the Merkle tree that includes it.")
class Anchor:
    seq: int
    entry_hash: str = strawberry.field(description="Hex SHA-256 leaf hash of the entry.")
    tree_size: int
    root_hash: str = strawberry.field(description="Hex root of the tree of `treeSize` entries.")
    time: str

    @classmethod
    def of(cls, anchor: LedgerAnchor) -> Anchor:
        return cls(seq=anchor.seq, entry_hash=anchor.entry_hash.hex(),
                   tree_size=anchor.tree_size, root_hash=anchor.root_hash.hex(), time=anchor.time)

    @classmethod
    def at(cls, ledger: Ledger, seq: int) -> Anchor:
        """The anchor of an earlier entry: the smallest tree that holds it (size `seq + 1`),
        stable however much the ledger grows since."""
        entry = ledger.entry(seq)
        return cls(seq=seq, entry_hash=entry.entry_hash.hex(), tree_size=seq + 1,
                   root_hash=ledger.root_hash(seq + 1).hex(), time=entry.time)
