""" "Correct my data" files the request and asks what to correct; the resident's next message goes
with that request (``Awaiting.CORRECTION_DETAILS``), not into a question of its own (both backends)."""

from __future__ import annotations

from sqlalchemy import select

from helpdesk.core.matching import Decision, Match
from helpdesk.core.types import Action, Awaiting, Inquiry, Reply, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.handlers.requests import DETAILS_KEY
from helpdesk.services import Services
from helpdesk.storage.models import Message
from helpdesk.storage.models.requests import RESIDENT_REPLIED, RequestKind, SupportRequest
from helpdesk.storage.repositories import audit, requests

from .conftest import NOW, action, telegram
from .test_waiting import _mail, _waiting


async def _correct_my_data(services: Services) -> Reply:
    reply = await handle(action(Action.REQUEST_CONFIRM, kind="correction"), services)
    assert reply.awaiting is Awaiting.CORRECTION_DETAILS and reply.request_id is not None
    assert [b.action for row in reply.buttons for b in row] == [Action.MENU]  # the way out of the wait
    return reply


def _details(reply: Reply, text: str, *, user: int = 111, resident: str = "R-1") -> Inquiry:
    args = {"request": str(reply.request_id)}
    return telegram(text, user=user, resident=resident, action=Action.CORRECTION_DETAILS, args=args)


async def _items(services: Services) -> list[SupportRequest]:
    async with services.sessions() as db:
        return list(await db.scalars(select(SupportRequest).order_by(SupportRequest.id)))


async def _events(services: Services, item_id: int, name: str) -> list[object]:
    async with services.sessions() as db:
        return [e for e in await audit.for_request(db, item_id) if e.action == name]


async def test_the_next_message_is_the_requests_summary(seeded: Services) -> None:
    asked = await _correct_my_data(seeded)
    assert "kas ir nepareizi un kā tam jābūt" in asked.text
    reply = await handle(_details(asked, "Uzvārds ir Bērziņš, nevis Berzins; kods 010180-12345"), seeded)
    assert reply.request_id == asked.request_id and reply.awaiting is None  # the collection is over
    assert f"Paldies, pievienoju šo ziņu Jūsu pieprasījumam #{asked.request_id}" in reply.text
    [item] = await _items(seeded)  # one item, no question
    assert item.kind == RequestKind.CORRECTION and item.status == "open"
    assert "Bērziņš, nevis Berzins" in item.summary and "010180-12345" not in item.summary
    assert item.details == {}
    [added] = await _events(seeded, item.id, "request.details_added")
    assert added.actor == "resident:R-1"  # type: ignore[attr-defined]
    assert added.detail == {  # type: ignore[attr-defined]
        "to": "summary",
        "channel": "telegram",
        "conversation_id": item.conversation_id,
    }
    async with seeded.sessions() as db:
        texts = list(await db.scalars(select(Message.text).order_by(Message.id)))
    assert any("Bērziņš, nevis Berzins" in text for text in texts)  # the conversation has it too
    assert not [t for t in texts if "010180-12345" in t]


async def test_later_details_are_appended_not_overwritten(seeded: Services) -> None:
    asked = await _correct_my_data(seeded)
    await handle(_details(asked, "Adrese ir Brīvības iela 3"), seeded)
    again = await handle(_details(asked, "Un dzīvoklis ir 7, nevis 5"), seeded)
    assert again.request_id == asked.request_id
    [item] = await _items(seeded)
    assert item.summary == "Adrese ir Brīvības iela 3"
    assert item.details == {DETAILS_KEY: [{"at": NOW.isoformat(), "text": "Un dzīvoklis ir 7, nevis 5"}]}
    tos = [e.detail["to"] for e in await _events(seeded, item.id, "request.details_added")]  # type: ignore[attr-defined]
    assert tos == ["summary", "details"]


async def test_too_long_or_empty_details_keep_the_collection(seeded: Services) -> None:
    asked = await _correct_my_data(seeded)
    limit = seeded.conversation.max_text_length
    too_long = await handle(_details(asked, "x" * (limit + 1)), seeded)
    assert too_long.kind is ReplyKind.REFUSAL and str(limit) in too_long.text
    assert (too_long.awaiting, too_long.request_id) == (asked.awaiting, asked.request_id)  # still waiting
    empty = await handle(_details(asked, "   "), seeded)
    assert empty.kind is ReplyKind.QUESTION
    assert (empty.awaiting, empty.request_id) == (asked.awaiting, asked.request_id)
    [item] = await _items(seeded)
    assert item.summary == "" and await _events(seeded, item.id, "request.details_added") == []
    fits = await handle(_details(asked, "y" * limit), seeded)
    assert fits.awaiting is None
    assert len((await _items(seeded))[0].summary) == limit


async def test_details_for_a_request_that_is_not_theirs_are_a_message_as_typed(seeded: Services) -> None:
    asked = await _correct_my_data(seeded)
    # Someone else (another resident's chat, a forged id) cannot write into R-1's request.
    other = await handle(_details(asked, "Mans vārds ir Anna", user=222, resident="R-2"), seeded)
    assert other.request_id != asked.request_id and other.kind is ReplyKind.ESCALATED
    forged = await handle(
        telegram("Kas notiek?", action=Action.CORRECTION_DETAILS, args={"request": "x1"}), seeded
    )
    assert forged.kind is ReplyKind.ESCALATED
    items = await _items(seeded)
    assert items[0].summary == "" and [i.kind for i in items[1:]] == ["question"] * 2
    # Closed meanwhile: the message is a question of its own, nothing is lost.
    async with seeded.sessions() as db, db.begin():
        item = await requests.get(db, asked.request_id or 0)
        assert item is not None
        item.status = "closed"
    late = await handle(_details(asked, "Vēl viena lieta par manu uzvārdu"), seeded)
    assert late.kind is ReplyKind.ESCALATED and late.request_id not in (None, asked.request_id)


async def test_details_resume_a_correction_that_waits_for_the_resident(seeded: Services) -> None:
    item_id = await _waiting(seeded, kind=RequestKind.CORRECTION)
    # Pressing "Correct my data" again on it asks what to correct (it has no summary), and resumes it.
    asked = await handle(action(Action.REQUEST_CONFIRM, kind="correction"), seeded)
    assert asked.request_id == item_id and asked.awaiting is Awaiting.CORRECTION_DETAILS
    assert (await _items(seeded))[0].status == "claimed"
    # An agent parks it again; the details that come now resume it once more.
    async with seeded.sessions() as db, db.begin():
        item = await requests.get(db, item_id)
        assert item is not None and item.assignee_id is not None
        assert await requests.wait(db, request_id=item_id, agent_id=item.assignee_id, now=NOW)
    reply = await handle(_details(asked, "Pareizais e-pasts: janis.b@example.lv"), seeded)
    assert reply.request_id == item_id
    [item] = await _items(seeded)
    assert item.status == "claimed" and item.resident_replied_at == NOW
    assert item.summary == "Pareizais e-pasts: janis.b@example.lv"
    assert len(await _events(seeded, item_id, RESIDENT_REPLIED)) == 2
    assert len(await _events(seeded, item_id, "request.details_added")) == 1


async def test_an_open_correction_with_its_summary_is_not_asked_again(seeded: Services) -> None:
    filed = await handle(
        telegram("Gribu labot savu adresi: Brīvības iela 3", action=Action.CORRECTION_REQUEST), seeded
    )
    assert filed.awaiting is None and "kas ir nepareizi" not in filed.text
    again = await handle(action(Action.REQUEST_CONFIRM, kind="correction"), seeded)
    assert again.request_id == filed.request_id and again.awaiting is None
    assert "jau tiek izskatīts" in again.text


async def test_a_correction_asked_again_with_text_adds_it_to_the_open_one(seeded: Services) -> None:
    """Left without saying what to correct, then asked again in words: the words go with the request."""
    asked = await _correct_my_data(seeded)
    said = "Labojiet manu uzvārdu uz Bērziņš"
    again = await handle(telegram(said, action=Action.CORRECTION_REQUEST), seeded)
    assert again.request_id == asked.request_id and again.awaiting is None
    assert f"pievienoju šo ziņu Jūsu pieprasījumam #{asked.request_id}" in again.text
    more = await handle(telegram("Un arī e-pastu", action=Action.CORRECTION_REQUEST), seeded)
    assert more.request_id == asked.request_id
    [item] = await _items(seeded)
    assert item.summary == said and item.details[DETAILS_KEY][0]["text"] == "Un arī e-pastu"
    assert len(await _events(seeded, item.id, "request.details_added")) == 2


async def test_an_email_correction_keeps_its_text_as_the_summary(seeded: Services) -> None:
    """By e-mail the details come in the mail itself: its whole text (a long one too) is the summary,
    and nothing waits for a next message."""
    text = "Lūdzu, labojiet manu uzvārdu uz Bērziņš. " + "Sīkāk: " + "x" * 2500
    seeded.matcher.routes[text] = Match("action:correction-request", 90.0, Decision.ANSWER, "lv")  # type: ignore[attr-defined]
    mail = _mail(text, message_id="<fix@example.lv>", thread_key="<fix@example.lv>")
    reply = await handle(mail, seeded)
    assert reply.request_id is not None and reply.awaiting is None
    [item] = await _items(seeded)
    assert item.kind == RequestKind.CORRECTION and item.summary == text
