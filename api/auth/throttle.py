"""Throttles: too many failed logins, or registrations, for one key (an account, an address,
an account at an address) within a window, and further attempts wait.

Two ways to wait. A lock refuses the key until its oldest counted event leaves the window:
for one account at one address, and for registrations from one address. A growing delay
refuses the key for 1, 2, 4, ... seconds after its latest event, up to a cap: for an account
from anywhere, and for everyone behind one address (a ward behind one NAT must not be shut
out for the whole window because one of them, or a guesser among them, kept failing).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from api.settings import Settings
from api.twin.errors import TooManyRequests


class Throttle:
    """Sliding windows of events per key. Unknown usernames are throttled exactly like
    known ones, so a refusal tells nothing about which accounts exist. In memory: a
    restart forgets the counts, which only ever makes the throttle more lenient."""

    def __init__(self, limit: int, window_seconds: float, max_delay_seconds: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """`limit` events in the window are free. Past them: with `max_delay_seconds`, a
        delay after the latest event that doubles with each further event up to that cap;
        without it, a lock until the oldest event leaves the window."""
        self.limit = limit
        self.window = window_seconds
        self.max_delay = max_delay_seconds
        self._clock = clock
        self._events: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> float:
        """Seconds until `key` may try again; 0 when it may try now."""
        events = self._recent(key)
        if len(events) < self.limit:
            return 0.0
        if self.max_delay is None:
            return max(0.0, events[0] + self.window - self._clock())
        delay = min(2.0 ** (len(events) - self.limit), self.max_delay)
        return max(0.0, events[-1] + delay - self._clock())

    def count(self, key: str) -> None:
        """One more event (a failed login, a registration) for `key`."""
        self._recent(key).append(self._clock())

    def take(self, key: str, refusal: str) -> None:
        """Count one more event for `key`, or refuse it with `refusal` while it must wait."""
        wait = self.retry_after(key)
        if wait > 0:
            raise TooManyRequests(refusal, math.ceil(wait))
        self.count(key)

    def forget(self, key: str) -> None:
        self._events.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        horizon = self._clock() - self.window
        if len(self._events) > 100_000:  # bound memory under a spray of usernames
            self._events = {k: v for k, v in self._events.items() if v and v[-1] > horizon}
        events = self._events.setdefault(key, deque())
        while events and events[0] <= horizon:
            events.popleft()
        return events


@dataclass(frozen=True)
class Throttles:
    """The throttles of one server, from its settings."""

    account_at_address: Throttle
    account: Throttle
    address: Throttle
    registrations: Throttle

    @classmethod
    def of(cls, settings: Settings) -> Throttles:
        window = settings.login_window_seconds
        return cls(
            account_at_address=Throttle(settings.login_failures_per_account_address, window),
            account=Throttle(settings.login_failures_per_account, window, window),
            address=Throttle(settings.login_failures_per_address, window,
                             settings.login_max_delay_seconds),
            registrations=Throttle(settings.registrations_per_address,
                                   settings.registration_window_seconds),
        )
