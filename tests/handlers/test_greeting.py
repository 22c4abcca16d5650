"""A bare greeting in a chat ("Labdien!", "Здравствуйте", "Hello") is how a resident starts: the
question comes next. It once got the small-talk reply ("I can only help with the portal"); now it
gets the menu, in the greeting's language, and nothing is queued. By e-mail a greeting alone is
still a person's to read. Messages written for this test."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk.core.matching import IntentMatcher, MessageKind, read_message
from helpdesk.core.types import Action, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import SupportRequest

from .conftest import email, telegram


async def _items(services: Services) -> list[SupportRequest]:
    async with services.sessions() as session:
        return list(await session.scalars(select(SupportRequest)))


@pytest.mark.parametrize(
    ("text", "prompt"),
    [
        ("Labdien!", "Kā varu Jums palīdzēt?"),
        ("sveiki", "Kā varu Jums palīdzēt?"),
        ("Здравствуйте", "Чем могу Вам помочь?"),
        ("Добрый день!", "Чем могу Вам помочь?"),
        ("Hello", "How can I help you?"),
    ],
)
async def test_a_bare_greeting_gets_the_menu(reader: Services, text: str, prompt: str) -> None:
    reply = await handle(telegram(text), reader)
    assert reply.intent == Action.MENU and reply.text == prompt
    assert reply.buttons
    assert await _items(reader) == []


async def test_a_greeting_with_a_question_answers_the_question(reader: Services) -> None:
    reply = await handle(telegram("Labdien! Nav pienācis rēķins par novembri"), reader)
    assert reply.intent == "faq:invoice-missing"


async def test_a_mail_of_only_a_greeting_goes_to_a_person(reader: Services) -> None:
    reply = await handle(email("Labdien,\n\nJānis", message_id="<greet@example.lv>"), reader)
    assert reply.kind is ReplyKind.ESCALATED
    assert len(await _items(reader)) == 1


def test_the_reader_calls_a_bare_greeting_a_greeting(knowledge: IntentMatcher) -> None:
    assert read_message(knowledge, "Labdien!").kind is MessageKind.GREETING
    assert read_message(knowledge, "Labdien! Paldies, uz redzēšanos").kind is MessageKind.CLOSING
    assert read_message(knowledge, "Labdien, kā iesniegt rādījumus?").kind is MessageKind.QUESTION


@pytest.mark.parametrize(
    ("text", "reply_text"),
    [
        ("privet", "Чем могу Вам помочь?"),
        ("spasibo", "Пожалуйста! Пишите в любое время, если у Вас появится вопрос."),
    ],
)
async def test_one_russian_word_in_latin_letters_is_answered_in_russian(
    reader: Services, text: str, reply_text: str
) -> None:
    """ "spasibo" alone was read as Latvian (one word was not enough to call Latin letters
    Russian), so the thanks were answered "Lūdzu!"."""
    reply = await handle(telegram(text), reader)
    assert reply.text == reply_text and reply.language == "ru"
