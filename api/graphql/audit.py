"""Audit over GraphQL: the ledger's metadata, signed checkpoints, proofs and provenance.

For auditors and administrators (`LEDGER_READERS`). Nothing here decrypts a payload: an
auditor learns who did what kind of thing to which ids, and can prove offline that it is all
in the signed tree, but reads no clinical content.
"""

from __future__ import annotations

import asyncio
import time
from bisect import bisect_left
from pathlib import Path
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.graphql.anchors import Anchor
from api.graphql.context import Context
from api.graphql.errors import Conflict, InvalidInput, NotFound
from api.graphql.identity import User
from api.graphql.pagination import Connection, keyset_page, page_size
from api.graphql.witnesses import (
    CosignedCheckpoint,
    WitnessState,
    cosigned_checkpoint,
    witness_states,
)
from api.twin.access import LEDGER_READERS
from graph import reads
from graph.rows import BreakGlassRow
from ledger import Ledger, LedgerEntry, LedgerNotFound, SignedCheckpoint
from ledger.entry import b64, encode
from ledger.merkle import EMPTY_ROOT
from ledger.verify import VerifyReport, verify_ledger

MAX_PROVENANCE = 500
"""Entries per provenance page: each carries a proof of ~log2(treeSize) hashes."""

From = Annotated[int, strawberry.argument(name="from", description="The first seq wanted.")]


@strawberry.type(description="A ledger entry's public metadata, and its canonical bytes with the "
                             "payload still sealed: auditors read no clinical content.")
class LedgerEntryMeta:
    seq: int
    time: str
    actor: str = strawberry.field(description="The user id (or `cli`) that caused the entry.")
    action: str = strawberry.field(description="The event kind, e.g. `VitalsRecorded`.")
    subjects: list[strawberry.ID] = strawberry.field(description="The ids the entry touched.")
    entry_hash: str = strawberry.field(description="Hex SHA-256 leaf hash (RFC 6962).")
    prev_hash: str = strawberry.field(description="Hex hash of the entry before (the chain).")
    key_subject: strawberry.ID = strawberry.field(
        description="Whose data key seals the payload; erasing it leaves the chain verifiable.")
    entry_bytes: str = strawberry.field(
        description="Base64 of the entry's canonical bytes (RFC 8785 JSON: the fields above and "
                    "the AES-GCM ciphertext under the patient's key). `entryHash` is their "
                    "RFC 6962 leaf hash: a client recomputes it and reads the metadata it covers.")

    @classmethod
    def of(cls, entry: LedgerEntry) -> LedgerEntryMeta:
        """The bytes are re-encoded from the hash-checked entry: the writer's canonical form is
        one-to-one (`encode(decode(b)) == b`), so they are the stored bytes; were they not, they
        would no longer hash to `entryHash` and a client's check would fail, not pass."""
        return cls(seq=entry.seq, time=entry.time, actor=entry.actor, action=entry.action,
                   subjects=[strawberry.ID(s) for s in entry.subjects],
                   entry_hash=entry.entry_hash.hex(), prev_hash=entry.prev_hash.hex(),
                   key_subject=strawberry.ID(entry.key_subject),
                   entry_bytes=b64(encode(entry)))


@strawberry.type(description="An entry with the audit path that puts it in a signed tree.")
class ProvenanceEntry:
    entry: LedgerEntryMeta
    inclusion_proof: list[str] = strawberry.field(
        description="Hex hashes, leaf to root (RFC 6962 PATH) from `entry.entryHash`.")
    tree_size: int
    root_hash: str = strawberry.field(description="Hex root of the tree of `treeSize` entries.")


@strawberry.type(description="The ledger entries that touched one id, each proven against the "
                             "tree that `checkpoint` signs: verifiable offline with the public "
                             "key alone.")
class Provenance:
    node_id: strawberry.ID
    tree_size: int
    root_hash: str
    checkpoint: str = strawberry.field(description="The signed note of this tree (C2SP "
                                                   "tlog-checkpoint).")
    entries: list[ProvenanceEntry]
    next_from: int | None = strawberry.field(
        description="Pass as `from` for the next page; null on the last one.")


@strawberry.type(description="Proof that the tree of `oldSize` is a prefix of that of `newSize`.")
class ConsistencyProof:
    old_size: int
    new_size: int
    old_root_hash: str
    new_root_hash: str
    proof: list[str] = strawberry.field(description="Hex hashes (RFC 6962 PROOF).")


@strawberry.type(description="The verdict of a full verification of the ledger's files.")
class LedgerVerification:
    ok: bool
    tree_size: int = strawberry.field(description="How many entries were verified.")
    root_hash: str
    first_bad_seq: int | None
    message: str
    seconds: float


@strawberry.type(description="An emergency read outside the reader's care, as anchored.")
class BreakGlassAccess:
    id: strawberry.ID
    user: User
    patient_id: strawberry.ID
    reason: str
    at: str
    expires_at: str
    seq: strawberry.Private[int]

    @strawberry.field(description="The ledger entry of this access.")
    def anchor(self, info: Info[Context, None]) -> Anchor:
        return Anchor.at(info.context.resources.ledger, self.seq)


@strawberry.type
class AuditQuery:
    @strawberry.field(description="A signed checkpoint of the current tree, as a C2SP signed "
                                  "note (ADMIN, AUDITOR).")
    async def ledger_checkpoint(self, info: Info[Context, None]) -> str:
        await info.context.require(LEDGER_READERS)
        signed = await asyncio.to_thread(info.context.resources.ledger.checkpoint)
        return signed.note

    @strawberry.field(description="The latest checkpoint cosigned by as many witnesses as "
                                  "the policy asks, with their cosignatures; null before the "
                                  "first (ADMIN, AUDITOR).")
    async def cosigned_checkpoint(self, info: Info[Context, None]) -> CosignedCheckpoint | None:
        await info.context.require(LEDGER_READERS)
        resources = info.context.resources
        note = await asyncio.to_thread(resources.cosigned_checkpoint)
        return None if note is None else cosigned_checkpoint(note, resources.witnessing)

    @strawberry.field(description="The witnesses checkpoints go to, and how far behind each "
                                  "is (ADMIN, AUDITOR).")
    async def witnesses(self, info: Info[Context, None]) -> list[WitnessState]:
        await info.context.require(LEDGER_READERS)
        resources = info.context.resources
        latest = resources.ledger.latest_checkpoint()
        return witness_states(resources.witnessing, 0 if latest is None else latest.tree_size)

    @strawberry.field(description="The note verifier key checkpoints are signed with, for "
                                  "offline checks (ADMIN, AUDITOR).")
    async def ledger_public_key(self, info: Info[Context, None]) -> str:
        await info.context.require(LEDGER_READERS)
        return info.context.resources.ledger.public_key_text()

    @strawberry.field(description="Entries' public metadata from seq `from`, in seq order "
                                  "(ADMIN, AUDITOR).")
    async def ledger_entries(self, info: Info[Context, None], from_: From = 0,
                             first: int = 50) -> list[LedgerEntryMeta]:
        await info.context.require(LEDGER_READERS)
        ledger = info.context.resources.ledger
        limit, size = page_size(first), ledger.size
        if not 0 <= from_ <= size:
            raise InvalidInput("from", f"must be between 0 and the tree size {size}")
        return [LedgerEntryMeta.of(e) for e in ledger.entries(from_, from_ + limit)]

    @strawberry.field(description="The entries that touched an id, each with its inclusion "
                                  "proof, and the signed checkpoint they are proven against "
                                  "(ADMIN, AUDITOR).")
    async def provenance(self, info: Info[Context, None], node_id: strawberry.ID,
                         from_: From = 0, first: int = 100) -> Provenance:
        await info.context.require(LEDGER_READERS)
        if not 1 <= first <= MAX_PROVENANCE:
            raise InvalidInput("first", f"must be between 1 and {MAX_PROVENANCE}")
        if from_ < 0:
            raise InvalidInput("from", "must be 0 or more")
        resources = info.context.resources
        seqs = resources.recorder.subjects.get(str(node_id), [])
        if not seqs:
            raise NotFound(f"no ledger entry names {node_id} as a subject")
        head = await asyncio.to_thread(resources.ledger.checkpoint)
        start = bisect_left(seqs, from_)
        wanted = seqs[start : min(bisect_left(seqs, head.tree_size), start + first + 1)]
        entries = await asyncio.to_thread(_proven, resources.ledger, wanted[:first], head)
        return Provenance(node_id=node_id, tree_size=head.tree_size,
                          root_hash=head.root_hash.hex(), checkpoint=head.note, entries=entries,
                          next_from=wanted[first] if len(wanted) > first else None)

    @strawberry.field(description="Proof that the tree of `oldSize` entries is a prefix of the "
                                  "tree of `newSize` (default: the current size) (ADMIN, "
                                  "AUDITOR).")
    async def consistency_proof(self, info: Info[Context, None], old_size: int,
                                new_size: int | None = None) -> ConsistencyProof:
        await info.context.require(LEDGER_READERS)
        ledger = info.context.resources.ledger
        size = ledger.size
        new = size if new_size is None else new_size
        if not 0 <= new <= size:
            raise InvalidInput("newSize", f"must be between 0 and the tree size {size}")
        if not 0 <= old_size <= new:
            raise InvalidInput("oldSize", f"must be between 0 and newSize ({new})")
        return ConsistencyProof(
            old_size=old_size, new_size=new,
            old_root_hash=ledger.root_hash(old_size).hex(),
            new_root_hash=ledger.root_hash(new).hex(),
            proof=[h.hex() for h in ledger.consistency_proof(old_size, new)],
        )

    @strawberry.field(description="Verify every entry, the Merkle tree file and every signed "
                                  "checkpoint, as `hdt ledger verify` does, while the server "
                                  "keeps appending (ADMIN, AUDITOR).")
    async def verify_ledger(self, info: Info[Context, None]) -> LedgerVerification:
        await info.context.require(LEDGER_READERS)
        ledger = info.context.resources.ledger
        directory = ledger.path.resolve()
        if directory in _verifying:
            raise Conflict("a verification of this ledger is running; ask again when it ends")
        _verifying.add(directory)
        started = time.monotonic()
        try:
            report = await asyncio.to_thread(verify_durable, ledger)
        finally:
            _verifying.discard(directory)
        return LedgerVerification(ok=report.ok, tree_size=report.tree_size,
                                  root_hash=report.root_hash.hex(),
                                  first_bad_seq=report.first_bad_seq, message=report.message,
                                  seconds=round(time.monotonic() - started, 3))

    @strawberry.field(description="Break-glass accesses, newest first (ADMIN, AUDITOR). The "
                                  "stated reason is shown: it justifies an access, it is not "
                                  "the patient's clinical record.")
    async def break_glass_accesses(self, info: Info[Context, None], first: int = 20,
                                   after: str | None = None) -> Connection[BreakGlassAccess]:
        """Auditors see the reason in clear on purpose: reviewing whether an emergency read was
        justified is their job, and the reason is the reader's statement about their access,
        written to be reviewed (`breakGlass` tells the physician so). Patient names and
        records stay out: only the patient's id."""
        await info.context.require(LEDGER_READERS)

        def access(r: BreakGlassRow) -> BreakGlassAccess:
            a = r["access"]
            return BreakGlassAccess(id=strawberry.ID(a["id"]), user=User.of(r["user"]),
                                    patient_id=strawberry.ID(a["patient_id"]), reason=a["reason"],
                                    at=a["at"], expires_at=a["expires_at"], seq=a["seq"])

        store = info.context.resources.store
        return await keyset_page(
            first, after, 2, lambda key, limit: reads.break_glass_page(store, key, limit),
            lambda: reads.break_glass_count(store), access, lambda a: [a.at, str(a.id)])

_verifying: set[Path] = set()
"""Ledger directories being verified now: one full read of a ledger at a time is enough."""


def _proven(ledger: Ledger, seqs: list[int], head: SignedCheckpoint) -> list[ProvenanceEntry]:
    """Entries with their audit paths in the tree `head` signs (O(log^2 n) reads each: run in
    a thread, off the event loop)."""
    root = head.root_hash.hex()
    return [
        ProvenanceEntry(entry=LedgerEntryMeta.of(ledger.entry(seq)),
                        inclusion_proof=[h.hex() for h in
                                         ledger.inclusion_proof(seq, head.tree_size)],
                        tree_size=head.tree_size, root_hash=root)
        for seq in seqs
    ]


def verify_durable(ledger: Ledger) -> VerifyReport:
    """Run the offline verifier on the open ledger's files, as they stood at one moment.

    The files run ahead of the durable size while the writer works (a batch half written, a
    checkpoint being appended): the head is read first and exactly that prefix is verified.
    The files must then also name the root the server holds in memory.
    """
    head = ledger.head()
    try:
        report = verify_ledger(ledger.path, tree_size=head.tree_size)
    except LedgerNotFound as exc:
        return VerifyReport(False, 0, EMPTY_ROOT, None, str(exc))
    if report.ok and report.root_hash != head.root_hash:
        return VerifyReport(False, report.tree_size, report.root_hash, None,
                            f"the files' tree of {head.tree_size} entries has another root than "
                            "the running ledger: the files were replaced")
    return report
