"""The Telegram side of the wire: webhook secret, long polling, flood control, file_id cache,
command registration, the per-chat locks in Redis, and tokens kept out of the logs."""

from __future__ import annotations

import hashlib
import json
import logging
import time

import pytest
from aiogram.fsm.storage.base import StorageKey
from redis.asyncio import Redis

from helpdesk.bot.factory import build_dispatcher, build_storage
from helpdesk.bot.isolation import NoStateStorage, RedisChatIsolation
from helpdesk.bot.logfilter import install, mask
from helpdesk.bot.menu_commands import register_commands
from helpdesk.i18n import gettext_for
from helpdesk.storage.repositories import telegram as telegram_repo
from tests.bot.conftest import LINKED_USER, STRANGER, BotHarness, mint_token
from tests.bot.fake_api import BOT_ID, callback, message
from tests.conftest import redis_url

REDIS_URL = redis_url()


async def test_webhook_rejects_a_wrong_secret(harness: BotHarness) -> None:
    assert (
        await harness.post(message(STRANGER, "/start", language_code="en"), secret="wrong-secret-000000")
        == 401
    )
    assert await harness.post(message(STRANGER, "/start", language_code="en"), secret=None) == 401
    assert harness.fake.calls == []
    assert await harness.post(message(STRANGER, "/start", language_code="en")) == 200
    assert len(harness.fake.sent_to(STRANGER)) == 1


async def test_updates_arrive_by_long_polling(harness: BotHarness) -> None:
    harness.fake.push_update(message(STRANGER, "kā pieslēgties"))
    harness.fake.push_update(message(LINKED_USER, "/invoice"))
    async with harness.polling():
        await harness.fake.wait_for(lambda: harness.fake.of("sendDocument", LINKED_USER))
        await harness.fake.wait_for(lambda: harness.fake.sent_to(STRANGER))
    assert "eID" in harness.fake.sent_to(STRANGER)[0].text


async def test_flood_control_is_honoured(harness: BotHarness) -> None:
    harness.fake.fail_next("sendMessage", times=1, status=429, retry_after=1)
    started = time.monotonic()
    await harness.send(message(STRANGER, "/start", language_code="en"))
    elapsed = time.monotonic() - started
    methods = [c.method for c in harness.fake.calls]
    assert methods == ["sendMessage!429", "sendMessage"]
    assert elapsed >= 1.0  # waited retry_after before trying again
    assert "Connect Telegram" in harness.fake.sent_to(STRANGER)[0].text


async def test_server_errors_are_retried_with_backoff(harness: BotHarness) -> None:
    harness.fake.fail_next("sendDocument", times=2, status=500)
    await harness.send(message(LINKED_USER, "/invoice"))
    assert [c.method for c in harness.fake.calls if "Document" in c.method] == [
        "sendDocument!500",
        "sendDocument!500",
        "sendDocument",
    ]


async def test_stale_file_id_is_uploaded_again(harness: BotHarness) -> None:
    async with harness.services.sessions.begin() as session:
        await telegram_repo.remember_file_id(
            session,
            bot_id=BOT_ID,
            document_key="INV-2025-12-R-1",
            sha256=await _sha(harness),
            file_id="FILE-gone",
        )
    await harness.send(message(LINKED_USER, "/invoice"))
    first, second = harness.fake.of("sendDocument", LINKED_USER)
    assert first.data["document"] == "FILE-gone" and first.files == {}
    assert second.files  # uploaded again
    async with harness.services.sessions() as session:
        cached = await telegram_repo.cached_file_id(
            session, bot_id=BOT_ID, document_key="INV-2025-12-R-1", sha256=await _sha(harness)
        )
    assert cached is not None and cached.startswith("FILE-") and cached != "FILE-gone"


async def _sha(harness: BotHarness) -> str:
    return hashlib.sha256(
        (harness.services.storage.invoice_dir / "INV-2025-12-R-1.pdf").read_bytes()
    ).hexdigest()


async def test_commands_registered_in_three_languages(harness: BotHarness) -> None:
    await register_commands(harness.bot)
    calls = harness.fake.of("setMyCommands")
    assert [c.data.get("language_code") for c in calls] == [None, "lv", "ru", "en"]
    names = [c["command"] for c in json.loads(calls[1].data["commands"])]
    assert {"invoice", "news", "request", "language", "help"} <= set(names)
    ru = json.loads(calls[2].data["commands"])
    assert ru[0]["description"] == gettext_for("helpdesk", "ru").gettext("Latest invoice")


async def test_link_token_never_reaches_the_logs(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    install()
    caplog.set_level(logging.DEBUG)
    token = await mint_token(harness.services, "R-2")
    await harness.send(message(STRANGER, f"/start {token}", language_code="en"))
    await harness.send(callback(STRANGER, harness.fake.sent_to(STRANGER)[-1].buttons()[0]["callback_data"]))
    assert caplog.records  # the flow did log (ids and counts)
    assert token not in caplog.text
    assert mask(f"/start {token}") == "/start [token]"
    assert mask(f"https://t.me/TestBot?start={token}") == "https://t.me/TestBot?start=[token]"
    assert harness.fake.token not in mask(f"POST /bot{harness.fake.token}/sendMessage")


async def test_redis_isolation_against_real_redis(harness: BotHarness) -> None:
    """With ``HELPDESK_REDIS_URL`` the per-chat lock is a real Redis lock shared by every instance;
    the FSM storage aiogram requires keeps nothing (the conversation state is in the database)."""
    telegram = harness.settings.telegram.model_copy(update={"redis_url": REDIS_URL})
    storage, isolation = await build_storage(telegram)
    assert isinstance(storage, NoStateStorage)
    key = StorageKey(bot_id=BOT_ID, chat_id=STRANGER, user_id=STRANGER)
    assert await storage.get_state(key) is None and await storage.get_data(key) == {}
    with pytest.raises(RuntimeError, match="no FSM state"):
        await storage.set_state(key, "Collecting:news_email")
    redis = Redis.from_url(REDIS_URL)
    try:
        async with isolation.lock(key):  # the cross-instance lock is a real Redis lock
            assert await redis.keys("helpdesk-fsm:*lock*")
        assert not await redis.keys("helpdesk-fsm:*lock*")
    finally:
        await redis.aclose()
        await storage.close()
        await isolation.close()


async def test_updates_without_a_person_are_ignored(harness: BotHarness) -> None:
    from_bot = message(STRANGER, "/start")
    from_bot["message"]["from"]["is_bot"] = True
    channel_post = {
        "channel_post": {"message_id": 5, "date": 1, "chat": {"id": -1001, "type": "channel"}, "text": "x"}
    }
    assert await harness.post(from_bot) == 200
    assert await harness.post(channel_post) == 200
    assert harness.fake.calls == []


async def test_link_flow_across_two_instances(harness: BotHarness) -> None:
    """Two bot instances with their locks in Redis: the Confirm button shown by one is confirmed
    through the other (the choice it refers to is kept with the conversation, in the database)."""
    isolations = [RedisChatIsolation.from_url(REDIS_URL) for _ in range(2)]
    first, second = (build_dispatcher(harness.services, isolation=isolation) for isolation in isolations)
    try:
        token = await mint_token(harness.services, "R-2")
        update = {"update_id": 1, **message(STRANGER, f"/start {token}", language_code="en")}
        await first.feed_webhook_update(harness.bot, update)
        confirm = harness.fake.sent_to(STRANGER)[-1].buttons()[0]["callback_data"]
        assert token not in confirm
        await second.feed_webhook_update(
            harness.bot, {"update_id": 2, **callback(STRANGER, confirm, language_code="en")}
        )
        assert "linked" in harness.fake.sent_to(STRANGER)[-1].text
    finally:
        for isolation in isolations:
            await isolation.close()
