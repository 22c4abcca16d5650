"""The outbox path: agents' answers and replies Telegram refused reach the chat later; a 429 that
outlasts the in-line wait is recorded, not lost."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.bot.delivery import deliver_due
from helpdesk.bot.outgoing import enqueue_telegram_message
from helpdesk.core.types import Document
from helpdesk.i18n import gettext_for
from helpdesk.storage.models import ConsentEvent, OutboxMessage
from helpdesk.storage.repositories.outbox import MAX_ATTEMPTS
from tests.bot.conftest import LINKED_USER, STRANGER, BotHarness
from tests.bot.fake_api import callback, message


@pytest.fixture(autouse=True)
def real_clock(harness: BotHarness) -> None:
    """The outbox stamps rows with the real time; deliver with the real clock too."""
    harness.services.clock = lambda: datetime.now(UTC)


async def rows(harness: BotHarness) -> list[OutboxMessage]:
    async with harness.services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_agent_answer_arrives_in_the_same_chat(harness: BotHarness) -> None:
    for _ in range(2):  # the console retrying the same answer queues it once
        async with harness.services.sessions.begin() as session:
            await enqueue_telegram_message(
                session,
                chat_id=STRANGER,
                text="Labdien! Skaitītāja rādījumus var iesniegt līdz 25. datumam.",
                dedupe_key="request-7-answer-1",
            )
    assert await deliver_due(harness.services, harness.bot) == 1
    [sent] = harness.fake.sent_to(STRANGER)
    assert sent.text.startswith("Labdien! Skaitītāja")
    [row] = await rows(harness)
    assert row.status == "sent" and row.recipient == str(STRANGER)
    assert await deliver_due(harness.services, harness.bot) == 0  # nothing sent twice


async def test_queued_document_is_sent_with_its_bytes(harness: BotHarness) -> None:
    invoice = harness.services.storage.invoice_dir / "INV-2025-11-R-1.pdf"
    document = Document(
        path=Path(invoice),
        filename=invoice.name,
        caption="2025-11",
        sha256="0" * 64,
        invoice_id="INV-2025-11-R-1",
    )
    async with harness.services.sessions.begin() as session:
        await enqueue_telegram_message(session, chat_id=LINKED_USER, text="Rēķins", documents=[document])
    assert await deliver_due(harness.services, harness.bot) == 1
    [sent] = harness.fake.of("sendDocument", LINKED_USER)
    assert next(iter(sent.files.values()))[1] == invoice.read_bytes()


async def test_long_flood_wait_is_recorded_and_retried_later(harness: BotHarness) -> None:
    async with harness.services.sessions.begin() as session:
        await enqueue_telegram_message(session, chat_id=STRANGER, text="Pirmā")
        await enqueue_telegram_message(session, chat_id=STRANGER, text="Otrā")
    harness.fake.fail_next("sendMessage", status=429, retry_after=120)  # longer than the in-line cap
    assert await deliver_due(harness.services, harness.bot) == 0
    first, second = await rows(harness)
    assert first.attempts == 1 and "retry_after=120" in (first.last_error or "") and first.status == "pending"
    assert second.attempts == 0  # the round stopped: no hammering while Telegram says wait
    assert [c.method for c in harness.fake.calls] == ["sendMessage!429"]
    harness.services.clock = lambda: datetime.now(UTC) + timedelta(hours=2)
    assert await deliver_due(harness.services, harness.bot) == 2
    assert [c.text for c in harness.fake.sent_to(STRANGER)] == ["Pirmā", "Otrā"]


async def test_reply_that_telegram_refuses_is_kept_in_the_outbox(harness: BotHarness) -> None:
    harness.fake.fail_next("sendMessage", times=3, status=500)  # more than the retry middleware tries
    await harness.send(message(STRANGER, "kā pieslēgties"))
    assert harness.fake.sent_to(STRANGER) == []
    [row] = await rows(harness)
    assert "eID" in row.body_text and row.recipient == str(STRANGER)
    assert await deliver_due(harness.services, harness.bot) == 1
    assert "eID" in harness.fake.sent_to(STRANGER)[0].text


async def test_news_to_a_new_address_is_confirmed_by_code(harness: BotHarness) -> None:
    await harness.send(message(LINKED_USER, "/news"))
    await harness.send(callback(LINKED_USER, "a:ca:::"))  # "Use another e-mail address"
    await harness.send(message(LINKED_USER, "nav-e-pasts"))
    assert harness.fake.sent_to(LINKED_USER)[-1].text == gettext_for("helpdesk", "lv").gettext(
        "This does not look like an e-mail address. Please check it and try again."
    )
    await harness.send(message(LINKED_USER, "janis.jaunumi@example.lv"))
    [mail] = [r for r in await rows(harness) if r.channel == "email"]
    assert mail.recipient == "janis.jaunumi@example.lv"
    code = re.search(r"\b(\d{6})\b", mail.body_text)
    assert code is not None
    await harness.send(message(LINKED_USER, code.group(1)))
    async with harness.services.sessions() as session:
        [event] = list(await session.scalars(select(ConsentEvent)))
    assert event.granted and event.email == "janis.jaunumi@example.lv" and event.channel == "telegram"


async def test_a_message_that_keeps_failing_is_recorded_as_failed(harness: BotHarness) -> None:
    """Retried with a growing backoff, then given up and kept (status "failed", visible to agents)."""
    async with harness.services.sessions.begin() as session:
        await enqueue_telegram_message(session, chat_id=STRANGER, text="Atbilde")
    harness.fake.fail_next("sendMessage", times=MAX_ATTEMPTS, status=400)  # refused, not retried in line
    later = datetime.now(UTC)
    waits: list[timedelta] = []
    for _ in range(MAX_ATTEMPTS):
        harness.services.clock = lambda at=later: at  # type: ignore[misc]
        assert await deliver_due(harness.services, harness.bot) == 0
        [row] = await rows(harness)
        waits.append(row.next_attempt_at - later)
        later = row.next_attempt_at + timedelta(seconds=1)
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS and row.last_error
    assert waits == sorted(waits) and waits[0] < waits[-1]  # the backoff grew
    assert harness.fake.sent_to(STRANGER) == []


async def test_a_backlog_leaves_in_one_drain_within_telegram_limits(harness: BotHarness) -> None:
    """It took 50 a round, one round per poll interval; now all of it, at most about 30 messages a
    second overall and one a second in one chat, each chat's messages in order."""
    chats = [900_000 + number for number in range(60)]
    async with harness.services.sessions.begin() as session:
        for turn in ("pirmā", "otrā"):
            for chat in chats:
                await enqueue_telegram_message(session, chat_id=chat, text=f"Atbilde {chat} {turn}")
    assert await deliver_due(harness.services, harness.bot) == 120
    calls = harness.fake.of("sendMessage")
    assert len(calls) == 120
    times = sorted(call.at for call in calls)
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) <= 30
    for chat in chats:
        first, second = harness.fake.sent_to(chat)
        assert first.text.endswith("pirmā") and second.text.endswith("otrā")
        assert second.at - first.at >= 0.95
    assert {row.status for row in await rows(harness)} == {"sent"}
