"""Exactly once and nothing lost: crashes around the commit, a Dovecot restart during IDLE, the
poll without IDLE, a silently dead connection, a UIDVALIDITY change, an SMTP outage, the per-sender cap."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
from datetime import timedelta
from pathlib import Path

import aioimaplib
import pytest
from sqlalchemy import func, select

from helpdesk.cli import main
from helpdesk.mailbox import imap_client, poller, processing
from helpdesk.mailbox.backoff import Backoff
from helpdesk.mailbox.poller import connect, process_available, run_mailbox
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.storage.models.delivery import MailState, OutboxMessage
from helpdesk.storage.repositories import mail as mail_repo
from tests.mailbox.conftest import MailWorld, imap_login, mail
from tests.mailbox.dovecot import free_port
from tests.mailbox.tcp_proxy import SilentProxy


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing inside catches it."""


async def _outcomes(world: MailWorld, folder: str = "INBOX") -> dict[int, str]:
    async with world.services.sessions() as session:
        return await mail_repo.outcomes(session, folder)


async def _outbox_rows(world: MailWorld) -> int:
    async with world.services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def _wait_for(world: MailWorld, uid: int, seconds: float = 30.0) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = (await _outcomes(world)).get(uid)
        if found is not None:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"uid {uid} was not processed within {seconds} s")


async def test_crash_after_commit_before_move_moves_without_a_second_answer(world: MailWorld) -> None:
    await world.append(mail(subject="Parole", body="Labdien, parole?"))
    imap = await connect(world.mail.inbound)

    def die(_uids: list[int]) -> None:
        raise Crash

    with pytest.raises(Crash):
        await process_available(world.services, world.mail, imap, after_commit=die)
    await imap.close()
    assert await world.count("INBOX") == 1  # committed, not moved

    await run_mailbox(world.services, world.mail, once=True)
    assert await world.count("INBOX") == 0 and await world.count("Processed") == 1
    assert await _outcomes(world) == {1: "answered"}
    assert await _outbox_rows(world) == 1
    assert await deliver_due(world.services, world.mail) == 1 and len(world.sink.messages) == 1


async def test_crash_before_commit_loses_nothing_and_answers_once(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.append(mail(subject="Parole", body="Labdien, parole?"))
    real_record = mail_repo.record

    async def die(*args: object, **kwargs: object) -> None:
        raise Crash

    monkeypatch.setattr(mail_repo, "record", die)
    with pytest.raises(Crash):
        await run_mailbox(world.services, world.mail, once=True)
    monkeypatch.setattr(mail_repo, "record", real_record)
    assert await _outcomes(world) == {} and await _outbox_rows(world) == 0  # all rolled back
    assert await world.count("INBOX") == 1

    await run_mailbox(world.services, world.mail, once=True)
    assert await _outcomes(world) == {1: "answered"} and await _outbox_rows(world) == 1
    assert await world.count("Processed") == 1


async def test_dovecot_restart_during_idle_is_survived(world: MailWorld) -> None:
    task = asyncio.create_task(run_mailbox(world.services, world.mail, once=False))
    try:
        await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<before@x>"))
        assert await _wait_for(world, 1) == "answered"
        await asyncio.sleep(0.3)  # the poller is back in IDLE
        await asyncio.to_thread(world.dovecot.restart)
        client = await imap_login(world.dovecot.port, world.user)
        await client.append(
            mail(subject="Parole", body="Labdien, parole?", message_id="<after@x>"), mailbox="INBOX"
        )
        await client.logout()
        assert await _wait_for(world, 2) == "answered"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    world.client = await imap_login(world.dovecot.port, world.user)
    assert await world.count("Processed") == 2


async def test_a_server_without_idle_is_polled(world: MailWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback: without the IDLE capability the poller sleeps ``imap_poll_seconds`` and looks again."""
    real = aioimaplib.IMAP4.has_capability

    def no_idle(self: aioimaplib.IMAP4, capability: str) -> bool:
        return capability != "IDLE" and bool(real(self, capability))

    async def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("IDLE was used on a server that does not offer it")

    monkeypatch.setattr(aioimaplib.IMAP4, "has_capability", no_idle)
    monkeypatch.setattr(aioimaplib.IMAP4, "idle_start", never)
    world.mail.inbound.imap_poll_seconds = 1
    task = asyncio.create_task(run_mailbox(world.services, world.mail, once=False))
    try:
        await asyncio.sleep(0.5)  # the first round found nothing: the poller is sleeping
        await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<polled@x>"))
        assert await _wait_for(world, 1, seconds=10) == "answered"
        # The outcome is recorded before the mail is moved: wait for the move, then stop.
        while await world.count("Processed") != 1:
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert await world.count("INBOX") == 0


async def test_a_silently_dead_connection_is_noticed_and_replaced(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap_client, "COMMAND_TIMEOUT_SECONDS", 1.5)
    proxy = SilentProxy(world.dovecot.port)
    await proxy.start()
    world.mail.inbound.imap_port = proxy.port
    task = asyncio.create_task(run_mailbox(world.services, world.mail, once=False))
    try:
        await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<one@x>"))
        assert await _wait_for(world, 1) == "answered"
        await asyncio.sleep(0.3)
        proxy.freeze()  # the IDLE connection now hears nothing, and is not told
        await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<two@x>"))
        assert await _wait_for(world, 2, seconds=25) == "answered"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await proxy.stop()


async def test_uidvalidity_change_starts_over_without_answering_twice(world: MailWorld) -> None:
    world.mail.inbound.imap_folder = "Support"
    await world.client.create("Support")
    original = mail(subject="Parole", body="Labdien, parole?", message_id="<same@x>")
    await world.append(original, "Support")
    await run_mailbox(world.services, world.mail, once=True)
    async with world.services.sessions() as session:
        first = await session.get(MailState, "Support")
        assert first is not None and first.last_uid == 1
        old_validity = first.uidvalidity

    # The folder is rebuilt (a server migration, a restore): new UIDVALIDITY, the old mail is back.
    await world.client.select("INBOX")
    await world.client.delete("Support")
    await asyncio.sleep(1.1)  # Dovecot derives UIDVALIDITY from the clock
    await world.client.create("Support")
    await world.append(original, "Support")
    await world.append(mail(subject="Parole", body="Sveiki, parole?", message_id="<new@x>"), "Support")
    await run_mailbox(world.services, world.mail, once=True)

    async with world.services.sessions() as session:
        state = await session.get(MailState, "Support")
        assert state is not None and state.uidvalidity != old_validity and state.last_uid == 2
        rows = await mail_repo.recorded(session, "Support", state.uidvalidity, [1, 2])
    assert {uid: row.outcome for uid, row in rows.items()} == {1: "skipped:duplicate", 2: "answered"}
    assert await _outbox_rows(world) == 2  # one answer per distinct mail
    assert await world.count("Support") == 0


async def test_smtp_outage_loses_nothing(world: MailWorld) -> None:
    await world.append(mail(subject="Parole", body="Labdien, parole?"))
    await run_mailbox(world.services, world.mail, once=True)
    outbound = world.mail.outbound
    real_port = outbound.smtp_port

    outbound.smtp_port = free_port()  # nobody listens: the server is down
    assert await deliver_due(world.services, world.mail) == 0
    async with world.services.sessions() as session:
        [row] = (await session.scalars(select(OutboxMessage))).all()
        assert row.status == "pending" and row.attempts == 0

    outbound.smtp_port = real_port
    world.sink.refuse = True  # the server is up but answers 451
    assert await deliver_due(world.services, world.mail) == 0
    async with world.services.sessions() as session:
        [row] = (await session.scalars(select(OutboxMessage))).all()
        assert row.status == "pending" and row.attempts == 1 and row.last_error

    world.sink.refuse = False
    assert await deliver_due(world.services, world.mail) == 0  # the backoff is not over yet
    later = world.services.clock() + timedelta(minutes=5)
    world.services.clock = lambda: later
    assert await deliver_due(world.services, world.mail) == 1
    assert len(world.sink.messages) == 1


async def test_per_sender_cap_stops_answers_but_keeps_the_mail(world: MailWorld) -> None:
    cap = world.mail.inbound.mail_replies_per_sender_per_hour
    for index in range(cap + 2):
        await world.append(
            mail(subject="Parole", body=f"Labdien, parole? {index}", message_id=f"<c{index}@x>")
        )
    await run_mailbox(world.services, world.mail, once=True)
    outcomes = list((await _outcomes(world)).values())
    assert outcomes.count("answered") == cap and outcomes.count("skipped:rate-limit") == 2
    assert await world.count("Processed") == cap + 2


@pytest.mark.usefixtures("restore_logging")
def test_once_against_a_dead_server_fails_with_one_line(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "helpdesk.db")  # a migrated database: the IMAP server fails
    for name, value in {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'helpdesk.db'}",
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": str(free_port()),
        "IMAP_USER": "nobody@klientiem.test",
        "IMAP_PASSWORD": "secret",
        "IMAP_SECURITY": "none",
        "SMTP_HOST": "127.0.0.1",
        "SECRET_KEY": "mailbox-test-key-Hs5dK8pL2xWq9NbR4tZv7CmJ",
        "TRUSTED_AUTHSERV_ID": "mx.klientiem.test",  # else the start-up warning is a line of its own
    }.items():
        monkeypatch.setenv(f"HELPDESK_{name}", value)
    assert main(["mailbox", "--once"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("helpdesk: the IMAP server at 127.0.0.1:") and "\n" not in error
    assert "secret" not in error and "Traceback" not in error


async def test_a_refused_move_never_blocks_new_mail_nor_answers_twice(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_folders(self: imap_client.ImapConnection, folder: str) -> None:
        return None

    monkeypatch.setattr(imap_client.ImapConnection, "ensure_folder", no_folders)
    world.mail.inbound.imap_processed_folder = "Archive"  # does not exist: MOVE answers NO
    await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<m1@x>"))
    await run_mailbox(world.services, world.mail, once=True)
    await world.append(mail(subject="Parole", body="Sveiki, parole?", message_id="<m2@x>"))
    await run_mailbox(world.services, world.mail, once=True)
    assert await _outcomes(world) == {1: "answered", 2: "answered"}
    assert await world.count("INBOX") == 2

    await world.client.create("Archive")
    await run_mailbox(world.services, world.mail, once=True)
    assert await world.count("INBOX") == 0 and await world.count("Archive") == 2
    assert await _outbox_rows(world) == 2


async def test_a_server_that_takes_logins_but_every_round_fails_keeps_backing_off(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Backoff resets only after a whole round worked, not merely after a login."""
    attempts: list[int] = []

    class Recording(Backoff):
        def next_delay(self) -> float:
            attempts.append(self.attempts)
            super().next_delay()
            if len(attempts) == 5:
                raise Crash
            return 0.0

    async def outage(*args: object, **kwargs: object) -> int:
        raise processing.StorageUnavailable("OperationalError")

    monkeypatch.setattr(poller, "Backoff", Recording)
    monkeypatch.setattr(poller, "process_available", outage)
    with pytest.raises(Crash):
        await asyncio.wait_for(run_mailbox(world.services, world.mail, once=False), 30)
    assert attempts == [0, 1, 2, 3, 4]
