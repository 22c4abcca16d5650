"""HELPDESK_TELEGRAM_DOCUMENTS through the real webhook and the fake Bot API: with ``email`` or
``off`` no PDF reaches Telegram; the chat says where the invoice went, or where to find it."""

from __future__ import annotations

from sqlalchemy import select

from helpdesk.settings import TelegramDocuments
from helpdesk.storage.models import OutboxMessage
from tests.bot.conftest import LINKED_USER, BotHarness
from tests.bot.fake_api import message


def _mode(harness: BotHarness, mode: TelegramDocuments) -> None:
    services = harness.services
    services.conversation = services.conversation.model_copy(update={"telegram_documents": mode})


async def _outbox(harness: BotHarness) -> list[OutboxMessage]:
    async with harness.services.sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_send_is_a_telegram_document(harness: BotHarness) -> None:
    await harness.send(message(LINKED_USER, "/invoice"))
    (reply,) = harness.fake.sent_to(LINKED_USER)
    assert reply.method == "sendDocument"


async def test_email_mails_the_invoice_and_the_chat_says_where(harness: BotHarness) -> None:
    _mode(harness, TelegramDocuments.EMAIL)
    await harness.send(message(LINKED_USER, "/invoice"))
    assert harness.fake.of("sendDocument") == []
    (reply,) = harness.fake.sent_to(LINKED_USER)
    assert reply.method == "sendMessage"
    assert reply.text.startswith("Rēķins par 2025. gada decembri\nDokumentu nosūtījām atsevišķā e-pastā")
    assert "(j***@e***.lv)" in reply.text and "janis@example.lv" not in reply.text
    assert [b["text"] for b in reply.buttons()] == ["Visi rēķini", "Izvēlne"]
    (mail,) = await _outbox(harness)
    assert (mail.channel, mail.recipient) == ("email", "janis@example.lv")
    assert [a["invoice_id"] for a in mail.attachments] == ["INV-2025-12-R-1"]


async def test_off_points_to_the_portal(harness: BotHarness) -> None:
    _mode(harness, TelegramDocuments.OFF)
    await harness.send(message(LINKED_USER, "/invoice"))
    assert harness.fake.of("sendDocument") == []
    (reply,) = harness.fake.sent_to(LINKED_USER)
    assert "Šo rēķinu varat lejupielādēt portālā" in reply.text
    assert await _outbox(harness) == []
