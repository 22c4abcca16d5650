"""Whole e-mails read by the shipped knowledge base, end to end through Dovecot and the SMTP sink:
a mail with several questions gets one reply that answers each (an invoice still goes only to the
invoice address, in a mail of its own); the part a person must answer is filed once and the reply
quotes it; an English mail signed with a Latvian name is answered in English; and a first line that
says "atrakstīties" still withdraws at once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.app import build_services, mail_config
from helpdesk.core.matching import IntentMatcher
from helpdesk.knowledge import load_matcher
from helpdesk.mailbox.poller import run_mailbox
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.settings import load_settings
from helpdesk.storage.models import ConsentEvent
from helpdesk.storage.models.requests import SupportRequest
from tests.mailbox.conftest import MailWorld, SmtpSink, body, imap_login, mail, mail_settings, seed
from tests.mailbox.dovecot import Dovecot

SIGNATURE = "\n\nAr cieņu,\nJānis Bērziņš\nBrīvības iela 1-5, Rīga"


@pytest.fixture(scope="module")
def knowledge() -> IntentMatcher:
    return load_matcher(load_settings().knowledge, "lv")


@pytest.fixture
async def world(
    database_url: str,
    tmp_path: Path,
    dovecot: Dovecot,
    smtp_sink: tuple[SmtpSink, int],
    knowledge: IntentMatcher,
) -> AsyncIterator[MailWorld]:
    """The mailbox's world with the shipped knowledge base instead of the keyword matcher."""
    sink, smtp_port = smtp_sink
    user = dovecot.add_user()
    settings = mail_settings(database_url, tmp_path, imap_port=dovecot.port, user=user, smtp_port=smtp_port)
    services = build_services(settings, matcher=knowledge)
    await seed(services)
    client = await imap_login(dovecot.port, user)
    yield MailWorld(services, dovecot, user, sink, client, mail_config(settings))
    with contextlib.suppress(Exception):
        await asyncio.wait_for(client.logout(), 5)
    await services.aclose()


async def _run(world: MailWorld) -> int:
    await run_mailbox(world.services, world.mail, once=True)
    return await deliver_due(world.services, world.mail)


async def _items(world: MailWorld) -> list[SupportRequest]:
    async with world.services.sessions() as session:
        return list(await session.scalars(select(SupportRequest).order_by(SupportRequest.id)))


async def test_a_mail_with_two_questions_gets_one_reply_that_answers_both(
    world: MailWorld, knowledge: IntentMatcher
) -> None:
    text = "Labdien!\n\nKā pieslēgties portālam ar Smart-ID? Un vai varat atsūtīt pēdējo rēķinu?" + SIGNATURE
    await world.append(mail(subject="Divi jautājumi", body=text))
    assert await _run(world) == 2  # the reply, and the invoice in a mail of its own
    reply = next(m for m in world.sink.messages if m["In-Reply-To"])
    documents = next(m for m in world.sink.messages if not m["In-Reply-To"])
    login = knowledge.answer("login-eid", "lv")
    assert login is not None
    said = body(reply)
    assert login.title in said  # the first question
    assert "Rēķins par 2025. gada decembri" in said  # the second, and where its PDF went:
    assert "j***@e***.lv" in said and list(reply.iter_attachments()) == []
    assert documents["To"] == "janis@example.lv"
    [attachment] = list(documents.iter_attachments())
    assert attachment.get_filename() == "INV-2025-12-R-1.pdf"
    assert await _items(world) == []


async def test_the_part_a_person_must_answer_is_filed_once_and_quoted(
    world: MailWorld, knowledge: IntentMatcher
) -> None:
    office = "Kad atvērsiet jaunu biroju Daugavpilī?"
    await world.append(mail(body=f"Labdien! Kā pieslēgties portālam? {office}" + SIGNATURE))
    assert await _run(world) == 1
    [reply] = world.sink.messages
    login = knowledge.answer("login-eid", "lv")
    assert login is not None
    said = " ".join(body(reply).split())  # the text part is wrapped
    assert login.title in said and f"Jūsu jautājumu „{office}” nodevu mūsu atbalsta komandai (#1)" in said
    [item] = await _items(world)
    assert (item.kind, item.channel, item.summary) == ("question", "email", office)


async def test_an_english_mail_signed_with_a_latvian_name_is_answered_in_english(
    world: MailWorld, knowledge: IntentMatcher
) -> None:
    text = (
        "Hello,\n\nI moved to Riga last year. How do I log in with Smart-ID? "
        "And how can I see all my invoices?\n\nBest regards,\nJānis Bērziņš\nBrīvības iela 1-5, Rīga"
    )
    await world.append(mail(subject="Two questions", body=text))
    assert await _run(world) == 1
    [reply] = world.sink.messages
    login = knowledge.answer("login-eid", "en")
    assert login is not None
    said = body(reply)
    assert reply["Content-Language"] == "en"
    assert login.title in said and "Which invoice would you like? Pick a period." in said
    assert "2025-12" in said and "2025-11" in said  # the periods, as words to reply with


async def test_a_first_line_that_unsubscribes_still_withdraws_at_once(world: MailWorld) -> None:
    await world.append(mail(subject="Re: Jaunumi", body="Atrakstīties\n\nJānis", message_id="<w1@x>"))
    assert await _run(world) == 1
    async with world.services.sessions() as session:
        (row,) = (await session.scalars(select(ConsentEvent))).all()
    assert (row.resident_id, row.granted, row.evidence) == ("R-1", False, "<w1@x>")
    assert "nesaņem" in body(world.sink.messages[0])
