"""Queries for the bot's own tables: the (bot, document) → file_id cache and the chosen language."""

from __future__ import annotations

from sqlalchemy import BigInteger, Select, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from helpdesk.storage.models.residents import TelegramLink
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


async def chosen_language(session: AsyncSession, telegram_user_id: int) -> str | None:
    """The language this person picked in the bot, else the one stored on their link, else None."""
    picked = (
        select(TelegramChatLanguage.language)
        .where(TelegramChatLanguage.telegram_user_id == telegram_user_id)
        .scalar_subquery()
    )
    on_link = (
        select(TelegramLink.language)
        .where(TelegramLink.telegram_user_id == telegram_user_id)
        .scalar_subquery()
    )
    row = (await session.execute(select(picked, on_link))).one()
    return row[0] or row[1] or None


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


def _profile_statement() -> Select[tuple[str | None, str | None, str | None]]:
    uid = bindparam("uid", type_=BigInteger)
    resident = select(TelegramLink.resident_id).where(TelegramLink.telegram_user_id == uid).scalar_subquery()
    on_link = select(TelegramLink.language).where(TelegramLink.telegram_user_id == uid).scalar_subquery()
    picked = (
        select(TelegramChatLanguage.language)
        .where(TelegramChatLanguage.telegram_user_id == uid)
        .scalar_subquery()
    )
    return select(resident, picked, on_link)


_PROFILE = _profile_statement()  # built once: this runs for every update


async def profile(
    connection: AsyncSession | AsyncConnection, telegram_user_id: int
) -> tuple[str | None, str | None]:
    """(resident id of this user's link, chosen language) in one round trip, for every update.

    The resident rule is the one of ``helpdesk.handlers.identify.resident_for_telegram`` (a link row
    for this Telegram user id); reading it together with the language saves a query per update, and
    a plain connection (no ORM session) keeps it cheap.
    """
    row = (await connection.execute(_PROFILE, {"uid": telegram_user_id})).one()
    return row[0], (row[1] or row[2] or None)
