"""In-process fan-out of what the recorder applied, for GraphQL subscriptions."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from ledger import Anchor

_QUEUE_SIZE = 256


@dataclass(frozen=True)
class Applied:
    """One event, durable and projected: what subscribers hear about (no clinical content)."""

    anchor: Anchor
    action: str
    subjects: tuple[str, ...]


class Feed:
    """Every subscriber gets every `Applied` in seq order; one too slow to keep up is dropped
    (its stream ends) rather than slowing the writer down."""

    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[Applied | None]] = set()

    def publish(self, applied: Applied) -> None:
        for queue in list(self._subscribers):
            try:
                queue.put_nowait(applied)
            except asyncio.QueueFull:
                self._subscribers.discard(queue)
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
                queue.put_nowait(None)

    async def subscribe(self) -> AsyncIterator[Applied]:
        queue: asyncio.Queue[Applied | None] = asyncio.Queue(_QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            while (item := await queue.get()) is not None:
                yield item
        finally:
            self._subscribers.discard(queue)

    def close(self) -> None:
        """End every subscription (server shutdown)."""
        for queue in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(None)
        self._subscribers.clear()
