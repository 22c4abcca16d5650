"""Queue a Telegram message in the outbox (agent answers, and bot replies that could not be sent).

Importable without aiogram: :mod:`helpdesk.app` plugs :func:`queue_message` into core's outbox
port, through which casework and the jobs send. :mod:`helpdesk.bot.delivery` sends
what is due, so a Telegram outage delays a message and never loses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.ports import OutboundMessage
from helpdesk.core.types import Document
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.repositories import outbox

CHANNEL = "telegram"
SENDER_LOCK = "telegram-outbox"  # the leadership the bot holds while it sends the outbox
TELEGRAM_TEXT_LIMIT = 4096


def document_to_attachment(document: Document) -> dict[str, Any]:
    return {
        "path": str(document.path),
        "filename": document.filename,
        "caption": document.caption,
        "sha256": document.sha256,
        "content_type": document.content_type,
        "invoice_id": document.invoice_id,
        "personal": document.personal,
    }


async def enqueue_telegram_message(
    session: AsyncSession,
    *,
    chat_id: int | str,
    text: str,
    documents: Sequence[Document] = (),
    request_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Add a message for ``chat_id`` to the outbox (idempotent on ``dedupe_key``); the caller commits."""
    chat = str(int(chat_id))  # validates: a chat id is an integer
    message: OutboxMessage = await outbox.enqueue(
        session,
        channel=CHANNEL,
        recipient=chat,
        body_text=text,
        attachments=[document_to_attachment(d) for d in documents],
        dedupe_key=dedupe_key,
        request_id=request_id,
    )
    return message


async def queue_message(session: AsyncSession, message: OutboundMessage) -> None:
    """Core's outbox port for Telegram: the recipient is the chat id; there is no subject or thread."""
    await enqueue_telegram_message(
        session,
        chat_id=message.recipient,
        text=message.text,
        documents=message.documents,
        request_id=message.request_id,
        dedupe_key=message.dedupe_key,
    )
