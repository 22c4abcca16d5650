"""Capped exponential backoff with full jitter, for reconnecting to IMAP after any failure.

Jitter keeps several instances (or a restarted server's many clients) from reconnecting in step.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass
class Backoff:
    first: float = 1.0
    cap: float = 300.0
    attempts: int = 0

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.first * 2**self.attempts)
        self.attempts += 1
        return random.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.attempts = 0
