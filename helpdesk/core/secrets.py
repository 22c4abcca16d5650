"""Hashes that let us recognise a secret without keeping it, and keys derived for one use each.

Personal codes and e-mail confirmation codes are stored only as a keyed HMAC-SHA256 (keys from
HELPDESK_SECRET_KEY), so a leaked database cannot be brute-forced over their small spaces without
the key: a six-digit code hashed unkeyed fell to a million guesses in under a second. Link tokens
and API keys have enough entropy for a plain SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from collections import Counter
from itertools import pairwise

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


MIN_KEY_BYTES = 32
MIN_KEY_CHARACTERS = 8  # different characters; a random hex key of 32 has 14 on average
MIN_KEY_BITS = 80  # length x entropy per character of its own character frequencies
#: A piece seen twice is a pattern when chance would repeat it less than once in 2**40 random keys.
_CHANCE_BITS = 40
#: Words (a capital only before a small letter) and separators. One alternative per character: the
#: nested form ``(?:[A-Z]?[a-z]+|…)+`` backtracked exponentially on a near miss (3 s of CPU at start-up
#: for a 34-character key of letters ending in digits, doubling with each further letter).
_WORDS_ONLY = re.compile(r"(?:[a-z]|[A-Z](?=[a-z])|[ \-_.,])+")


def weak_key_reason(key: str) -> str | None:
    """Why ``key`` is too weak to be HELPDESK_SECRET_KEY, or None when it passes.

    The key signs the console's cookies: with a guessable one (``k3y`` was recovered from a cookie
    in 0.2 s) anyone can forge an admin session. A check cannot measure randomness; it refuses what
    is visibly not random: under 32 bytes; fewer than 8 different characters; a piece that occurs
    twice where chance would not repeat it (``change-me-change-me-…``, see
    :func:`repeated_piece_length`); two thirds runs like ``abcd``/``1111``/``4321``; letters and
    separators only (words, passphrases); or under 80 bits by the frequency of its own characters
    (few characters, often repeated). ``secrets.token_urlsafe(48)``,
    ``token_hex(32)`` and ``openssl rand -base64 32`` pass (of a million ``token_hex(16)`` keys,
    the shortest random kind that is long enough, none was refused).
    """
    size = len(key.encode())
    if size < MIN_KEY_BYTES:
        return f"is too short ({size} bytes; at least {MIN_KEY_BYTES} of random text)"
    distinct = len(set(key))
    if distinct < MIN_KEY_CHARACTERS:
        return f"has too few different characters ({distinct}; at least {MIN_KEY_CHARACTERS})"
    if _repeats_a_piece(key):
        return "repeats a piece of itself; it must be random"
    steps = sum(abs(ord(b) - ord(a)) <= 1 for a, b in pairwise(key))
    if steps * 3 > (len(key) - 1) * 2:
        return "is mostly a run of neighbouring characters; it must be random"
    if _WORDS_ONLY.fullmatch(key):
        return "is made of words; it must be random"
    counts = Counter(key)
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if bits < MIN_KEY_BITS:
        return "repeats too few characters too often to be random"
    return None


def repeated_piece_length(key: str) -> int:
    """How long a piece of ``key`` must be before seeing it twice says "pattern", not "chance".

    A fixed 8 characters refused one random ``token_hex(32)`` key in about 2.7 million (57 pieces of
    32 bits). Two given pieces of L characters drawn from an alphabet of A agree with chance A**-L,
    and the key's own different characters are at most A, so L is chosen to make the number of pairs
    times ``distinct**-L`` at most ``2**-40``: 13 hex characters for a 64-character hex key, 15 for
    ``change-me-change-me-change-me-2026`` (whose 10-character period repeats 24).
    """
    pairs = len(key) * (len(key) - 1) / 2
    bits_per_character = math.log2(max(len(set(key)), 2))
    return math.ceil((math.log2(max(pairs, 1)) + _CHANCE_BITS) / bits_per_character)


def _repeats_a_piece(key: str) -> bool:
    size = repeated_piece_length(key)
    pieces = [key[index : index + size] for index in range(len(key) - size + 1)]
    return len(set(pieces)) < len(pieces)


def personal_code_hmac(key: bytes, code: str) -> str:
    return hmac.new(key, normalize_personal_code(code).encode(), hashlib.sha256).hexdigest()


#: :func:`derive_key`'s purpose for the key of :func:`confirmation_code_hmac`.
CONFIRMATION_CODE_KEY = "confirmation-code"


def confirmation_code_hmac(secret_key: bytes, resident_id: str, code: str) -> str:
    """What is stored of a consent confirmation code: HMAC-SHA256 of ``resident:code`` under a key
    derived from HELPDESK_SECRET_KEY for this use only (the resident in it keeps two residents'
    equal codes apart)."""
    key = derive_key(secret_key, CONFIRMATION_CODE_KEY)
    return hmac.new(key, f"{resident_id}:{code}".encode(), hashlib.sha256).hexdigest()


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
