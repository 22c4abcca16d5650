"""The outbox retry job with the real senders: a Telegram message and an e-mail that had given up
after an outage go out through the fake Bot API and a real SMTP server (aiosmtpd) when the job
runs and no bot or mailbox process is sending."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from helpdesk.jobs import delivery
from helpdesk.jobs.delivery import retry_outbox
from helpdesk.services import Services
from helpdesk.settings import JobsSettings
from helpdesk.storage.models import OutboxMessage
from helpdesk.storage.repositories import outbox
from tests.bot.fake_api import FakeTelegram
from tests.mailbox.conftest import SmtpSink
from tests.ops.conftest import NOW, make_services


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


async def _failed(services: Services, channel: str, recipient: str, text: str) -> int:
    async with services.sessions.begin() as session:
        row = await outbox.enqueue(
            session, channel=channel, recipient=recipient, subject="Atbilde", body_text=text
        )
        row.status, row.attempts, row.next_attempt_at = "failed", 6, NOW - timedelta(hours=2)
        return row.id


async def test_failed_sends_go_out_on_both_channels(
    database_url: str, tmp_path: Path, fake_api: FakeTelegram, smtp_sink: tuple[SmtpSink, int]
) -> None:
    sink, port = smtp_sink
    services = make_services(
        database_url,
        tmp_path,
        telegram_token=fake_api.token,
        telegram_api_base=fake_api.base_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
    )
    delivery._noted.clear()
    try:
        by_telegram = await _failed(services, "telegram", "4242", "Jūsu rēķins ir nosūtīts.")
        by_email = await _failed(services, "email", "janis@example.lv", "Jūsu rēķins ir nosūtīts.")
        report = await retry_outbox(services, JobsSettings().outbox_give_up_hours)
        assert report.revived == 2
        assert report.sent == {"telegram": 1, "email": 1}
        assert report.skipped == {}
        [call] = [c for c in fake_api.calls if c.method == "sendMessage"]
        assert call.chat_id == 4242 and "rēķins" in call.text
        [mail] = sink.messages
        assert mail["To"] == "janis@example.lv"
        async with services.sessions() as session:
            for message_id in (by_telegram, by_email):
                row = await session.get(OutboxMessage, message_id)
                assert row is not None and row.status == "sent"
    finally:
        await services.aclose()
