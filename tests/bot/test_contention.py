"""Many updates at once, and a SQLite database locked by someone else.

The throughput benchmark once hung: under 64 updates at a time a SQLite writer starved in
``busy_timeout`` and got ``database is locked`` on ``INSERT INTO conversations``; the resident got an
apology, the apology's own record failed the same way, and the invoice never came. These tests hold
the bot to the rule: every update gets its answer, or a polite error that says what happened, and
nothing waits forever.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpdesk.app import build_services
from helpdesk.bot.factory import build_bot, build_dispatcher
from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage import engine as engine_module
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.conversations import Message
from helpdesk.storage.repositories import links, residents
from tests.bot.conftest import NOW, bot_settings, fake_matcher, seed
from tests.bot.fake_api import FakeTelegram, callback, message

APOLOGY_LV = "Atvainojiet"  # how every error text of the bot and the handlers begins in Latvian
BURST_USERS = 30
BURST_UPDATES = 150


async def _link_many(services: Services, count: int) -> None:
    async with services.sessions() as session, session.begin():
        for n in range(count):
            await residents.upsert(session, resident_id=f"R-B{n}", name="Jānis Bērziņš", address="Iela 1-5")
            await links.bind(
                session,
                resident_id=f"R-B{n}",
                telegram_user_id=5000 + n,
                chat_id=5000 + n,
                language="lv",
                now=NOW,
            )


async def test_a_burst_of_updates_gets_every_answer(
    services: Services, settings: Settings, fake_api: FakeTelegram
) -> None:
    """150 updates from 30 people, 64 handled at a time: FAQ, /news, one-tap withdrawal, /invoice for
    the resident with invoices. Every update is answered, none with an apology, all recorded."""
    await _link_many(services, BURST_USERS)
    invoices = 0
    for i in range(BURST_UPDATES):
        kind = i % 5
        if kind == 0:
            fake_api.push_update(message(111, "/invoice"))  # R-1, seeded with invoices
            invoices += 1
        elif kind == 1:
            fake_api.push_update(message(5000 + i % BURST_USERS, "kā pieslēgties"))
        elif kind == 2:
            fake_api.push_update(callback(5000 + i % BURST_USERS, "a:cw:::"))
        elif kind == 3:
            fake_api.push_update(message(5000 + i % BURST_USERS, "/news"))
        else:
            fake_api.push_update(message(5000 + i % BURST_USERS, "man ir cits jautājums"))
    bot = build_bot(settings.telegram)
    dispatcher = build_dispatcher(services)
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, handle_signals=False, close_bot_session=False, polling_timeout=1, tasks_concurrency_limit=64
        )
    )
    try:
        await fake_api.wait_for(
            lambda: (
                len(fake_api.of("sendMessage")) >= BURST_UPDATES - invoices
                and len(fake_api.of("sendDocument")) >= invoices
            ),
            timeout=90,
        )
    finally:
        await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 10)
        await bot.session.close()
    # An invoice reply is one message: the PDF captioned with the reply, with its buttons.
    documents = fake_api.of("sendDocument")
    assert len(documents) == invoices and all(call.chat_id == 111 for call in documents)
    texts = [call.text for call in fake_api.of("sendMessage") + documents]
    assert len(texts) == BURST_UPDATES
    assert not [text for text in texts if text.startswith(APOLOGY_LV)]
    async with services.sessions() as session:
        recorded = await session.scalar(select(func.count()).select_from(Message))
    assert recorded == 2 * BURST_UPDATES  # the resident's side and the reply, for every update


@contextmanager
def write_lock_held(path: Path, seconds: float) -> Iterator[threading.Event]:
    """Another process's writer: a plain sqlite3 connection holding the write lock for ``seconds``
    or until the block ends, whichever is first. Yields an event set once the lock is let go."""
    taken, release, released = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            taken.set()
            release.wait(seconds)
            connection.execute("ROLLBACK")
            released.set()
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert taken.wait(5)
        yield released
    finally:
        release.set()
        thread.join()


def _sqlite_path(services: Services) -> Path:
    database = services.engine.url.database
    assert database is not None
    return Path(database)


def _invoice_inquiry() -> Inquiry:
    return Inquiry(
        channel=Channel.TELEGRAM,
        sender="111",
        reply_to="111",
        resident_id="R-1",
        action=Action.INVOICE,
        args={"chat_type": "private"},
        message_id="tg:111:1",
    )


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_writer_waits_for_another_process_then_answers(services: Services) -> None:
    with write_lock_held(_sqlite_path(services), 1.0):
        started = time.monotonic()
        reply = await handle(_invoice_inquiry(), services)
    assert time.monotonic() - started >= 0.5  # it waited for the lock, and was not refused
    assert reply.kind is ReplyKind.ANSWER and reply.documents


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_lock_held_too_long_gives_an_honest_error_and_no_hang(
    database_url: str, tmp_path: Path, fake_api: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_SECONDS", 0.3)
    services = build_services(bot_settings(database_url, tmp_path, fake_api), matcher=fake_matcher())
    services.clock = lambda: NOW
    try:
        await seed(services)
        await services.engine.dispose()  # new connections take the short busy_timeout
        # The other writer holds the lock for an hour: a reply while it still holds it is the
        # honest error after busy_timeout, not a wait for the lock (which would time the test out).
        with write_lock_held(_sqlite_path(services), 3600.0) as released:
            reply = await handle(_invoice_inquiry(), services)
            assert not released.is_set()
        assert reply.kind is ReplyKind.ERROR and reply.request_id is None and not reply.documents
        assert "neizdevās saglabāt" in reply.text  # "could not be saved": not the "it is saved" text
        async with services.sessions() as session:
            assert (
                await session.scalar(select(func.count()).select_from(Message)) == 0
            )  # nothing half-written
    finally:
        await services.aclose()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_writers_of_one_process_take_turns_at_begin_immediate(services: Services) -> None:
    """The write lock is taken when the unit of work begins (not at its first INSERT), and a second
    writer of the same process waits its turn instead of polling the database."""
    order: list[str] = []
    first_in = asyncio.Event()

    async def first() -> None:
        async with services.sessions() as session, write_transaction(session):
            first_in.set()
            probe = sqlite3.connect(_sqlite_path(services), timeout=0, isolation_level=None)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    probe.execute("BEGIN IMMEDIATE")  # held already, before any write
            finally:
                probe.close()
            await asyncio.sleep(0.2)
            order.append("first")

    async def second() -> None:
        await first_in.wait()
        async with services.sessions() as session, write_transaction(session):
            order.append("second")

    await asyncio.wait_for(asyncio.gather(first(), second()), 10)
    assert order == ["first", "second"]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_nested_write_transaction_fails_at_once(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With an hour's busy_timeout, a nested writer that waited for the outer one's lock would time
    # the test out; failing at once is the RuntimeError, raised before any waiting.
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_SECONDS", 3600.0)
    await services.engine.dispose()  # new connections take the long busy_timeout
    async with services.sessions() as outer, write_transaction(outer):
        with pytest.raises(RuntimeError, match="nested"):
            async with services.sessions() as inner, write_transaction(inner):
                pass
