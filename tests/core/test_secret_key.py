"""HELPDESK_SECRET_KEY: what a generated key looks like passes; what is visibly not random does not."""

from __future__ import annotations

import base64
import os
import re
import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.core.secrets import _WORDS_ONLY, repeated_piece_length, weak_key_reason


@pytest.mark.parametrize(
    "generate",
    [
        lambda: secrets.token_urlsafe(48),  # what the error message suggests
        lambda: secrets.token_urlsafe(32),  # the demo's own
        lambda: secrets.token_hex(32),
        lambda: secrets.token_hex(16),  # 32 hex characters: the shortest random key that is long enough
        lambda: base64.b64encode(os.urandom(32)).decode(),  # openssl rand -base64 32
    ],
)
def test_generated_keys_pass(generate: object) -> None:
    assert callable(generate)
    refused = [key for key in (generate() for _ in range(3000)) if weak_key_reason(key) is not None]
    assert refused == []


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("k3y", "is too short (3 bytes; at least 32 of random text)"),
        ("ā" * 15, "is too short (30 bytes"),  # bytes, not characters
        ("a" * 64, "too few different characters (1; at least 8)"),
        ("passwordpasswordpasswordpassword", "too few different characters (7"),
        ("12345678901234567890123456789012", "repeats a piece"),
        ("change-me-change-me-change-me-2026", "repeats a piece"),
        ("abcdefghijklmnopqrstuvwxyz0123456789", "run of neighbouring characters"),
        ("9876543210zyxwvutsrqponmlkjihgfedcba", "run of neighbouring characters"),
        ("correct horse battery staple extra words", "is made of words"),
        ("ThisIsTheSecretKeyOfTheKlientiemHelpdesk", "is made of words"),
        ("zzzazaaazazzzzzzzazazazaaz1q5w9e3r", "too few characters too often"),
    ],
)
def test_visibly_weak_keys_are_refused(key: str, reason: str) -> None:
    found = weak_key_reason(key)
    assert found is not None and reason in found


#: The rule as first written: words as an optional capital and small letters, or separators.
_WORDS_AS_TOKENS = re.compile(r"(?:[A-Z]?[a-z]+|[ \-_.,])+")


@given(st.text(alphabet="aAzZb -_.,1", max_size=14))
def test_the_words_rule_accepts_what_words_and_separators_make(text: str) -> None:
    """The linear pattern accepts exactly the strings the token form did."""
    assert bool(_WORDS_ONLY.fullmatch(text)) == bool(_WORDS_AS_TOKENS.fullmatch(text))


def test_a_long_near_miss_of_words_is_decided_at_once() -> None:
    """Letters that end in a digit made the nested pattern try every way of cutting them into words:
    3 s for 26 letters, doubling with each further one. 400 letters would never finish."""
    key = "zzzazaaaz" * 44 + "1q5w9e3r"
    assert weak_key_reason(key) == "repeats a piece of itself; it must be random"
    assert _WORDS_ONLY.fullmatch("za" * 200 + "1") is None


@pytest.mark.parametrize(
    ("size", "alphabet"),
    [
        (32, "0123456789abcdef"),
        (64, "0123456789abcdef"),
        (43, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"),
    ],
)
def test_chance_repeats_a_piece_less_than_once_in_a_trillion_keys(size: int, alphabet: str) -> None:
    """The bound the rule promises, for random keys of each kind: every pair of pieces agrees with
    chance ``len(alphabet)**-L``, and the key's own different characters never outnumber the
    alphabet, so the union over pairs stays under 2**-40 whatever characters were drawn."""
    pairs = size * (size - 1) / 2
    for _ in range(200):
        key = "".join(secrets.choice(alphabet) for _ in range(size))
        length = repeated_piece_length(key)
        assert pairs * len(alphabet) ** -length <= 2**-40


def test_the_key_that_was_refused_by_chance_passes() -> None:
    """A ``token_hex(32)``-shaped key like the one the fixed 8-character rule refused in CI (``4e79d2ef``
    twice)."""
    assert weak_key_reason("7544cd0b9f3a1e58c2d6b7a0f9e14e79d2ef614e79d2ef7a3a5c81b09d2f6e3a") is None
