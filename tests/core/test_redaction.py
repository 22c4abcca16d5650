"""Redaction: property-based checks that personal data never survives, and ordinary text does."""

from __future__ import annotations

import logging
import secrets
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.core.redaction import (
    CARD,
    IBAN,
    PERSONAL_CODE,
    TOKEN,
    RedactingFilter,
    mask_email,
    redact,
)

SEPARATORS = st.sampled_from([" ", ", ", ": ", "\n", " (", ") "])
WORDS = st.text(alphabet=string.ascii_letters + "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ .,!?", max_size=40)


@st.composite
def old_codes(draw: st.DrawFn) -> str:
    day = draw(st.integers(1, 31))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    serial = draw(st.integers(0, 99999))
    dash = draw(st.sampled_from(["-", "", "–"]))
    return f"{day:02d}{month:02d}{year:02d}{dash}{serial:05d}"


@st.composite
def new_codes(draw: st.DrawFn) -> str:
    second = draw(st.integers(2, 9))
    rest = draw(st.integers(0, 9999))
    serial = draw(st.integers(0, 99999))
    dash = draw(st.sampled_from(["-", ""]))
    return f"3{second}{rest:04d}{dash}{serial:05d}"


def _luhn_complete(prefix: str) -> str:
    for check in "0123456789":
        candidate = prefix + check
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    length = draw(st.sampled_from([15, 16, 19]))
    first = draw(st.sampled_from("3456"))
    body = draw(st.text(alphabet=string.digits, min_size=length - 2, max_size=length - 2))
    number = _luhn_complete(first + body)
    if draw(st.booleans()):
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


def _iban(country: str, bban: str) -> str:
    numeric = "".join(str(int(char, 36)) for char in (bban + country + "00"))
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


@st.composite
def ibans(draw: st.DrawFn) -> str:
    country, bank_letters, digits = draw(
        st.sampled_from([("LV", 4, 13), ("DE", 0, 18), ("LT", 0, 16), ("EE", 0, 16), ("FR", 0, 23)])
    )
    bank = draw(st.text(alphabet=string.ascii_uppercase, min_size=bank_letters, max_size=bank_letters))
    account = draw(st.text(alphabet=string.digits, min_size=digits, max_size=digits))
    iban = _iban(country, bank + account)
    if draw(st.booleans()):
        iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    if draw(st.booleans()):
        iban = iban.lower()
    return iban


def _embedded(secret: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, str]]:
    return st.tuples(WORDS, secret, SEPARATORS, WORDS).map(
        lambda parts: (parts[1], parts[0] + " " + parts[1] + parts[2] + parts[3])
    )


@settings(deadline=None)  # CI machines are shared; timing is not the property
@given(_embedded(st.one_of(old_codes(), new_codes())))
def test_personal_codes_never_survive(case: tuple[str, str]) -> None:
    code, text = case
    out = redact(text)
    assert code not in out
    assert PERSONAL_CODE in out


@settings(deadline=None)  # CI machines are shared; timing is not the property
@given(_embedded(card_numbers()))
def test_card_numbers_never_survive(case: tuple[str, str]) -> None:
    card, text = case
    out = redact(text)
    assert card not in out
    assert CARD in out or IBAN in out or PERSONAL_CODE in out


@settings(deadline=None)  # CI machines are shared; timing is not the property
@given(_embedded(ibans()))
def test_ibans_never_survive(case: tuple[str, str]) -> None:
    iban, text = case
    out = redact(text)
    assert iban not in out
    assert IBAN in out


@settings(max_examples=50, deadline=None)
@given(WORDS, WORDS)
def test_link_tokens_never_survive(before: str, after: str) -> None:
    token = secrets.token_urlsafe(32)
    out = redact(f"{before} https://t.me/KlientiemBot?start={token} {after}")
    assert token not in out
    assert TOKEN in out


@settings(deadline=None)  # CI machines are shared; timing is not the property
@given(st.text(alphabet=string.ascii_letters + "āčēģīķļņšūžЖжЯя .,;:!?()\n-", max_size=300))
def test_text_without_digits_is_untouched(text: str) -> None:
    assert redact(text) == text


@settings(deadline=None)  # CI machines are shared; timing is not the property
@given(st.text(max_size=200))
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text, emails=True)
    assert redact(once, emails=True) == once


def test_ordinary_helpdesk_text_is_untouched() -> None:
    text = "Rēķins par 2026-11, summa 45,20 EUR, termiņš 15.12.2026. Brīvības iela 1-12, Rīga LV-1010."
    assert redact(text) == text


def test_impossible_dates_are_not_personal_codes() -> None:
    assert redact("ref 999999-12345") == "ref 999999-12345"


def test_invalid_luhn_is_not_a_card() -> None:
    assert redact("order 1234 5678 9012 3456") == "order 1234 5678 9012 3456"


def test_emails_masked_only_on_request() -> None:
    assert redact("write to janis@example.lv") == "write to janis@example.lv"
    assert redact("write to janis@example.lv", emails=True) == "write to [email]"


def test_mask_email() -> None:
    assert mask_email("janis.berzins@gmail.com") == "j***@g***.com"
    assert mask_email("not-an-address") == "***"


def test_redacting_filter_masks_message_args_and_extra(caplog: object) -> None:
    logger = logging.getLogger("test.redaction")
    record = logger.makeRecord(
        "test.redaction",
        logging.INFO,
        __file__,
        1,
        "resident said %s from %s",
        ("kods 010190-12345", "janis@example.lv"),
        None,
        extra={"detail": "IBAN LV80BANK0000435195001"},
    )
    assert RedactingFilter().filter(record)
    message = record.getMessage()
    assert "010190-12345" not in message and "janis@example.lv" not in message
    assert PERSONAL_CODE in message
    assert record.__dict__["detail"] == f"IBAN {IBAN}"


def test_redacting_filter_masks_tracebacks() -> None:
    try:
        raise ValueError("bad value janis@example.lv 010190-12345")
    except ValueError:
        import sys

        record = logging.getLogger("t").makeRecord(
            "t", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    assert RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "janis@example.lv" not in formatted and "010190-12345" not in formatted
    assert "ValueError" in formatted
