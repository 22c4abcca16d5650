"""The agents' second factor: TOTP secrets sealed at rest, codes matched to their time step.

A TOTP secret must be readable by the server to check a code, so it cannot be hashed like a
password; it is encrypted instead, with AES-256-GCM (the ``cryptography`` package) under a key
derived from HELPDESK_SECRET_KEY for this purpose only, so a database dump without the key hands
out no second factor. The agent's id is the associated data: a sealed secret copied onto another
agent's row does not open. A stored value is ``v1:`` + base64url(nonce ‖ ciphertext ‖ tag); the
prefix names the format so it can change later without guessing.

Rows written before encryption hold the bare base32 secret. They still open (``plaintext``) and are
sealed at the agent's next successful sign-in. A value that neither opens nor is base32 (the key
changed, or the row was tampered with) raises :class:`UnreadableSecret`: the caller refuses the
sign-in politely and an admin re-enrols the agent (``helpdesk agents totp NAME``).

Replay (RFC 6238 §5.2): :func:`matching_steps` says which time step a code belongs to, and the
sign-in accepts it only if that step is later than the last one accepted for the agent.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import re
from datetime import datetime
from enum import StrEnum

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from helpdesk.core.secrets import derive_key

VERSION_PREFIX = "v1:"
_KEY_PURPOSE = "totp-secret"
_NONCE_BYTES = 12  # AES-GCM's standard nonce; random per seal (a secret is sealed a handful of times)
_BASE32 = re.compile(r"[A-Z2-7]{16,128}=*")
_CODE = re.compile(r"[0-9]{6}")  # ASCII only: \d would take other scripts' digits
#: One step either side (±30 s) for clock drift between the phone and the server.
VALID_WINDOW = 1
ISSUER = "Klientiem helpdesk"


class UnreadableSecret(Exception):
    """The stored value does not open with this HELPDESK_SECRET_KEY (or is not ours at all)."""


class Storage(StrEnum):
    """How an agent's second factor is stored, for ``helpdesk agents list``."""

    NONE = "none"
    SEALED = "encrypted"
    PLAINTEXT = "plaintext"  # written before encryption; sealed at the next sign-in
    UNREADABLE = "unreadable"  # HELPDESK_SECRET_KEY changed: re-enrol


def new_secret() -> str:
    """160 bits from the OS CSPRNG, base32 (RFC 4226 §4 asks for at least 128)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def _aead(secret_key: bytes) -> AESGCM:
    return AESGCM(derive_key(secret_key, _KEY_PURPOSE))


def _associated_data(agent_id: int) -> bytes:
    return f"agents.totp_secret:{agent_id}".encode()


def seal(secret_key: bytes, agent_id: int, secret: str) -> str:
    """The value to store for ``secret`` (base32) of agent ``agent_id``."""
    if not _BASE32.fullmatch(secret):
        raise ValueError("a TOTP secret is base32 text")
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _aead(secret_key).encrypt(nonce, secret.encode("ascii"), _associated_data(agent_id))
    return VERSION_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")


def is_plaintext(stored: str) -> bool:
    """A secret stored before encryption (base32 never contains the prefix's ``v`` or ``:``)."""
    return _BASE32.fullmatch(stored) is not None


def unseal(secret_key: bytes, agent_id: int, stored: str) -> str:
    """The base32 secret in a stored value; a legacy plaintext value is returned as it is."""
    if is_plaintext(stored):
        return stored
    if not stored.startswith(VERSION_PREFIX):
        raise UnreadableSecret("unknown format")
    body = stored.removeprefix(VERSION_PREFIX)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if len(raw) <= _NONCE_BYTES:
            raise UnreadableSecret("too short")
        opened = _aead(secret_key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _associated_data(agent_id))
        secret = opened.decode("ascii")
    except (binascii.Error, ValueError, InvalidTag, UnicodeDecodeError):
        raise UnreadableSecret("does not open with this key") from None
    if not _BASE32.fullmatch(secret):
        raise UnreadableSecret("not a base32 secret")
    return secret


def storage_of(secret_key: bytes | None, agent_id: int, stored: str | None) -> Storage:
    """Without a key a sealed value cannot be tried, and is reported as encrypted."""
    if not stored:
        return Storage.NONE
    if is_plaintext(stored):
        return Storage.PLAINTEXT
    if secret_key is None:
        return Storage.SEALED if stored.startswith(VERSION_PREFIX) else Storage.UNREADABLE
    try:
        unseal(secret_key, agent_id, stored)
    except UnreadableSecret:
        return Storage.UNREADABLE
    return Storage.SEALED


def clean_code(code: str) -> str | None:
    """The six digits an agent typed (spaces allowed, as apps show ``123 456``), else None."""
    cleaned = code.replace(" ", "").strip()
    return cleaned if _CODE.fullmatch(cleaned) else None


def matching_steps(secret: str, code: str, *, now: datetime) -> list[int]:
    """The time steps of the window around ``now`` whose code is ``code``, earliest first.

    Every step of the window is compared, in constant time. The caller refuses a step at or
    before the last one it accepted (the replay check), so this only says which steps match.
    """
    cleaned = clean_code(code)
    if cleaned is None:
        return []
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    window = range(current - VALID_WINDOW, current + VALID_WINDOW + 1)
    return [step for step in window if hmac.compare_digest(totp.generate_otp(step), cleaned)]
