"""At most one reply burst per chat: updates of one chat are handled one after another, other
chats are not held up, and no lock outlives its use."""

from __future__ import annotations

import asyncio

from aiogram.fsm.storage.base import StorageKey

from helpdesk.bot.isolation import ChatIsolation


async def test_one_chat_is_serialised_and_others_run() -> None:
    isolation = ChatIsolation()
    events: list[str] = []

    async def burst(chat: int, name: str, pause: float) -> None:
        async with isolation.lock(StorageKey(bot_id=1, chat_id=chat, user_id=chat)):
            events.append(f"{name} start")
            await asyncio.sleep(pause)
            events.append(f"{name} end")

    await asyncio.gather(burst(1, "a1", 0.05), burst(1, "a2", 0.0), burst(2, "b", 0.0))
    assert events.index("a1 end") < events.index("a2 start")  # same chat: never interleaved
    assert events.index("b end") < events.index("a1 end")  # another chat did not wait
    assert len(isolation) == 0  # locks are dropped when nobody needs them
