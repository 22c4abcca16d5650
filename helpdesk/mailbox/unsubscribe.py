"""One-click unsubscribe (RFC 8058) for news-related mail.

The token is ``<resident id, base64url>.<HMAC-SHA256, base64url>`` keyed with the secret key: it
names one resident, cannot be forged, and needs no database row. The console serves
``POST /unsubscribe/{token}`` by calling :func:`withdraw_by_token`. Withdrawing is idempotent: a
second click records nothing new (GDPR Art. 7(3): withdrawing is as easy as giving).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from helpdesk.handlers.consent_text import version_for
from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import audit, consent, residents

EVIDENCE = "list-unsubscribe"
_DOMAIN = b"klientiem-unsubscribe:"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(settings: Settings, resident_id: str) -> bytes:
    return hmac.new(settings.secret_key_bytes(), _DOMAIN + resident_id.encode(), hashlib.sha256).digest()


def make_token(settings: Settings, resident_id: str) -> str:
    return f"{_b64(resident_id.encode())}.{_b64(_mac(settings, resident_id))}"


def verify_token(settings: Settings, token: str) -> str | None:
    """The resident id the token was made for, or None for anything forged, cut or garbled."""
    if len(token) > 400 or token.count(".") != 1:
        return None
    encoded_id, encoded_mac = token.split(".")
    try:
        resident_id = _unb64(encoded_id).decode()
        mac = _unb64(encoded_mac)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not resident_id or not hmac.compare_digest(mac, _mac(settings, resident_id)):
        return None
    return resident_id


def unsubscribe_url(settings: Settings, resident_id: str) -> str | None:
    """The one-click link, or None when the console has no public URL to serve it."""
    if not settings.console_public_url:
        return None
    base = settings.console_public_url.rstrip("/")
    return f"{base}/unsubscribe/{make_token(settings, resident_id)}"


async def withdraw_by_token(services: Services, token: str) -> bool:
    """Withdraw news consent for the token's resident; False for a bad token or unknown resident."""
    resident_id = verify_token(services.settings, token)
    if resident_id is None:
        return False
    now = services.clock()
    async with services.sessions() as session, write_transaction(session):
        resident = await residents.get(session, resident_id)
        if resident is None:
            return False
        row = await consent.current(session, resident_id)
        if row is not None and not row.granted:
            return True  # already withdrawn: a second click changes nothing
        await consent.record(
            session,
            resident_id=resident_id,
            granted=False,
            email=row.email if row else None,
            channel="email",
            evidence=EVIDENCE,
            text_version=version_for(resident.language),
            now=now,
        )
        await audit.record(session, actor=f"resident:{resident_id}", action="consent.withdrawn", now=now)
    return True
