"""Threading (both backends): a message joins an open queue item only when it is about that item (an
answer to what the agent asked, more of the question just handed over, the same question again, a
mail in the item's thread); a new intent, a correction request, "I want to talk to a person" and
"Ask a person" with nothing typed start their own path, and never say a message was added."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from helpdesk.core.types import Action, Awaiting, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.handlers.joining import FOLLOW_UP, same_question
from helpdesk.services import Services
from helpdesk.storage.models.requests import SupportRequest
from helpdesk.storage.repositories import conversations

from .conftest import NOW, action, email, telegram

OFFICE = "Kad atvērsiet jaunu biroju Daugavpilī?"  # no entry answers it: a person does
ADDED = "Pievienoju"  # how every "I added this to …" reply starts in Latvian


async def _items(services: Services) -> list[SupportRequest]:
    async with services.sessions() as session:
        return list(await session.scalars(select(SupportRequest).order_by(SupportRequest.id)))


async def _own_texts(services: Services, item_id: int) -> list[str]:
    async with services.sessions() as session:
        return [m.text for m in await conversations.messages_of_request(session, item_id)]


async def test_a_new_intent_is_answered_on_its_own(reader: Services) -> None:
    asked = await handle(telegram(OFFICE), reader)
    answered = await handle(telegram("Kā pieslēgties portālam?"), reader)
    assert answered.kind is ReplyKind.ANSWER and answered.request_id is None and ADDED not in answered.text
    assert await _own_texts(reader, asked.request_id or 0) == [OFFICE, asked.text]


async def test_a_correction_request_is_filed_not_added_to_an_open_question(reader: Services) -> None:
    asked = await handle(telegram(OFFICE), reader)
    filed = await handle(telegram("Lūdzu, izlabojiet manu uzvārdu, tas ir uzrakstīts nepareizi"), reader)
    question, correction = await _items(reader)
    assert question.id == asked.request_id and correction.id == filed.request_id
    assert correction.kind == "correction" and "uzvārdu" in correction.summary
    assert await _own_texts(reader, question.id) == [OFFICE, asked.text]


async def test_asking_for_a_person_does_not_join_an_off_topic_question(reader: Services) -> None:
    asked = await handle(telegram(OFFICE), reader)
    what = await handle(telegram("Gribu runāt ar cilvēku"), reader)
    assert what.request_id is None and ADDED not in what.text
    assert what.awaiting is Awaiting.HUMAN_QUESTION and what.text.startswith("Ko nodot darbiniekam?")
    passed = await handle(telegram("Man ir jautājums par apkures skaitītāja plombu"), reader)
    words = await handle(telegram("Gribu runāt ar cilvēku par to, kāpēc ūdens patēriņš ir tik liels"), reader)
    office, seal, water = await _items(reader)
    assert office.id == asked.request_id and seal.id == passed.request_id and water.id == words.request_id
    assert seal.summary == "Man ir jautājums par apkures skaitītāja plombu"
    assert ADDED not in passed.text + words.text


async def test_ask_a_person_with_nothing_typed_asks_what_to_pass_on(reader: Services) -> None:
    asked = await handle(telegram(OFFICE), reader)
    pressed = await handle(action(Action.HUMAN), reader)  # the menu's "talk to a person", or /human
    assert pressed.kind is ReplyKind.QUESTION and ADDED not in pressed.text
    assert pressed.awaiting is Awaiting.HUMAN_QUESTION
    assert [b.action for r in pressed.buttons for b in r] == [Action.MENU]
    assert [item.id for item in await _items(reader)] == [asked.request_id]
    bye = await handle(telegram("Paldies, viss skaidrs"), reader)  # thanks instead: nothing is passed on
    assert bye.request_id is None and bye.awaiting is None and len(await _items(reader)) == 1


async def test_ask_a_person_under_an_answer_passes_that_question_on(seeded: Services) -> None:
    """The machine's answer did not help: its question becomes an item of its own."""
    asked = await handle(telegram("Kāpēc man ir tik liels rēķins par siltumu?"), seeded)
    await handle(telegram("kā pieslēgties"), seeded)  # answered from the knowledge base
    passed = await handle(action(Action.HUMAN), seeded)
    first, second = await _items(seeded)
    assert first.id == asked.request_id and second.id == passed.request_id
    assert second.summary == "kā pieslēgties" and "Nodevu Jūsu ziņu" in passed.text


async def test_more_of_the_question_just_passed_on_joins_it_and_a_later_one_does_not(
    seeded: Services,
) -> None:
    asked = await handle(telegram("Kāpēc man ir tik liels rēķins par siltumu?"), seeded)
    more = await handle(telegram("Dzīvoklis 12, skaitītājs nomainīts oktobrī"), seeded)
    assert more.request_id == asked.request_id and more.text.startswith(ADDED)
    seeded.clock = lambda: NOW + FOLLOW_UP + timedelta(minutes=1)
    later = await handle(telegram("Vai var samaksāt skaidrā naudā?"), seeded)
    assert later.request_id not in (None, asked.request_id) and ADDED not in later.text


async def test_the_same_question_again_joins_its_open_item(seeded: Services) -> None:
    asked = await handle(telegram("Kāpēc man ir tik liels rēķins par siltumu?"), seeded)
    await handle(telegram("kā pieslēgties"), seeded)  # something else in between
    seeded.clock = lambda: NOW + timedelta(hours=3)
    again = await handle(telegram("kapec man ir tik liels rekins par siltumu"), seeded)
    assert again.request_id == asked.request_id and again.text.startswith(ADDED)
    assert len(await _items(seeded)) == 1


def test_same_question_means_the_same_words_not_the_same_subject() -> None:
    assert same_question("Kāpēc man ir tik liels rēķins?", "kapec man ir tik liels rekins")
    assert same_question("Kad salabos liftu?", "Paldies!\nKad salabos liftu?")  # one line of a summary
    assert not same_question("Kāpēc man ir tik liels rēķins?", "Kāpēc man ir tik mazs ūdens spiediens?")
    assert not same_question("kāpēc?", "kāpēc?")  # too few words to tell


async def test_by_mail_a_reply_in_the_items_thread_joins_it_and_a_new_mail_does_not(
    seeded: Services,
) -> None:
    first = await handle(email("Kāpēc man ir tik liels rēķins?", message_id="<q1@example.lv>"), seeded)
    seeded.clock = lambda: NOW + timedelta(hours=2)
    in_thread = await handle(
        email("Vēl: dzīvoklis 12", message_id="<q2@example.lv>", thread_key="<q1@example.lv>"), seeded
    )
    assert in_thread.request_id == first.request_id and in_thread.text.startswith(ADDED)
    new = await handle(email("Vai var samaksāt skaidrā naudā?", message_id="<q3@example.lv>"), seeded)
    assert new.request_id not in (None, first.request_id)
