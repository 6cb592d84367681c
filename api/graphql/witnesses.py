"""Witnesses over GraphQL: who cosigned the ledger's checkpoints, and how far behind each is.

The cosignatures are checked here against the configured witness keys, as `hdt ledger
verify --witness` checks them; the console's auditor screen checks them again itself.
"""

from __future__ import annotations

import strawberry

from api.witness.client import Witnessing
from ledger import SignedCheckpoint
from ledger.cosignature import cosignatures


@strawberry.type(description="A witness's cosignature on a checkpoint (C2SP "
                             "tlog-cosignature/v1), valid under the witness's configured key.")
class Cosignature:
    witness: str
    key: str = strawberry.field(description="The witness's verifier key it verified under.")
    timestamp: int = strawberry.field(description="When the witness cosigned (POSIX seconds).")


@strawberry.type(description="The latest checkpoint enough witnesses vouched for: the signed "
                             "note with their cosignature lines.")
class CosignedCheckpoint:
    note: str
    tree_size: int
    root_hash: str = strawberry.field(description="Hex.")
    quorum: int = strawberry.field(description="How many cosignatures the policy asks for (k).")
    cosignatures: list[Cosignature]


@strawberry.type(description="A witness the ledger's checkpoints go to, and how far behind it is.")
class WitnessState:
    name: str
    url: str
    key: str
    cosigned_size: int = strawberry.field(description="The tree size it cosigned last.")
    lag_entries: int = strawberry.field(description="Entries the latest checkpoint holds "
                                                    "beyond what it cosigned.")
    last_error: str | None = strawberry.field(description="Why its last submission failed, "
                                                          "if it did.")


def cosigned_checkpoint(note: str, witnessing: Witnessing) -> CosignedCheckpoint:
    head = SignedCheckpoint.of(note)
    keys = {w.verifier.name: w.verifier for w in witnessing.witnesses}
    found = cosignatures(note, keys.values())
    return CosignedCheckpoint(
        note=note, tree_size=head.tree_size, root_hash=head.root_hash.hex(),
        quorum=witnessing.quorum,
        cosignatures=[Cosignature(witness=c.witness, key=keys[c.witness].key_text(),
                                  timestamp=c.timestamp) for c in found])


def witness_states(witnessing: Witnessing, checkpoint_size: int) -> list[WitnessState]:
    return [WitnessState(name=w.name, url=w.url, key=w.verifier.key_text(),
                         cosigned_size=w.cosigned_size,
                         lag_entries=max(0, checkpoint_size - w.cosigned_size),
                         last_error=w.last_error) for w in witnessing.witnesses]
