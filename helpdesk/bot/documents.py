"""Send a document, reusing the Telegram ``file_id`` this bot got the last time it sent the same bytes.

A cached id saves re-uploading the same invoice to every request; it is valid only for the bot that
uploaded it, and Telegram may forget it, so a :class:`TelegramBadRequest` on a cached id means
"upload again" and the cache is refreshed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import FSInputFile, Message

from helpdesk.core.services import Services
from helpdesk.core.types import Document
from helpdesk.storage.repositories import telegram as telegram_repo

log = logging.getLogger(__name__)
CAPTION_LIMIT = 1024


def resolve_path(services: Services, path: Path) -> Path:
    return path if path.is_absolute() else services.settings.invoice_dir / path


async def send_document(bot: Bot, services: Services, chat_id: int, document: Document) -> Message:
    key = document.invoice_id or document.sha256
    caption = document.caption[:CAPTION_LIMIT]
    async with services.sessions() as session:
        file_id = await telegram_repo.cached_file_id(
            session, bot_id=bot.id, document_key=key, sha256=document.sha256
        )
    if file_id:
        try:
            return await bot.send_document(chat_id, file_id, caption=caption)
        except TelegramBadRequest:
            log.info("cached file_id for document %s rejected; uploading again", key)
            async with services.sessions.begin() as session:
                await telegram_repo.forget_file_id(session, bot_id=bot.id, document_key=key)
    upload = FSInputFile(resolve_path(services, document.path), filename=document.filename)
    sent = await bot.send_document(chat_id, upload, caption=caption)
    if sent.document is not None:
        async with services.sessions.begin() as session:
            await telegram_repo.remember_file_id(
                session,
                bot_id=bot.id,
                document_key=key,
                sha256=document.sha256,
                file_id=sent.document.file_id,
            )
    return sent
