"""One-click unsubscribe tokens (RFC 8058), pure: made and checked with HELPDESK_SECRET_KEY's bytes.

A token is ``<resident id, base64url>.<HMAC-SHA256, base64url>``: it names one resident, cannot be
forged, and needs no database row. The e-mail adapter puts it in ``List-Unsubscribe``; the console's
unsubscribe page hands it to :func:`helpdesk.handlers.consent.withdraw_by_token`. The format, the key
and the label are those of the links already sent, so every link in a resident's inbox keeps working.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

_LABEL = b"klientiem-unsubscribe:"
_LONGEST = 400  # a resident id is short: anything longer is not one of ours


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret_key: bytes, resident_id: str) -> bytes:
    return hmac.new(secret_key, _LABEL + resident_id.encode(), hashlib.sha256).digest()


def make_unsubscribe_token(secret_key: bytes, resident_id: str) -> str:
    return f"{_b64(resident_id.encode())}.{_b64(_mac(secret_key, resident_id))}"


def verify_unsubscribe_token(secret_key: bytes, token: str) -> str | None:
    """The resident id the token was made for, or None for anything forged, cut or garbled."""
    if len(token) > _LONGEST or token.count(".") != 1:
        return None
    encoded_id, encoded_mac = token.split(".")
    try:
        resident_id = _unb64(encoded_id).decode()
        mac = _unb64(encoded_mac)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not resident_id or not hmac.compare_digest(mac, _mac(secret_key, resident_id)):
        return None
    return resident_id
