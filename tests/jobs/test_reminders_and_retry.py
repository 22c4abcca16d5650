"""Deadline badge and daily digest (once a day, no personal data), and the outbox retry job."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.core.deadlines import DUE_SOON
from helpdesk.core.ports import OutboxSender
from helpdesk.jobs import delivery
from helpdesk.jobs.delivery import retry_outbox
from helpdesk.jobs.reminders import digest_key, send_deadline_digest
from helpdesk.services import Services
from helpdesk.settings import JobsSettings
from helpdesk.storage.leadership import hold_leadership
from helpdesk.storage.models import OutboxMessage, RequestKind
from helpdesk.storage.models.requests import RequestStatus, SupportRequest
from helpdesk.storage.repositories import outbox, requests, stats
from tests.ops.conftest import NOW, make_services

DAY = timedelta(days=1)
AGENTS_EMAIL, CONSOLE_URL = "agenti@klientiem.lv", "https://console.example/"
GIVE_UP_HOURS = JobsSettings().outbox_give_up_hours


@pytest.fixture
async def agents(database_url: str, tmp_path: Path) -> AsyncIterator[Services]:
    built = make_services(database_url, tmp_path)
    yield built
    await built.aclose()


async def _queue(services: Services) -> dict[str, int]:
    ids = {}
    async with services.sessions.begin() as session:
        for name, kind, days in (
            ("overdue", RequestKind.ACCESS, -2),
            ("soon", RequestKind.CORRECTION, 3),
            ("later", RequestKind.QUESTION, 30),
            ("closed", RequestKind.QUESTION, -5),
        ):
            item = await requests.create(
                session,
                kind=kind,
                channel="email",
                contact="janis@example.lv",
                resident_id=None,
                summary="Jānis Bērziņš prasa datus",
                received_at=NOW - 20 * DAY,
                deadline_at=NOW + days * DAY,
            )
            ids[name] = item.id
        await requests.close(session, request_id=ids["closed"], outcome="answered", now=NOW)
    return ids


async def _digests(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.like("deadline-digest:%"))
        )
        return list(rows)


async def test_badge_counts_overdue_and_due_soon(agents: Services) -> None:
    await _queue(agents)
    async with agents.sessions() as session:
        overdue, due_soon = await stats.deadline_counts(session, now=NOW, within=DUE_SOON)
    assert (overdue, due_soon) == (1, 1)


async def test_digest_once_a_day_without_personal_data(agents: Services) -> None:
    ids = await _queue(agents)
    assert await send_deadline_digest(agents, AGENTS_EMAIL, CONSOLE_URL) is True
    assert await send_deadline_digest(agents, AGENTS_EMAIL, CONSOLE_URL) is False  # the same day: nothing new
    [digest] = await _digests(agents)
    assert digest.channel == "email" and digest.recipient == "agenti@klientiem.lv"
    assert digest.dedupe_key == digest_key(NOW)
    assert digest.subject == "Termiņi: 1 nokavēti, 1 jāizpilda 7 dienu laikā"
    text = digest.body_text
    assert f"#{ids['overdue']} piekļuves pieprasījums, termiņš {(NOW - 2 * DAY).date().isoformat()}" in text
    assert f"#{ids['soon']} labošanas pieprasījums" in text
    assert f"#{ids['later']} " not in text and f"#{ids['closed']} " not in text
    assert "https://console.example/" in text
    for personal in ("janis@", "Jānis", "Bērziņš"):
        assert personal not in text
    agents.clock = lambda: NOW + DAY
    assert await send_deadline_digest(agents, AGENTS_EMAIL, CONSOLE_URL) is True
    assert len(await _digests(agents)) == 2


async def test_no_digest_without_address_or_items(services: Services, agents: Services) -> None:
    assert await send_deadline_digest(agents, AGENTS_EMAIL, CONSOLE_URL) is False  # nothing due
    await _queue(services)
    assert await send_deadline_digest(services, None, CONSOLE_URL) is False  # HELPDESK_AGENTS_EMAIL unset
    assert await _digests(services) == []


async def test_retry_revives_failed_and_skips_unconfigured_channels(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="helpdesk.jobs.delivery")
    delivery._noted.clear()
    async with services.sessions.begin() as session:
        row = await outbox.enqueue(session, channel="telegram", recipient="111", body_text="x")
        row.status, row.attempts, row.next_attempt_at = "failed", 6, NOW - 2 * timedelta(hours=1)
        fresh = await outbox.enqueue(session, channel="telegram", recipient="112", body_text="y")
        fresh.status, fresh.attempts, fresh.next_attempt_at = "failed", 6, NOW - timedelta(minutes=10)
        stale = await outbox.enqueue(session, channel="telegram", recipient="113", body_text="z")
        stale.status, stale.attempts, stale.next_attempt_at = "failed", 6, NOW - timedelta(hours=2)
        stale.created_at = NOW - timedelta(hours=GIVE_UP_HOURS + 1)
    report = await retry_outbox(services, GIVE_UP_HOURS)
    assert report.revived == 1
    assert report.sent == {}
    assert report.skipped == {
        "telegram": "HELPDESK_TELEGRAM_TOKEN is not set",
        "email": "HELPDESK_SMTP_HOST is not set",
    }
    async with services.sessions() as session:
        revived = await session.get(OutboxMessage, row.id)
        still = await session.get(OutboxMessage, fresh.id)
        given_up = await session.get(OutboxMessage, stale.id)
        assert given_up is not None and given_up.status == "failed"  # queued too long ago: no more rounds
        assert revived is not None and revived.status == "pending" and revived.next_attempt_at == NOW
        assert still is not None and still.status == "failed"
    await retry_outbox(services, GIVE_UP_HOURS)
    lines = [r.getMessage() for r in caplog.records if "not sent here" in r.getMessage()]
    assert lines == [
        "outbox retry: telegram not sent here: HELPDESK_TELEGRAM_TOKEN is not set",
        "outbox retry: email not sent here: HELPDESK_SMTP_HOST is not set",
    ]  # one line each, not one a run


async def test_retry_sends_only_when_the_channel_sender_is_not_running(
    database_url: str, tmp_path: Path
) -> None:
    services = make_services(database_url, tmp_path, smtp_host="127.0.0.1")
    calls: list[str] = []

    async def deliver_email() -> int:
        calls.append("email")
        return 3

    # The e-mail sender replaced by one that records the call; Telegram's is the one app.py wired.
    [telegram] = [sender for sender in services.senders if sender.channel == "telegram"]
    services.senders = (OutboxSender("email", "fake-sender", None, deliver_email), telegram)
    try:
        report = await retry_outbox(services, GIVE_UP_HOURS)
        assert report.sent == {"email": 3}
        assert report.skipped == {"telegram": "HELPDESK_TELEGRAM_TOKEN is not set"}
        async with hold_leadership(services.engine, "fake-sender"):
            busy = await retry_outbox(services, GIVE_UP_HOURS)
        assert busy.sent == {}
        assert busy.skipped["email"] == "its sender (fake-sender) is running"
        assert calls == ["email"]
    finally:
        await services.aclose()


async def test_digest_marks_items_parked_for_the_resident_and_ones_they_answered(agents: Services) -> None:
    ids = await _queue(agents)
    async with agents.sessions.begin() as session:
        parked = await session.get(SupportRequest, ids["overdue"])
        answered = await session.get(SupportRequest, ids["soon"])
        assert parked is not None and answered is not None
        parked.status, parked.waiting_since = RequestStatus.WAITING, NOW - 4 * DAY
        answered.resident_replied_at = NOW - DAY
    assert await send_deadline_digest(agents, AGENTS_EMAIL, CONSOLE_URL) is True
    [digest] = await _digests(agents)
    since = (NOW - 4 * DAY).date().isoformat()
    assert f"#{ids['overdue']} piekļuves pieprasījums, termiņš " in digest.body_text
    assert f", gaida iedzīvotāja atbildi kopš {since}\n" in digest.body_text
    assert f"#{ids['soon']} labošanas pieprasījums, termiņš " in digest.body_text
    assert ", iedzīvotājs atbildēja\n" in digest.body_text
