"""Send a document, reusing the Telegram ``file_id`` this bot got the last time it sent the same bytes.

A cached id saves re-uploading the same invoice to every request; it is valid only for the bot that
uploaded it, and Telegram may forget it, so a :class:`TelegramBadRequest` on a cached id means
"upload again" and the cache is refreshed.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path

from aiogram import Bot
from aiogram.enums import ChatAction
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import FSInputFile, InlineKeyboardMarkup, Message

from helpdesk.core.types import Document
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import telegram as telegram_repo

log = logging.getLogger(__name__)
CAPTION_LIMIT = 1024
MEMO_SIZE = 10_000

# A process-wide memo in front of the table: a file_id stays valid for its bot, so once known it
# saves a database round trip per invoice sent. Forgotten together with the row when rejected.
_memo: OrderedDict[tuple[int, str, str], str] = OrderedDict()


def forget_all() -> None:
    """Empty the memo (tests start each fake Bot API with no files)."""
    _memo.clear()


def _remember(key: tuple[int, str, str], file_id: str) -> None:
    _memo[key] = file_id
    _memo.move_to_end(key)
    while len(_memo) > MEMO_SIZE:
        _memo.popitem(last=False)


async def _cached(services: Services, bot_id: int, key: str, sha256: str) -> str | None:
    memo_key = (bot_id, key, sha256)
    if memo_key in _memo:
        return _memo[memo_key]
    async with services.sessions() as session:
        file_id = await telegram_repo.cached_file_id(session, bot_id=bot_id, document_key=key, sha256=sha256)
    if file_id:
        _remember(memo_key, file_id)
    return file_id


def resolve_path(services: Services, path: Path) -> Path:
    return path if path.is_absolute() else services.storage.invoice_dir / path


async def send_document(
    bot: Bot,
    services: Services,
    chat_id: int,
    document: Document,
    *,
    caption: str | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message:
    """``caption`` (default: the document's own) and ``reply_markup`` let a reply travel as this one
    message: the PDF with its explanation and buttons under it."""
    key = document.invoice_id or document.sha256
    caption = (document.caption if caption is None else caption)[:CAPTION_LIMIT]
    file_id = await _cached(services, bot.id, key, document.sha256)
    if file_id:
        try:
            return await bot.send_document(chat_id, file_id, caption=caption, reply_markup=reply_markup)
        except TelegramBadRequest:
            log.info("cached file_id for document %s rejected; uploading again", key)
            _memo.pop((bot.id, key, document.sha256), None)
            async with services.sessions() as session, write_transaction(session):
                await telegram_repo.forget_file_id(session, bot_id=bot.id, document_key=key)
    await bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)  # uploads can take a moment
    upload = FSInputFile(resolve_path(services, document.path), filename=document.filename)
    sent = await bot.send_document(chat_id, upload, caption=caption, reply_markup=reply_markup)
    if sent.document is not None:
        _remember((bot.id, key, document.sha256), sent.document.file_id)
        async with services.sessions() as session, write_transaction(session):
            await telegram_repo.remember_file_id(
                session,
                bot_id=bot.id,
                document_key=key,
                sha256=document.sha256,
                file_id=sent.document.file_id,
            )
    return sent
