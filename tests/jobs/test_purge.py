"""The retention purge on both backends: what goes, what legal hold keeps, audit counts, dry run,
batches; and the expiry of link tokens and confirmation codes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from helpdesk.jobs.expiry import expire_tokens
from helpdesk.jobs.purge import purge
from helpdesk.services import Services
from helpdesk.settings import JobsSettings
from helpdesk.storage.models import (
    AuditEvent,
    ConfirmationCode,
    Conversation,
    LinkToken,
    Message,
    OutboxMessage,
    RequestExport,
    RequestKind,
    RequestNote,
    SupportRequest,
)
from helpdesk.storage.repositories import (
    audit,
    consent,
    conversations,
    exports,
    links,
    notes,
    outbox,
    requests,
    residents,
)
from tests.ops.conftest import NOW

DAY = timedelta(days=1)


async def _conversation(services: Services, contact: str, resident: str | None, at: datetime, n: int) -> int:
    async with services.sessions.begin() as session:
        conversation = await conversations.open_for(
            session, channel="telegram", contact=contact, resident_id=resident, language="lv", now=at
        )
        for i in range(n):
            await conversations.add_message(
                session,
                conversation,
                direction="in",
                author="resident",
                text=f"ziņa {i}",
                now=at - (n - i) * timedelta(minutes=1),
            )
        return conversation.id


async def _request(
    services: Services,
    *,
    kind: RequestKind,
    resident: str | None,
    conversation: int | None,
    closed_at: datetime | None = None,
) -> int:
    async with services.sessions.begin() as session:
        item = await requests.create(
            session,
            kind=kind,
            channel="telegram",
            contact="1",
            resident_id=resident,
            conversation_id=conversation,
            received_at=NOW - 400 * DAY,
            deadline_at=NOW + 10 * DAY,
        )
        if closed_at is not None:
            await requests.close(session, request_id=item.id, outcome="answered", now=closed_at)
        return item.id


async def _seed(services: Services) -> dict[str, int]:
    async with services.sessions.begin() as session:
        for rid in ("R-1", "R-2", "R-3"):
            await residents.upsert(session, resident_id=rid, name=f"Vārds {rid}")
    ids = {
        "old": await _conversation(services, "101", "R-1", NOW - 100 * DAY, 3),
        "recent": await _conversation(services, "102", "R-1", NOW - 10 * DAY, 2),
        "held_by_question": await _conversation(services, "103", "R-3", NOW - 200 * DAY, 2),
        "held_by_access": await _conversation(services, "104", "R-2", NOW - 150 * DAY, 2),
        "after_closed_request": await _conversation(services, "105", "R-3", NOW - 120 * DAY, 4),
    }
    await _request(services, kind=RequestKind.QUESTION, resident="R-3", conversation=ids["held_by_question"])
    await _request(services, kind=RequestKind.ACCESS, resident="R-2", conversation=None)
    ids["recently_closed"] = await _request(
        services,
        kind=RequestKind.QUESTION,
        resident="R-3",
        conversation=ids["after_closed_request"],
        closed_at=NOW - 30 * DAY,
    )
    ids["long_closed"] = await _request(
        services, kind=RequestKind.CORRECTION, resident="R-1", conversation=None, closed_at=NOW - 1200 * DAY
    )
    async with services.sessions.begin() as session:
        for request_id in (ids["long_closed"], ids["recently_closed"]):
            await notes.add(session, request_id=request_id, author="agent:1", text="zvanīju", now=NOW)
            await exports.add(
                session,
                request_id=request_id,
                resident_id="R-1",
                created_by="agent:1",
                json_text="{}",
                html_text="<p></p>",
                now=NOW,
            )
    async with services.sessions.begin() as session:
        old_sent = await outbox.enqueue(
            session, channel="telegram", recipient="101", body_text="atbilde", request_id=ids["long_closed"]
        )
        await outbox.mark_sent(session, old_sent.id, NOW - 95 * DAY)
        new_sent = await outbox.enqueue(session, channel="telegram", recipient="102", body_text="atbilde")
        await outbox.mark_sent(session, new_sent.id, NOW - 5 * DAY)
        pending = await outbox.enqueue(
            session,
            channel="email",
            recipient="a@example.lv",
            body_text="gaida",
            request_id=ids["long_closed"],
        )
        ids["pending_outbox"] = pending.id
    return ids


async def _counts(services: Services) -> dict[str, int]:
    async with services.sessions() as session:
        result = {}
        for name, model in (
            ("conversations", Conversation),
            ("messages", Message),
            ("requests", SupportRequest),
            ("outbox", OutboxMessage),
            ("audit", AuditEvent),
        ):
            result[name] = int(await session.scalar(select(func.count()).select_from(model)) or 0)
        return result


async def test_dry_run_counts_and_changes_nothing(services: Services) -> None:
    await _seed(services)
    before = await _counts(services)
    report = await purge(services, JobsSettings(), dry_run=True)
    assert (report.messages, report.conversations, report.outbox_sent, report.closed_requests) == (7, 2, 1, 1)
    assert report.held_conversations == 2
    assert await _counts(services) == before


async def test_purge_keeps_legal_hold_and_audits_counts(services: Services) -> None:
    ids = await _seed(services)
    report = await purge(services, JobsSettings(), dry_run=False, batch_size=2, pause=0)
    assert (report.messages, report.conversations, report.outbox_sent, report.closed_requests) == (7, 2, 1, 1)
    # Batches of 2 messages, one conversation per transaction: 3 messages -> 2 transactions, 4 -> 2
    # (the second one empties the conversation and deletes it too); 1 outbox row; 1 request.
    assert report.batches == 2 + 2 + 1 + 1
    async with services.sessions() as session:
        left = set(await session.scalars(select(Conversation.id)))
        assert left == {ids["recent"], ids["held_by_question"], ids["held_by_access"]}
        assert await session.scalar(select(func.count()).select_from(Message)) == 2 + 2 + 2
        assert await requests.get(session, ids["long_closed"]) is None
        assert await requests.get(session, ids["recently_closed"]) is not None
        # The closed request's notes and its export (a full copy of the resident's data) went too.
        for model in (RequestNote, RequestExport):
            assert list(await session.scalars(select(model.request_id))) == [ids["recently_closed"]]
        pending = await session.get(OutboxMessage, ids["pending_outbox"])
        assert pending is not None and pending.request_id is None  # ON DELETE SET NULL
        events = [e for e in await audit.search(session) if e.action == "purge"]
    assert len(events) == 1
    assert events[0].actor == "system"
    assert events[0].detail == {
        "messages": 7,
        "conversations": 2,
        "outbox_sent": 1,
        "closed_requests": 1,
        "held_conversations": 2,
        "batches": 6,
        "retention_days": 90,
        "closed_request_retention_days": 1095,
    }
    again = await purge(services, JobsSettings(), dry_run=False)
    assert (again.messages, again.conversations, again.outbox_sent, again.closed_requests) == (0, 0, 0, 0)


async def test_hold_ends_when_the_request_closes(services: Services) -> None:
    ids = await _seed(services)
    async with services.sessions.begin() as session:
        open_items = await requests.list_items(session, statuses=["open"])
        for item in open_items:
            await requests.close(session, request_id=item.id, outcome="answered", now=NOW)
    report = await purge(services, JobsSettings(), dry_run=False)
    assert report.held_conversations == 0
    async with services.sessions() as session:
        assert set(await session.scalars(select(Conversation.id))) == {ids["recent"]}


async def test_expiry_of_tokens_and_codes(services: Services) -> None:
    async with services.sessions.begin() as session:
        await residents.upsert(session, resident_id="R-1", name="Jānis")
        _, long_expired = await links.mint(session, resident_id="R-1", ttl_minutes=30, now=NOW - 3 * DAY)
        _, just_expired = await links.mint(
            session, resident_id="R-1", ttl_minutes=30, now=NOW - timedelta(hours=2)
        )
        _, valid = await links.mint(session, resident_id="R-1", ttl_minutes=30, now=NOW)
        for n, created in enumerate((NOW - 3 * DAY, NOW - timedelta(hours=3), NOW)):
            await consent.create_code(
                session,
                resident_id="R-1",
                email="j@example.lv",
                code_hash=f"{n:064d}",
                channel="telegram",
                text_version="v1",
                now=created,
                expires_at=created + timedelta(hours=1),
            )
    report = await expire_tokens(services, JobsSettings(), batch_size=1)
    assert (report.link_tokens, report.confirmation_codes) == (1, 1)
    async with services.sessions() as session:
        assert set(await session.scalars(select(LinkToken.id))) == {just_expired.id, valid.id}
        assert set(await session.scalars(select(ConfirmationCode.code_hash))) == {f"{1:064d}", f"{2:064d}"}
    assert long_expired.id not in {just_expired.id, valid.id}
