"""HELPDESK_TELEGRAM_DOCUMENTS on the handler path: ``send`` puts the invoice PDF in the chat,
``email`` mails it to the invoice address on record (once per inquiry) and says so with the address
masked, ``off`` points to the portal. E-mail and the terminal chat are not Telegram: unchanged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.settings import TelegramDocuments
from helpdesk.storage.models import OutboxMessage
from helpdesk.storage.repositories import residents

from .conftest import action

PORTAL = "Rēķinus šajā sarakstē nesūtām. Šo rēķinu varat lejupielādēt portālā"
MAILED = "Dokumentu nosūtījām atsevišķā e-pastā uz Jūsu kontā reģistrēto rēķinu adresi (j***@e***.lv)."


def documents(services: Services, mode: TelegramDocuments) -> Services:
    services.conversation = services.conversation.model_copy(update={"telegram_documents": mode})
    return services


async def outbox(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_send_is_the_default_and_puts_the_pdf_in_the_chat(seeded: Services) -> None:
    assert seeded.conversation.telegram_documents is TelegramDocuments.SEND
    reply = await handle(action(Action.INVOICE), seeded)
    assert [document.invoice_id for document in reply.documents] == ["INV-2025-12-R-1"]
    assert await outbox(seeded) == []


async def test_email_mails_the_pdf_to_the_invoice_address_once(seeded: Services) -> None:
    services = documents(seeded, TelegramDocuments.EMAIL)
    inquiry = action(Action.INVOICE_PERIOD, period="2025-11")
    reply = await handle(inquiry, services)
    assert reply.kind is ReplyKind.ANSWER and reply.documents == ()
    assert reply.text == "Rēķins par 2025. gada novembri\n" + MAILED
    assert "janis@example.lv" not in reply.text and "54,20" not in reply.text
    await handle(inquiry, services)  # the same update again (a webhook redelivery)
    (mail,) = await outbox(services)
    assert (mail.channel, mail.recipient, mail.status) == ("email", "janis@example.lv", "pending")
    assert mail.subject == "Jūsu dokumenti no Klientiem.lv"
    assert "Rēķins par 2025. gada novembri: 54,20" in mail.body_text
    assert mail.headers == {}  # a new message, not a reply to anything
    (attachment,) = mail.attachments
    assert (attachment["invoice_id"], attachment["filename"]) == ("INV-2025-11-R-1", "INV-2025-11-R-1.pdf")
    assert mail.payload["resident_id"] == "R-1"


async def test_email_in_the_residents_language(seeded: Services) -> None:
    services = documents(seeded, TelegramDocuments.EMAIL)
    await handle(action(Action.LANGUAGE, lang="ru"), services)
    reply = await handle(action(Action.INVOICE), services)
    assert reply.text.startswith("Счёт за декабрь 2025 г.\nМы отправили документ отдельным письмом")
    (mail,) = await outbox(services)
    assert mail.subject == "Ваши документы от Klientiem.lv"


async def test_email_without_an_invoice_address_points_to_the_portal(seeded: Services) -> None:
    services = documents(seeded, TelegramDocuments.EMAIL)
    async with services.sessions() as session, session.begin():
        await residents.upsert(session, resident_id="R-1", name="Jānis Bērziņš", invoice_email=None)
    reply = await handle(action(Action.INVOICE), services)
    assert reply.documents == () and PORTAL in reply.text
    assert await outbox(services) == []


async def test_off_points_to_the_portal_and_sends_nothing(seeded: Services) -> None:
    services = documents(seeded, TelegramDocuments.OFF)
    reply = await handle(action(Action.INVOICE), services)
    assert reply.documents == ()
    assert reply.text.startswith("Rēķins par 2025. gada decembri\n" + PORTAL)
    assert [b.action for b in reply.buttons[0]] == [Action.INVOICE_LIST, Action.MENU]
    assert await outbox(services) == []


@pytest.mark.parametrize("mode", [TelegramDocuments.EMAIL, TelegramDocuments.OFF])
@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.CHAT])
async def test_other_channels_are_not_telegram(
    seeded: Services, mode: TelegramDocuments, channel: Channel
) -> None:
    services = documents(seeded, mode)
    sender = "janis@example.lv" if channel is Channel.EMAIL else "terminal"
    inquiry = Inquiry(
        channel=channel, sender=sender, resident_id="R-1", action=Action.INVOICE, message_id="m-1"
    )
    reply = await handle(inquiry, services)
    # The mailbox's own rule mails the documents; the terminal shows the file: as before.
    assert [document.invoice_id for document in reply.documents] == ["INV-2025-12-R-1"]
    assert await outbox(services) == []
