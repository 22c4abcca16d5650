"""Sign-in limits of one console process: failures per address, and password checks at once.

The account lock (``failed_logins``/``locked_until`` in the agents table, five in a row lock the
account for 15 minutes) stops a guesser that spreads over many addresses. In front of it:

- :class:`SignInLimiter` counts failed sign-ins in a sliding window under two keys, the pair
  (address, user name as typed) and the address alone. The pair's limit is small; the address's is
  large. Behind a shared reverse proxy every agent has the proxy's address: a colleague's typos, or
  a guesser working on one account, use up that pair's allowance and leave the other agents' sign-in
  alone; only a guesser spraying many names from one address meets the address's limit. The two
  keys do not depend on whether the account exists, so the limits tell nobody which names are
  agents. A slot is *reserved* before the password is checked and counted against both keys at
  once (no await in between), so a burst of parallel attempts can never check more passwords than
  the limit (checking first and counting after let 60 parallel attempts check 32, with a limit of
  20). A right password gives its slot back.
- :class:`PasswordGate` runs the argon2 checks in threads, a few at a time (sized for two cores),
  with a short queue; when that is full the sign-in is answered "busy" (HTTP 429) at once instead
  of piling up work that would starve every other request.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

ACCOUNT_FAILURES_BEFORE_LOCK = 5
ACCOUNT_LOCK_MINUTES = 15
FAILURES_PER_NAME = 10  # per (address, user name) in the window
FAILURES_PER_ADDRESS = 100  # per address, all names together, in the window
WINDOW_SECONDS = 600
PASSWORD_CHECKS_AT_ONCE = 2  # argon2 (64 MiB, 4 lanes) keeps a core busy for ~0.1 s per check
PASSWORD_CHECKS_WAITING = 16  # beyond these the sign-in is told to try again shortly
_MAX_KEYS = 10_000

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Reservation:
    """A slot taken before a password check; give it back with ``release`` or ``failed``."""

    keys: tuple[str, ...]


class SignInLimiter:
    def __init__(
        self,
        per_name: int = FAILURES_PER_NAME,
        per_address: int = FAILURES_PER_ADDRESS,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        self._limits = {"name": per_name, "address": per_address}
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._pending: dict[str, int] = {}

    @staticmethod
    def _keys(address: str, username: str) -> tuple[tuple[str, str], ...]:
        name = username.strip().casefold()
        return (("name", f"{address}\x00{name}"), ("address", address))

    def _recent(self, key: str, now: float) -> int:
        failures = self._failures.get(key)
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return len(failures or ()) + self._pending.get(key, 0)

    def reserve(self, address: str, username: str) -> Reservation | None:
        """A slot for one password check, or None while either key has used up its failures."""
        now = self._clock()
        keyed = self._keys(address, username)
        if any(self._recent(key, now) >= self._limits[kind] for kind, key in keyed):
            return None
        for _kind, key in keyed:
            self._pending[key] = self._pending.get(key, 0) + 1
        return Reservation(tuple(key for _kind, key in keyed))

    def release(self, reservation: Reservation) -> None:
        """Give the slot back without counting a failure (a right password, or nothing checked)."""
        for key in reservation.keys:
            left = self._pending[key] - 1
            if left:
                self._pending[key] = left
            else:
                del self._pending[key]

    def failed(self, reservation: Reservation) -> None:
        """Give the slot back and count a failure under each of its keys."""
        self.release(reservation)
        now = self._clock()
        for key in reservation.keys:
            self._failures.setdefault(key, deque()).append(now)
        if len(self._failures) > _MAX_KEYS:  # forget quiet keys so memory stays bounded
            stale = [k for k, v in self._failures.items() if not v or v[-1] <= now - self.window]
            for key in stale:
                del self._failures[key]


class Busy(Exception):
    """Every password-check slot and queue place is taken: ask the person to try again shortly."""


class PasswordGate:
    def __init__(
        self, at_once: int = PASSWORD_CHECKS_AT_ONCE, waiting: int = PASSWORD_CHECKS_WAITING
    ) -> None:
        self._slots = asyncio.Semaphore(at_once)
        self._capacity = at_once + waiting
        self._inside = 0

    async def run(self, check: Callable[..., T], *args: object) -> T:
        """``check(*args)`` in a worker thread, off the event loop and outside any transaction.

        A thread cannot be stopped: when the request is cancelled, its slot stays taken until the
        check ends, so cancelled sign-ins cannot run more checks at once than the gate allows.
        """
        if self._inside >= self._capacity:
            raise Busy
        self._inside += 1
        return await asyncio.shield(asyncio.ensure_future(self._run(check, *args)))

    async def _run(self, check: Callable[..., T], *args: object) -> T:
        try:
            async with self._slots:
                return await asyncio.to_thread(check, *args)
        finally:
            self._inside -= 1
