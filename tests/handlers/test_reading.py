"""A message read whole, with the shipped knowledge base (both backends): one reply answers every
question it is sure of, a person gets the rest in one item and the reply says which part, the reply
is in the language of the question's own words, and thanks or small talk become nobody's work."""

from __future__ import annotations

from sqlalchemy import select

from helpdesk.core.matching import IntentMatcher
from helpdesk.core.types import Action, ChoiceRef, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import SupportRequest
from helpdesk.storage.repositories import conversations

from .conftest import action, email, telegram

OFFICE = "Kad atvērsiet jaunu biroju Daugavpilī?"  # no entry answers it: a person does


async def _items(services: Services) -> list[SupportRequest]:
    async with services.sessions() as session:
        return list(await session.scalars(select(SupportRequest).order_by(SupportRequest.id)))


def _labels(reply: object) -> list[str]:
    return [button.label for row in reply.buttons for button in row]  # type: ignore[attr-defined]


def _title(knowledge: IntentMatcher, entry: str, language: str) -> str:
    found = knowledge.answer(entry, language)
    assert found is not None
    return found.title


async def test_one_reply_answers_each_question_of_a_message(
    reader: Services, knowledge: IntentMatcher
) -> None:
    reply = await handle(
        telegram("Labdien! Kā pieslēgties portālam? Un vai varat atsūtīt visus manus rēķinus?"), reader
    )
    assert _title(knowledge, "login-eid", "lv") in reply.text  # the first question's answer
    assert "Kuru rēķinu vēlaties?" in reply.text  # "all my invoices" lists them (action:invoice-list)
    assert reply.text.index(_title(knowledge, "login-eid", "lv")) < reply.text.index("Kuru rēķinu")
    labels = _labels(reply)
    assert [label[:7] for label in labels[:2]] == ["2025-12", "2025-11"]  # the periods to pick from
    assert labels[-1] == "Jautāt darbiniekam"  # one way to a person, under everything
    assert reply.request_id is None and await _items(reader) == []


async def test_the_part_a_person_must_answer_is_one_item_and_the_reply_says_which(
    reader: Services, knowledge: IntentMatcher
) -> None:
    reply = await handle(telegram(f"Kā pieslēgties portālam? Kur redzēt visus rēķinus? {OFFICE}"), reader)
    assert reply.kind is ReplyKind.QUESTION  # a period to pick: the reply's buttons wait for it
    assert _title(knowledge, "login-eid", "lv") in reply.text and "Kuru rēķinu vēlaties?" in reply.text
    assert f"Jūsu jautājumu „{OFFICE}” nodevu mūsu atbalsta komandai (#1)" in reply.text
    (item,) = await _items(reader)
    assert (item.id, item.kind, item.summary) == (reply.request_id, "question", OFFICE)
    assert "Jautāt darbiniekam" not in _labels(reply)  # it is already with a person


async def test_a_russian_question_in_a_latvian_chat_is_answered_in_russian(
    reader: Services, knowledge: IntentMatcher
) -> None:
    """Only the reply (and its buttons) switch: the conversation stays in the resident's language."""
    reply = await handle(telegram("Как войти в портал?"), reader)
    assert reply.language == "ru" and _title(knowledge, "login-eid", "ru") in reply.text
    assert _labels(reply) == ["Спросить сотрудника"]
    passed = await handle(telegram(choice=ChoiceRef(1)), reader)  # "this did not help"
    assert passed.kind is ReplyKind.ESCALATED and passed.language == "ru"
    assert "Ваше сообщение передано" in passed.text
    (item,) = await _items(reader)
    assert item.summary == "Как войти в портал?" and item.language == "ru"  # the agent answers in Russian
    menu = await handle(action(Action.MENU), reader)
    assert menu.language == "lv" and menu.text == "Kā varu Jums palīdzēt?"


async def test_an_english_mail_signed_with_a_latvian_name_is_answered_in_english(
    reader: Services, knowledge: IntentMatcher
) -> None:
    text = (
        "Hello,\n\nHow can I log in to the portal with Smart-ID?\n\n"
        "Best regards,\nJānis Bērziņš\nBrīvības iela 1-5, Rīga"
    )
    mail = email(text, message_id="<en@example.lv>")  # R-1's record says Latvian
    reply = await handle(mail, reader)
    assert reply.language == "en" and _title(knowledge, "login-eid", "en") in reply.text


async def test_thanks_and_goodbye_get_a_short_reply_and_join_nothing(reader: Services) -> None:
    asked = await handle(telegram(OFFICE), reader)
    bye = await handle(telegram("спасибо, до свидания"), reader)
    assert bye.text == "Пожалуйста! Пишите в любое время, если у Вас появится вопрос."
    assert bye.request_id is None and bye.kind is ReplyKind.ANSWER
    (item,) = await _items(reader)
    assert item.id == asked.request_id
    async with reader.sessions() as session:
        own = await conversations.messages_of_request(session, item.id)
    assert [m.text for m in own] == [OFFICE, asked.text]  # the goodbye is not the item's


async def test_small_talk_in_a_chat_is_nobodys_work_until_asked(reader: Services) -> None:
    reply = await handle(telegram("Какая завтра погода?"), reader)
    assert reply.language == "ru" and reply.request_id is None
    assert "могу помочь только с порталом" in reply.text and "48" not in reply.text
    assert _labels(reply) == ["Спросить сотрудника", "Меню"]
    assert await _items(reader) == []
    passed = await handle(telegram(choice=ChoiceRef(1)), reader)  # the one tap that queues it
    (item,) = await _items(reader)
    assert passed.request_id == item.id and item.summary == "Какая завтра погода?"
    assert passed.language == "ru" and "48" in passed.text


async def test_a_bare_greeting_in_a_chat_is_answered_not_queued(reader: Services) -> None:
    reply = await handle(telegram("Sveiki!"), reader)
    assert reply.text == "Kā varu Jums palīdzēt?" and reply.request_id is None  # the menu: ask away
    assert await _items(reader) == []


async def test_small_talk_by_mail_still_goes_to_a_person(reader: Services) -> None:
    mail = email("Labdien! Kāds rīt būs laiks Rīgā?", message_id="<weather@example.lv>")
    reply = await handle(mail, reader)
    assert reply.kind is ReplyKind.ESCALATED
    (item,) = await _items(reader)
    assert item.channel == "email" and item.summary == mail.text


async def test_all_my_invoices_lists_them(reader: Services) -> None:
    reply = await handle(telegram("visi mani rēķini"), reader)
    assert reply.intent == Action.INVOICE_LIST and reply.kind is ReplyKind.QUESTION
    assert [label[:7] for label in _labels(reply)] == ["2025-12", "2025-11"]
    assert await _items(reader) == []  # and no data access request was filed
