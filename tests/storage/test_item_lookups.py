"""What the item page looks up, on SQLite and PostgreSQL: the agents' resident search (any case,
with or without diacritics, every word), the messages that opened or joined an item, and the
migration that fills the search key of residents stored before it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.storage.migrate import upgrade
from helpdesk.storage.repositories import conversations, residents
from tests.migrations import database_before

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
Sessions = async_sessionmaker[AsyncSession]


async def _residents(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await residents.upsert(
            session,
            resident_id="R-1",
            name="Jānis Bērziņš",
            address="Brīvības iela 1-5, Rīga",
            invoice_email="janis@example.lv",
        )
        await residents.upsert(
            session, resident_id="R-2", name="ĒRIKA ŠMITE", address="Lāčplēša iela 7-2", invoice_email=None
        )
        await residents.upsert(
            session, resident_id="R-3", name="Ольга Смирнова", address="Rīgas iela 22-8, Daugavpils"
        )
        await residents.upsert(session, resident_id="R-4", name="Anna 100%_Ozola", address="")


async def _found(sessions: Sessions, query: str) -> list[str]:
    async with sessions() as session:
        return [row.id for row in await residents.search(session, query, limit=10)]


async def test_search_in_any_case_without_diacritics(session_factory: Sessions) -> None:
    await _residents(session_factory)
    assert await _found(session_factory, "berzins") == ["R-1"]
    assert await _found(session_factory, "BĒRZIŅŠ") == ["R-1"]
    assert await _found(session_factory, "erika smite") == ["R-2"]  # upper-case Ē, Š stored
    assert await _found(session_factory, "ольга") == ["R-3"]  # Cyrillic, lower-cased on SQLite too
    assert await _found(session_factory, "brivibas 1-5") == ["R-1"]  # every word, anywhere
    assert await _found(session_factory, "brivibas 7-2") == []
    assert await _found(session_factory, "JANIS@EXAMPLE.LV") == ["R-1"]
    assert await _found(session_factory, "iela") == ["R-1", "R-2", "R-3"]
    assert await _found(session_factory, "   ") == []
    # LIKE's own characters are searched for, not obeyed.
    assert await _found(session_factory, "100%_") == ["R-4"]
    assert await _found(session_factory, "%") == ["R-4"]
    async with session_factory() as session:
        assert [row.id for row in await residents.search(session, "iela", limit=2)] == ["R-1", "R-2"]


async def test_search_key_follows_the_record(session_factory: Sessions) -> None:
    await _residents(session_factory)
    async with session_factory() as session, session.begin():
        await residents.upsert(session, resident_id="R-1", name="Jānis Kalniņš", address="Brīvības iela 1-5")
        await residents.set_news_email(session, "R-2", "erika.zinas@example.lv")
    assert await _found(session_factory, "berzins") == []
    assert await _found(session_factory, "kalnins") == ["R-1"]
    assert await _found(session_factory, "erika.zinas") == ["R-2"]


async def test_messages_carry_the_item_they_opened_or_joined(session_factory: Sessions) -> None:
    async with session_factory() as session, session.begin():
        connection = await session.connection()
        first = await conversations.continue_or_start(
            connection, channel="telegram", contact="111", resident_id=None, language="lv", now=NOW
        )
        await conversations.record_exchange(
            connection,
            first,
            inbound="[menu]",
            inbound_intent="menu",
            external_id=None,
            outbound="Kā varu palīdzēt?",
            outbound_intent="menu",
            now=NOW,
        )
        await conversations.record_exchange(
            connection,
            first,
            inbound="Kāpēc rēķins tik liels?",
            inbound_intent="",
            external_id=None,
            outbound="Nodevu darbiniekam (#7).",
            outbound_intent="action:human",
            now=NOW,
            request_id=7,
        )
        stored = await conversations.get(session, first.id)
        assert stored is not None
        await conversations.add_message(
            session, stored, direction="out", author="agent:1", text="Atbilde", now=NOW, request_id=7
        )
    async with session_factory() as session:
        own = await conversations.messages_of_request(session, 7)
        assert [(m.direction, m.text) for m in own] == [
            ("in", "Kāpēc rēķins tik liels?"),
            ("out", "Nodevu darbiniekam (#7)."),
            ("out", "Atbilde"),
        ]
        assert len(await conversations.messages(session, first.id)) == 5
        assert await conversations.messages_of_request(session, 8) == []


def test_migration_fills_the_search_key_of_stored_residents(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = database_before(path, "0010")
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO residents (id, name, address, invoice_email, language, created_at, updated_at) "
            "VALUES ('R-9', 'Jānis Bērziņš', 'Brīvības iela 1-5', 'Janis@example.lv', 'lv', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
    upgrade(url, "0010")
    with sqlite3.connect(path) as db:
        (key,) = db.execute("SELECT search_key FROM residents WHERE id = 'R-9'").fetchone()
    assert key == "janis berzins\nbrivibas iela 1-5\njanis@example.lv\n"
