"""Bot fixtures: the fake Bot API over real HTTP, a seeded database (both backends), the real
shared handlers with a small fake knowledge matcher, and the bot in webhook or polling mode."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiohttp import web

from helpdesk.bot.documents import forget_all
from helpdesk.bot.factory import build_bot, build_dispatcher
from helpdesk.bot.retry import RetryMiddleware
from helpdesk.bot.webhook import create_webhook_app, webhook_path
from helpdesk.core.matching import Answer, Candidate, Decision, Match
from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.repositories import links
from tests.bot.fake_api import FakeTelegram
from tests.conftest import settings_for
from tests.seed import LINKED_USER, NOW, seed

__all__ = ["LINKED_USER", "NOW", "seed"]

WEBHOOK_SECRET = "test-webhook-secret-0123456789"
STRANGER = 222  # not linked


@dataclass
class FakeMatcher:
    routes: dict[str, Match] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)

    def match(self, text: str, language: str | None = None) -> Match:
        return self.routes.get(text.lower(), Match(None, 10.0, Decision.ESCALATE, language or "lv"))

    def answer(self, entry: str, language: str) -> Answer | None:
        return self.answers.get(entry)

    def detect_language(self, text: str, default: str) -> str:
        return default


def fake_matcher() -> FakeMatcher:
    return FakeMatcher(
        routes={
            "atsūtiet rēķinu": Match("action:invoice", 95.0, Decision.ANSWER, "lv"),
            "отпишите меня": Match("action:consent-withdraw", 93.0, Decision.ANSWER, "ru"),
            "kā pieslēgties": Match("login-eid", 92.0, Decision.ANSWER, "lv"),
            "parole": Match(
                None,
                70.0,
                Decision.CLARIFY,
                "lv",
                (Candidate("login-eid", 70.0), Candidate("password-reset", 68.0)),
            ),
        },
        answers={
            "login-eid": Answer(
                "login-eid", "lv", "Pieslēgšanās ar eID", "Atveriet portālu un izvēlieties eID."
            ),
            "password-reset": Answer("password-reset", "lv", "Paroles maiņa", "Spiediet “Aizmirsu paroli”."),
        },
    )


async def mint_token(services: Services, resident_id: str = "R-2", ttl: int = 30) -> str:
    async with services.sessions() as session, session.begin():
        token, _row = await links.mint(session, resident_id=resident_id, ttl_minutes=ttl, now=NOW)
    return token


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeTelegram]:
    forget_all()  # file ids from an earlier test's fake server mean nothing to this one
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


def bot_settings(database_url: str, tmp_path: Path, fake: FakeTelegram, **overrides: Any) -> Settings:
    return settings_for(
        database_url,
        tmp_path,
        telegram_token=fake.token,
        telegram_api_base=fake.base_url,
        webhook_url="https://bot.example.test/telegram/webhook",
        webhook_secret=WEBHOOK_SECRET,
        **{"telegram_bot_username": "TestBot", **overrides},
    )


@pytest.fixture
def settings(database_url: str, tmp_path: Path, fake_api: FakeTelegram) -> Settings:
    return bot_settings(database_url, tmp_path, fake_api)


@pytest.fixture
def matcher() -> FakeMatcher:
    return fake_matcher()


@pytest.fixture
async def services(services: Services) -> Services:
    """The shared services, seeded with the shared cast (tests/seed.py): every bot test talks to it."""
    await seed(services)
    return services


@dataclass
class BotHarness:
    """The bot behind its real webhook endpoint, plus a client that plays Telegram's side."""

    fake: FakeTelegram
    services: Services
    bot: Bot
    dispatcher: Dispatcher
    url: str
    client: aiohttp.ClientSession
    settings: Settings  # what the bot was built from (its group: settings.telegram)

    async def post(self, update: dict[str, Any], *, secret: str | None = WEBHOOK_SECRET) -> int:
        update = {"update_id": self.fake.next_update_id(), **update}
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with self.client.post(self.url, json=update, headers=headers) as response:
            await response.read()
            return response.status

    async def send(self, update: dict[str, Any]) -> None:
        status = await self.post(update)
        assert status == 200, status

    @contextlib.asynccontextmanager
    async def polling(self) -> AsyncIterator[None]:
        task = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot, handle_signals=False, close_bot_session=False, polling_timeout=1
            )
        )
        try:
            yield
        finally:
            with contextlib.suppress(RuntimeError):
                await self.dispatcher.stop_polling()
            await asyncio.wait_for(task, 10)


@pytest.fixture
async def harness(
    services: Services, settings: Settings, fake_api: FakeTelegram
) -> AsyncIterator[BotHarness]:
    telegram = settings.telegram
    bot = build_bot(telegram, retry=RetryMiddleware(attempts=3, max_wait=5, backoff=0.05))
    dispatcher = build_dispatcher(services)
    app = create_webhook_app(dispatcher, bot, telegram)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}{webhook_path(telegram)}"
    async with aiohttp.ClientSession() as client:
        yield BotHarness(fake_api, services, bot, dispatcher, url, client, settings)
    await runner.cleanup()
    await bot.session.close()
