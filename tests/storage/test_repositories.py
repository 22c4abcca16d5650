"""Repositories on SQLite and PostgreSQL: upserts, single-use tokens, append-only ledgers, leases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import argon2
import pytest
from argon2.profiles import CHEAPEST
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.core.passwords import PRODUCTION_COST, decoy_hash, verify_password
from helpdesk.core.secrets import personal_code_hmac, sha256_hex
from helpdesk.storage.models import AuditEvent, ConsentEvent, RequestKind
from helpdesk.storage.repositories import (
    agents,
    audit,
    consent,
    conversations,
    invoices,
    links,
    requests,
    residents,
    retention,
)
from tests.records import add_placeholder_invoice

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
Sessions = async_sessionmaker[AsyncSession]


async def _resident(sessions: Sessions, resident_id: str = "R-1", email: str = "janis@example.lv") -> None:
    async with sessions() as session, session.begin():
        await residents.upsert(
            session,
            resident_id=resident_id,
            name="Jānis Bērziņš",
            address="Brīvības iela 1-5",
            invoice_email=email,
        )


async def test_resident_upsert_and_lookup_by_email(session_factory: Sessions) -> None:
    async with session_factory() as session, session.begin():
        assert await residents.upsert(
            session,
            resident_id="R-1",
            name="Jānis",
            invoice_email=" Janis@Example.LV ",
            personal_code_hmac=personal_code_hmac(b"k", "010180-12345"),
        )
        assert not await residents.upsert(
            session, resident_id="R-1", name="Jānis Bērziņš", invoice_email="janis@example.lv"
        )
    async with session_factory() as session:
        found = (await residents.by_emails(session, ["JANIS@example.lv"]))["janis@example.lv"]
        assert [r.id for r in found] == ["R-1"]
        assert found[0].name == "Jānis Bērziņš"
        assert found[0].personal_code_hmac == personal_code_hmac(b"k", "01018012345")  # kept on update
        assert await residents.by_emails(session, [""]) == {}


def test_personal_code_hmac_is_keyed() -> None:
    assert personal_code_hmac(b"a", "010180-12345") != personal_code_hmac(b"b", "010180-12345")
    assert "12345" not in personal_code_hmac(b"a", "010180-12345")
    with pytest.raises(ValueError):
        personal_code_hmac(b"a", "12345")


async def test_link_token_is_hashed_and_consumed_once(session_factory: Sessions) -> None:
    await _resident(session_factory)
    async with session_factory() as session, session.begin():
        token, row = await links.mint(session, resident_id="R-1", ttl_minutes=30, now=NOW)
        assert row.token_hash == sha256_hex(token) and token not in row.token_hash
    async with session_factory() as session, session.begin():
        assert await links.consume_hash(session, sha256_hex(token), used_by="telegram:1", now=NOW) == "R-1"
    async with session_factory() as session, session.begin():
        assert await links.consume_hash(session, sha256_hex(token), used_by="telegram:2", now=NOW) is None


async def test_expired_token_cannot_be_consumed(session_factory: Sessions) -> None:
    await _resident(session_factory)
    async with session_factory() as session, session.begin():
        token, _row = await links.mint(session, resident_id="R-1", ttl_minutes=30, now=NOW)
    async with session_factory() as session, session.begin():
        expired = NOW + timedelta(minutes=30)
        assert await links.consume_hash(session, sha256_hex(token), used_by="x", now=expired) is None
        gone = await retention.delete_expired_link_tokens(
            session, expired_before=NOW + timedelta(minutes=31), limit=100
        )
        assert gone == 1


async def test_concurrent_consumption_succeeds_once(session_factory: Sessions) -> None:
    await _resident(session_factory)
    async with session_factory() as session, session.begin():
        token, _row = await links.mint(session, resident_id="R-1", ttl_minutes=30, now=NOW)

    async def attempt(n: int) -> str | None:
        async with session_factory() as session, session.begin():
            return await links.consume_hash(session, sha256_hex(token), used_by=f"telegram:{n}", now=NOW)

    results = await asyncio.gather(*(attempt(n) for n in range(5)))
    assert results.count("R-1") == 1


async def test_bind_replaces_earlier_link_of_same_user(session_factory: Sessions) -> None:
    await _resident(session_factory)
    await _resident(session_factory, "R-2", "anna@example.lv")
    async with session_factory() as session, session.begin():
        await links.bind(session, resident_id="R-1", telegram_user_id=7, chat_id=7, language="lv", now=NOW)
        await links.bind(session, resident_id="R-2", telegram_user_id=7, chat_id=7, language="lv", now=NOW)
    async with session_factory() as session:
        link = await links.for_user(session, 7)
        assert link is not None and link.resident_id == "R-2"
        assert await links.links_of(session, "R-1") == []


async def test_invoices_are_scoped_to_their_resident(session_factory: Sessions) -> None:
    await _resident(session_factory)
    await _resident(session_factory, "R-2", "anna@example.lv")
    async with session_factory() as session, session.begin():
        for invoice_id, resident_id, period in (
            ("A", "R-1", "2026-09"),
            ("B", "R-1", "2026-10"),
            ("C", "R-2", "2026-11"),
        ):
            await add_placeholder_invoice(session, invoice_id, resident_id, period)
    async with session_factory() as session:
        [latest] = await invoices.recent_for(await session.connection(), "R-1", limit=1)
        assert latest.id == "B"
        assert await invoices.get_for_resident(session, "R-1", "C") is None
        assert await invoices.for_period(session, "R-1", "2026-11") is None
        assert [i.id for i in await invoices.list_for(session, "R-1")] == ["B", "A"]


async def test_consent_ledger_is_append_only(session_factory: Sessions) -> None:
    await _resident(session_factory)
    async with session_factory() as session, session.begin():
        for granted in (True, False):
            await consent.record(
                session,
                resident_id="R-1",
                granted=granted,
                email="janis@example.lv",
                channel="telegram",
                evidence="tg:1",
                text_version="news-2026-11-lv",
                now=NOW,
            )
    async with session_factory() as session:
        row = (await consent.history(session, "R-1"))[-1]  # the newest row is the state
        assert row.granted is False
        assert [r.resident_id for r in await consent.current_all(session)] == ["R-1"]
    with pytest.raises(DBAPIError):
        async with session_factory() as session, session.begin():
            await session.execute(update(ConsentEvent).values(granted=True))
    with pytest.raises(DBAPIError):
        async with session_factory() as session, session.begin():
            await audit.record(session, actor="system", action="x")
            await session.execute(update(AuditEvent).values(action="y"))


async def test_withdrawal_keeps_the_address_it_ends_and_is_audited(session_factory: Sessions) -> None:
    await _resident(session_factory)
    await _resident(session_factory, "R-2", "anna@example.lv")
    later = NOW + timedelta(minutes=5)
    async with session_factory() as session, session.begin():
        connection = await session.connection()
        assert await consent.state(connection, "R-1") is None
        await consent.record_withdrawal(  # never asked: a "no" row without an address
            connection, resident_id="R-2", channel="telegram", evidence="tg:0", text_version="v", now=NOW
        )
        for email in ("old@example.lv", "janis@example.lv"):
            await consent.record(
                session,
                resident_id="R-1",
                granted=True,
                email=email,
                channel="email",
                evidence="mail:1",
                text_version="news-2026-11-lv",
                now=NOW,
            )
        assert await consent.state(connection, "R-1") == consent.ConsentState(True, "janis@example.lv", NOW)
        await consent.record_withdrawal(
            connection,
            resident_id="R-1",
            channel="telegram",
            evidence="tg:" + "9" * 400,
            text_version="news-2026-11-lv",
            now=later,
        )
        await audit.append(connection, actor="resident:R-1", action="consent.withdrawn", now=later)
    async with session_factory() as session:
        newest = (await consent.history(session, "R-1"))[-1]
        assert (newest.granted, newest.email, newest.channel, newest.actor) == (
            False,
            "janis@example.lv",
            "telegram",
            "resident",
        )
        assert (len(newest.evidence), newest.created_at) == (300, later)
        state = await consent.state(await session.connection(), "R-1")
        assert state == consent.ConsentState(False, "janis@example.lv", later)
        other = (await consent.history(session, "R-2"))[-1]
        assert (other.granted, other.email) == (False, None)
        (event,) = await audit.search(session, limit=1)
        assert (event.actor, event.action, event.detail, event.created_at) == (
            "resident:R-1",
            "consent.withdrawn",
            {},
            later,
        )


async def test_recent_invoices_are_newest_first(session_factory: Sessions) -> None:
    await _resident(session_factory)
    async with session_factory() as session, session.begin():
        for invoice_id, period in (("A", "2026-09"), ("B", "2026-10"), ("C", "2026-08")):
            await add_placeholder_invoice(session, invoice_id, "R-1", period, "1.50")
    async with session_factory() as session:
        connection = await session.connection()
        recent = await invoices.recent_for(connection, "R-1", limit=2)
        assert [(row.id, row.period, row.amount) for row in recent] == [
            ("B", "2026-10", Decimal("1.50")),
            ("A", "2026-09", Decimal("1.50")),
        ]
        latest = await invoices.get_for_resident(session, "R-1", "B")
        assert latest is not None and invoices.InvoiceFile.of(latest) == recent[0]
        assert await invoices.recent_for(connection, "R-2", limit=24) == []


async def test_confirmation_code_single_use_and_attempt_limit(session_factory: Sessions) -> None:
    await _resident(session_factory)
    async with session_factory() as session, session.begin():
        await consent.create_code(
            session,
            resident_id="R-1",
            email="new@example.lv",
            code_hash=sha256_hex("R-1:123456"),
            channel="telegram",
            text_version="v",
            now=NOW,
            expires_at=NOW + timedelta(hours=1),
        )
        assert await consent.has_open_code(session, resident_id="R-1", now=NOW)
    async with session_factory() as session, session.begin():
        for _ in range(consent.MAX_CODE_ATTEMPTS):
            assert (
                await consent.redeem_code(
                    session, resident_id="R-1", code_hash=sha256_hex("R-1:000000"), now=NOW
                )
                is None
            )
        # the right code is dead after too many wrong guesses
        assert (
            await consent.redeem_code(session, resident_id="R-1", code_hash=sha256_hex("R-1:123456"), now=NOW)
            is None
        )
        assert not await consent.has_open_code(session, resident_id="R-1", now=NOW)


async def test_conversation_messages_are_redacted(session_factory: Sessions) -> None:
    async with session_factory() as session, session.begin():
        conversation = await conversations.open_for(
            session, channel="email", contact="x@example.lv", resident_id=None, language="lv", now=NOW
        )
        await conversations.add_message(
            session, conversation, direction="in", author="resident", text="kods 32123456789", now=NOW
        )
        again = await conversations.open_for(
            session,
            channel="email",
            contact="x@example.lv",
            resident_id=None,
            language="lv",
            now=NOW + timedelta(hours=1),
        )
        assert again.id == conversation.id
    async with session_factory() as session, session.begin():
        (message,) = await conversations.messages(session, conversation.id)
        assert message.text == "kods [personal-code]"
        cutoff = NOW + timedelta(days=1)
        silent, _since = await retention.silent_conversations(session, cutoff=cutoff, limit=10)
        assert silent == [conversation.id]
        assert await retention.delete_messages_of(session, silent, limit=100) == 1
        assert await retention.delete_conversations(session, silent, cutoff=cutoff) == 1
    async with session_factory() as session:
        assert await conversations.messages(session, conversation.id) == []


async def test_dispatcher_conversation_continues_within_the_gap_and_stores_both_messages(
    session_factory: Sessions,
) -> None:
    await _resident(session_factory)
    async with session_factory() as session, session.begin():
        connection = await session.connection()
        first = await conversations.continue_or_start(
            connection, channel="telegram", contact="111", resident_id=None, language="lv", now=NOW
        )
        assert first.resident_id is None
        later = NOW + timedelta(hours=1)
        again = await conversations.continue_or_start(
            connection, channel="telegram", contact="111", resident_id="R-1", language="ru", now=later
        )
        assert again.id == first.id and again.resident_id == "R-1"
        assert again.resident == residents.KnownResident("R-1", "janis@example.lv", None)
        # an unverified inquiry, or one naming nobody, does not change the conversation's resident
        for claimed in (None, "R-404"):
            unknown = await conversations.continue_or_start(
                connection, channel="telegram", contact="111", resident_id=claimed, language="ru", now=later
            )
            assert (unknown.id, unknown.resident_id, unknown.resident) == (first.id, "R-1", None)
        await conversations.record_exchange(
            connection,
            again,
            inbound="kods 32123456789",
            inbound_intent="x" * 100,
            external_id="tg:1",
            outbound="Labdien",
            outbound_intent="faq:login",
            now=later,
        )
        other = await conversations.continue_or_start(
            connection, channel="email", contact="111", resident_id=None, language="lv", now=later
        )
        assert other.id != first.id  # another channel, another conversation
    async with session_factory() as session:
        stored = await conversations.get(session, first.id)
        assert stored is not None
        assert (stored.language, stored.resident_id, stored.last_message_at) == ("ru", "R-1", later)
        inbound, outbound = await conversations.messages(session, first.id)
        assert (inbound.direction, inbound.author, inbound.text) == ("in", "resident", "kods [personal-code]")
        assert (inbound.intent, inbound.external_id, inbound.created_at) == ("x" * 64, "tg:1", later)
        assert (outbound.direction, outbound.author, outbound.text) == ("out", "bot", "Labdien")
        assert (outbound.intent, outbound.external_id) == ("faq:login", None)
    async with session_factory() as session, session.begin():
        after_gap = NOW + timedelta(hours=1) + conversations.CONVERSATION_GAP
        fresh = await conversations.continue_or_start(
            await session.connection(),
            channel="telegram",
            contact="111",
            resident_id=None,
            language="lv",
            now=after_gap,
        )
        assert (fresh.id != first.id, fresh.resident_id, fresh.resident) == (True, None, None)
        stale = await conversations.continue_or_start(  # a new conversation for a deleted resident
            await session.connection(),
            channel="email",
            contact="gone@example.lv",
            resident_id="R-404",
            language="lv",
            now=after_gap,
        )
        assert (stale.resident_id, stale.resident) == (None, None)
        named = await conversations.continue_or_start(
            await session.connection(),
            channel="email",
            contact="janis@example.lv",
            resident_id="R-1",
            language="lv",
            now=after_gap,
        )
        assert (named.resident_id, named.resident) == (
            "R-1",
            residents.KnownResident("R-1", "janis@example.lv", None),
        )
        await conversations.record_exchange(
            await session.connection(),
            fresh,
            inbound="[link.confirm]",
            inbound_intent="link.confirm",
            external_id=None,
            outbound="Linked",
            outbound_intent="link.confirm",
            now=after_gap,
            resident_id="R-1",  # the reply just linked this chat
        )
    async with session_factory() as session:
        stored = await conversations.get(session, fresh.id)
        assert stored is not None and stored.resident_id == "R-1" and stored.started_at == after_gap


async def test_known_resident_is_none_for_an_unknown_id(session_factory: Sessions) -> None:
    await _resident(session_factory)
    async with session_factory() as session:
        connection = await session.connection()
        assert await residents.known(connection, "R-1") == residents.KnownResident(
            id="R-1", invoice_email="janis@example.lv", news_email=None
        )
        assert await residents.known(connection, "R-404") is None


async def test_request_claim_is_exclusive(session_factory: Sessions) -> None:
    async with session_factory() as session, session.begin():
        first = await agents.add(session, username="a1", password="correct horse 1", cost=CHEAPEST)
        second = await agents.add(session, username="a2", password="correct horse 2", cost=CHEAPEST)
        item = await requests.create(
            session,
            kind=RequestKind.ACCESS,
            channel="email",
            contact="x@example.lv",
            received_at=NOW,
            deadline_at=NOW + timedelta(days=30),
            summary="IBAN LV80BANK0000435195001",
        )
        assert item.summary == "IBAN [iban]"
    lease = timedelta(minutes=30)
    async with session_factory() as session, session.begin():
        assert await requests.claim(session, request_id=item.id, agent_id=first.id, now=NOW, lease=lease)
        assert not await requests.claim(session, request_id=item.id, agent_id=second.id, now=NOW, lease=lease)
        assert await requests.claim(
            session, request_id=item.id, agent_id=second.id, now=NOW + lease, lease=lease
        )
        assert await requests.close(session, request_id=item.id, outcome="answered", now=NOW)
        assert not await requests.close(session, request_id=item.id, outcome="answered", now=NOW)
    async with session_factory() as session:
        assert await requests.list_items(session, statuses=["open", "claimed"]) == []
        assert len(await requests.list_items(session)) == 1


async def test_agent_passwords_are_argon2_at_the_production_cost(session_factory: Sessions) -> None:
    """The one test that hashes at the production cost (the others pass argon2's cheapest profile):
    RFC 9106's low-memory profile, 64 MiB, 3 passes, 4 lanes; and the decoy that unknown user names
    are checked against costs the same, so they take as long to refuse."""
    async with session_factory() as session, session.begin():
        agent = await agents.add(session, username="demo", password="a long password")
        with pytest.raises(ValueError):
            await agents.add(session, username="short", password="short")
    production = argon2.extract_parameters(agent.password_hash)
    assert agent.password_hash.startswith("$argon2id$")
    assert (production.memory_cost, production.time_cost, production.parallelism) == (65536, 3, 4)
    assert production == PRODUCTION_COST == argon2.profiles.RFC_9106_LOW_MEMORY
    assert argon2.extract_parameters(decoy_hash()) == production
    assert verify_password(agent.password_hash, "a long password")
    assert not verify_password(agent.password_hash, "wrong password!")
    assert not verify_password("not a hash", "a long password")


async def test_audit_rate_count(session_factory: Sessions) -> None:
    async with session_factory() as session, session.begin():
        for minutes in (0, 30, 90):
            await audit.record(
                session, actor="telegram:1", action="link.failed", now=NOW - timedelta(minutes=minutes)
            )
        assert (
            await audit.count_since(
                session, actor="telegram:1", action="link.failed", since=NOW - timedelta(hours=1)
            )
            == 2
        )
