"""TOTP secrets sealed at rest (AES-GCM under a derived key) and codes matched to their time step."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from helpdesk.core import totp
from helpdesk.core.secrets import derive_key

KEY = b"unit-test-secret-key"
NOW = datetime(2026, 1, 31, 10, 0, 10, tzinfo=UTC)


def test_sealed_value_is_versioned_and_does_not_contain_the_secret() -> None:
    secret = totp.new_secret()
    stored = totp.seal(KEY, 7, secret)
    assert stored.startswith("v1:") and secret not in stored
    assert len(stored) <= 200  # the column's width
    assert not totp.is_plaintext(stored)
    assert totp.unseal(KEY, 7, stored) == secret
    assert totp.seal(KEY, 7, secret) != stored  # a fresh nonce every time
    assert totp.storage_of(KEY, 7, stored) is totp.Storage.SEALED


def test_sealed_value_opens_only_with_its_key_and_for_its_agent() -> None:
    stored = totp.seal(KEY, 7, totp.new_secret())
    with pytest.raises(totp.UnreadableSecret):
        totp.unseal(b"another key", 7, stored)
    with pytest.raises(totp.UnreadableSecret):
        totp.unseal(KEY, 8, stored)  # copied onto another agent's row
    assert totp.storage_of(b"another key", 7, stored) is totp.Storage.UNREADABLE
    assert totp.storage_of(None, 7, stored) is totp.Storage.SEALED  # no key: cannot be tried


@pytest.mark.parametrize(
    "stored",
    ["v1:", "v1:AAAA", "v1:!!not base64!!", "v2:abcdef", "not-a-secret", "v1:" + "A" * 40],
)
def test_malformed_or_tampered_values_are_unreadable_not_errors(stored: str) -> None:
    with pytest.raises(totp.UnreadableSecret):
        totp.unseal(KEY, 1, stored)


def test_a_flipped_ciphertext_byte_is_refused() -> None:
    stored = totp.seal(KEY, 1, totp.new_secret())
    body = bytearray(base64.urlsafe_b64decode(stored[3:] + "=" * (-len(stored[3:]) % 4)))
    body[-1] ^= 1
    tampered = "v1:" + base64.urlsafe_b64encode(bytes(body)).decode().rstrip("=")
    with pytest.raises(totp.UnreadableSecret):
        totp.unseal(KEY, 1, tampered)


def test_legacy_plaintext_secret_still_opens() -> None:
    secret = pyotp.random_base32()
    assert totp.is_plaintext(secret)
    assert totp.unseal(KEY, 3, secret) == secret
    assert totp.storage_of(KEY, 3, secret) is totp.Storage.PLAINTEXT
    assert totp.storage_of(KEY, 3, None) is totp.Storage.NONE


def test_the_encryption_key_is_its_own() -> None:
    assert len(derive_key(KEY, "totp-secret")) == 32
    assert derive_key(KEY, "totp-secret") not in (derive_key(KEY, "session"), derive_key(KEY, "csrf"))


def test_seal_refuses_what_is_not_a_secret() -> None:
    with pytest.raises(ValueError, match="base32"):
        totp.seal(KEY, 1, "short")


def test_matching_steps_covers_one_step_either_side() -> None:
    secret = pyotp.random_base32()
    generator = pyotp.TOTP(secret)
    step = generator.timecode(NOW)
    assert totp.matching_steps(secret, generator.at(NOW), now=NOW) == [step]
    assert totp.matching_steps(secret, generator.at(NOW - timedelta(seconds=30)), now=NOW) == [step - 1]
    assert totp.matching_steps(secret, generator.at(NOW + timedelta(seconds=30)), now=NOW) == [step + 1]
    assert totp.matching_steps(secret, generator.at(NOW - timedelta(seconds=60)), now=NOW) == []
    spaced = generator.at(NOW)[:3] + " " + generator.at(NOW)[3:]
    assert totp.matching_steps(secret, spaced, now=NOW) == [step]


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12a456", "１２３４５６"])
def test_codes_that_are_not_six_digits_match_nothing(code: str) -> None:
    assert totp.matching_steps(pyotp.random_base32(), code, now=NOW) == []
