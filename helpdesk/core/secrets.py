"""Hashes that let us recognise a secret without keeping it.

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


def normalize_personal_code(code: str) -> str:
    """``010180-12345`` and ``01018012345`` are the same code; raise ValueError if it is not one."""
    compact = _CODE_SEPARATORS.sub("", code)
    if not _PERSONAL_CODE.fullmatch(compact):
        raise ValueError("a personal code has 11 digits (DDMMYY-NNNNN or 32NNNN-NNNNN)")
    return compact


def personal_code_hmac(key: bytes, code: str) -> str:
    return hmac.new(key, normalize_personal_code(code).encode(), hashlib.sha256).hexdigest()


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_link_token() -> str:
    """256 bits from the OS CSPRNG, URL-safe (fits Telegram's 64-character deep-link limit)."""
    return secrets.token_urlsafe(32)


def new_confirmation_code() -> str:
    """Six digits: typed by a person from an e-mail; guessing is bounded by attempts and expiry."""
    return f"{secrets.randbelow(1_000_000):06d}"
