"""Another company's news or records, asked about in the chat or by mail: we can act only on ours.
Found on a walk through ``helpdesk chat`` (messages written for these tests): a request to stop a
sports club's or a gym's newsletter got our own news buttons without a word that we cannot touch the
club's list. The reply now says so first, in the resident's language, and then offers ours in case
ours were meant; one handler path, so Telegram and e-mail read the same."""

from __future__ import annotations

from helpdesk.core.types import Action, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services

from .conftest import email, telegram

_NOTE_LV = "Par citas firmas jaunumiem vai datiem, lūdzu, vērsieties tajā firmā."
_NOTE_RU = "По рассылке или данным другой компании, пожалуйста, обратитесь в эту компанию."


def _actions(reply: object) -> set[Action]:
    return {button.action for row in reply.buttons for button in row}  # type: ignore[attr-defined]


async def test_a_clubs_newsletter_says_we_cannot_and_offers_ours(reader: Services) -> None:
    reply = await handle(telegram("Atrakstiet mani no sporta kluba jaunumiem"), reader)
    assert reply.kind is ReplyKind.QUESTION
    assert reply.text.startswith("Es varu pārvaldīt tikai Klientiem.lv") and _NOTE_LV in reply.text
    assert "Ja domājāt mūsējos" in reply.text
    assert Action.CONSENT_WITHDRAW in _actions(reply)  # offered, never run


async def test_the_same_by_mail(reader: Services) -> None:
    reply = await handle(email("Atrakstiet mani no sporta kluba jaunumiem", message_id="<club@x>"), reader)
    assert _NOTE_LV in reply.text and Action.CONSENT_WITHDRAW in _actions(reply)


async def test_a_russian_fitness_club_with_a_second_question(reader: Services) -> None:
    reply = await handle(telegram("Отпишите меня от рассылки фитнес клуба, и где мой счёт?"), reader)
    assert reply.language == "ru" and _NOTE_RU in reply.text


async def test_our_own_news_get_no_such_note(reader: Services) -> None:
    reply = await handle(telegram("Atrakstiet mani no jūsu jaunumiem"), reader)
    assert _NOTE_LV not in reply.text
    reply = await handle(telegram("Nav pienācis rēķins, kur tas ir?"), reader)
    assert _NOTE_LV not in reply.text
