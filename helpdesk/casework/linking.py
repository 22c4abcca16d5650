"""Minting a Telegram deep link for a resident (``helpdesk link`` and the portal API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.errors import InputError
from helpdesk.settings import Settings
from helpdesk.storage.repositories import links, residents


@dataclass(frozen=True, slots=True)
class LinkInfo:
    token: str
    url: str
    expires_at: datetime

    def as_json(self) -> dict[str, str]:
        return {"token": self.token, "url": self.url, "expires_at": self.expires_at.isoformat()}


def deep_link(settings: Settings, token: str) -> str:
    """``https://t.me/<bot>?start=<token>``: Telegram passes the token to the bot as /start <token>."""
    return f"https://t.me/{settings.telegram_bot_username}?start={token}"


async def mint_link(session: AsyncSession, settings: Settings, resident_id: str, now: datetime) -> LinkInfo:
    if await residents.get(session, resident_id) is None:
        raise InputError(f"resident {resident_id} does not exist")
    token, row = await links.mint(
        session, resident_id=resident_id, ttl_minutes=settings.link_token_ttl_minutes, now=now
    )
    return LinkInfo(token=token, url=deep_link(settings, token), expires_at=row.expires_at)
