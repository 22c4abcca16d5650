"""Send the Telegram messages that are due in the outbox: agents' answers from the queue, and bot
replies that Telegram refused earlier.

Each message is marked sent only after Telegram accepted it (at least once delivery); a failure is
recorded with :func:`outbox.mark_failed`, which schedules the next attempt with a capped exponential
backoff and gives up after a number of attempts (status "failed", visible to agents). A 429 that
outlasts the retry middleware ends the round: the rest waits for the next one.
aiogram is imported inside the functions, so the jobs process can import this module cheaply.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpdesk.bot.outgoing import CHANNEL
from helpdesk.core.types import Document
from helpdesk.services import Services
from helpdesk.settings import TelegramSettings
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import outbox

if TYPE_CHECKING:
    from aiogram import Bot

    from helpdesk.storage.models.delivery import OutboxMessage

log = logging.getLogger(__name__)
BATCH = 50


def attachment_to_document(item: dict[str, Any]) -> Document:
    return Document(
        path=Path(str(item["path"])),
        filename=str(item.get("filename") or Path(str(item["path"])).name),
        caption=str(item.get("caption") or ""),
        sha256=str(item.get("sha256") or ""),
        content_type=str(item.get("content_type") or "application/pdf"),
        invoice_id=item.get("invoice_id"),
        personal=bool(item.get("personal", True)),
    )


async def _send(bot: Bot, services: Services, message: OutboxMessage) -> None:
    from helpdesk.bot.documents import send_document
    from helpdesk.bot.render import split_text

    chat_id = int(message.recipient)
    if message.body_text.strip():
        for chunk in split_text(message.body_text):
            await bot.send_message(chat_id, chunk)
    for item in message.attachments or []:
        await send_document(bot, services, chat_id, attachment_to_document(item))


async def deliver_due(services: Services, bot: Bot | TelegramSettings, *, limit: int = BATCH) -> int:
    """Send what is due now; returns how many messages were sent. ``bot`` is the running bot, or the
    Telegram settings to build one from when something is due (the outbox-retry job has no bot)."""
    from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter

    async with services.sessions() as session:
        messages: list[OutboxMessage] = await outbox.due(
            session, channel=CHANNEL, now=services.clock(), limit=limit
        )
    if not messages:
        return 0
    own_bot = isinstance(bot, TelegramSettings)
    if isinstance(bot, TelegramSettings):
        from helpdesk.bot.factory import build_bot

        bot = build_bot(bot)
    sent = 0
    try:
        for message in messages:
            try:
                await _send(bot, services, message)
            except (TelegramAPIError, OSError, ValueError) as exc:
                error = f"{type(exc).__name__}"
                if isinstance(exc, TelegramRetryAfter):
                    error += f" retry_after={exc.retry_after}"
                log.warning("outbox message %s to telegram failed: %s", message.id, error)
                async with services.sessions() as session, write_transaction(session):
                    await outbox.mark_failed(session, message.id, error, services.clock())
                if isinstance(exc, TelegramRetryAfter):
                    break
                continue
            async with services.sessions() as session, write_transaction(session):
                await outbox.mark_sent(session, message.id, services.clock())
            sent += 1
    finally:
        if own_bot:
            await bot.session.close()
    if sent:
        log.info("delivered %d telegram message(s) from the outbox", sent)
    return sent
