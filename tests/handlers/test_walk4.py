"""Findings of the fourth walk: conversations held as residents hold them in the chat, through the
handlers with the shipped knowledge base (both backends). Every message was written for this walk,
not taken from an evaluation set. Each test is one conversation that went wrong before: a second
request after "and also" / "и ещё" was dropped without a word, a question asked as "tell me where
…" without its mark was dropped, and a goodbye typed in Latin-letter Russian became a queue item."""

from __future__ import annotations

from sqlalchemy import select

from helpdesk.core.matching import IntentMatcher
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import SupportRequest

from .conftest import telegram

READINGS_HOW = "meter-readings-how"


async def _items(services: Services) -> list[SupportRequest]:
    async with services.sessions() as session:
        return list(await session.scalars(select(SupportRequest).order_by(SupportRequest.id)))


def _title(knowledge: IntentMatcher, entry: str, language: str) -> str:
    found = knowledge.answer(entry, language)
    assert found is not None
    return found.title


async def test_unsubscribe_and_also_tell_me_how_answers_both(
    reader: Services, knowledge: IntentMatcher
) -> None:
    """ "and also tell me how …" read as no request at all: the readings question vanished."""
    reply = await handle(
        telegram("Unsubscribe me from the news, and also tell me how to submit meter readings"), reader
    )
    assert reply.language == "en"
    assert "you will not receive our news e-mails any more" in reply.text
    assert _title(knowledge, READINGS_HOW, "en") in reply.text
    assert await _items(reader) == []


async def test_otpishite_i_eshchyo_podskazhite_answers_both(
    reader: Services, knowledge: IntentMatcher
) -> None:
    """ "…, и ещё подскажите, как …" was no cut: the whole sentence read as the readings question
    and the unsubscribe it opened with was silently dropped."""
    reply = await handle(
        telegram("Отпишите меня от новостей, и ещё подскажите, как подать показания счётчиков"), reader
    )
    assert reply.language == "ru"
    assert "Вы больше не будете получать наши новостные письма" in reply.text
    assert _title(knowledge, READINGS_HOW, "ru") in reply.text
    assert await _items(reader) == []


async def test_a_latvian_request_after_un_vel_is_cut_too(reader: Services, knowledge: IntentMatcher) -> None:
    reply = await handle(
        telegram("Atrakstiet mani no jaunumiem un vēl pastāstiet, kā iesniegt skaitītāju rādījumus"), reader
    )
    assert "Jūs vairs nesaņemsiet mūsu jaunumu e-pastus" in reply.text
    assert _title(knowledge, READINGS_HOW, "lv") in reply.text


async def test_a_question_asked_as_tell_me_where_is_never_dropped(
    reader: Services, knowledge: IntentMatcher
) -> None:
    """ "Подскажите пожалуйста, где хранятся мои данные" has no question mark and no question word
    first: it counted as no question, and only the retention question after it was answered."""
    first = "Подскажите пожалуйста, где хранятся мои данные"
    reply = await handle(telegram(f"Добрый день. {first} и как долго вы их храните?"), reader)
    assert _title(knowledge, "privacy-retention", "ru") in reply.text
    answered_where = _title(knowledge, "data-location", "ru") in reply.text
    if not answered_where:  # not sure of it: then a person has it, never nobody
        (item,) = await _items(reader)
        assert item.id == reply.request_id and first in item.summary


async def test_a_goodbye_in_latin_letter_russian_is_no_queue_item(reader: Services) -> None:
    """ "spasibo bolshoe, vsego dobrogo" read as a question (late fees, 35) and went to a person
    with a promise to answer within two days."""
    asked = await handle(telegram("privet, skolko stoit bumazhnyj schet?"), reader)
    bye = await handle(telegram("spasibo bolshoe, vsego dobrogo"), reader)
    assert bye.language == "ru" and bye.request_id is None
    assert bye.text == "Пожалуйста! Пишите в любое время, если у Вас появится вопрос."
    assert asked.request_id is None and await _items(reader) == []
