"""The item page as an agent reads it, over HTTP: the item's own exchange first and the rest of
the conversation folded, buttons the resident pressed by their names (never an internal code), the
resident's language and channel, a reply form in that language whose message names the item, an
audit trail of words instead of codes, and a notice that says whether the resident was told."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.core.deadlines import gdpr_deadline
from helpdesk.core.types import Action, Channel, Inquiry
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.repositories import audit, requests
from tests.console.conftest import NOW, post_form, sign_in
from tests.console.test_item import act, outbox_rows

Client = TestClient[web.Request, web.Application]

GUEST = 222  # a Telegram user linked to no resident


def _telegram(text: str = "", *, action: Action | None = None, **args: str) -> Inquiry:
    return Inquiry(
        channel=Channel.TELEGRAM,
        sender=str(GUEST),
        reply_to=str(GUEST),
        text=text,
        language="ru",
        action=action,
        args={"chat_type": "private", **args},
        message_id=f"tg:{GUEST}:{len(text)}:{action}",
    )


async def _guest_question(services: Services) -> int:
    """A Russian-speaking guest presses buttons, asks something the bot cannot answer, adds to it,
    then presses the menu again: the item is the question and what joined it."""
    await handle(_telegram(action=Action.MENU), services)
    await handle(_telegram(action=Action.INVOICE_PERIOD, period="2026-09"), services)
    reply = await handle(_telegram("Почему счёт за отопление вырос вдвое, не понимаю"), services)
    assert reply.request_id is not None
    joined = await handle(_telegram("Добавлю: квартира 12, дом на улице Лачплеша"), services)
    assert joined.request_id == reply.request_id
    await handle(_telegram(action=Action.MENU), services)
    return reply.request_id


def _section(page: str, marker: str, end: str) -> str:
    return page.split(marker, 1)[1].split(end, 1)[0]


async def test_the_item_exchange_comes_first_and_buttons_read_as_words(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = await _guest_question(services)
    await sign_in(client)
    page = await (await client.get(f"/items/{item}")).text()
    own = _section(page, 'id="exchange"', "</ul>")
    assert "Почему счёт за отопление вырос вдвое" in own and f"(#{item})" in own
    assert "Добавлю: квартира 12" in own
    assert "Pressed" not in own  # the menu and the invoice buttons are not this item's
    history = _section(page, 'id="history"', "</details>")
    assert "The rest of the conversation (messages: 6)" in history
    assert "Pressed: Menu" in history and "Pressed: Invoice for a period · 2026-09" in history
    assert "[menu]" not in page and "[invoice.period" not in page and "{&#39;period&#39;" not in page
    # Who wrote, on which channel, in which language.
    assert "Telegram · 222" in _section(page, 'id="item-channel"', "</dd>")
    assert "Russian" in _section(page, 'id="item-language"', "</dd>")
    trail = _section(page, 'id="trail"', "</table>")
    assert "unidentified sender (Telegram)" in trail and "telegram:222" not in trail
    assert "request received" in trail

    # The reply form is in the resident's language, and says so.
    await act(client, item, "claim")
    page = await (await client.get(f"/items/{item}")).text()
    assert '<option value="ru" selected>Russian (the resident&#39;s)</option>' in page
    assert "The resident writes in Russian: write the reply in Russian too." in page
    await act(client, item, "reply", text="Тариф на отопление вырос с октября.", nonce="r1")
    await act(client, item, "reply", text="The tariff rose in October.", nonce="r2", language="en")
    first, second = await outbox_rows(services)
    assert (first.channel, first.recipient) == ("telegram", str(GUEST))
    assert first.body_text == f"Ответ на Ваш вопрос #{item}\n\nТариф на отопление вырос с октября."
    assert second.body_text == f"Re: your question #{item}\n\nThe tariff rose in October."
    page = await (await client.get(f"/items/{item}")).text()
    assert "Тариф на отопление вырос с октября." in _section(page, 'id="exchange"', "</ul>")

    # In Latvian, the same page in the agent's words.
    await post_form(client, "/language", {"language": "lv", "next": f"/items/{item}"})
    page = await (await client.get(f"/items/{item}")).text()
    history = _section(page, 'id="history"', "</details>")
    assert "Nospiests: Izvēlne" in history and "Nospiests: Rēķins par periodu · 2026-09" in history
    assert "neidentificēts sūtītājs (Telegram)" in page and "krievu" in page


async def test_the_trail_shows_words_for_every_code(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["correction"]
    async with services.sessions() as db, db.begin():
        await audit.record(
            db,
            actor="chat:chat:guest",
            action="request.details_added",
            request_id=item,
            detail={"to": "details", "channel": "chat"},
            now=NOW,
        )
    await sign_in(client)
    trail = _section(await (await client.get(f"/items/{item}")).text(), 'id="trail"', "</table>")
    assert "the resident added details" in trail and "request.details_added" not in trail
    assert "unidentified sender (terminal chat)" in trail and "chat:chat:guest" not in trail


async def test_the_notice_says_whether_and_how_the_resident_was_told(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    access = seeded["access"]  # by e-mail
    await act(client, access, "claim")
    _status, location, _ = await act(client, access, "extend", months="1", reason="archive")
    page = await (await client.get(location)).text()
    notice = _section(page, 'id="done"', "</p>")
    assert "Deadline extended." in notice and "The resident was told by e-mail." in notice

    correction = seeded["correction"]  # on Telegram
    await act(client, correction, "claim")
    fields = {
        "name": "Jānis Bērziņš",
        "address": "Brīvības iela 1-6, Rīga",
        "invoice_email": "janis@example.lv",
        "news_email": "",
        "language": "lv",
    }
    _status, location, _ = await act(client, correction, "correction", decision="apply", **fields)
    notice = _section(await (await client.get(location)).text(), 'id="done"', "</p>")
    assert "Data corrected." in notice and "The resident was told in their Telegram chat." in notice

    # From the terminal chat nothing can be sent: the page says so instead of "resident notified".
    async with services.sessions() as db, db.begin():
        chat_item = await requests.create(
            db,
            kind=RequestKind.CORRECTION,
            channel="chat",
            contact="chat:R-1",
            received_at=NOW - timedelta(days=1),
            deadline_at=gdpr_deadline(NOW - timedelta(days=1)),
            resident_id="R-1",
            summary="Adrese: Brīvības iela 1-7",
            identity=IdentityState.VERIFIED,
            identity_how="terminal chat (operator)",
        )
    await act(client, chat_item.id, "claim")
    fields["address"] = "Brīvības iela 1-7, Rīga"
    status, location, _ = await act(client, chat_item.id, "correction", decision="apply", **fields)
    assert (status, location) == (303, f"/items/{chat_item.id}?done=corrected:none")
    notice = _section(await (await client.get(location)).text(), 'id="done"', "</p>")
    assert "Data corrected." in notice
    assert (
        "The resident was not told: nothing can be sent on this item&#39;s channel (terminal chat)." in notice
    )
    assert "was told" not in notice and "has been told" not in notice
    async with services.sessions() as db:
        (event,) = [e for e in await audit.for_request(db, chat_item.id) if e.action == "correction.applied"]
    assert event.detail["told"] == "none"
    assert await outbox_rows(services) != []  # the other two were sent; this one was not
    assert all(row.request_id != chat_item.id for row in await outbox_rows(services))
    # A made-up outcome in the address is ignored.
    page = await (await client.get(f"/items/{chat_item.id}?done=corrected:pigeon")).text()
    notice = _section(page, 'id="done"', "</p>")
    assert "Data corrected." in notice and "told" not in notice and "pigeon" not in notice
