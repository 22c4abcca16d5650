"""Queries for the bot's own tables: the (bot, document) → file_id cache and the chosen language.

The chosen language is read with the conversation (``conversations.continue_or_start``), in the
one statement an update costs before its handler runs.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.telegram import TelegramChatLanguage, TelegramFile


async def cached_file_id(session: AsyncSession, *, bot_id: int, document_key: str, sha256: str) -> str | None:
    """The file_id this bot got when it last uploaded these exact bytes, if any."""
    row = await session.get(TelegramFile, (bot_id, document_key))
    if row is None or row.sha256 != sha256:
        return None
    return row.file_id


async def remember_file_id(
    session: AsyncSession, *, bot_id: int, document_key: str, sha256: str, file_id: str
) -> None:
    """Upsert; a concurrent writer for the same key wins harmlessly (both ids are valid)."""
    row = await session.get(TelegramFile, (bot_id, document_key))
    if row is None:
        try:
            async with session.begin_nested():
                session.add(
                    TelegramFile(bot_id=bot_id, document_key=document_key, sha256=sha256, file_id=file_id)
                )
        except IntegrityError:
            return
    else:
        row.sha256 = sha256
        row.file_id = file_id


async def forget_file_id(session: AsyncSession, *, bot_id: int, document_key: str) -> None:
    """Called when Telegram rejects a cached id (deleted, or uploaded by another bot)."""
    await session.execute(
        delete(TelegramFile).where(TelegramFile.bot_id == bot_id, TelegramFile.document_key == document_key)
    )


async def choose_language(session: AsyncSession, telegram_user_id: int, language: str) -> None:
    row = await session.get(TelegramChatLanguage, telegram_user_id)
    if row is None:
        try:
            async with session.begin_nested():
                session.add(TelegramChatLanguage(telegram_user_id=telegram_user_id, language=language))
        except IntegrityError:
            row = await session.get(TelegramChatLanguage, telegram_user_id)
    if row is not None:
        row.language = language
