"""A response that crashes aioimaplib's parser (#118) is noticed at once, not when the command's
timeout runs out, and the mail whose fetch does it is quarantined unread while the others are
answered. The crash is real: the proxy answers a FETCH of a poisoned UID with thousands of lines,
and aioimaplib's recursive parser raises RecursionError inside ``data_received``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpdesk.mailbox import imap_client
from helpdesk.mailbox.crash_guard import CrashGuard
from helpdesk.mailbox.imap_client import ImapConnection, MailboxGone, ParserCrash, Selected
from helpdesk.mailbox.poller import run_mailbox
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.models.requests import SupportRequest
from tests.mailbox.conftest import SENDERS, MailWorld, append_questions, imap_login, mail, mail_settings
from tests.mailbox.dovecot import Dovecot
from tests.mailbox.tcp_proxy import JUNK, SilentProxy

HOUR = 3600.0


def _no_loop_handler_records(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing reached asyncio's process-wide exception handler (it logs the exception's message)."""
    assert [r for r in caplog.records if r.name == "asyncio" and r.levelno >= logging.ERROR] == []


async def _connection(dovecot: Dovecot, tmp_path: Path, proxy: SilentProxy, user: str) -> ImapConnection:
    settings = mail_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
        tmp_path,
        imap_port=proxy.port,
        user=user,
        smtp_port=25,
    )
    # An hour per command: a crash noticed only when the timeout runs out would outlast the test's
    # own limit (pytest-timeout) and fail it, however busy the machine is.
    return ImapConnection(settings.mailbox, timeout=HOUR)


async def test_a_fetch_that_crashes_the_parser_fails_at_once(
    dovecot: Dovecot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    user = dovecot.add_user()
    client = await imap_login(dovecot.port, user)
    await client.append(mail(body="Labdien, mans personas kods ir 010101-12345"), mailbox="INBOX")
    await client.logout()
    proxy = SilentProxy(dovecot.port, poison={1})
    await proxy.start()
    imap = await _connection(dovecot, tmp_path, proxy, user)
    try:
        await imap.open()
        await imap.select("INBOX")
        with pytest.raises(MailboxGone, match=r"IMAP response unreadable \(RecursionError\)"):
            await imap.fetch([1])
        assert imap.lost.is_set() and imap.crash == ParserCrash("RecursionError", (1,), alone=True)
        with pytest.raises(MailboxGone, match="unreadable"):  # the connection is not used again
            await imap.noop()
    finally:
        await imap.close()
        await proxy.stop()
    _no_loop_handler_records(caplog)


async def test_an_unreadable_answer_to_login_fails_at_once_and_logs_no_password(
    dovecot: Dovecot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """aioimaplib's Abort names the pending command, ``LOGIN user "password"``: it must reach no log."""
    caplog.set_level(logging.DEBUG, logger="asyncio")
    user = dovecot.add_user()
    proxy = SilentProxy(dovecot.port, mangle_login=True)
    await proxy.start()
    imap = await _connection(dovecot, tmp_path, proxy, user)
    try:
        with pytest.raises(MailboxGone) as raised:
            await imap.open()
    finally:
        await imap.close()
        await proxy.stop()
    assert str(raised.value) == "IMAP response unreadable (Abort)"
    assert imap.crash == ParserCrash("Abort", (), alone=True)
    assert "secret" not in caplog.text and user not in caplog.text
    _no_loop_handler_records(caplog)


async def _assert_poisoned_mail_quarantined_and_others_answered(world: MailWorld, proxy: SilentProxy) -> None:
    assert await world.outcomes() == {
        1: "answered",
        2: "answered",
        3: "quarantined",
        4: "answered",
        5: "answered",
    }
    # Halved until the fetch of mail 3 alone crashed; never fetched after that.
    assert proxy.poisoned_fetches == [{1, 2, 3, 4, 5}, {1, 2, 3}, {3}]
    async with world.services.sessions() as session:
        [item] = (await session.scalars(select(SupportRequest).where(SupportRequest.kind == "mail"))).all()
        recipients = (await session.scalars(select(OutboxMessage.recipient))).all()
    assert item.details["uid"] == 3 and item.details["reason"] == "imap-unreadable:RecursionError"
    assert item.contact == "unknown"  # never read: nobody to tell
    assert sorted(recipients) == sorted(SENDERS[:2] + SENDERS[3:])
    assert await world.count("Quarantine") == 1 and await world.count("Processed") == 4
    assert await world.count("INBOX") == 0


async def test_the_mailbox_goes_on_past_a_mail_that_crashes_the_parser(
    world: MailWorld, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.WARNING)
    # Each crash is noticed at once, not when a command times out: with an hour per command, three
    # crashes waited out would take hours, and the loop below gives up after two minutes.
    monkeypatch.setattr(imap_client, "COMMAND_TIMEOUT_SECONDS", HOUR)
    await append_questions(world)
    proxy = SilentProxy(world.dovecot.port, poison={3})
    await proxy.start()
    world.mail.inbound.imap_port = proxy.port
    started = time.monotonic()
    task = asyncio.create_task(run_mailbox(world.services, world.mail, once=False))
    try:
        while len(await world.outcomes()) < 5 or await world.count("INBOX"):
            assert time.monotonic() - started < 120, f"stuck at {await world.outcomes()}"
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await proxy.stop()
    await _assert_poisoned_mail_quarantined_and_others_answered(world, proxy)
    warnings = [r.getMessage() for r in caplog.records if r.name == "helpdesk.mailbox.poller"]
    assert sum("IMAP response unreadable (RecursionError)" in line for line in warnings) == 3
    assert any("uid=3 crashes the IMAP parser (RecursionError)" in line for line in warnings)
    assert "parole" not in caplog.text.lower()  # no mail content in any log line
    _no_loop_handler_records(caplog)


async def test_a_crash_during_idle_is_a_lost_connection_noticed_at_once(
    world: MailWorld, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.WARNING)
    proxy = SilentProxy(world.dovecot.port)
    await proxy.start()
    world.mail.inbound.imap_port = proxy.port
    # An hour between polls and per command: a lost connection noticed by either would leave the
    # mail waiting far beyond the two minutes the loop below allows.
    world.mail.inbound.imap_poll_seconds = int(HOUR)
    monkeypatch.setattr(imap_client, "COMMAND_TIMEOUT_SECONDS", HOUR)
    task = asyncio.create_task(run_mailbox(world.services, world.mail, once=False))
    try:
        await asyncio.sleep(0.5)  # the first round found nothing: the poller IDLEs
        proxy.inject(JUNK)
        await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<after@x>"))
        started = time.monotonic()
        while await world.outcomes() != {1: "answered"}:
            assert time.monotonic() - started < 120, "the mail waited for the poll interval or a timeout"
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await proxy.stop()
    warnings = [r.getMessage() for r in caplog.records if r.name == "helpdesk.mailbox.poller"]
    assert any("IMAP response unreadable (RecursionError) during IDLE" in line for line in warnings)
    _no_loop_handler_records(caplog)


async def test_once_goes_on_past_a_mail_that_crashes_the_parser(world: MailWorld) -> None:
    await append_questions(world)
    proxy = SilentProxy(world.dovecot.port, poison={3})
    await proxy.start()
    world.mail.inbound.imap_port = proxy.port
    try:
        await asyncio.wait_for(run_mailbox(world.services, world.mail, once=True), 30)
    finally:
        await proxy.stop()
    await _assert_poisoned_mail_quarantined_and_others_answered(world, proxy)


async def test_a_crash_outside_a_fetch_is_a_lost_connection_and_quarantines_nothing(world: MailWorld) -> None:
    """Nothing to narrow down (no fetch was in flight): ``--once`` fails as for any lost connection."""
    proxy = SilentProxy(world.dovecot.port, mangle_login=True)
    await proxy.start()
    world.mail.inbound.imap_port = proxy.port
    try:
        with pytest.raises(MailboxGone, match=r"unreadable \(Abort\)"):
            await asyncio.wait_for(run_mailbox(world.services, world.mail, once=True), 10)
    finally:
        await proxy.stop()
    async with world.services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SupportRequest)) == 0


INBOX = Selected("INBOX", 7, 0)


def test_the_guard_halves_the_crashing_fetch_until_one_mail_is_left() -> None:
    guard = CrashGuard()
    uids = list(range(1, 11))
    assert guard.plan(INBOX, uids, 4) == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    assert not guard.careful
    assert guard.crashed(ParserCrash("RecursionError", (5, 6, 7, 8), alone=False))
    assert guard.careful
    # Mails 1-4 were handled before the crash; 5-8 come in halves, the rest as usual.
    assert guard.plan(INBOX, uids[4:], 4) == [[5, 6], [7, 8], [9, 10]]
    assert guard.crashed(ParserCrash("RecursionError", (7, 8), alone=True))
    assert guard.plan(INBOX, uids[6:], 4) == [[7], [8], [9, 10]]
    assert guard.crashed(ParserCrash("RecursionError", (8,), alone=True))
    assert guard.unreadable == {8: "RecursionError"}
    assert guard.plan(INBOX, uids[7:], 4) == [[8, 9, 10]]  # 8 is quarantined, not fetched
    assert not guard.careful  # 7 was handled: no suspect is left


def test_the_guard_quarantines_only_a_mail_whose_fetch_was_alone_on_the_connection() -> None:
    guard = CrashGuard()
    guard.plan(INBOX, [1, 2, 3], 100)
    assert guard.crashed(ParserCrash("RecursionError", (2,), alone=False))  # a MOVE was waiting too
    assert guard.unreadable == {} and guard.suspects == frozenset({2})
    assert guard.plan(INBOX, [2, 3], 100) == [[2], [3]]
    assert guard.crashed(ParserCrash("RecursionError", (2,), alone=True))
    assert guard.unreadable == {2: "RecursionError"}


def test_the_guard_ignores_crashes_outside_a_fetch_and_forgets_on_a_new_uidvalidity() -> None:
    guard = CrashGuard()
    guard.plan(INBOX, [1, 2, 3], 100)
    assert not guard.crashed(None)
    assert not guard.crashed(ParserCrash("Abort", (), alone=True))  # during SELECT, LOGIN, IDLE
    assert guard.crashed(ParserCrash("RecursionError", (1, 2, 3), alone=True))
    assert guard.plan(Selected("INBOX", 8, 0), [1, 2, 3], 100) == [[1, 2, 3]]
    assert not guard.careful
