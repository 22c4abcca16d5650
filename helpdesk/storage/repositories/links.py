"""Telegram links and the one-time tokens that create them.

Only the SHA-256 of a token is stored. Consumption is one conditional UPDATE (unused and unexpired
in the WHERE clause), so two concurrent confirmations of one token cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.secrets import new_link_token, sha256_hex
from helpdesk.storage.models.residents import LinkToken, TelegramLink


async def mint(
    session: AsyncSession, *, resident_id: str, ttl_minutes: int, now: datetime
) -> tuple[str, LinkToken]:
    """A new token for the resident; the plain token is returned once and never stored."""
    token = new_link_token()
    row = LinkToken(
        token_hash=sha256_hex(token),
        resident_id=resident_id,
        created_at=now,
        expires_at=now + timedelta(minutes=ttl_minutes),
    )
    session.add(row)
    await session.flush()
    return token, row


async def find_hash(session: AsyncSession, digest: str) -> LinkToken | None:
    """The token's row by its SHA-256, whatever its state (the caller tells expired from used from
    valid); the token itself is stored nowhere, and a confirmation button keeps only the hash."""
    return (await session.scalars(select(LinkToken).where(LinkToken.token_hash == digest))).first()


async def consume_hash(session: AsyncSession, digest: str, *, used_by: str, now: datetime) -> str | None:
    """Mark the token (by its SHA-256) used if it is still unused and unexpired; returns its resident
    id, or None (one conditional UPDATE: two confirmations at once consume it once)."""
    result = await session.execute(
        update(LinkToken)
        .where(LinkToken.token_hash == digest, LinkToken.used_at.is_(None), LinkToken.expires_at > now)
        .values(used_at=now, used_by=used_by)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        return None
    return (
        await session.scalars(select(LinkToken.resident_id).where(LinkToken.token_hash == digest))
    ).first()


async def for_user(session: AsyncSession, telegram_user_id: int) -> TelegramLink | None:
    return (
        await session.scalars(select(TelegramLink).where(TelegramLink.telegram_user_id == telegram_user_id))
    ).first()


async def bind(
    session: AsyncSession,
    *,
    resident_id: str,
    telegram_user_id: int,
    chat_id: int,
    language: str | None,
    now: datetime,
) -> TelegramLink:
    """Link this Telegram user to the resident (replacing an earlier link of the same user)."""
    link = await for_user(session, telegram_user_id)
    if link is None:
        link = TelegramLink(telegram_user_id=telegram_user_id)
        session.add(link)
    link.resident_id = resident_id
    link.chat_id = chat_id
    link.language = language
    link.linked_at = now
    await session.flush()
    return link


async def unbind(session: AsyncSession, telegram_user_id: int) -> bool:
    result = await session.execute(
        delete(TelegramLink).where(TelegramLink.telegram_user_id == telegram_user_id)
    )
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


async def links_of(session: AsyncSession, resident_id: str) -> list[TelegramLink]:
    rows = await session.scalars(select(TelegramLink).where(TelegramLink.resident_id == resident_id))
    return list(rows.all())
