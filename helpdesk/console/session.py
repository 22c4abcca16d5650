"""Signed session cookies (HMAC-SHA256 keyed by HELPDESK_SECRET_KEY), no server-side store.

The cookie holds only ids: a random session id (which keys the CSRF token), the signed-in agent's
id, a pending second-factor agent id, the agent's session generation at sign-in (a sign-out, a new
password or second factor, or disabling the agent moves the stored one on, and every older cookie
stops working) and the UI language. It is HttpOnly, SameSite=Strict and
Secure when the console is served over https. Sign-in issues a new session id (no fixation) and the
cookie stops being accepted after ``MAX_AGE`` whatever its browser expiry says.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

# Re-exported: the session and CSRF keys are derived where every per-purpose key is.
from helpdesk.core.secrets import derive_key as derive_key

COOKIE = "hd_session"
MAX_AGE = 12 * 3600


@dataclass
class Session:
    sid: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    agent_id: int | None = None
    pending_agent_id: int | None = None  # password accepted, TOTP code still to come
    generation: int = 0  # the agent's ``session_generation`` when the password was accepted
    language: str | None = None
    issued: int = field(default_factory=lambda: int(time.time()))
    dirty: bool = False

    def rotate(self) -> None:
        """New id and age: called at sign-in and sign-out."""
        self.sid = secrets.token_urlsafe(18)
        self.issued = int(time.time())
        self.dirty = True

    def as_payload(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("dirty")
        return data


def _sign(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def encode(key: bytes, session: Session) -> str:
    body = base64.urlsafe_b64encode(json.dumps(session.as_payload(), separators=(",", ":")).encode())
    text = body.decode().rstrip("=")
    return f"{text}.{_sign(key, text)}"


def decode(key: bytes, value: str, *, now: float | None = None) -> Session | None:
    """The session in a cookie value, or None if it is forged, malformed or too old."""
    body, _, signature = value.partition(".")
    if not body or not hmac.compare_digest(_sign(key, body), signature):
        return None
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        data = json.loads(raw)
        session = Session(
            sid=str(data["sid"]),
            agent_id=_optional_int(data.get("agent_id")),
            pending_agent_id=_optional_int(data.get("pending_agent_id")),
            generation=int(data.get("generation", 0)),  # cookies from before revision 0009 carry none
            language=str(data["language"]) if data.get("language") else None,
            issued=int(data["issued"]),
        )
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
    current = time.time() if now is None else now
    if not 0 <= current - session.issued <= MAX_AGE:
        return None
    return session


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def csrf_token(key: bytes, session: Session) -> str:
    return hmac.new(key, f"csrf:{session.sid}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(key: bytes, session: Session, token: str) -> bool:
    return hmac.compare_digest(csrf_token(key, session), token)
