"""Per-chat serialisation (at most one reply burst per chat at a time), and the FSM storage aiogram
requires but the helpdesk does not use.

aiogram's ``SimpleEventIsolation`` keeps a lock for every chat it ever saw; :class:`ChatIsolation`
drops a lock when nobody holds or waits for it, so a bot serving many thousand residents does not
grow without bound. Several instances use :class:`RedisChatIsolation` instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisEventIsolation


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


class NoStateStorage(BaseStorage):
    """aiogram's dispatcher wants an FSM storage; the helpdesk keeps none (what the next typed line
    means is the conversation state, stored with the conversation). Reads find nothing and cost no
    round trip; a write is a bug, so it fails loudly instead of keeping state per chat forever."""

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        raise RuntimeError("the bot keeps no FSM state: the conversation state lives with the conversation")

    async def get_state(self, key: StorageKey) -> str | None:
        return None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        raise RuntimeError("the bot keeps no FSM data: the conversation state lives with the conversation")

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return {}

    async def close(self) -> None:
        return None


class RedisChatIsolation(RedisEventIsolation):
    """Per-chat locks in Redis, for several bot instances behind a load balancer; closes its own
    connection pool (aiogram's closes nothing: the storage it usually comes with did that)."""

    async def close(self) -> None:
        await self.redis.aclose()
