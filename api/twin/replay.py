"""The ledger replayed into a graph: on every start, and by `hdt audit` and `hdt rebuild`.

One loop for all three, so that they agree on what a replay does with an erased subject's
event (skips it: its payload can no longer be read) and with an event the store refuses
(records its seq and goes on: one bad event must not stop every later one, nor the server).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from graph.events import Event, decode
from graph.store import StoreError, StoreUnavailable
from ledger import ErasedSubject, Ledger

log = logging.getLogger(__name__)

Apply = Callable[[Event, int], Awaitable[object]]
"""Applies one event at its seq; raises StoreError when the store refuses it."""

Progress = Callable[[int, int], None]
"""Called as progress(done, total), in events."""

_PROGRESS_EVERY = 256


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """What a replay did: events applied, and the seqs it could not apply."""

    start: int
    stop: int
    applied: int
    erased: tuple[int, ...]
    """Events of erased subjects: their payloads can no longer be read, so never replayed."""
    refused: tuple[int, ...]
    """Events the store refused (the live recorder logs and skips those too)."""


async def replay(ledger: Ledger, apply: Apply, *, start: int = 0, stop: int | None = None,
                 progress: Progress | None = None) -> ReplayResult:
    """Apply entries `start`..`stop`-1 in seq order. StoreUnavailable is left to the caller:
    `apply` decides whether to wait out an outage or to give up."""
    stop = ledger.size if stop is None else min(stop, ledger.size)
    applied, erased, refused = 0, [], []
    total = max(stop - start, 0)
    for entry in ledger.entries(start, stop):
        try:
            event = decode(ledger.decrypt(entry))
        except ErasedSubject:
            erased.append(entry.seq)
            continue
        try:
            await apply(event, entry.seq)
            applied += 1
        except StoreUnavailable:
            raise
        except StoreError:
            log.error("projection refused", extra={"seq": entry.seq, "action": event.kind})
            refused.append(entry.seq)
        done = entry.seq + 1 - start
        if progress is not None and (done % _PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    if progress is not None:
        progress(total, total)
    return ReplayResult(start, stop, applied, tuple(erased), tuple(refused))
