"""An item's own exchange apart from the rest of its conversations (both backends): messages that
carry the item's number, across conversations and each once; messages stored before they carried
it, told apart by when the item was received."""

from __future__ import annotations

from datetime import timedelta

from helpdesk.casework import exchange
from helpdesk.core.types import Action, Channel, Inquiry
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import audit, conversations, requests
from tests.console.conftest import NOW


def _said(text: str = "", action: Action | None = None) -> Inquiry:
    return Inquiry(
        channel=Channel.TELEGRAM,
        sender="333",
        reply_to="333",
        text=text,
        action=action,
        args={"chat_type": "private"},
        message_id=f"tg:333:{text}:{action}",
    )


async def _split(services: Services, item_id: int) -> tuple[list[str], list[str]]:
    async with services.sessions() as db:
        item = await requests.get(db, item_id)
        assert item is not None
        found = await exchange.of_item(db, item, await audit.for_request(db, item_id))
    return [m.text for m in found.own], [m.text for m in found.history]


async def test_joined_messages_in_a_later_conversation_are_the_items_own_once(
    services: Services, seeded: dict[str, int]
) -> None:
    await handle(_said(action=Action.MENU), services)
    opened = await handle(_said("Kāpēc mans rēķins ir divreiz lielāks nekā parasti"), services)
    item = opened.request_id
    assert item is not None
    async with services.sessions() as db, db.begin():  # the agent asks the resident for details
        assert await requests.claim(
            db, request_id=item, agent_id=seeded["anna"], now=NOW, lease=timedelta(hours=1)
        )
        assert await requests.wait(db, request_id=item, agent_id=seeded["anna"], now=NOW)
    services.clock = lambda: NOW + timedelta(days=2)  # past the conversation gap: a new conversation
    first = await handle(_said("Vēl: dzīvoklis 12"), services)  # the answer to the waiting item
    second = await handle(_said("Un skaitītājs nomainīts oktobrī"), services)  # and more of it
    assert first.request_id == second.request_id == item
    own, history = await _split(services, item)
    assert own == [
        "Kāpēc mans rēķins ir divreiz lielāks nekā parasti",
        opened.text,
        "Vēl: dzīvoklis 12",
        first.text,
        "Un skaitītājs nomainīts oktobrī",
        second.text,
    ]
    assert history[0].startswith("[menu") and len(history) == 2


async def test_messages_stored_before_they_named_their_item_are_split_by_time(
    services: Services, seeded: dict[str, int]
) -> None:
    received = NOW - timedelta(hours=1)
    async with services.sessions() as db, db.begin():
        conversation = await conversations.open_for(
            db, channel="email", contact="janis@example.lv", resident_id="R-1", language="lv", now=received
        )
        for text, moment in (
            ("Iepriekšējais jautājums", received - timedelta(minutes=5)),
            ("Jautājums", received),
        ):
            await conversations.add_message(
                db, conversation, direction="in", author="resident", text=text, now=moment
            )
        item = await requests.create(
            db,
            kind=RequestKind.QUESTION,
            channel="email",
            contact="janis@example.lv",
            received_at=received,
            deadline_at=NOW + timedelta(days=1),
            resident_id="R-1",
            conversation_id=conversation.id,
        )
    assert await _split(services, item.id) == (["Jautājums"], ["Iepriekšējais jautājums"])
