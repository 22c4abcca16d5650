"""Minting a Telegram deep link for a resident (``helpdesk link`` and the portal API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.errors import InputError
from helpdesk.storage.repositories import links, residents


@dataclass(frozen=True, slots=True)
class LinkInfo:
    token: str
    url: str
    expires_at: datetime

    def as_json(self) -> dict[str, str]:
        return {"token": self.token, "url": self.url, "expires_at": self.expires_at.isoformat()}


def deep_link(bot_username: str, token: str) -> str:
    """``https://t.me/<bot>?start=<token>``: Telegram passes the token to the bot as /start <token>."""
    return f"https://t.me/{bot_username}?start={token}"


async def mint_link(
    session: AsyncSession, resident_id: str, now: datetime, *, bot_username: str, ttl_minutes: int
) -> LinkInfo:
    """A one-time token for the resident's deep link. ``bot_username`` is the Telegram group's
    ``HELPDESK_TELEGRAM_BOT_USERNAME`` and ``ttl_minutes`` the conversation group's
    ``HELPDESK_LINK_TOKEN_TTL_MINUTES``: the callers (the portal API, ``helpdesk link``) pass both."""
    if await residents.get(session, resident_id) is None:
        raise InputError(f"resident {resident_id} does not exist")
    token, row = await links.mint(session, resident_id=resident_id, ttl_minutes=ttl_minutes, now=now)
    return LinkInfo(token=token, url=deep_link(bot_username, token), expires_at=row.expires_at)
