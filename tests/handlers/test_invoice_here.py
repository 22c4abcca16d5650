"""A missing invoice asked after in a chat already linked to a resident. Found on a walk through
``helpdesk chat`` (messages written for these tests): the article told a linked resident "if this
chat is linked to your account, I can send the latest invoice here" and offered nothing. Now a
linked chat gets the invoice itself as a button (the month named, else the latest) and no word about
linking; a chat linked to no one still reads how it could be sent here."""

from __future__ import annotations

from helpdesk.core.types import Action, Button, Reply, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services

from .conftest import email, telegram

_IF_LINKED_LV = "Ja šī sarakste ir piesaistīta Jūsu kontam"
_IF_LINKED_RU = "Если этот чат привязан к Вашей учётной записи"


def _buttons(reply: Reply) -> list[Button]:
    return [button for row in reply.buttons for button in row]


async def test_a_linked_chat_is_offered_the_month_it_names(reader: Services) -> None:
    reply = await handle(telegram("kur ir mans novembra rēķins?"), reader)
    assert reply.intent == "faq:invoice-missing"
    assert _IF_LINKED_LV not in reply.text and "{invoice_here}" not in reply.text
    offered = _buttons(reply)[0]
    assert (offered.action, offered.args) == (Action.INVOICE_PERIOD, {"period": "2025-11"})
    sent = await handle(telegram(action=Action.INVOICE_PERIOD, args=offered.args), reader)
    assert sent.documents and sent.documents[0].invoice_id == "INV-2025-11-R-1"


async def test_a_month_not_on_the_account_offers_the_latest(reader: Services) -> None:
    """R-1 has no October invoice (R-2 has): the latest of R-1's own, never another period."""
    reply = await handle(telegram("kur ir mans oktobra rēķins?"), reader)
    assert _IF_LINKED_LV not in reply.text
    assert Button("Jaunākais rēķins", Action.INVOICE) in _buttons(reply)
    assert not any(b.action is Action.INVOICE_PERIOD for b in _buttons(reply))


async def test_a_chat_linked_to_no_one_reads_how_it_could_be_sent(reader: Services) -> None:
    reply = await handle(telegram("kur ir mans novembra rēķins?", user=222, resident=None), reader)
    assert reply.text.rstrip().endswith(f"{_IF_LINKED_LV}, pēdējo rēķinu varu atsūtīt arī šeit.")
    assert not any(b.action in (Action.INVOICE, Action.INVOICE_PERIOD) for b in _buttons(reply))


async def test_the_russian_question_between_article_and_invoice_offers_that_month(reader: Services) -> None:
    reply = await handle(telegram("где мой счёт за ноябрь?"), reader)
    if reply.kind is ReplyKind.QUESTION:  # which one: the article, or the invoice itself
        assert Button("Счёт за ноябрь 2025 г.", Action.INVOICE_PERIOD, {"period": "2025-11"}) in _buttons(
            reply
        )
    else:
        assert _IF_LINKED_RU not in reply.text
    unlinked = await handle(telegram("где мой счёт за ноябрь?", user=222, resident=None), reader)
    assert not any(b.action is Action.INVOICE_PERIOD for b in _buttons(unlinked))


async def test_a_known_sender_by_mail_is_offered_it_too(reader: Services) -> None:
    reply = await handle(email("Labdien, nav pienācis rēķins par novembri.", message_id="<nov@x>"), reader)
    assert reply.intent.startswith("faq:invoice-missing") and _IF_LINKED_LV not in reply.text
    assert any(b.action is Action.INVOICE_PERIOD for b in _buttons(reply))


async def test_a_second_question_beside_it_keeps_the_offer(reader: Services) -> None:
    reply = await handle(telegram("Nav pienācis rēķins. Kā pieslēgties portālam?"), reader)
    assert _IF_LINKED_LV not in reply.text
    assert any(b.action is Action.INVOICE for b in _buttons(reply))
