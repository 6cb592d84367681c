"""The one writer: every change becomes a durable ledger entry, then is projected in seq order.

A mutation is acknowledged only after its entry is fsync'd (the ledger groups concurrent
appends into one fsync) and its projection has been applied to the graph. Appends are made
from the event loop's thread, so the order of the projection queue is the order of seqs.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import re
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from api.twin.feed import Applied, Feed
from api.twin.replay import replay
from graph import projection
from graph.events import Event, decode, encode
from graph.store import GraphStore, StoreError, StoreUnavailable
from ledger import Anchor, Ledger

log = logging.getLogger(__name__)

_RETRY_SECONDS = (0.1, 0.5, 1.0, 2.0, 5.0)
_BATCH = 256
"""At most this many events per projection transaction."""


_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
"""NUL as JSON writes it, and not a backslash of the text followed by `u0000`."""


def encoded_nul(payload: bytes) -> bool:
    """True when JSON `payload` holds a NUL character (checked on the bytes the ledger gets,
    so that the event is neither copied nor walked again)."""
    return _ESCAPED_NUL.search(payload) is not None


class UnstorableEvent(ValueError):
    """The event holds what the graph cannot store; it was not recorded."""


class ProjectionFailed(Exception):
    """The event is durable in the ledger but the graph refused it (a bug, not bad input)."""


@dataclass
class _Pending:
    event: Event
    durable: Future[Anchor]
    done: asyncio.Future[Anchor] = field(default_factory=lambda: asyncio.get_running_loop()
                                          .create_future())


class Recorder:
    """Owns the write path. `start()` first replays what the graph has not seen yet."""

    def __init__(self, ledger: Ledger, store: GraphStore, feed: Feed,
                 on_applied: Callable[[Event], None] | None = None) -> None:
        self._ledger = ledger
        self._store = store
        self._feed = feed
        self._on_applied = on_applied
        """Told of each event once the graph holds it, before its caller is answered (keeps
        the accounts held in memory current)."""
        self._queue: asyncio.Queue[_Pending | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._last: asyncio.Future[Anchor] | None = None
        self.subjects: dict[str, list[int]] = {}
        self.batches = 0
        """Transactions of more than one event the projector has committed (for metrics and
        tests: concurrent writes must share them)."""
        self.refused: list[int] = []
        """Seqs of entries the graph refused since start: in the ledger, not in the graph."""

    async def start(self) -> int:
        """Index the ledger's subjects, replay events past the graph's cursor, start projecting.

        Returns how many events were replayed.
        """
        for entry in self._ledger.entries():
            self._index(entry.seq, entry.subjects)
        replayed = await self.replay()
        self._task = asyncio.create_task(self._project(), name="hdt-projector")
        return replayed

    async def replay(self) -> int:
        cursor = await projection.cursor(self._store)
        result = await replay(self._ledger, self._apply, start=cursor + 1)
        if result.applied or result.erased:
            log.info("replayed ledger into graph", extra={
                "from_seq": cursor + 1, "events": result.applied, "erased": len(result.erased)})
        self.refused.extend(result.refused)
        if result.refused:
            log.error("entries in the ledger but not in the graph; `hdt audit` shows what "
                      "differs", extra={"seqs": list(result.refused[:20])})
        return result.applied

    async def stop(self) -> None:
        """Finish what is queued, then stop."""
        if self._task is None:
            return
        await self._queue.put(None)
        await self._task
        self._task = None

    async def record(self, event: Event, actor: str) -> Anchor:
        """Append durably, project, and return the anchor. Survives the caller being cancelled:
        once appended, the event is projected whether or not anyone waits for it."""
        if self._task is None:
            raise RuntimeError("the recorder is not running")
        payload = encode(event)
        if encoded_nul(payload):
            # Checked before the append: the graph would refuse it after, leaving an entry
            # in the ledger that the twin never shows.
            raise UnstorableEvent(f"{event.kind}: a text holds a NUL character; nothing "
                                  "was recorded")
        durable = self._ledger.append(actor, event.kind, event.subjects, payload,
                                      event.key_subject)
        # The graph gets the event as every replay will read it back from the ledger (a
        # dose given as 300 is 300.0 there): live and replayed graphs are then equal value
        # for value, and `hdt audit` finds only what changed behind the server's back.
        pending = _Pending(decode(payload), durable)
        self._queue.put_nowait(pending)
        self._last = pending.done
        return await asyncio.shield(pending.done)

    async def caught_up(self) -> None:
        """Return once every event appended so far is in the graph (or refused).

        A check that reads the graph before it records (interactions, a prescription's
        status) waits for this (`Resources.patient_changes`): a caller that went away after
        its append has left its event in the queue, and the check must see it."""
        last = self._last
        if last is not None and not last.done():
            await asyncio.wait([last])

    async def _project(self) -> None:
        """Project what is durable, a batch at a time, in seq order.

        A batch is every event waiting whose append is durable by the time the first one's
        is: the events of one group commit of the ledger (fsync'd together), applied in one
        transaction. Each caller is answered once its own event is durable and applied."""
        waiting: collections.deque[_Pending] = collections.deque()
        stopping = False
        while waiting or not stopping:
            if not waiting:
                first = await self._queue.get()
                if first is None:
                    break
                waiting.append(first)
            with contextlib.suppress(Exception):  # a failed append is settled below
                await asyncio.wrap_future(waiting[0].durable)
            while not stopping:
                try:
                    item = self._queue.get_nowait()
                except asyncio.QueueEmpty:
                    break
                if item is None:
                    stopping = True
                else:
                    waiting.append(item)
            batch = [waiting.popleft()]
            while waiting and len(batch) < _BATCH and waiting[0].durable.done():
                batch.append(waiting.popleft())
            await self._project_batch(batch)

    async def _project_batch(self, batch: list[_Pending]) -> None:
        durable: list[tuple[_Pending, Anchor]] = []
        for pending in batch:
            try:
                anchor = await asyncio.wrap_future(pending.durable)
            except Exception as exc:  # the ledger could not make it durable: not acknowledged
                log.error("ledger append failed", extra={"action": pending.event.kind},
                          exc_info=exc)
                _settle(pending.done, exc=exc)
                continue
            self._index(anchor.seq, pending.event.subjects)
            durable.append((pending, anchor))
        if len(durable) > 1:
            try:
                await self._applied_together([(p.event, a.seq) for p, a in durable])
            except StoreError:
                pass  # one of them is refused: apply them one by one, to refuse only it
            except ProjectionFailed as exc:
                for pending, _ in durable:
                    _settle(pending.done, exc=exc)
                return
            else:
                self.batches += 1
                for pending, anchor in durable:
                    self._applied(pending, anchor)
                return
        for pending, anchor in durable:
            await self._project_one(pending, anchor)

    async def _project_one(self, pending: _Pending, anchor: Anchor) -> None:
        try:
            await self._apply(pending.event, anchor.seq)
        except StoreError as exc:
            # Logged and skipped, so that one bad event cannot stop every later one.
            log.error("projection refused", extra={"seq": anchor.seq,
                                                   "action": pending.event.kind})
            self.refused.append(anchor.seq)
            _settle(pending.done, exc=ProjectionFailed(
                f"entry {anchor.seq} is in the ledger but not in the graph: {exc}"))
            return
        except ProjectionFailed as exc:
            _settle(pending.done, exc=exc)
            return
        self._applied(pending, anchor)

    def _applied(self, pending: _Pending, anchor: Anchor) -> None:
        if self._on_applied is not None:
            self._on_applied(pending.event)
        self._feed.publish(Applied(anchor, pending.event.kind, pending.event.subjects))
        _settle(pending.done, anchor=anchor)

    async def _applied_together(self, events: list[tuple[Event, int]]) -> None:
        """Apply a batch in one transaction, waiting out store outages; StoreError when the
        store refuses any of it (then none of it is applied on Neo4j, and on FalkorDB what
        was applied is skipped by the cursor when the events are applied again)."""
        for attempt in range(10_000):
            try:
                await projection.apply_batch(self._store, events)
                return
            except StoreUnavailable:
                delay = _RETRY_SECONDS[min(attempt, len(_RETRY_SECONDS) - 1)]
                log.warning("graph store unavailable, retrying",
                            extra={"seq": events[0][1], "retry_in_s": delay})
                await asyncio.sleep(delay)
        raise ProjectionFailed(f"entries {events[0][1]}-{events[-1][1]}: the graph store "
                               "stayed unavailable")

    async def _apply(self, event: Event, seq: int) -> None:
        """Apply one event, waiting out store outages; StoreError when it refuses the event."""
        for attempt in range(10_000):
            try:
                await projection.apply(self._store, event, seq)
                return
            except StoreUnavailable:
                delay = _RETRY_SECONDS[min(attempt, len(_RETRY_SECONDS) - 1)]
                log.warning("graph store unavailable, retrying",
                            extra={"seq": seq, "retry_in_s": delay})
                await asyncio.sleep(delay)
        raise ProjectionFailed(f"entry {seq}: the graph store stayed unavailable")

    def erase_subject(self, key_subject: str) -> None:
        """Destroy a subject's data key (an erasure): their entries stay in the chain, and
        can no longer be read nor appended to. Idempotent, durable on return."""
        self._ledger.erase_subject(key_subject)

    def _index(self, seq: int, subjects: tuple[str, ...]) -> None:
        for subject in subjects:
            self.subjects.setdefault(subject, []).append(seq)


def _settle(
    done: asyncio.Future[Anchor], anchor: Anchor | None = None, exc: BaseException | None = None
) -> None:
    with contextlib.suppress(asyncio.InvalidStateError):
        if exc is not None:
            done.set_exception(exc)
        elif anchor is not None:
            done.set_result(anchor)
