"""What a running server holds open: graph store, ledger, recorder, token keys; one set per app."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator
from datetime import timedelta

from api.auth import keyfiles
from api.auth.principals import Principals
from api.auth.throttle import Throttles
from api.auth.tokens import TokenIssuer, load_or_create_key
from api.settings import Settings
from api.twin.access import now_iso
from api.twin.erasure import finish_erasures
from api.twin.feed import Feed
from api.twin.recorder import Recorder
from api.witness.client import Witnessing
from graph import projection
from graph.backends import store_for
from graph.child import ensure_writable
from graph.store import GraphStore
from graph.url import GraphTarget
from ledger import EntriesMissing, KeyMissing, Ledger, has_keys
from ledger.cosigned import read_cosigned

log = logging.getLogger(__name__)

GRAPH_APPLIED = "the graph has applied"
"""How a refusal names the graph's cursor as the count of entries it has seen."""


class Resources:
    """Opened by the lifespan (or by `hdt serve` before it listens), closed by it, and handed
    to every request through the context. Never a module global."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._open = False
        self.store: GraphStore = store_at(settings, settings.graph)
        self.feed = Feed()
        self.principals = Principals()
        self.throttles = Throttles.of(settings)
        self.user_lock = asyncio.Lock()
        """Held while a username is checked and taken: one registration at a time."""
        self._patient_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = \
            weakref.WeakValueDictionary()
        self._ledger: Ledger | None = None
        self._recorder: Recorder | None = None
        self._tokens: TokenIssuer | None = None
        self._witnessing: Witnessing | None = None

    @contextlib.asynccontextmanager
    async def patient_changes(self, patient_id: str) -> AsyncIterator[None]:
        """Held while a patient's medications are checked and a change to them recorded, so
        that two prescriptions at once each see the other (for interaction warnings), and a
        prescription is not given and stopped at once. Entered only once every event already
        appended is in the graph: a caller that went away after its append cannot hide its
        change from the next check. The lock is dropped when nobody holds it."""
        lock = self._patient_locks.get(patient_id)
        if lock is None:
            lock = self._patient_locks[patient_id] = asyncio.Lock()
        async with lock:
            await self.recorder.caught_up()
            yield

    @property
    def ledger(self) -> Ledger:
        assert self._ledger is not None, "resources are not open"
        return self._ledger

    @property
    def recorder(self) -> Recorder:
        assert self._recorder is not None, "resources are not open"
        return self._recorder

    @property
    def tokens(self) -> TokenIssuer:
        assert self._tokens is not None, "resources are not open"
        return self._tokens

    async def open(self) -> None:
        """Open everything and replay the ledger into the graph; a second call does nothing."""
        if self._open:
            return
        settings = self.settings
        # Ours alone (0700); the ledger files in it are public by design, the graph is not.
        ensure_writable(settings.data_dir, "data")
        master = master_key(settings)
        loop = asyncio.get_running_loop()

        async def applied() -> int:
            await self.store.open()
            return await projection.cursor(self.store) + 1

        def applied_once_locked() -> int:
            # Called by Ledger.open holding the ledger's lock, so a second server never starts
            # (or stops) the store of a running one. The graph has applied every entry up to
            # its cursor: a ledger holding fewer lost acknowledged entries, and must refuse
            # before it cuts or signs anything. The store starts on the loop's own thread
            # (its child's death signal follows the thread that started it).
            return asyncio.run_coroutine_threadsafe(applied(), loop).result()

        try:
            self._ledger = await asyncio.to_thread(
                Ledger.open, settings.ledger_dir, origin=settings.ledger_origin,
                master_key=master, known_size=applied_once_locked, known_by=GRAPH_APPLIED,
                checkpoint_interval=settings.checkpoint_interval,
            )
        except BaseException:
            await self.store.close()
            raise
        try:
            key = load_or_create_key(settings.keys_dir / "token-signing.pem")
            self._tokens = TokenIssuer(key, timedelta(seconds=settings.token_ttl_seconds))
            self._recorder = Recorder(self._ledger, self.store, self.feed,
                                      on_applied=self.principals.applied)
            replayed = await self._recorder.start()
            self._witnessing = Witnessing(self._ledger, settings.witnesses,
                                          settings.witness_quorum,
                                          settings.witness_timeout_seconds)
            await self._witnessing.start()
            await finish_erasures(self._ledger, self.store)
            await self.principals.load(self.store, now_iso())
        except BaseException:
            await self.store.close()
            self._ledger.close()
            raise
        self._open = True
        log.info("resources open", extra={"ledger_size": self._ledger.size,
                                          "replayed": replayed})

    async def close(self) -> None:
        if not self._open:
            return
        self._open = False
        self.feed.close()
        if self._witnessing is not None:
            await self._witnessing.stop()
        await self.recorder.stop()
        await self.store.close()
        self.ledger.close()

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def witnessing(self) -> Witnessing:
        assert self._witnessing is not None, "resources are not open"
        return self._witnessing

    def published_checkpoint(self) -> str | None:
        """The checkpoint served at /ledger/checkpoint: the latest the ledger signed, with
        the cosignatures collected for it so far."""
        latest = self.ledger.latest_checkpoint()
        return None if latest is None else self.witnessing.cosigned_note(latest)

    def cosigned_checkpoint(self) -> str | None:
        """The latest checkpoint with the cosignatures the witness policy asks for."""
        return read_cosigned(self.ledger.path)

    async def readiness(self) -> dict[str, bool]:
        return {
            "graph": await self.store.health(),
            "ledger": self._ledger is not None,
        }

    async def progress(self) -> dict[str, object]:
        """How far the ledger and its projection are: equal when the graph is caught up;
        and the entries the graph refused since start, which `hdt audit` then shows."""
        return {"ledger_size": self.ledger.size,
                "graph_cursor": await projection.cursor(self.store),
                "refused_entries": list(self.recorder.refused),
                "witnessing": self.witnessing.status()}


def entries_missing_help(exc: EntriesMissing, settings: Settings) -> str:
    """What to do when the ledger lost entries: said once, beside the refusal itself.

    Restoring a backup keeps every acknowledged write; the other ways forget the lost
    entries for good, so they are the operator's decision, never taken at start.
    """
    restore = f"restore the data directory {settings.data_dir} from a backup (hdt restore)"
    if exc.source == GRAPH_APPLIED:
        url = settings.graph_url or f"embedded://{settings.graph.data_dir}"
        return (f"{restore}, or, if you accept the loss, rebuild the graph from the ledger "
                f"as it is (hdt rebuild --to {url} --clear)")
    return (f"{restore}; nothing was changed. To accept the loss instead, see "
            "'Entries missing from the ledger' in README.md")


def store_at(settings: Settings, target: GraphTarget) -> GraphStore:
    """A closed store for `target`, with the Neo4j options of `settings`."""
    password = settings.neo4j_password.get_secret_value()
    return store_for(
        target,
        graph_name=settings.graph_name,
        neo4j_auth=(settings.neo4j_user, password) if password else None,
        neo4j_database=settings.neo4j_database,
        neo4j_heap=settings.neo4j_heap,
        neo4j_port=settings.neo4j_port,
    )


def master_key(settings: Settings) -> bytes:
    """`HDT_MASTER_KEY` (base64 of 32 bytes), else `<data dir>/keys/master.key`."""
    if settings.master_key is None:
        path = settings.keys_dir / "master.key"
        if not path.exists() and has_keys(settings.ledger_dir):
            # A new key would not open this ledger's keys; say which file is gone instead.
            raise KeyMissing(f"{path} is missing, but the ledger in {settings.ledger_dir} was "
                             "sealed with it: restore it from a backup or set HDT_MASTER_KEY")
        return keyfiles.master_key(path)
    try:
        key = base64.b64decode(settings.master_key.get_secret_value(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ValueError("HDT_MASTER_KEY must be the base64 encoding of 32 random bytes")
    return key
