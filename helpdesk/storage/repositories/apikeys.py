"""Portal API keys. Only an HMAC of the key is stored: a leaked table cannot authenticate anyone,
and without HELPDESK_SECRET_KEY it cannot even be used to test guesses offline."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.agents import ApiKey

KEY_PREFIX = "hdk_"
_PREFIX_SHOWN = 12


def new_key() -> str:
    """256 random bits; the visible prefix tells a helpdesk key apart in a secrets scanner."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(secret_key: bytes, key: str) -> str:
    return hmac.new(secret_key, key.encode(), hashlib.sha256).hexdigest()


async def add(session: AsyncSession, *, name: str, secret_key: bytes, now: datetime) -> tuple[str, ApiKey]:
    """A new key; the plain key is returned once and never stored."""
    key = new_key()
    row = ApiKey(name=name, prefix=key[:_PREFIX_SHOWN], key_hash=key_digest(secret_key, key), created_at=now)
    session.add(row)
    await session.flush()
    return key, row


async def authenticate(session: AsyncSession, *, key: str, secret_key: bytes, now: datetime) -> ApiKey | None:
    """The live key row for ``key`` (and its last use noted), or None."""
    row = (
        await session.scalars(select(ApiKey).where(ApiKey.key_hash == key_digest(secret_key, key)))
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = now
    await session.flush()
    return row


async def list_all(session: AsyncSession) -> Sequence[ApiKey]:
    return (await session.scalars(select(ApiKey).order_by(ApiKey.id))).all()


async def revoke(session: AsyncSession, *, key_id: int, now: datetime) -> bool:
    result = await session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1
