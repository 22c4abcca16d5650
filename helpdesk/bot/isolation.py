"""Per-chat serialisation in one process: at most one reply burst per chat at a time.

aiogram's ``SimpleEventIsolation`` keeps a lock for every chat it ever saw; this one drops a lock
when nobody holds or waits for it, so a bot serving many thousand residents does not grow without
bound. Several instances use ``RedisStorage.create_isolation()`` instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey


class ChatIsolation(BaseEventIsolation):
    def __init__(self) -> None:
        self._locks: dict[tuple[int, int], tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        name = (key.bot_id, key.chat_id)
        lock, users = self._locks.get(name, (asyncio.Lock(), 0))
        self._locks[name] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[name]
            if users <= 1:
                del self._locks[name]
            else:
                self._locks[name] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)

    def __bool__(self) -> bool:
        # With __len__ alone an idle isolation is falsy, and aiogram's ``events_isolation or
        # DisabledEventIsolation()`` silently replaced it: no chat was ever serialised.
        return True

    async def close(self) -> None:
        self._locks.clear()
