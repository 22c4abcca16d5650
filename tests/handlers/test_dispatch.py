"""Routing, conversation records (redacted), odd input, failures that keep the inquiry."""

from __future__ import annotations

from helpdesk.core.types import Action, Attachment, Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import conversations, requests

from .conftest import FakeMatcher, action, telegram


async def test_faq_answer(seeded: Services) -> None:
    reply = await handle(telegram("kā pieslēgties", resident=None, user=9), seeded)
    assert reply.kind is ReplyKind.ANSWER and "eID" in reply.text and reply.intent == "faq:login-eid"


async def test_clarify_offers_candidates_and_a_person(seeded: Services) -> None:
    reply = await handle(telegram("parole"), seeded)
    assert reply.kind is ReplyKind.QUESTION
    flat = [button for row in reply.buttons for button in row]
    assert [b.action for b in flat] == [Action.FAQ, Action.FAQ, Action.HUMAN, Action.HUMAN]
    assert flat[0].args == {"entry": "login-eid"} and flat[0].label == "Pieslēgšanās ar eID"
    chosen = await handle(action(Action.FAQ, entry="password-reset"), seeded)
    assert "Aizmirsu paroli" in chosen.text


async def test_conversation_is_recorded_redacted(seeded: Services) -> None:
    await handle(telegram("Mans personas kods ir 010180-12345, konts LV80BANK0000435195001"), seeded)
    async with seeded.sessions() as session:
        (conversation,) = await conversations.for_resident(session, "R-1")
        stored = await conversations.messages(session, conversation.id)
    assert [m.direction for m in stored] == ["in", "out"]
    assert "010180-12345" not in stored[0].text and "LV80BANK" not in stored[0].text
    assert "[personal-code]" in stored[0].text


async def test_a_resident_id_naming_nobody_is_not_trusted(seeded: Services) -> None:
    """A resident the adapter names who no longer exists is nobody: a new or an ongoing conversation
    alike (the terminal chat and e-mail name the resident they proved)."""

    def chat(resident: str) -> Inquiry:
        return Inquiry(Channel.CHAT, "chat:404", resident_id=resident, action=Action.CONSENT_STATUS)

    for _ in range(2):
        reply = await handle(chat("R-404"), seeded)
        assert reply.kind is ReplyKind.REFUSAL and reply.resident_id is None
    known = await handle(chat("R-1"), seeded)  # R-1 in the same conversation
    assert known.kind is ReplyKind.ANSWER and known.resident_id == "R-1"
    async with seeded.sessions() as session:
        (conversation,) = await conversations.for_resident(session, "R-1")
        assert conversation.contact == "chat:404"
        assert len(await conversations.messages(session, conversation.id)) == 6


async def test_a_telegram_user_is_who_their_link_says(seeded: Services) -> None:
    """The one Telegram identity rule: the link, read with the conversation; a resident id the
    inquiry claims counts for nothing on Telegram."""
    claimed = await handle(action(Action.CONSENT_STATUS, resident="R-1", user=404), seeded)
    assert claimed.kind is ReplyKind.REFUSAL and claimed.resident_id is None  # 404 is linked to nobody
    linked = await handle(action(Action.CONSENT_STATUS, resident=None, user=111), seeded)
    assert linked.kind is ReplyKind.ANSWER and linked.resident_id == "R-1"  # 111 is linked to R-1


async def test_link_token_never_stored_in_conversation(seeded: Services) -> None:
    token = "Zx9" + "a" * 40
    await handle(action(Action.LINK_REDEEM, resident=None, user=5, token=token), seeded)
    async with seeded.sessions() as session:
        items = await conversations.messages(session, 1)
    assert all(token not in m.text for m in items)


async def test_too_long_text_is_refused_politely(seeded: Services) -> None:
    reply = await handle(telegram("a" * (seeded.conversation.max_text_length + 1)), seeded)
    assert reply.kind is ReplyKind.REFUSAL and str(seeded.conversation.max_text_length) in reply.text


async def test_attachment_without_text(seeded: Services) -> None:
    inquiry = telegram(attachments=(Attachment("photo.jpg", "image/jpeg", 1000),))
    reply = await handle(inquiry, seeded)
    assert reply.kind is ReplyKind.ANSWER and reply.buttons


async def test_empty_message_shows_menu(seeded: Services) -> None:
    reply = await handle(telegram(""), seeded)
    assert reply.intent == Action.MENU and reply.buttons


async def test_language_switch(seeded: Services) -> None:
    reply = await handle(action(Action.LANGUAGE, lang="ru"), seeded)
    assert reply.language == "ru" and reply.text == "Теперь я буду отвечать по-русски."
    question = await handle(action(Action.LANGUAGE), seeded)
    assert question.kind is ReplyKind.QUESTION and len(question.buttons[0]) == 3


async def test_unknown_resident_id_is_treated_as_unidentified(seeded: Services) -> None:
    reply = await handle(action(Action.INVOICE, resident="R-DOES-NOT-EXIST", user=404), seeded)
    assert reply.kind is ReplyKind.REFUSAL and not reply.documents


async def test_handler_failure_keeps_the_inquiry(seeded: Services) -> None:
    seeded.matcher = FakeMatcher(fail=True)
    inquiry = Inquiry(channel=Channel.EMAIL, sender="x@example.lv", text="Sveiki, man ir jautājums")
    reply = await handle(inquiry, seeded)
    assert reply.kind is ReplyKind.ERROR and reply.request_id
    async with seeded.sessions() as session:
        (item,) = await requests.list_items(session, kinds=[RequestKind.QUESTION])
    assert item.summary == "Sveiki, man ir jautājums"


async def test_database_down_gives_a_polite_error(seeded: Services) -> None:
    from helpdesk.storage.engine import create_engine, create_session_factory

    broken = create_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none")
    seeded.sessions = create_session_factory(broken)
    try:
        reply = await handle(action(Action.INVOICE), seeded)
    finally:
        await broken.dispose()
    assert reply.kind is ReplyKind.ERROR and not reply.documents and reply.request_id is None


async def test_ask_a_person_under_an_answer_quotes_the_question(seeded: Services) -> None:
    answer = await handle(telegram("kā pieslēgties"), seeded)
    (person,) = answer.buttons[0]
    assert person.action is Action.HUMAN
    escalated = await handle(telegram(action=person.action), seeded)
    assert escalated.kind is ReplyKind.ESCALATED and escalated.request_id is not None
    async with seeded.sessions() as session:
        item = await requests.get(session, escalated.request_id)
    assert item is not None and item.summary == "kā pieslēgties"
