"""The e-mail outbox drains: a backlog leaves in one go over several connections at once, ``--once``
sends all it queued, and two senders (two processes' worth: separate engines) never send one mail
twice. Against a real aiosmtpd server, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from helpdesk.app import build_services
from helpdesk.cli import main
from helpdesk.mailbox import service
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.services import Services
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.repositories import outbox
from tests.mailbox.conftest import (
    CountingSink,
    MailMatcher,
    Sender,
    command_environment,
    imap_login,
    mail,
    mail_settings,
    seed,
)
from tests.mailbox.dovecot import Dovecot, free_port


async def _queue(services: Services, n: int) -> None:
    async with services.sessions.begin() as session:
        for index in range(n):
            recipient = f"r{index}@example.lv"
            await outbox.enqueue(session, channel="email", recipient=recipient, body_text="Labdien!")


async def _statuses(services: Services) -> list[str]:
    async with services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


async def test_a_backlog_leaves_in_one_drain(sender: Sender) -> None:
    """It took 50 a round, one round per poll interval: 130 queued needed three intervals."""
    await _queue(sender.services, 130)
    assert await deliver_due(sender.services, sender.mail) == 130
    assert len(sender.sink.message_ids) == 130 and len(set(sender.sink.message_ids)) == 130
    assert set(await _statuses(sender.services)) == {"sent"}


async def test_mails_go_over_several_connections_at_once(sender: Sender) -> None:
    """The server sees four sessions open at once: the sink counts them, so the check does not
    depend on a wall clock (a timed bound failed on a busy CI machine)."""
    handler = sender.sink
    handler.delay = 0.2  # a server that takes its time with each mail
    sender.mail.outbound.smtp_concurrency = 4
    await _queue(sender.services, 12)
    assert await deliver_due(sender.services, sender.mail) == 12
    assert handler.most_at_once == 4
    assert len(set(handler.message_ids)) == 12


async def test_two_senders_never_send_one_mail_twice(sender: Sender) -> None:
    """Two processes' senders (separate engines, as a mailbox and `--once` or the jobs' retry)."""
    other = build_services(sender.settings, matcher=MailMatcher())
    one, mail = sender.services, sender.mail
    try:
        await _queue(one, 80)
        sent = await asyncio.gather(deliver_due(one, mail), deliver_due(other, mail), deliver_due(one, mail))
    finally:
        await other.aclose()
    assert sum(sent) == 80
    assert len(sender.sink.message_ids) == 80 and len(set(sender.sink.message_ids)) == 80
    assert set(await _statuses(one)) == {"sent"}


async def test_the_service_drains_the_backlog_when_woken(sender: Sender) -> None:
    sender.mail.outbound.mail_outbox_poll_seconds = 3600  # only the wake makes it send
    wake = asyncio.Event()
    task = asyncio.create_task(service.send_forever(sender.services, sender.mail, wake))
    try:
        await asyncio.sleep(0.2)  # its first (empty) drain is over; it waits
        await _queue(sender.services, 120)
        wake.set()
        async with asyncio.timeout(30):
            while len(sender.sink.message_ids) < 120:
                await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert set(await _statuses(sender.services)) == {"sent"}


async def test_a_server_that_allows_fewer_connections_still_gets_everything(
    sender: Sender, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connections beyond what the server allows fail; the ones it allows send everything, and no
    mail is counted as an attempt for a connection that was refused."""
    from helpdesk.mailbox import smtp_sender

    real = smtp_sender.smtp_client
    opened = 0

    def client(settings: Any) -> Any:
        nonlocal opened
        opened += 1
        if opened > 2:
            settings = settings.model_copy(update={"smtp_port": free_port()})  # nobody listens
        return real(settings)

    monkeypatch.setattr(smtp_sender, "smtp_client", client)
    sender.mail.outbound.smtp_concurrency = 4
    await _queue(sender.services, 30)
    assert await deliver_due(sender.services, sender.mail) == 30
    async with sender.services.sessions() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    assert {(row.status, row.attempts) for row in rows} == {("sent", 0)}


@pytest.mark.usefixtures("restore_logging")
def test_mailbox_once_sends_all_it_queued(
    database_url: str,
    tmp_path: Path,
    dovecot: Dovecot,
    counting_sink: tuple[CountingSink, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--once` sent at most 50 and exited with the rest pending."""
    handler, smtp_port = counting_sink
    user = dovecot.add_user()
    settings = mail_settings(database_url, tmp_path, imap_port=dovecot.port, user=user, smtp_port=smtp_port)
    writers = 60

    async def prepare() -> None:
        services = build_services(settings, matcher=MailMatcher())
        try:
            await seed(services)
        finally:
            await services.aclose()
        client = await imap_login(dovecot.port, user)
        for index in range(writers):
            raw = mail(sender=f"w{index}@example.org", subject="Parole", message_id=f"<w{index}@x>")
            await client.append(raw, mailbox="INBOX")
        await client.logout()

    asyncio.run(prepare())
    command_environment(monkeypatch, settings)

    assert main(["mailbox", "--once"]) == 0
    assert capsys.readouterr().out.strip() == f"mailbox: done, {writers} e-mail(s) sent"
    assert len(handler.message_ids) == writers
