"""Login throttling: too many failed logins for one username, or from one client address,
and further attempts are refused for a while, whatever the password."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class LoginThrottle:
    """Sliding windows of failures per key. Unknown usernames are throttled exactly like
    known ones, so a refusal tells nothing about which accounts exist. In memory: a
    restart forgets the counts, which only ever makes the throttle more lenient."""

    def __init__(self, max_failures: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> float:
        """Seconds until `key` may try again; 0 when it may try now."""
        failures = self._recent(key)
        if len(failures) < self.max_failures:
            return 0.0
        return max(0.0, failures[0] + self.window - self._clock())

    def failed(self, key: str) -> None:
        self._recent(key).append(self._clock())

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        horizon = self._clock() - self.window
        while failures and failures[0] <= horizon:
            failures.popleft()
        if len(self._failures) > 100_000:  # bound memory under a spray of usernames
            self._failures = {k: v for k, v in self._failures.items() if v}
        return failures
