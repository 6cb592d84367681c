"""Subscriptions over graphql-transport-ws: a twin's changes and the ledger's growth, live.

Each stream first says where things stand now, then sends one message per change after that,
so a client knows from which seq it is up to date and misses nothing in between. The caller
is checked again before every message: a suspended account, an expired token or a lost care
relationship ends the stream with an error rather than leaking what follows.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from typing import cast

import strawberry
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types import Info

from api.graphql.anchors import Anchor
from api.graphql.context import Context
from api.graphql.errors import Unauthenticated
from api.twin import access
from api.twin.access import CLINICAL_READERS, LEDGER_READERS, Principal, Role
from api.twin.feed import Applied, Feed
from graph.patient_events import TwinRead
from graph.reads import Visibility
from ledger import InvalidCheckpoint
from ledger.checkpoint import open_checkpoint, read_latest
from ledger.note import NoteVerifier


@dataclass
class SocketContext(Context):
    """The context of one websocket connection; strawberry puts the `connection_init`
    payload in `connection_params` before it calls `on_ws_connect`."""

    connection_params: dict[str, object] = field(default_factory=dict)

    async def principal(self) -> Principal | None:
        """Resolved anew on every call, not once per connection: one socket carries many
        operations over hours, and a suspension or an expired token must stop the next one."""
        return await self._authenticate()

    async def visibility(self) -> Visibility:
        """Not kept either: care relationships and break-glass grants change meanwhile."""
        principal = await self.require(CLINICAL_READERS)
        return access.scope(principal)


async def authenticate_socket(context: Context) -> None:
    """Accept a connection only for an active user with a valid token, sent in
    `connection_init` as `{"token": "..."}` (or as `Authorization` on the upgrade request).
    Raising makes strawberry close the socket with 4403 before any operation runs."""
    params = getattr(context, "connection_params", None)
    token = params.get("token") if isinstance(params, dict) else None
    if token is not None:
        if not isinstance(token, str):
            raise ConnectionRejectionError({"message": "token must be a string"})
        context.token = token
    try:
        principal = await context.principal()
    except Unauthenticated as exc:
        raise ConnectionRejectionError({"message": exc.message}) from None
    if principal is None:
        raise ConnectionRejectionError({"message": 'send {"token": ...} in connection_init'})


@strawberry.type(description="A change to a patient's twin: the ledger entry that made it.")
class TwinUpdate:
    patient_id: strawberry.ID
    seq: int
    action: str = strawberry.field(description="The event kind, e.g. `VitalsRecorded`.")
    anchor: Anchor


@strawberry.type(description="The ledger's Merkle tree after it grew.")
class LedgerGrowth:
    tree_size: int
    root_hash: str = strawberry.field(description="Hex root of the tree of `treeSize` entries.")

    @strawberry.field(description="The signed checkpoint of exactly this tree, when the ledger "
                                  "has issued one (ask `ledgerCheckpoint` for a fresh one).")
    def checkpoint(self, info: Info[Context, None]) -> str | None:
        ledger = info.context.resources.ledger
        note = read_latest(ledger.path)
        if note is None:
            return None
        verifier = NoteVerifier.from_key_text(ledger.public_key_text())
        try:
            signed = open_checkpoint(note, verifier, ledger.origin)
        except InvalidCheckpoint:
            return None
        return note if signed.tree_size == self.tree_size else None


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Changes to one patient's twin: first its latest "
                                         "entry, then every later one (ADMIN, or staff who may "
                                         "read the patient).")
    async def twin_updated(self, info: Info[Context, None],
                           patient_id: strawberry.ID) -> AsyncGenerator[TwinUpdate, None]:
        context, wanted = info.context, str(patient_id)
        await _may_read_patient(context, wanted)
        resources = context.resources
        ledger = resources.ledger
        async with _listening(resources.feed) as applied_events:
            seqs = resources.recorder.subjects.get(wanted, [])
            # A read of the twin is recorded (the access history) but changes nothing in it:
            # announcing it would make every client that re-reads on an update loop forever.
            last = next((seq for seq in reversed(seqs)
                         if ledger.entry(seq).action != TwinRead.kind), -1)
            if last >= 0:
                yield TwinUpdate(patient_id=patient_id, seq=last,
                                 action=ledger.entry(last).action, anchor=Anchor.at(ledger, last))
            async for applied in applied_events:
                if wanted not in applied.subjects or applied.anchor.seq <= last \
                        or applied.action == TwinRead.kind:
                    continue
                await _may_read_patient(context, wanted)
                last = applied.anchor.seq
                yield TwinUpdate(patient_id=patient_id, seq=last, action=applied.action,
                                 anchor=Anchor.of(applied.anchor))

    @strawberry.subscription(description="The ledger's tree: first as it is, then each time it "
                                         "grows (ADMIN, AUDITOR).")
    async def ledger_grew(self, info: Info[Context, None]) -> AsyncGenerator[LedgerGrowth, None]:
        context = info.context
        await _recheck(context, LEDGER_READERS)
        ledger = context.resources.ledger
        async with _listening(context.resources.feed) as applied_events:
            size = ledger.size
            yield LedgerGrowth(tree_size=size, root_hash=ledger.root_hash(size).hex())
            async for applied in applied_events:
                if applied.anchor.tree_size <= size:
                    continue  # one group commit: every entry of the batch names the same tree
                await _recheck(context, LEDGER_READERS)
                size = applied.anchor.tree_size
                yield LedgerGrowth(tree_size=size, root_hash=applied.anchor.root_hash.hex())


async def _recheck(context: Context, roles: frozenset[Role]) -> Principal:
    """Authenticate again from the connection's token: a stream outlives the moment it
    was opened, and the token's expiry and the account's status must still hold."""
    fresh = Context(resources=context.resources, request=context.request, token=context.token)
    return await fresh.require(roles)


async def _may_read_patient(context: Context, patient_id: str) -> None:
    principal = await _recheck(context, CLINICAL_READERS)
    await access.check_patient(context.resources.store, principal, patient_id)


@contextlib.asynccontextmanager
async def _listening(feed: Feed) -> AsyncIterator[AsyncIterator[Applied]]:
    """The feed, already subscribed when the block starts: a state read inside the block plus
    the events that follow leave no gap. (`Feed.subscribe` registers its queue only when first
    awaited, so that first wait is started here, before the block runs.)"""
    stream = cast(AsyncGenerator[Applied, None], feed.subscribe())  # an async generator
    first = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0)  # the subscription runs up to its first wait: it is registered

    async def events() -> AsyncIterator[Applied]:
        try:
            yield await first
        except StopAsyncIteration:
            return
        async for applied in stream:
            yield applied

    try:
        yield events()
    finally:
        first.cancel()
        with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
            await first
        await stream.aclose()
