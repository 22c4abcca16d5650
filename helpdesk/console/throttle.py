"""Per-address sign-in throttling (the per-account lock lives in the agents table).

A sliding window in memory per console process: enough to stop a password-guessing script from one
address; the account lock (``failed_logins``/``locked_until``) stops a distributed one.
"""

from __future__ import annotations

import time
from collections import deque

ATTEMPTS_PER_WINDOW = 20
WINDOW_SECONDS = 600
ACCOUNT_FAILURES_BEFORE_LOCK = 5
ACCOUNT_LOCK_MINUTES = 15


class Throttle:
    def __init__(self, limit: int = ATTEMPTS_PER_WINDOW, window: float = WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[float]] = {}

    def allow(self, address: str, now: float | None = None) -> bool:
        """Count one attempt from ``address``; False when it is over the limit."""
        current = time.monotonic() if now is None else now
        attempts = self._seen.setdefault(address, deque())
        while attempts and attempts[0] <= current - self.window:
            attempts.popleft()
        if len(attempts) >= self.limit:
            return False
        attempts.append(current)
        if len(self._seen) > 10_000:  # forget quiet addresses so memory stays bounded
            for key in [k for k, v in self._seen.items() if not v]:
                del self._seen[key]
        return True
