"""Threading in a chat, as residents hold it: a message joins an open item only when it is about
that item. Found on a walk through ``helpdesk chat``; every message here was written for these
tests. Before: the details of a just-filed correction ("Tagad esmu Līga Ozola") were turned away as
out of scope, "any news on my question?" opened a second item, and "ok. can I talk to a real person
please" (eight words) became an empty queue item instead of a question of what to pass on."""

from __future__ import annotations

from helpdesk.core.types import Awaiting, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import RequestKind

from .conftest import telegram
from .test_walk4 import _items


async def test_a_correction_without_the_new_data_asks_for_it_and_the_answer_joins(reader: Services) -> None:
    first = await handle(telegram("Sveiki! Mans uzvārds ir mainījies, lūdzu izlabojiet datus"), reader)
    assert first.awaiting is Awaiting.CORRECTION_DETAILS
    assert "kas ir nepareizi un kā tam jābūt" in first.text
    reply = await handle(telegram("Tagad esmu Līga Ozola"), reader)
    (item,) = await _items(reader)
    assert item.kind == RequestKind.CORRECTION and reply.request_id == item.id
    assert f"#{item.id}" in reply.text and "pievienoju" in reply.text
    assert "Līga Ozola" in str(item.details)


async def test_an_address_after_a_russian_correction_joins_it(reader: Services) -> None:
    first = await handle(telegram("Здравствуйте, я переехала, исправьте, пожалуйста, мой адрес"), reader)
    assert first.awaiting is Awaiting.CORRECTION_DETAILS
    reply = await handle(telegram("Новый адрес: ул. Ленина 5-12, Даугавпилс"), reader)
    (item,) = await _items(reader)
    assert reply.request_id == item.id and "Даугавпилс" in str(item.details)


async def test_a_correction_that_names_the_new_data_asks_nothing(reader: Services) -> None:
    reply = await handle(telegram("Please correct my surname, it is now Ozola"), reader)
    assert reply.awaiting is None
    (item,) = await _items(reader)
    assert "Ozola" in item.summary


async def test_a_new_question_while_details_are_awaited_takes_its_own_path(reader: Services) -> None:
    await handle(telegram("Please correct my personal data, something changed"), reader)
    reply = await handle(telegram("Send me my latest invoice"), reader)
    (item,) = await _items(reader)
    assert reply.request_id != item.id and not item.details


async def test_thanks_bye_while_details_are_awaited_joins_nothing(reader: Services) -> None:
    await handle(telegram("Lūdzu izlabojiet manus datus, kaut kas ir mainījies"), reader)
    await handle(telegram("paldies, uz redzēšanos"), reader)
    (item,) = await _items(reader)
    assert not item.details


async def _open_question(reader: Services, text: str) -> int:
    reply = await handle(telegram(text), reader)
    assert reply.kind is ReplyKind.ESCALATED and reply.request_id is not None
    return reply.request_id


async def test_any_news_on_my_question_joins_the_open_item_in_three_languages(reader: Services) -> None:
    asked = await _open_question(reader, "Mana kaimiņa suns rej naktīs, ko man darīt ar pārvaldnieku?")
    await handle(telegram("Kā iesniegt skaitītāju rādījumus?"), reader)  # not the handover's burst now
    for text in (
        "Я вчера писала про счёт, есть новости по моему вопросу?",
        "Vai ir kas jauns par manu jautājumu?",
        "Hi, any update on my request?",
    ):
        reply = await handle(telegram(text), reader)
        assert reply.request_id == asked, text
    assert [item.id for item in await _items(reader)] == [asked]


async def test_news_about_something_else_is_not_about_the_open_item(reader: Services) -> None:
    asked = await _open_question(reader, "Mana kaimiņa suns rej naktīs, ko man darīt ar pārvaldnieku?")
    await handle(telegram("Kā iesniegt skaitītāju rādījumus?"), reader)  # not the handover's burst now
    reply = await handle(telegram("Are there any news about the new heating tariffs in Riga?"), reader)
    assert reply.request_id != asked


async def test_a_long_bare_wish_for_a_person_asks_what_to_pass_on(reader: Services) -> None:
    for user, text in enumerate(
        (
            "ok. can I talk to a real person please",
            "Labdien! Lūdzu, savienojiet mani ar dzīvu darbinieku, nevis botu",
            "Здравствуйте, можно мне поговорить с живым человеком, пожалуйста",
        ),
        start=901,  # each its own chat: the second would otherwise answer the first's "what?"
    ):
        reply = await handle(telegram(text, user=user, resident=None), reader)
        assert reply.awaiting is Awaiting.HUMAN_QUESTION, text
    assert await _items(reader) == []


async def test_a_short_wish_for_a_person_with_a_subject_is_passed_on(reader: Services) -> None:
    reply = await handle(telegram("gribu runāt ar cilvēku par rēķina summu"), reader)
    (item,) = await _items(reader)
    assert reply.request_id == item.id and "rēķina summu" in item.summary


async def test_details_in_latvian_letters_keep_the_reply_in_the_residents_language(reader: Services) -> None:
    """A name or a street is no language: the details awaited after a Russian correction request
    ("Līga Ozola, Brīvības iela 5") get the "added to your request" reply in Russian."""
    first = await handle(telegram("Здравствуйте, я вышла замуж, исправьте, пожалуйста, мою фамилию"), reader)
    assert first.awaiting is Awaiting.CORRECTION_DETAILS, first.text
    assert first.language == "ru", first.text
    reply = await handle(telegram("Līga Ozola, Brīvības iela 5"), reader)
    (item,) = await _items(reader)
    assert reply.request_id == item.id and "Ozola" in str(item.details)
    assert f"#{item.id}" in reply.text and "pievienoju" not in reply.text
    assert any("а" <= letter <= "я" for letter in reply.text.lower()), reply.text
