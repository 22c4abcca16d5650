"""What one update costs the stores: no FSM storage write ever (the conversation state lives with
the conversation), and the resident read once, in the statement that reads the conversation.

Before, the bot's middleware read the Telegram link (and language) on a connection of its own and
the dispatcher read the resident again; and a collection (an address, a correction) was FSM state,
a Redis round trip per change with several instances.
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage

from helpdesk.bot.factory import build_bot, build_dispatcher
from helpdesk.services import Services
from helpdesk.settings import Settings
from tests.bot.conftest import LINKED_USER
from tests.bot.fake_api import FakeTelegram, callback, message
from tests.statements import statements


class CountingStorage(MemoryStorage):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        self.writes.append(f"state={state.state if isinstance(state, State) else state}")
        await super().set_state(key, state)

    async def set_data(self, key: StorageKey, data: Any) -> None:
        self.writes.append("data")
        await super().set_data(key, data)


def _reads_the_resident(statement: str) -> bool:
    return "telegram_links" in statement or "FROM residents" in statement


async def test_an_update_reads_the_resident_once_and_writes_no_fsm_state(
    services: Services, settings: Settings, fake_api: FakeTelegram
) -> None:
    storage = CountingStorage()
    bot = build_bot(settings.telegram)
    dispatcher = build_dispatcher(services, storage=storage)

    async def feed(update: dict[str, Any]) -> list[str]:
        with statements(services) as seen:
            await dispatcher.feed_raw_update(bot, {"update_id": fake_api.next_update_id(), **update})
        return seen

    script: list[dict[str, Any]] = [
        message(LINKED_USER, "/invoice"),
        message(LINKED_USER, "kā pieslēgties"),
        message(LINKED_USER, "/news"),
        callback(LINKED_USER, "a:ca:::"),  # "Use another e-mail address": the next line is awaited
        message(LINKED_USER, "nav-adrese"),  # refused, still awaited
        message(LINKED_USER, "/request"),
        callback(LINKED_USER, "a:rq:kind:correction:"),  # files it, then awaits what to correct
        message(LINKED_USER, "Uzvārds ir Bērziņš"),
        callback(LINKED_USER, "a:cw:::"),
        message(LINKED_USER, "/menu"),
    ]
    try:
        # A conversation's first message: the UPDATE finds no ongoing conversation (and so reads
        # nobody), the INSERT that starts one reads the resident.
        first = [s.split()[:3] for s in await feed(message(LINKED_USER, "/start")) if _reads_the_resident(s)]
        assert first == [["UPDATE", "conversations", "SET"], ["INSERT", "INTO", "conversations"]]
        for update in script:
            seen = await feed(update)
            reads = [s for s in seen if _reads_the_resident(s)]
            assert len(reads) == 1, reads  # the conversation's own statement, nothing else
            assert reads[0].startswith("UPDATE conversations SET") and "telegram_links" in reads[0]
        assert len(fake_api.sent_to(LINKED_USER)) == len(script) + 1  # every one answered
        assert storage.writes == []
        key = StorageKey(bot_id=bot.id, chat_id=LINKED_USER, user_id=LINKED_USER)
        assert await storage.get_state(key) is None
    finally:
        await bot.session.close()
