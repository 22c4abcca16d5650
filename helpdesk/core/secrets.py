"""Hashes that let us recognise a secret without keeping it, and keys derived for one use each.

Personal codes are stored only as a keyed HMAC-SHA256 (key: HELPDESK_SECRET_KEY), so a leaked
database cannot be brute-forced over the small space of valid codes without the key. Link tokens,
confirmation codes and API keys have enough entropy for a plain SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

_CODE_SEPARATORS = re.compile(r"[\s\-‐‑–—]")
_PERSONAL_CODE = re.compile(r"\d{11}")
#: The shape of a consent confirmation code, as :func:`new_confirmation_code` makes them.
CONFIRMATION_CODE_DIGITS = 6
_CONFIRMATION_CODE = re.compile(rf"\d{{{CONFIRMATION_CODE_DIGITS}}}")


def normalize_personal_code(code: str) -> str:
    """``010180-12345`` and ``01018012345`` are the same code; raise ValueError if it is not one."""
    compact = _CODE_SEPARATORS.sub("", code)
    if not _PERSONAL_CODE.fullmatch(compact):
        raise ValueError("a personal code has 11 digits (DDMMYY-NNNNN or 32NNNN-NNNNN)")
    return compact


def derive_key(secret_key: bytes, purpose: str) -> bytes:
    """A 256-bit key for one ``purpose`` only, from HELPDESK_SECRET_KEY (HMAC-SHA256 as a PRF).

    Separate keys per use, so a session signature can never double as a CSRF token and the key
    that encrypts TOTP secrets signs nothing. The label says "console" for every purpose because
    session and CSRF keys were derived so before this moved here (changing it signs everyone out).
    """
    return hmac.new(secret_key, f"helpdesk-console:{purpose}".encode(), hashlib.sha256).digest()


def personal_code_hmac(key: bytes, code: str) -> str:
    return hmac.new(key, normalize_personal_code(code).encode(), hashlib.sha256).hexdigest()


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_link_token() -> str:
    """256 bits from the OS CSPRNG, URL-safe (fits Telegram's 64-character deep-link limit)."""
    return secrets.token_urlsafe(32)


def new_confirmation_code() -> str:
    """Six digits: typed by a person from an e-mail; guessing is bounded by attempts and expiry."""
    return f"{secrets.randbelow(10**CONFIRMATION_CODE_DIGITS):0{CONFIRMATION_CODE_DIGITS}d}"


def is_confirmation_code(text: str) -> bool:
    """``text`` has the shape of a code :func:`new_confirmation_code` made (every channel's one rule)."""
    return _CONFIRMATION_CODE.fullmatch(text) is not None
