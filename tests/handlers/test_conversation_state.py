"""The conversation state on the conversation row: a typed number or a pressed button is resolved
to the offered choice by the handlers, the line a reply waits for is read as that answer on every
channel that converses line by line, e-mail keeps no state, and the state is written only when it
changes (both backends)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from helpdesk.core.conversation import STALE_CHOICE
from helpdesk.core.types import Action, Awaiting, Channel, ChoiceRef, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models import ConsentEvent, Conversation, Message, OutboxMessage
from helpdesk.storage.repositories import links
from tests.statements import statements

from .conftest import NOW, telegram


def chat(text: str = "", **fields: Any) -> Inquiry:
    """R-1 in the terminal chat (it names the resident it acts as)."""
    return Inquiry(Channel.CHAT, "chat:R-1", text=text, resident_id="R-1", **fields)


async def test_a_number_is_the_choice_the_last_reply_offered(seeded: Services) -> None:
    menu = await handle(chat(action=Action.MENU), seeded)
    assert [b.action for row in menu.buttons for b in row][:2] == [Action.INVOICE, Action.CONSENT_STATUS]
    status = await handle(chat(choice=ChoiceRef(2)), seeded)  # the menu's second button
    assert status.intent == Action.CONSENT_STATUS
    stale = await handle(chat(choice=ChoiceRef(9)), seeded)  # no such button
    assert (stale.kind, stale.intent) == (ReplyKind.REFUSAL, STALE_CHOICE)
    # A button drawn from another offer (an old keyboard) is not taken as this one's.
    await handle(chat(action=Action.MENU), seeded)
    other_offer = await handle(chat(choice=ChoiceRef(1, offer="0badc0de")), seeded)
    assert other_offer.intent == STALE_CHOICE and not other_offer.documents


async def test_the_awaited_address_and_code_are_read_from_typed_lines(seeded: Services) -> None:
    asked = await handle(chat(action=Action.CONSENT_ADDRESS), seeded)
    assert asked.awaiting is Awaiting.NEWS_ADDRESS
    refused = await handle(chat("nav adrese"), seeded)
    assert refused.kind is ReplyKind.REFUSAL and refused.awaiting is Awaiting.NEWS_ADDRESS
    sent = await handle(chat("Janis.Jaunumi@example.lv"), seeded)
    assert sent.awaiting is Awaiting.NEWS_CODE
    async with seeded.sessions() as session:
        mail = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == "janis.jaunumi@example.lv")
        )
    assert mail is not None
    code = next(word for word in mail.body_text.split() if word.isdigit() and len(word) == 6)
    done = await handle(chat(code), seeded)
    assert done.kind is ReplyKind.ANSWER and done.awaiting is None
    async with seeded.sessions() as session:
        granted = await session.scalar(select(ConsentEvent.email).where(ConsentEvent.granted.is_(True)))
        stored = list(await session.scalars(select(Message.text)))
    assert granted == "janis.jaunumi@example.lv"
    assert not [text for text in stored if code in text]  # the code is never a stored message


async def test_a_command_in_between_ends_the_wait(seeded: Services) -> None:
    await handle(chat(action=Action.CONSENT_ADDRESS), seeded)
    await handle(chat(action=Action.UNKNOWN_COMMAND, args={"command": "rekins"}), seeded)
    reply = await handle(chat("anna@example.lv"), seeded)  # now a message of its own
    assert reply.kind is ReplyKind.ESCALATED


async def test_e_mail_keeps_no_state(seeded: Services) -> None:
    def mail(text: str, n: int) -> Inquiry:
        return Inquiry(
            Channel.EMAIL, "janis@example.lv", text=text, resident_id="R-1", message_id=f"<m{n}@example.lv>"
        )

    asked = await handle(replace(mail("", 1), action=Action.CONSENT_GIVE), seeded)
    assert asked.kind is ReplyKind.QUESTION  # a code went to the address by mail
    later = await handle(mail("Kāpēc mans skaitītājs rāda nulli?", 2), seeded)
    assert later.kind is ReplyKind.ESCALATED  # a question of its own, not a wrong code
    async with seeded.sessions() as session:
        states = list(await session.scalars(select(Conversation.state)))
    assert states == [None]


async def test_the_state_is_written_only_when_it_changes(seeded: Services) -> None:
    await handle(telegram("kā pieslēgties"), seeded)
    with statements(seeded) as seen:
        await handle(telegram("kā pieslēgties"), seeded)  # the same answer, the same button
    updates = [s for s in seen if s.startswith("UPDATE conversations")]
    assert len(updates) == 1 and "RETURNING" in updates[0]  # only the read
    with statements(seeded) as seen:
        await handle(telegram(action=Action.MENU), seeded)  # other buttons: one UPDATE more
    assert len([s for s in seen if s.startswith("UPDATE conversations")]) == 2


async def test_a_link_confirmation_keeps_no_token(seeded: Services) -> None:
    async with seeded.sessions() as session, session.begin():
        token, _row = await links.mint(session, resident_id="R-2", ttl_minutes=30, now=NOW)
    shown = await handle(
        telegram(resident=None, user=222, action=Action.LINK_REDEEM, args={"token": token}), seeded
    )
    assert shown.buttons[0][0].action is Action.LINK_CONFIRM and "token" not in shown.buttons[0][0].args
    async with seeded.sessions() as session:
        states = [str(s) for s in await session.scalars(select(Conversation.state))]
    assert states and not [s for s in states if token in s]
    # A client cannot present the hash itself: only the handlers' own offer can.
    forged = await handle(
        telegram(resident=None, user=222, action=Action.LINK_CONFIRM, args=dict(shown.buttons[0][0].args)),
        seeded,
    )
    assert forged.kind is ReplyKind.REFUSAL
    done = await handle(telegram(resident=None, user=222, choice=ChoiceRef(1)), seeded)
    assert done.kind is ReplyKind.REFUSAL  # the refusal above replaced the offer: nothing to press
    again = await handle(
        telegram(resident=None, user=222, action=Action.LINK_REDEEM, args={"token": token}), seeded
    )
    linked = await handle(telegram(resident=None, user=222, choice=ChoiceRef(1)), seeded)
    assert again.kind is ReplyKind.QUESTION and linked.resident_id == "R-2"
