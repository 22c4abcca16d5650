"""At most one reply burst per chat: updates of one chat are handled one after another, other
chats are not held up, and no lock outlives its use."""

from __future__ import annotations

import asyncio

from aiogram.fsm.storage.base import StorageKey

from helpdesk.bot.factory import build_bot, build_dispatcher
from helpdesk.bot.isolation import ChatIsolation
from helpdesk.services import Services
from helpdesk.settings import Settings
from tests.bot.conftest import STRANGER
from tests.bot.fake_api import FakeTelegram, message


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


def test_an_idle_isolation_is_not_mistaken_for_none() -> None:
    """aiogram keeps ``events_isolation or DisabledEventIsolation()``: an empty one must stay."""
    assert ChatIsolation()


async def test_the_dispatcher_serialises_each_chat(
    services: Services, settings: Settings, fake_api: FakeTelegram
) -> None:
    """Four non-text messages from one chat, handled concurrently: answered in the order sent."""
    dispatcher = build_dispatcher(services)
    assert isinstance(dispatcher.fsm.events_isolation, ChatIsolation)
    bot = build_bot(settings.telegram)
    sent = [
        message(STRANGER, None, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]),
        message(STRANGER, None, voice={"file_id": "v", "file_unique_id": "v", "duration": 1}),
        message(STRANGER, None, document={"file_id": "d", "file_unique_id": "d", "file_name": "x.pdf"}),
        message(STRANGER, "/nosuchcommand"),
    ]
    for update in sent:
        fake_api.push_update(update)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
    )
    try:
        await fake_api.wait_for(lambda: len(fake_api.of("sendMessage", STRANGER)) >= len(sent))
    finally:
        await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 10)
        await bot.session.close()
    replies = [call.text for call in fake_api.of("sendMessage", STRANGER)]
    assert replies[0].startswith("Paldies, bet es nevaru apskatīt attēlus")  # the photo
    assert replies[1].startswith("Es nevaru noklausīties")  # the voice message
    assert replies[2].startswith("Jūsu drošības dēļ es neatveru")  # the document
    assert replies[3].startswith("Šādu komandu es nezinu")  # the unknown command
