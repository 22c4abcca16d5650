"""The resident writes again on an item that waits for them: it goes back to the agents, with an
audit row, on every path that already reads the item, and on no other inquiry (both backends)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from helpdesk.core.types import Action, Channel, Inquiry
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models import Agent
from helpdesk.storage.models.requests import RESIDENT_REPLIED, IdentityState, RequestKind, SupportRequest
from helpdesk.storage.repositories import audit, requests
from tests.statements import statements

from .conftest import NOW, action, telegram

LEASE = timedelta(minutes=30)


async def _waiting(
    services: Services,
    *,
    kind: RequestKind = RequestKind.QUESTION,
    channel: str = "telegram",
    contact: str = "111",
    resident_id: str | None = "R-1",
    external_ref: str | None = None,
    park: bool = True,
) -> int:
    """An item an agent claimed (lease of 30 minutes from NOW) and, with ``park``, parked as waiting."""
    async with services.sessions() as db, db.begin():
        agent = Agent(username="anna", password_hash="x", role="agent")
        db.add(agent)
        await db.flush()
        item = await requests.create(
            db,
            kind=kind,
            channel=channel,
            contact=contact,
            received_at=NOW - timedelta(days=1),
            deadline_at=NOW + timedelta(days=20),
            resident_id=resident_id,
            identity=IdentityState.VERIFIED if resident_id else IdentityState.UNVERIFIED,
            external_ref=external_ref,
        )
        assert await requests.claim(db, request_id=item.id, agent_id=agent.id, now=NOW, lease=LEASE)
        if park:
            assert await requests.wait(db, request_id=item.id, agent_id=agent.id, now=NOW)
        return item.id


async def _waiting_by_mail(services: Services, kind: RequestKind) -> int:
    """A waiting item from an unidentified e-mail sender, filed from the mail <first@example.lv>."""
    return await _waiting(
        services,
        kind=kind,
        channel="email",
        contact="janis@example.lv",
        resident_id=None,
        external_ref="<first@example.lv>",
    )


async def _item(services: Services, item_id: int) -> SupportRequest:
    async with services.sessions() as db:
        item = await requests.get(db, item_id)
        assert item is not None
        return item


async def _replied_events(services: Services, item_id: int) -> list[Any]:
    async with services.sessions() as db:
        return [e for e in await audit.for_request(db, item_id) if e.action == RESIDENT_REPLIED]


def _mail(text: str, *, message_id: str, thread_key: str, sender: str = "janis@example.lv") -> Inquiry:
    return Inquiry(
        channel=Channel.EMAIL,
        sender=sender,
        reply_to=sender,
        text=text,
        language="lv",
        message_id=message_id,
        thread_key=thread_key,
        identity_unverified_reason="no trusted authentication result",
    )


async def test_a_message_joining_a_waiting_question_gives_it_back_to_its_agent(seeded: Services) -> None:
    item_id = await _waiting(seeded)
    assert (await _item(seeded, item_id)).status == "waiting"
    reply = await handle(telegram("Mans klienta numurs ir 4455"), seeded)
    assert reply.request_id == item_id and f"#{item_id}" in reply.text
    item = await _item(seeded, item_id)
    # Within the agent's lease: back to that agent.
    assert item.status == "claimed" and item.resident_replied_at == NOW and item.waiting_since is None
    (event_row,) = await _replied_events(seeded, item_id)
    assert event_row.actor == "resident:R-1" and event_row.created_at == NOW
    assert event_row.detail["status"] == "claimed" and event_row.detail["channel"] == "telegram"
    assert isinstance(event_row.detail["conversation_id"], int)
    assert item.conversation_id == event_row.detail["conversation_id"]  # it had none: now it has one
    # A second message joins as before and writes nothing more: the item no longer waits.
    await handle(telegram("Un vēl viena lieta"), seeded)
    assert len(await _replied_events(seeded, item_id)) == 1


async def test_after_the_lease_ran_out_the_answer_opens_the_item_for_anyone(seeded: Services) -> None:
    item_id = await _waiting(seeded)
    seeded.clock = lambda: NOW + timedelta(hours=5)
    await handle(telegram("Šeit ir tas, ko prasījāt"), seeded)
    item = await _item(seeded, item_id)
    assert item.status == "open" and item.resident_replied_at == NOW + timedelta(hours=5)
    (event_row,) = await _replied_events(seeded, item_id)
    assert event_row.detail["status"] == "open"


async def test_a_repeated_access_request_answers_the_waiting_one(seeded: Services) -> None:
    item_id = await _waiting(seeded, kind=RequestKind.ACCESS)
    reply = await handle(action(Action.ACCESS_REQUEST), seeded)
    assert reply.request_id == item_id
    assert f"Paldies, pievienoju šo ziņu Jūsu pieprasījumam #{item_id}" in reply.text
    assert (await _item(seeded, item_id)).status == "claimed"
    assert len(await _replied_events(seeded, item_id)) == 1
    # Asked again when nothing is awaited: the old answer, nothing written.
    reply = await handle(action(Action.ACCESS_REQUEST), seeded)
    assert "jau tiek izskatīts" in reply.text
    assert len(await _replied_events(seeded, item_id)) == 1


async def test_a_mail_in_the_thread_of_a_waiting_correction_request_joins_it(seeded: Services) -> None:
    item_id = await _waiting_by_mail(seeded, RequestKind.CORRECTION)
    reply = await handle(
        _mail("Pielikumā pases kopija.", message_id="<second@example.lv>", thread_key="<first@example.lv>"),
        seeded,
    )
    assert reply.request_id == item_id and f"#{item_id}" in reply.text
    item = await _item(seeded, item_id)
    assert item.status == "claimed"
    (event_row,) = await _replied_events(seeded, item_id)
    assert event_row.actor == "email:janis@example.lv" and event_row.detail["channel"] == "email"
    async with seeded.sessions() as db:
        questions = (await db.scalars(select(SupportRequest).where(SupportRequest.kind == "question"))).all()
    assert questions == []  # joined the request; no new question was filed


async def test_a_mail_outside_the_thread_or_from_someone_else_does_not_answer_it(seeded: Services) -> None:
    item_id = await _waiting_by_mail(seeded, RequestKind.ACCESS)
    # Someone else replying in the thread (a Message-ID is no secret) is not the resident.
    stranger = _mail(
        "Es arī gribu",
        message_id="<x@elsewhere.example>",
        thread_key="<first@example.lv>",
        sender="x@elsewhere.example",
    )
    reply = await handle(stranger, seeded)
    assert reply.request_id != item_id
    # A new mail (its own thread) from the resident is a question of its own.
    reply = await handle(
        _mail("Cits jautājums", message_id="<new@example.lv>", thread_key="<new@example.lv>"), seeded
    )
    assert reply.request_id not in (None, item_id)
    assert (await _item(seeded, item_id)).status == "waiting"
    assert await _replied_events(seeded, item_id) == []


def _on_requests(statements: list[str]) -> list[str]:
    return [s for s in statements if " requests" in s]


async def test_only_a_waiting_item_costs_statements(seeded: Services) -> None:
    """An answer from the knowledge base reads no queue item; joining a question that is not waiting
    costs the one look-up it always did; only a waiting one adds its UPDATE and audit INSERT."""
    with statements(seeded) as seen:
        await handle(telegram("kā pieslēgties"), seeded)
    assert _on_requests(seen) == [] and not [s for s in seen if "audit_events" in s]

    item_id = await _waiting(seeded, park=False)
    with statements(seeded) as seen:
        await handle(telegram("Vēl kas"), seeded)
    assert len(_on_requests(seen)) == 1 and not [s for s in seen if "audit_events" in s]

    async with seeded.sessions() as db, db.begin():
        item = await requests.get(db, item_id)
        assert item is not None and item.assignee_id is not None
        assert await requests.wait(db, request_id=item_id, agent_id=item.assignee_id, now=NOW)
    with statements(seeded) as seen:
        await handle(telegram("Atbilde"), seeded)
    assert [s.split()[0] for s in _on_requests(seen)] == ["SELECT", "UPDATE"]
    assert len([s for s in seen if "audit_events" in s]) == 1


async def test_two_answers_at_once_resume_it_once(seeded: Services) -> None:
    item_id = await _waiting(seeded)
    async with seeded.sessions() as db, db.begin():
        connection = await db.connection()
        assert await requests.resident_wrote(connection, request_id=item_id, now=NOW) == "claimed"
        assert await requests.resident_wrote(connection, request_id=item_id, now=NOW) is None
