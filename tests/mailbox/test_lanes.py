"""Concurrent lanes on PostgreSQL (issue 15 points 12 and 14): one lane per address however its
From: line is written, one lane per Message-ID, a deadlock tried again rather than apologised for,
and a handler's failure that keeps the resident's text. Through the real Dovecot."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from helpdesk.handlers import faq
from helpdesk.mailbox.parsing import parse
from helpdesk.mailbox.poller import _lanes, run_mailbox
from helpdesk.mailbox.processing import Parsed
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.storage.engine import create_engine
from helpdesk.storage.models.conversations import Message
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.models.requests import SupportRequest
from helpdesk.storage.repositories import conversations
from tests.mailbox.conftest import MailWorld, body, cross_lock, mail

#: janis@example.lv as five mail programs write it.
FORMS = (
    "janis@example.lv",
    "Jānis Bērziņš <janis@example.lv>",
    "=?UTF-8?B?QsSTcnppxYbFoSwgSsSBbmlz?= <JANIS@example.lv>",
    '"Berzins, Janis" <Janis@Example.LV>',
    "<janis@example.lv>",
)
#: The apology of a failed handler, in the three languages' first words.
SORRY = ("Atvainojiet", "Sorry", "Извините")
ONLY_POSTGRES = pytest.mark.parametrize("backend", ["postgres"])


def test_one_address_in_any_form_and_one_message_id_each_make_one_lane() -> None:
    fetched = [(uid, mail(sender=FORMS[uid % 5], message_id=f"<{uid}@x>")) for uid in range(1, 11)]
    fetched += [
        (11, mail(sender="ivan@example.lv", message_id="<copy@x>")),
        (12, mail(sender="john@example.com", message_id="<other@x>")),
        (13, mail(sender="b@example.org", message_id="<copy@x>")),  # the same Message-ID: ivan's lane
        (14, mail(sender="john@example.com", message_id="<1@x>")),  # joins janis's lane through <1@x>
    ]
    lanes = sorted([uid for uid, _raw in lane] for lane in _lanes(fetched))
    assert lanes == [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14], [11, 13]]
    # The poller hands the lanes the mails it has already parsed for the chain: the same lanes.
    parsed: Parsed = {uid: parse(raw, max_bytes=1_000_000) for uid, raw in fetched}
    parsed[12] = ValueError("unparseable")  # a mail the parser refused: its header block is read
    assert sorted([uid for uid, _raw in lane] for lane in _lanes(fetched, parsed)) == lanes


async def _answered_to(world: MailWorld, address: str) -> int:
    async with world.services.sessions() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address))
        return len(rows.all())


async def test_the_cap_holds_for_one_address_written_in_five_forms(world: MailWorld) -> None:
    world.mail.inbound.mail_concurrency = 8
    world.mail.inbound.mail_replies_per_sender_per_hour = 5
    for uid in range(10):
        await world.append(
            mail(sender=FORMS[uid % 5], subject="Parole", body="Parole?", message_id=f"<c{uid}@x>")
        )
    await run_mailbox(world.services, world.mail, once=True)
    outcomes = await world.outcomes()
    assert sorted(outcomes.values()) == ["answered"] * 5 + ["skipped:rate-limit"] * 5
    assert await _answered_to(world, "janis@example.lv") == 5


async def test_the_same_message_id_from_two_addresses_is_answered_once(world: MailWorld) -> None:
    world.mail.inbound.mail_concurrency = 8
    await world.append(
        mail(sender="ivan@example.lv", subject="Parole", body="Parole?", message_id="<same@x>")
    )
    for index, sender in enumerate(("john@example.com", "a@example.org", "b@example.org")):
        await world.append(mail(sender=sender, subject="Parole", body="Parole?", message_id=f"<o{index}@x>"))
    await world.append(
        mail(sender="janis@example.lv", subject="Parole", body="Parole?", message_id="<same@x>")
    )
    await run_mailbox(world.services, world.mail, once=True)
    outcomes = await world.outcomes()
    assert outcomes[1] == "answered" and outcomes[5] == "skipped:duplicate"
    assert await _answered_to(world, "janis@example.lv") == 0


async def _apologies(world: MailWorld) -> list[str]:
    await deliver_due(world.services, world.mail)
    return [text for text in (body(m) for m in world.sink.messages) if any(word in text for word in SORRY)]


async def _stored_texts(world: MailWorld) -> set[str]:
    async with world.services.sessions() as session:
        rows = await session.scalars(select(Message.text).where(Message.direction == "in"))
        return set(rows.all())


@ONLY_POSTGRES
async def test_two_addresses_under_two_names_each_do_not_deadlock(world: MailWorld) -> None:
    """Lanes by the raw From line put X and Y in two lanes each, crossing: one batch took X's
    conversation then wanted Y's, the other the other way round, and the loser was apologised to."""
    world.mail.inbound.mail_concurrency = 2
    x, y = "john@example.com", "ivan@example.lv"
    await world.append(mail(sender=x, subject="Parole", body="Parole? 0", message_id="<s0@x>"))
    await world.append(mail(sender=y, subject="Parole", body="Parole? 1", message_id="<s1@x>"))
    await run_mailbox(world.services, world.mail, once=True)  # both conversations exist: mails update them
    # Raw lanes, longest first: "A <x>" (3), "B <y>" (3), then "A <y>" and "B <x>" fill them crosswise.
    senders = [f"A <{x}>"] * 3 + [f"B <{y}>"] * 3 + [f"A <{y}>", f"B <{x}>"]
    for index, sender in enumerate(senders, 2):
        await world.append(
            mail(sender=sender, subject="Parole", body=f"Parole? {index}", message_id=f"<s{index}@x>")
        )
    async with asyncio.timeout(60):
        await run_mailbox(world.services, world.mail, once=True)
    assert set((await world.outcomes()).values()) == {"answered"}
    assert await _apologies(world) == []
    assert {f"Parole? {index}" for index in range(10)} <= await _stored_texts(world)


@ONLY_POSTGRES
async def test_a_deadlock_in_the_handlers_is_tried_again_not_apologised_for(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real deadlock inside ``dispatch.handle`` (40P01) with another transaction: it reaches the
    batch, which is rolled back and tried again at once; nobody reads "Sorry, something went wrong"."""
    services = world.services
    await run_mailbox(services, world.mail, once=True)  # the folder's state row exists
    other = create_engine(services.storage.database_url)
    blocker = await other.connect()
    await blocker.begin()
    await blocker.execute(text("UPDATE residents SET name = name WHERE id = 'R-4'"))
    real = conversations.record_exchange
    calls = 0

    async def record_exchange(connection: AsyncConnection, *args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            await cross_lock(blocker, connection)
        await real(connection, *args, **kwargs)

    monkeypatch.setattr(conversations, "record_exchange", record_exchange)
    try:
        await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<d1@x>"))
        await run_mailbox(services, world.mail, once=True)
    finally:
        await blocker.rollback()
        await blocker.close()
        await other.dispose()
    assert calls >= 2  # it was tried again
    assert await world.outcomes() == {1: "answered"}
    assert await _apologies(world) == []
    assert len(world.sink.messages) == 1 and "Aizmirsu paroli" in body(world.sink.messages[0])


async def test_a_failed_handler_keeps_the_text_with_the_open_question_it_joins(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second mail's handler fails: its text is stored in the conversation, naming the open
    question it joined (it used to join with no text at all)."""
    await world.append(mail(subject="Jautājums", body="Kad būs pārrēķins?", message_id="<q1@x>"))
    await run_mailbox(world.services, world.mail, once=True)

    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(faq, "answer", broken)
    await world.append(mail(subject="Parole", body="Un kā nomainīt paroli?", message_id="<q2@x>"))
    await run_mailbox(world.services, world.mail, once=True)
    async with world.services.sessions() as session:
        [question] = (await session.scalars(select(SupportRequest))).all()
        kept = (
            await session.scalars(
                select(Message.text).where(Message.direction == "in", Message.request_id == question.id)
            )
        ).all()
    assert "Un kā nomainīt paroli?" in kept
