"""Per-address sign-in throttling (the per-account lock lives in the agents table).

A sliding window of *failed* attempts in memory per console process: enough to stop a
password-guessing script from one address, while agents who type their password right are never
slowed (behind a reverse proxy every agent shares the proxy's address). The account lock
(``failed_logins``/``locked_until``) stops a guesser that spreads over many addresses.
"""

from __future__ import annotations

import time
from collections import deque

FAILURES_PER_WINDOW = 20
WINDOW_SECONDS = 600
ACCOUNT_FAILURES_BEFORE_LOCK = 5
ACCOUNT_LOCK_MINUTES = 15
_MAX_ADDRESSES = 10_000


class Throttle:
    def __init__(self, limit: int = FAILURES_PER_WINDOW, window: float = WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(address, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def allow(self, address: str, now: float | None = None) -> bool:
        """False while ``address`` has used up its failures in the window."""
        current = time.monotonic() if now is None else now
        return len(self._recent(address, current)) < self.limit

    def failed(self, address: str, now: float | None = None) -> None:
        current = time.monotonic() if now is None else now
        self._recent(address, current).append(current)
        if len(self._failures) > _MAX_ADDRESSES:  # forget quiet addresses so memory stays bounded
            for key in [k for k, v in self._failures.items() if not v or v[-1] <= current - self.window]:
                del self._failures[key]
