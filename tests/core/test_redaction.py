"""Redaction: property-based checks that personal data never survives, and ordinary text does."""

from __future__ import annotations

import base64
import logging
import secrets
import string

import pytest
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


# Words as people write them: lower case, Capitalised, UPPER, CamelCase names, with diacritics.
WORD = st.one_of(
    st.text(alphabet=string.ascii_lowercase + "āčēģīķļņšūž", min_size=1, max_size=25),
    st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=25).map(str.capitalize),
    st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=25),
    st.lists(
        st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=8).map(str.capitalize), max_size=5
    ).map("".join),
    st.text(alphabet="жяшщюабвгдеёзийклмнопрстуфхцчъыьэЖЯ", min_size=1, max_size=25),
)


@settings(deadline=None)  # CI machines are shared; timing is not the property
@given(st.lists(st.tuples(WORD, st.sampled_from([" ", "-", ", ", ". ", "\n", "? ", "_", "/"])), max_size=40))
def test_text_made_of_words_is_untouched(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + separator for word, separator in parts)
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


def _urlsafe(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@settings(deadline=None)
@given(st.binary(min_size=32, max_size=32).filter(lambda raw: len(set(raw)) > 8))
def test_any_256_bit_token_never_survives(raw: bytes) -> None:
    """Every urlsafe/standard base64 and hex form of 32 random bytes (short of degenerate ones such as
    all zeros), including the ~1 in 1,500 link tokens without a digit."""
    for token in (_urlsafe(raw), base64.b64encode(raw).decode(), raw.hex()):
        out = redact(f"start={token} ok")
        assert token not in out and TOKEN in out


def test_a_link_token_without_digits_is_masked() -> None:
    token = "tysBYWQBgYJdhdnfVvKbEXmoubnrbgRVa_wKqPzLmNo"  # token_urlsafe(32) can look like this
    assert redact(f"/start {token}") == f"/start {TOKEN}"


@pytest.mark.parametrize(
    "code", ["010180 12345", "321234 12345", "010180–12345", "01018012345", "32123412345", "010180‑12345"]
)
def test_personal_codes_with_a_space_or_a_dash_lookalike(code: str) -> None:
    assert redact(f"mans kods {code}.") == f"mans kods {PERSONAL_CODE}."


@pytest.mark.parametrize(
    "text",
    [
        "zvaniet +37120000000 vai +371 2000 0000",  # +371 then 8 digits: 11 digits like a new code
        "tālrunis 67123456, mobilais 29123456",
        "phone +44 20 7946 0958",
        "summa 1234.56 EUR, 1 234,56 €, 54.20",
        "datums 2026-10-20, 20.10.2026, 2026-10",
        "rēķins INV-2026-10-R-1001 par periodu 2026-10",
        "fails /srv/helpdesk/var/invoices/R-1001/INV-2026-11-R-1001.pdf",
        "https://klientiem.lv/api/v1/residents/R-1001/Invoices",
        "pasta indekss LV-1050, Rīga",
        "skaitītājs 12345678901",  # month 34: not a date
        "ziņa chat:550e8400-e29b-41d4-a716-446655440000",
        "ConnectionRefusedErrorWasRaisedHere HTTPServerErrorWasRaised helpdesk_test_12345_abcdef12",
    ],
)
def test_phones_amounts_dates_ids_and_paths_are_untouched(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    "token",
    [
        "QM54oYGdeC2m8HfusIDUh2798l4Afke-lttHTbvWWIs",  # first 31 characters pass the IBAN check
        "x5sgIFiu9cI9-QP73xc8MTsRsgLnCM1oNJJ8Avux6EA",  # an IBAN-valid run after a hyphen
        "MF-Evx-7bU6UFJgbi_Q7_TFMhYdSlClNusvvttdQpJo",  # short pieces and a CamelCase-looking one
    ],
)
def test_a_token_is_masked_whole_even_when_part_of_it_looks_like_an_iban(token: str) -> None:
    assert redact(f"token {token} end") == f"token {TOKEN} end"


# What residents paste between the digits of a code without seeing it.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]
CODE_SEPARATORS = ["", "-", "–", "‑", " ", "\u00a0", ".", "/", "_"]
IBAN_GAPS = ["", " ", "\u00a0", ".", "-"]


@st.composite
def sprinkled(draw: st.DrawFn, text: str) -> str:
    """``text`` with invisible characters after some of its characters (none at either end)."""
    out = text[0]
    for char in text[1:]:
        out += "".join(draw(st.lists(st.sampled_from(INVISIBLE), max_size=2))) + char
    return out


@st.composite
def codes_in_any_form(draw: st.DrawFn) -> tuple[str, str]:
    """(the 11 digits, the code as written): old codes as DDMMYY-NNNNN or DD MM YY NNNNN, new ones
    as 3NNNNN-NNNNN or 3N NNNN NNNNN, with any of the separators people use, or none."""
    serial = f"{draw(st.integers(0, 99999)):05d}"
    if draw(st.booleans()):
        dd, mm, yy = (f"{draw(st.integers(low, high)):02d}" for low, high in ((1, 31), (1, 12), (0, 99)))
        groups = [dd, mm, yy, serial] if draw(st.booleans()) else [dd + mm + yy, serial]
    else:
        head, middle = f"3{draw(st.integers(2, 9))}", f"{draw(st.integers(0, 9999)):04d}"
        groups = [head, middle, serial] if draw(st.booleans()) else [head + middle, serial]
    separator = draw(st.sampled_from(CODE_SEPARATORS))
    written = separator.join(groups)
    return "".join(groups), draw(sprinkled(written)) if draw(st.booleans()) else written


def _digits_of(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


@settings(deadline=None)
@given(st.tuples(WORDS, codes_in_any_form(), SEPARATORS, WORDS))
def test_personal_codes_in_every_form_never_survive(case: tuple[str, tuple[str, str], str, str]) -> None:
    before, (digits, code), separator, after = case
    out = redact(f"{before} {code}{separator}{after}")
    assert digits not in _digits_of(out), (code, out)
    assert PERSONAL_CODE in out


@st.composite
def ibans_in_any_form(draw: st.DrawFn) -> tuple[str, str]:
    """(the IBAN, as written): grouped by four or not, with spaces, dots or dashes, in either case,
    and sometimes with invisible characters inside."""
    iban = draw(ibans()).replace(" ", "").upper()
    gap = draw(st.sampled_from(IBAN_GAPS))
    written = gap.join(iban[i : i + 4] for i in range(0, len(iban), 4))
    if draw(st.booleans()):
        written = written.lower()
    return iban, draw(sprinkled(written)) if draw(st.booleans()) else written


@settings(deadline=None)
@given(st.tuples(WORDS, ibans_in_any_form(), SEPARATORS, WORDS))
def test_ibans_in_every_form_never_survive(case: tuple[str, tuple[str, str], str, str]) -> None:
    before, (iban, written), separator, after = case
    out = redact(f"{before} {written}{separator}{after}")
    compact = "".join(char for char in out if char.isalnum()).upper()
    assert iban not in compact, (written, out)
    assert IBAN in out


@pytest.mark.parametrize(
    "text",
    [
        "020280.23456",
        "030380/34567",
        "04 04 80 45678",
        "050580_56789",
        "33 1234 12345",
        "010180\u200d-12345",
        "0101\u200c80\u200b-1234\u20605",
        "01\u00ad01\u00ad80\u00ad12345",
        "32\u200d1234\u200d12345",
    ],
)
def test_the_forms_that_were_stored_verbatim(text: str) -> None:
    assert redact(f"kods: {text}, paldies") == f"kods: {PERSONAL_CODE}, paldies"


@pytest.mark.parametrize(
    "text",
    [
        "LV80.BANK.0000.4351.9500.1",
        "LV80-BANK-0000-4351-9500-1",
        "lv80 bank 0000 4351 9500 1",
        "LV80\u200bBANK0000\u200d435195001",
        "DE89.3704.0044.0532.0130.00",
    ],
)
def test_ibans_with_dots_dashes_and_invisible_characters(text: str) -> None:
    assert redact(f"konts {text}.") == f"konts {IBAN}."


@st.composite
def ordinary_numbers(draw: st.DrawFn) -> str:
    """What a helpdesk message is full of and must stay readable: phone numbers, dates, amounts,
    invoice numbers, periods."""
    n = draw(st.integers(0, 9_999_999))
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(2000, 2039))
    euros, cents = draw(st.integers(0, 99_999)), draw(st.integers(0, 99))
    forms = [
        f"+371 2{n:07d}",
        f"+3712{n:07d}",
        f"2{n:07d}",
        f"2{n // 1_000_000} {n // 1000 % 1000:03d} {n % 1000:03d}",
        f"6{n:07d}",
        f"{day:02d}.{month:02d}.{year}",
        f"{day:02d}/{month:02d}/{year}",
        f"{year}-{month:02d}-{day:02d}",
        f"{year}-{month:02d}",
        f"{euros},{cents:02d} EUR",
        f"{euros // 1000} {euros % 1000:03d},{cents:02d} €",
        f"{euros}.{cents:02d}",
        f"INV-{year}-{month:02d}-R-{n % 9000 + 1000}",
    ]
    return forms[draw(st.integers(0, len(forms) - 1))]


@settings(deadline=None)
@given(st.lists(st.tuples(ordinary_numbers(), st.sampled_from([", ", " un ", "; ", ". ", "\n"])), max_size=8))
def test_phones_dates_amounts_and_invoice_numbers_stay_readable(parts: list[tuple[str, str]]) -> None:
    text = "".join(number + separator for number, separator in parts)
    assert redact(text) == text
