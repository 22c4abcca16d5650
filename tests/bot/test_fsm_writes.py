"""The FSM storage is written only when the state changes: with several instances it is Redis, and
every write is a round trip on the way to the resident's answer."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage

from helpdesk.bot.callbacks import NavCallback
from helpdesk.bot.factory import build_bot, build_dispatcher
from helpdesk.bot.keyboards import NAV_CORRECTION
from helpdesk.bot.states import Collecting
from helpdesk.services import Services
from tests.bot.conftest import LINKED_USER
from tests.bot.fake_api import FakeTelegram, callback, message


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


async def test_replies_write_the_fsm_storage_only_when_the_state_changes(
    services: Services, fake_api: FakeTelegram
) -> None:
    storage = CountingStorage()
    bot = build_bot(services.settings)
    dispatcher = build_dispatcher(services, storage=storage)

    async def feed(update: dict[str, Any]) -> None:
        await dispatcher.feed_raw_update(bot, {"update_id": fake_api.next_update_id(), **update})

    try:
        for text in ("/invoice", "kā pieslēgties", "/news", "/menu"):
            await feed(message(LINKED_USER, text))
        assert storage.writes == []
        assert len(fake_api.sent_to(LINKED_USER)) == 4  # every one answered
        # A collection starts (the correction prompt) and a command ends it, state and data.
        await feed(callback(LINKED_USER, NavCallback(to=NAV_CORRECTION).pack()))
        assert storage.writes == [f"state={Collecting.correction.state}"]
        await feed(message(LINKED_USER, "/invoice"))
        assert storage.writes[1:] == ["state=None", "data"]
        key = StorageKey(bot_id=bot.id, chat_id=LINKED_USER, user_id=LINKED_USER)
        assert await storage.get_state(key) is None
    finally:
        await bot.session.close()
