"""Notices of new queue items to the agents: one per configured destination, once per item, after
the item committed, with the item's number, kind, channel, deadline and console link and none of
the resident's words, name or address; a burst is one message; nothing when nobody is configured.
Escalations come through the real handlers, by Telegram, by e-mail and from the terminal chat."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from helpdesk.core.types import Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.jobs.arrivals import LISTED, announce_arrivals
from helpdesk.services import Services
from helpdesk.settings import JobsSettings, load_settings
from helpdesk.storage.migrate import upgrade
from helpdesk.storage.models import OutboxMessage, SupportRequest
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import links, requests, residents
from tests.migrations import database_before
from tests.ops.conftest import NOW, make_services

GROUP = -1001234567890
AGENTS = "agenti@klientiem.lv"
CONSOLE = "https://console.example/"
# What the resident wrote and who they are: none of it may leave in a notice.
QUESTION = "Kāpēc mans rēķins ir tik liels? Jānis Bērziņš, Brīvības iela 1-5, tel. 29123456"
PERSONAL = ("Kāpēc", "rēķins", "29123456", "Jānis", "Bērziņš", "Brīvības", "janis@example.lv", "R-1", "555")


async def _seed(services: Services) -> None:
    async with services.sessions.begin() as session:
        await residents.upsert(
            session,
            resident_id="R-1",
            name="Jānis Bērziņš",
            address="Brīvības iela 1-5, Rīga",
            invoice_email="janis@example.lv",
        )
        await links.bind(
            session, resident_id="R-1", telegram_user_id=555, chat_id=555, language="lv", now=NOW
        )


#: The jobs' group and the console's public URL each ``configured`` Services was made with (the
#: scheduler hands them to the job; Services carries only the shared groups).
NOTICES: dict[int, tuple[JobsSettings, str | None]] = {}


async def announce(services: Services) -> int:
    """One run of the job, as the scheduler runs it with these services' settings."""
    jobs, console_url = NOTICES[id(services)]
    return await announce_arrivals(services, jobs, console_url)


@pytest.fixture
def configured(database_url: str, tmp_path: Path) -> Any:
    """Services with the given notice settings over a seeded database; closed at the end."""
    built: list[Services] = []

    async def make(**settings: object) -> Services:
        services = make_services(database_url, tmp_path, **settings)
        chosen = load_settings(**settings)
        NOTICES[id(services)] = (chosen.jobs, chosen.console.console_public_url)
        built.append(services)
        if len(built) == 1:
            await _seed(services)
        return services

    return make


@pytest.fixture
async def agents(configured: Any) -> AsyncIterator[Services]:
    services: Services = await configured(
        agents_email=AGENTS, agents_telegram_chat=GROUP, console_public_url=CONSOLE
    )
    yield services
    await services.aclose()


def inquiry(channel: Channel, text: str = QUESTION, number: int = 1) -> Inquiry:
    """The same question as the resident would ask it on ``channel``."""
    if channel is Channel.TELEGRAM:
        sender, message_id = "555", f"tg:555:{number}"
    elif channel is Channel.EMAIL:
        sender, message_id = "janis@example.lv", f"<q{number}@example.lv>"
    else:
        sender, message_id = "terminal", f"chat:{number}"
    return Inquiry(
        channel=channel,
        sender=sender,
        reply_to=sender,
        text=text,
        resident_id="R-1",
        message_id=message_id,
        args={"chat_type": "private"} if channel is Channel.TELEGRAM else {},
    )


async def notices(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def escalate(services: Services, channel: Channel, number: int = 1) -> int:
    reply = await handle(inquiry(channel, number=number), services)
    assert reply.kind is ReplyKind.ESCALATED and reply.request_id is not None
    return reply.request_id


@pytest.mark.parametrize("channel", [Channel.TELEGRAM, Channel.EMAIL, Channel.CHAT])
async def test_an_escalation_is_announced_once_to_each_destination(
    agents: Services, channel: Channel
) -> None:
    item = await escalate(agents, channel)
    assert await announce(agents) == 1
    mail, chat = await notices(agents)
    assert (mail.channel, mail.recipient, mail.subject) == ("email", AGENTS, "1 jauns ieraksts rindā")
    assert (chat.channel, chat.recipient) == ("telegram", str(GROUP))
    label = {Channel.TELEGRAM: "Telegram", Channel.EMAIL: "e-pasts", Channel.CHAT: "termināļa saruna"}[
        channel
    ]
    line = f"#{item} jautājums, {label}, termiņš 17.06.2026 15:00: https://console.example/items/{item}"
    assert chat.body_text == f"1 jauns ieraksts rindā:\n{line}\nAtvērt rindu: https://console.example/queue\n"
    assert line in mail.body_text
    for text in (mail.subject, mail.body_text, chat.body_text):
        assert not [word for word in PERSONAL if word in text]
    assert await announce(agents) == 0  # once per item
    assert len(await notices(agents)) == 2


@pytest.mark.parametrize(
    ("settings", "channels"),
    [({"agents_email": AGENTS}, ["email"]), ({"agents_telegram_chat": GROUP}, ["telegram"])],
)
async def test_only_the_configured_destination(
    configured: Any, settings: dict[str, object], channels: list[str]
) -> None:
    services: Services = await configured(**settings)
    try:
        await escalate(services, Channel.TELEGRAM)
        assert await announce(services) == 1
        assert [row.channel for row in await notices(services)] == channels
        assert "https://" not in (await notices(services))[0].body_text  # no console URL set, no link
    finally:
        await services.aclose()


async def test_nothing_when_unconfigured_and_the_past_stays_quiet(configured: Any) -> None:
    quiet: Services = await configured()
    try:
        await escalate(quiet, Channel.EMAIL)
        assert await announce(quiet) == 0
        assert await notices(quiet) == []
    finally:
        await quiet.aclose()
    # Configured later: the item that arrived while nobody was to be told is not announced now.
    later: Services = await configured(agents_email=AGENTS)
    try:
        assert await announce(later) == 0
        assert await notices(later) == []
    finally:
        await later.aclose()


async def test_a_rolled_back_item_is_never_announced(agents: Services) -> None:
    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned):
        async with agents.sessions.begin() as session:
            await requests.create(
                session,
                kind=RequestKind.QUESTION,
                channel="email",
                contact="someone@example.lv",
                received_at=NOW,
                deadline_at=NOW + timedelta(days=2),
            )
            raise Abandoned
    assert await announce(agents) == 0
    assert await notices(agents) == []


async def test_a_burst_of_fifty_is_one_message_per_destination(agents: Services) -> None:
    for number in range(50):  # fifty people write at once
        stranger = Inquiry(
            channel=Channel.TELEGRAM,
            sender=str(1000 + number),
            reply_to=str(1000 + number),
            text=QUESTION,
            message_id=f"tg:{1000 + number}:1",
            args={"chat_type": "private"},
        )
        assert (await handle(stranger, agents)).kind is ReplyKind.ESCALATED
    assert await announce(agents) == 50
    mail, chat = await notices(agents)
    assert chat.body_text.startswith("50 jauni ieraksti rindā:\n")
    assert chat.body_text.count("https://console.example/items/") == LISTED
    assert "un vēl 30 ieraksti\nAtvērt rindu: https://console.example/queue\n" in chat.body_text
    assert len(chat.body_text) < 4096  # one Telegram message
    assert mail.subject == "50 jauni ieraksti rindā"
    assert await announce(agents) == 0 and len(await notices(agents)) == 2


async def test_an_item_closed_before_the_run_is_not_listed(agents: Services) -> None:
    first = await escalate(agents, Channel.TELEGRAM)
    second = await escalate(agents, Channel.EMAIL, 2)
    async with agents.sessions.begin() as session:
        await requests.close(session, request_id=first, outcome="answered", now=NOW)
    assert await announce(agents) == 1
    mail, _chat = await notices(agents)
    assert f"#{second} " in mail.body_text and f"#{first} " not in mail.body_text


async def test_the_agents_language(configured: Any) -> None:
    services: Services = await configured(agents_telegram_chat=GROUP, agents_language="en")
    try:
        item = await escalate(services, Channel.EMAIL)
        await announce(services)
        (chat,) = await notices(services)
        assert (
            chat.body_text
            == f"1 new item in the queue:\n#{item} question, e-mail, deadline 17 Jun 2026 15:00\n"
        )
    finally:
        await services.aclose()


def test_items_stored_before_the_upgrade_count_as_announced(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = database_before(path, "0012")
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO requests (kind, status, channel, contact, language, summary, details, identity, "
            "received_at, deadline_at, created_at) VALUES ('question', 'open', 'email', 'a@example.lv', "
            "'lv', '', '{}', 'unverified', '2026-06-01 10:00:00', '2026-06-03 10:00:00', "
            "'2026-06-01 10:00:00')"
        )
    upgrade(url, "0012")
    with sqlite3.connect(path) as db:
        (noticed,) = db.execute("SELECT agents_notified_at FROM requests").fetchone()
    assert noticed == "2026-06-01 10:00:00"  # its created_at: announced, as far as the job knows


async def test_two_runs_at_once_announce_each_item_once(agents: Services) -> None:
    for number in range(6):
        await escalate(agents, Channel.EMAIL if number % 2 else Channel.TELEGRAM, number)
    async with agents.sessions.begin() as session:
        for number in range(10):  # with the six: fewer than one notice names
            await requests.create(
                session,
                kind=RequestKind.ACCESS,
                channel="email",
                contact=f"person{number}@example.lv",
                received_at=NOW,
                deadline_at=NOW + timedelta(days=30),
            )
    named = await asyncio.gather(announce(agents), announce(agents))
    async with agents.sessions() as session:
        total = len(list(await session.scalars(select(SupportRequest.id))))
    assert sum(named) == total
    mails = [row for row in await notices(agents) if row.channel == "email"]
    listed = [
        line.split(" ")[0] for row in mails for line in row.body_text.splitlines() if line.startswith("#")
    ]
    assert len(listed) == len(set(listed)) == total
