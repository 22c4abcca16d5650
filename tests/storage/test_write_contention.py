"""Writers of different parts of one process at the same time, as in ``helpdesk run`` on SQLite.

The bot's and the dispatcher's writers took turns (``write_transaction``) while the console, its
portal API, the one-click unsubscribe and the mailbox began their own transactions: on SQLite such a
writer polled for the lock from its thread (``busy_timeout``) while the turn-takers handed the lock
to each other, and the turn-takers in turn queued behind whoever held it unseen. Here every part
writes at once, round after round: every write lands, nothing says "database is locked", and
nobody is passed over for long (counted in other writers' writes, not in seconds, which a busy
machine stretches). On PostgreSQL ``write_transaction`` is a plain transaction; the same test
runs there too. Fifteen rounds suffice to catch a writer left polling: ``ROUNDS`` says why.
"""

from __future__ import annotations

import asyncio
import logging
import re
import statistics
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from helpdesk.app import build_services, console_config, mail_config
from helpdesk.console.app import create_app
from helpdesk.core.types import Channel, Inquiry, ReplyKind
from helpdesk.core.unsubscribe import make_unsubscribe_token
from helpdesk.handlers.dispatch import handle
from helpdesk.mailbox.chain.base import Position
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.processing import handle_mails
from helpdesk.services import Services
from helpdesk.storage.models.conversations import Conversation, Message
from helpdesk.storage.models.requests import AuditEvent
from helpdesk.storage.repositories import apikeys, consent, notes, residents
from helpdesk.storage.repositories import mail as mail_repo
from tests.console.conftest import NOW, SECRET, make_settings, seed, sign_in
from tests.handlers.conftest import fake_matcher
from tests.mailbox.conftest import AUTHSERV, OUR_ADDRESS, mail

Client = TestClient[web.Request, web.Application]

#: Every writer writes this many times, all at once. The test is about concurrency (64 turn-takers
#: and five other parts at every moment), not volume: a writer that polls for the lock while the
#: others hand it round waits until they are done, overtaken by nearly every write of the test. Made
#: to poll every 100 ms as busy_timeout does, the console's writers were overtaken 840-997 times in
#: 15 rounds (the bound is 690) and failed the test every time, as in 30 rounds, which took twice as
#: long.
ROUNDS = 15
#: Bot-like writers, all at once (the bot handles 64 updates at a time).
INQUIRIES = 64
#: Mails per mailbox batch (one transaction, a savepoint each).
MAILS = 3
#: The writers beside the inquirers: mailbox, portal API, unsubscribe, note, audit export.
PARTS = 5
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
LOCKED = re.compile(r"database is locked|OperationalError|nested SQLite write", re.IGNORECASE)


@dataclass
class Waits:
    """How long each part's writes took, in seconds (for the report), and by how many other
    writes each was overtaken while it waited (what the test bounds: a count, not a clock, so a
    busy machine cannot fail it, and a writer left polling for a lock while the others hand it
    round would)."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    overtaken: dict[str, list[int]] = field(default_factory=dict)
    finished: int = 0

    async def timed(self, part: str, work: Awaitable[Any]) -> Any:
        started, finished_before = time.perf_counter(), self.finished
        try:
            return await work
        finally:
            self.seconds.setdefault(part, []).append(time.perf_counter() - started)
            self.overtaken.setdefault(part, []).append(self.finished - finished_before)
            self.finished += 1

    def report(self) -> str:
        lines = []
        for part, values in sorted(self.seconds.items()):
            ordered = sorted(values)
            p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
            lines.append(
                f"{part:<12} n={len(values):3} median={statistics.median(values) * 1000:7.1f} ms "
                f"p95={p95 * 1000:7.1f} ms max={ordered[-1] * 1000:7.1f} ms "
                f"overtaken by at most {max(self.overtaken[part])}"
            )
        return "\n".join(lines)


async def _prepare(services: Services) -> tuple[dict[str, int], str]:
    """The console's seed, residents with news consent to withdraw, and a portal API key."""
    ids = await seed(services)
    async with services.sessions() as db, db.begin():
        for n in range(ROUNDS):
            await residents.upsert(db, resident_id=f"R-U{n}", name="Līga Kalna", address="Iela 2-3")
            await consent.record(
                db,
                resident_id=f"R-U{n}",
                granted=True,
                email=f"liga{n}@example.lv",
                channel="telegram",
                evidence=f"tg:{n}",
                text_version="news-lv-1",
                now=NOW,
            )
        key, _row = await apikeys.add(db, name="portal", secret_key=SECRET.encode(), now=NOW)
    return ids, key


def _inquiry(round_number: int, n: int) -> Inquiry:
    return Inquiry(
        channel=Channel.TELEGRAM,
        sender="111",
        reply_to="111",
        resident_id="R-1",
        text="kā pieslēgties",
        args={"chat_type": "private"},
        message_id=f"tg:111:{round_number}:{n}",
    )


def _mails(round_number: int) -> list[tuple[Position, bytes]]:
    return [
        (
            Position("INBOX", 1, round_number * MAILS + i + 1),
            mail(
                sender=f"writer{round_number}-{i}@example.org",
                subject="Jautājums",
                body="Labdien! kā pieslēgties portālā?",
                message_id=f"<contention-{round_number}-{i}@example.org>",
            ),
        )
        for i in range(MAILS)
    ]


async def _expect(status: int, response: Awaitable[Any]) -> None:
    answered = await response
    assert answered.status == status, (answered.status, await answered.text())


async def _run_rounds(
    services: Services,
    mail: MailConfig,
    agent: Client,
    portal: Client,
    ids: dict[str, int],
    key: str,
    inquirers: int,
) -> Waits:
    """Each part writes ROUNDS times in a row, all parts (and ``inquirers`` bot-like writers) at once."""
    waits = Waits()
    page = await (await agent.get(f"/items/{ids['question']}")).text()
    match = CSRF.search(page)
    assert match
    csrf = match.group(1)
    bearer = {"Authorization": f"Bearer {key}"}

    async def inquiries(n: int) -> None:
        for r in range(ROUNDS):
            reply = await waits.timed("dispatch", handle(_inquiry(r, n), services))
            assert reply.kind is ReplyKind.ANSWER, reply.text

    async def mailbox() -> None:
        for r in range(ROUNDS):
            outcomes = await waits.timed("mailbox", handle_mails(services, mail, _mails(r)))
            assert {outcome.outcome for outcome in outcomes.values()} == {"answered"}

    async def api() -> None:
        for r in range(ROUNDS):
            body = {"name": "Pēteris Kalns", "address": "Skolas iela 3-1", "language": "lv"}
            put = portal.put(f"/api/v1/residents/R-A{r}", json=body, headers=bearer)
            await waits.timed("api", _expect(201, put))

    async def unsubscribe() -> None:
        for r in range(ROUNDS):
            token = make_unsubscribe_token(services.security.secret_key_bytes(), f"R-U{r}")
            post = portal.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
            await waits.timed("unsubscribe", _expect(200, post))

    async def note() -> None:
        for r in range(ROUNDS):
            form = {"csrf": csrf, "text": f"note {r}"}
            post = agent.post(f"/items/{ids['question']}/note", data=form, allow_redirects=False)
            await waits.timed("note", _expect(303, post))

    async def audit_export() -> None:
        for _r in range(ROUNDS):
            await waits.timed("audit.csv", _expect(200, agent.get("/audit.csv")))

    async with asyncio.TaskGroup() as group:
        for n in range(inquirers):
            group.create_task(inquiries(n))
        for part in (mailbox, api, unsubscribe, note, audit_export):
            group.create_task(part())
    return waits


async def _count(services: Services, model: Any, *where: Any) -> int:
    async with services.sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def _contend(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, *, inquirers: int, turns: int
) -> None:
    """Run the rounds, then check that every write landed and that no write waited while every
    other writer finished more than ``turns`` writes."""
    caplog.set_level(logging.WARNING)
    settings = make_settings(
        database_url,
        tmp_path,
        mail_from=f"Klientiem.lv <{OUR_ADDRESS}>",
        trusted_authserv_id=AUTHSERV,
    )
    services = build_services(settings, matcher=fake_matcher())
    mail = mail_config(settings)
    services.clock = lambda: NOW
    ids, key = await _prepare(services)
    config = console_config(settings)
    agent: Client = TestClient(TestServer(create_app(services, config)), headers={"Accept-Language": "en"})
    portal: Client = TestClient(TestServer(create_app(services, config)), headers={"Accept-Language": "en"})
    await agent.start_server()
    await portal.start_server()
    try:
        await sign_in(agent, "boss")
        started = time.perf_counter()
        waits = await _run_rounds(services, mail, agent, portal, ids, key, inquirers)
        elapsed = time.perf_counter() - started
    finally:
        await agent.close()
        await portal.close()
    try:
        print(f"\n{services.engine.dialect.name}: {ROUNDS} rounds in {elapsed:.1f} s\n{waits.report()}")
        assert not [record.getMessage() for record in caplog.records if LOCKED.search(record.getMessage())]
        # Every write landed.
        chat = select(Conversation.id).where(
            Conversation.channel == "telegram", Conversation.contact == "111"
        )
        messages = await _count(services, Message, Message.conversation_id.in_(chat))
        assert messages == 2 * inquirers * ROUNDS
        async with services.sessions() as db:
            recorded = await mail_repo.recorded(db, "INBOX", 1, list(range(1, ROUNDS * MAILS + 1)))
            assert len(recorded) == ROUNDS * MAILS
            assert {row.outcome for row in recorded.values()} == {"answered"}
            for r in range(ROUNDS):
                assert await residents.get(db, f"R-A{r}") is not None
                withdrawn = (await consent.history(db, f"R-U{r}"))[-1]  # the newest row is the state
                assert not withdrawn.granted
            assert len(await notes.for_request(db, ids["question"])) == ROUNDS
        assert await _count(services, AuditEvent, AuditEvent.action == "audit.exported") == ROUNDS
        assert await _count(services, AuditEvent, AuditEvent.action == "consent.withdrawn") == ROUNDS
        assert await _count(services, AuditEvent, AuditEvent.action == "api.resident.upsert") == ROUNDS
        # Nobody was passed over for long: while any write waited, every other writer finished at most
        # ``turns`` writes of its own (a lock handed round among the others would pass it over for
        # the rest of the test).
        writers = inquirers + PARTS
        assert max(max(values) for values in waits.overtaken.values()) <= turns * writers, waits.report()
    finally:
        await services.aclose()


async def test_writers_of_every_part_of_one_process_all_land(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Measured on both backends: SQLite hands the turn round in order (each write waits for about
    # one write of every other writer), PostgreSQL's pool is less strict (up to four).
    await _contend(database_url, tmp_path, caplog, inquirers=INQUIRIES, turns=10)
