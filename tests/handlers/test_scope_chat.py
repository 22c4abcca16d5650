"""Out of scope in a chat, with the shipped knowledge base: a question that names no subject is
small talk (nobody's work until the resident asks for a person), and a withdrawal whose words may
name another sender's letters is asked about, never run. Messages written for this test."""

from __future__ import annotations

from sqlalchemy import select

from helpdesk.core.types import ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import SupportRequest

from .conftest import telegram


async def _items(services: Services) -> list[SupportRequest]:
    async with services.sessions() as session:
        return list(await session.scalars(select(SupportRequest)))


async def test_a_question_of_everyday_words_is_small_talk_not_an_item(reader: Services) -> None:
    reply = await handle(telegram("cik tev gadu?"), reader)
    assert reply.intent == "smalltalk" and reply.request_id is None
    assert "varu palīdzēt tikai ar portālu" in reply.text
    assert await _items(reader) == []


async def test_a_withdrawal_naming_an_unknown_sender_asks_which_was_meant(reader: Services) -> None:
    reply = await handle(telegram("gribu atteikties no žurnāla abonementa"), reader)
    assert reply.intent == "clarify" and reply.kind is ReplyKind.QUESTION
    labels = [button.label for row in reply.buttons for button in row]
    assert labels[0] == "Atteikties no jaunumiem" and labels[-1] == "Nē, jautāt darbiniekam"
    assert await _items(reader) == []  # nothing withdrawn, nothing queued until a tap
