"""``helpdesk bot`` and ``run_bot``: polling by default, webhook mode with HELPDESK_WEBHOOK_URL,
and a one-line reason when the token is missing."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from pathlib import Path

import aiohttp
import pytest

from helpdesk.bot.runner import run_bot
from helpdesk.cli import main
from helpdesk.services import Services
from helpdesk.settings import Settings, TelegramSettings
from tests.bot.conftest import STRANGER, WEBHOOK_SECRET
from tests.bot.fake_api import FakeTelegram, message


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def running(services: Services, telegram: TelegramSettings):  # type: ignore[no-untyped-def]
    task = asyncio.create_task(run_bot(services, telegram))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)


def test_missing_token_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("HELPDESK_TELEGRAM_TOKEN", raising=False)
    assert main(["bot"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HELPDESK_TELEGRAM_TOKEN" in err


async def test_polling_mode(services: Services, settings: Settings, fake_api: FakeTelegram) -> None:
    telegram = settings.telegram.model_copy(update={"webhook_url": None})
    fake_api.push_update(message(STRANGER, "/start", language_code="en"))
    async with running(services, telegram):
        await fake_api.wait_for(lambda: fake_api.sent_to(STRANGER))
    methods = [c.method for c in fake_api.calls]
    assert methods.index("deleteWebhook") < methods.index("sendMessage")
    assert methods.count("setMyCommands") == 4
    assert "Connect Telegram" in fake_api.sent_to(STRANGER)[0].text


async def test_webhook_mode(services: Services, settings: Settings, fake_api: FakeTelegram) -> None:
    port = free_port()
    telegram = settings.telegram.model_copy(update={"webhook_host": "127.0.0.1", "webhook_port": port})
    async with running(services, telegram):
        await fake_api.wait_for(lambda: fake_api.of("setWebhook"))
        [registration] = fake_api.of("setWebhook")
        assert registration.data["url"] == telegram.webhook_url
        assert registration.data["secret_token"] == WEBHOOK_SECRET
        update = {"update_id": 1, **message(STRANGER, "/start", language_code="en")}
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        async with aiohttp.ClientSession() as client:
            async with client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            ) as bad:
                assert bad.status == 401
            async with client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
            ) as ok:
                assert ok.status == 200
            # the load balancer's health check; queue figures stay on the console's /metrics
            async with client.get(f"http://127.0.0.1:{port}/healthz") as health:
                assert health.status == 200
            async with client.get(f"http://127.0.0.1:{port}/metrics") as hidden:
                assert hidden.status == 404
    # handled before the 200 (handle_in_background=False): the reply is already out
    assert "Connect Telegram" in fake_api.sent_to(STRANGER)[0].text
