"""Mails committed in batches, each in a savepoint: a crash or an outage inside a batch keeps none of
its uncommitted mails, a failing mail is undone alone (its handler's writes too) and quarantined in
the same transaction, and nothing is answered twice. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from helpdesk.mailbox import processing
from helpdesk.mailbox.outgoing import enqueue_email_reply
from helpdesk.mailbox.poller import run_mailbox
from helpdesk.mailbox.processing import StorageUnavailable
from helpdesk.storage.engine import create_engine
from helpdesk.storage.models.conversations import Conversation
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.models.requests import SupportRequest
from helpdesk.storage.repositories import mail as mail_repo
from helpdesk.storage.repositories import residents
from tests.mailbox.conftest import SENDERS, MailWorld, append_questions, mail


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing inside catches it."""


async def _outbox(world: MailWorld) -> dict[str, list[str]]:
    async with world.services.sessions() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row.recipient, []).append(row.body_text)
    return found


async def _count(world: MailWorld, model: Any, *where: Any) -> int:
    async with world.services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _fail_on_call(monkeypatch: pytest.MonkeyPatch, number: int, error: BaseException) -> None:
    """Make the ``number``-th exactly-once record raise ``error`` (once)."""
    real = mail_repo.record
    calls = 0

    async def record(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            raise error
        return await real(*args, **kwargs)

    monkeypatch.setattr(mail_repo, "record", record)


async def test_a_crash_inside_a_batch_keeps_the_committed_batches_and_answers_each_mail_once(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.mail.inbound.mail_concurrency = 1  # one line of batches, so the boundary is known
    monkeypatch.setattr(processing, "BATCH", 2)
    await append_questions(world)
    _fail_on_call(monkeypatch, 4, Crash())
    with pytest.raises(Crash):
        await run_mailbox(world.services, world.mail, once=True)
    monkeypatch.undo()

    # The first batch (mails 1-2) was committed; mail 3, handled in the crashed batch, was not.
    assert await world.outcomes() == {1: "answered", 2: "answered"}
    assert sorted(await _outbox(world)) == sorted(SENDERS[:2])
    assert await _count(world, Conversation, Conversation.contact == SENDERS[2]) == 0
    assert await world.count("INBOX") == 5

    await run_mailbox(world.services, world.mail, once=True)
    assert await world.outcomes() == {uid: "answered" for uid in range(1, 6)}
    outbox = await _outbox(world)
    assert sorted(outbox) == sorted(SENDERS) and all(len(bodies) == 1 for bodies in outbox.values())
    assert await world.count("INBOX") == 0 and await world.count("Processed") == 5


async def test_a_failing_mail_is_undone_alone_and_quarantined_in_the_same_batch(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = enqueue_email_reply
    failed: list[str] = []

    async def enqueue(session: Any, **kwargs: Any) -> Any:
        row = await real(session, **kwargs)  # written, then the step fails: the row must go too
        if kwargs["to"] == "ivan@example.lv" and not failed:
            failed.append(kwargs["to"])
            raise ValueError("a template bug")
        return row

    monkeypatch.setattr("helpdesk.mailbox.chain.base.enqueue_email_reply", enqueue)
    await append_questions(world)
    await run_mailbox(world.services, world.mail, once=True)

    assert failed == ["ivan@example.lv"]
    assert await world.outcomes() == {
        1: "answered",
        2: "quarantined",
        3: "answered",
        4: "answered",
        5: "answered",
    }
    # The handler's conversation for the failed mail ran in that mail's savepoint and was undone.
    assert await _count(world, Conversation, Conversation.contact == "ivan@example.lv") == 0
    assert await _count(world, Conversation, Conversation.contact == "janis@example.lv") == 1
    outbox = await _outbox(world)
    # The answer written before the failure is gone: ivan has only the "a person will look" notice.
    [notice] = outbox["ivan@example.lv"]
    assert "automātiski apstrādāt" in notice
    assert all(len(outbox[sender]) == 1 for sender in SENDERS)
    [item] = await _requests(world)
    assert item.contact == "ivan@example.lv" and item.details["reason"] == "ValueError"
    assert await world.count("Quarantine") == 1 and await world.count("Processed") == 4


async def _requests(world: MailWorld) -> list[SupportRequest]:
    async with world.services.sessions() as session:
        return list(
            (await session.scalars(select(SupportRequest).where(SupportRequest.kind == "mail"))).all()
        )


async def test_a_storage_outage_inside_a_batch_leaves_its_mails_new(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.mail.inbound.mail_concurrency = 1
    await append_questions(world)
    _fail_on_call(monkeypatch, 3, OperationalError("INSERT", {}, ConnectionResetError("gone")))
    with pytest.raises(StorageUnavailable):
        await run_mailbox(world.services, world.mail, once=True)
    monkeypatch.undo()

    # Not the mails' fault: nothing of the batch was kept, nothing quarantined, all still new.
    assert await world.outcomes() == {}
    assert await _outbox(world) == {} and await _requests(world) == []
    assert await _count(world, Conversation) == 0
    assert await world.count("INBOX") == 5

    await run_mailbox(world.services, world.mail, once=True)
    assert await world.outcomes() == {uid: "answered" for uid in range(1, 6)}
    assert all(len(bodies) == 1 for bodies in (await _outbox(world)).values())
    assert await world.count("Processed") == 5


async def test_a_deadlock_or_a_held_lock_is_tried_again_not_quarantined(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: a real deadlock with another transaction (40P01, which asyncpg reports as a plain
    DBAPIError). SQLite: another writer holds the lock past busy_timeout. Neither is the mail's
    fault: the batch is rolled back and tried again, nobody is told "a person will look at it"."""
    services = world.services
    world.mail.inbound.mail_concurrency = 1
    await run_mailbox(
        services, world.mail, once=True
    )  # the folder's state row exists: only the mails need a lock
    other = create_engine(services.storage.database_url)
    blocker = await other.connect()
    try:
        if services.storage.is_sqlite:
            await services.engine.dispose()  # new connections wait only briefly for the lock
            event.listen(services.engine.sync_engine, "connect", _short_busy_timeout)
            await blocker.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            await blocker.begin()
            await blocker.execute(text("UPDATE residents SET name = name WHERE id = 'R-4'"))
            _deadlock_on_first_record(monkeypatch, blocker)
        await append_questions(world)
        with pytest.raises(StorageUnavailable):
            await run_mailbox(services, world.mail, once=True)
    finally:
        await blocker.rollback()
        await blocker.close()
        await other.dispose()
    monkeypatch.undo()

    assert await world.outcomes() == {} and await _requests(world) == []
    assert await _outbox(world) == {} and await world.count("INBOX") == 5
    await run_mailbox(services, world.mail, once=True)
    assert await world.outcomes() == {uid: "answered" for uid in range(1, 6)}
    assert await _requests(world) == [] and await world.count("Processed") == 5


def _short_busy_timeout(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=300")
    cursor.close()


def _deadlock_on_first_record(monkeypatch: pytest.MonkeyPatch, blocker: AsyncConnection) -> None:
    """Our mail locks R-5 and then waits for R-4 (held by ``blocker``), which then waits for R-5."""
    real = mail_repo.record
    calls = 0

    async def record(session: AsyncSession, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            await session.execute(text("UPDATE residents SET name = name WHERE id = 'R-5'"))
            crossing = asyncio.create_task(_lock_later(blocker))
            try:
                # We wait first, so our deadlock check (deadlock_timeout, 1 s) fires first: we lose.
                await session.execute(text("UPDATE residents SET name = name WHERE id = 'R-4'"))
            finally:
                await crossing
        return await real(session, **kwargs)

    monkeypatch.setattr(mail_repo, "record", record)


async def _lock_later(blocker: AsyncConnection) -> None:
    await asyncio.sleep(0.2)
    await blocker.execute(text("UPDATE residents SET name = name WHERE id = 'R-5'"))


async def test_a_copy_later_in_the_same_batch_is_a_duplicate_and_gets_no_second_answer(
    world: MailWorld,
) -> None:
    """Seen Message-IDs are read once per batch: the batch's own kept mails count as seen too."""
    world.mail.inbound.mail_concurrency = 1
    for message_id in ("<twice@x>", "<other@x>", "<twice@x>"):
        await world.append(mail(subject="Parole", body="Labdien, parole?", message_id=message_id))
    await run_mailbox(world.services, world.mail, once=True)
    assert await world.outcomes() == {1: "answered", 2: "answered", 3: "skipped:duplicate"}
    assert len((await _outbox(world))["janis@example.lv"]) == 2
    assert await world.count("Processed") == 3


async def test_a_mail_undone_in_its_savepoint_does_not_make_its_copy_a_duplicate(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a kept record counts as seen: the failed first copy is quarantined (under its bytes'
    hash, as before batching), and the copy after it is answered."""
    world.mail.inbound.mail_concurrency = 1
    await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<again@x>"))
    await world.append(mail(subject="Parole", body="Labdien, parole? Vēlreiz.", message_id="<again@x>"))
    _fail_on_call(monkeypatch, 1, RuntimeError("a bug"))
    await run_mailbox(world.services, world.mail, once=True)
    assert await world.outcomes() == {1: "quarantined", 2: "answered"}


async def test_senders_of_a_batch_are_identified_with_one_lookup(world: MailWorld) -> None:
    async with world.services.sessions() as session:
        found = await residents.by_emails(
            session, ["JANIS@example.lv", "family@example.lv", "nobody@example.org", " "]
        )
    assert {address: [r.id for r in rows] for address, rows in found.items()} == {
        "janis@example.lv": ["R-1"],
        "family@example.lv": ["R-4", "R-5"],
    }


async def test_mails_the_handlers_queue_count_toward_the_cap_within_a_batch(world: MailWorld) -> None:
    """The cap is read once per batch and then counts every e-mail the batch inserts: here the
    consent code the handler queues and our reply make two, so the next mail is over a cap of 2."""
    world.mail.inbound.mail_concurrency = 1
    world.mail.inbound.mail_replies_per_sender_per_hour = 2
    await world.append(mail(subject="Jaunumi", body="Labdien, gribu saņemt jaunumus.", message_id="<n1@x>"))
    await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<n2@x>"))
    await run_mailbox(world.services, world.mail, once=True)
    assert await world.outcomes() == {1: "answered", 2: "skipped:rate-limit"}
    assert len((await _outbox(world))["janis@example.lv"]) == 2
