"""Masking of personal data in text we store or log.

Residents paste personal codes, bank account numbers and card numbers into chats and mails; link
tokens and other secrets travel in URLs. None of it may reach a stored conversation or a log line
(GDPR Art. 5(1)(c), data minimisation). :func:`redact` replaces each with a short placeholder.

Over-masking is the safe direction: a phone number that happens to look like a personal code is
masked too. Under-masking is a leak, so the patterns are tolerant (a hyphen, dash, space, dot,
slash or underscore or none between the parts of a code, in the groupings people write; spaces,
dots or dashes in IBANs; invisible characters anywhere inside either; spaces in card numbers;
lower-case IBANs) and only add checks where a check cuts false positives without risking misses
on real data (day and month for old codes, Luhn for cards, mod-97 for foreign IBANs). Separators
are allowed only where people group these numbers (DDMMYY-NNNNN, DD MM YY NNNNN, 3N NNNN NNNNN),
so a phone number written 371 2000 0000 stays readable.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from helpdesk.core.addresses import IN_TEXT as ADDRESS_IN_TEXT

PERSONAL_CODE = "[personal-code]"
IBAN = "[iban]"
CARD = "[card]"
TOKEN = "[token]"  # noqa: S105 - a placeholder, not a secret
EMAIL = "[email]"

# Characters that show nothing: zero-width space, (non-)joiners, direction marks, word joiner,
# soft hyphen, BOM. Pasted from a PDF or a messenger they sit between digits; a pattern that did
# not look past them left "010180‍-12345" in the database.
_INVISIBLE = "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]*"
# What people put between the parts of a code: hyphen and the look-alike dashes phones and word
# processors substitute for it, a space (also a no-break one), a dot, a slash, an underscore.
_SEPARATOR = rf"{_INVISIBLE}(?:[-‐‑–—./_ \u00a0\u202f]{_INVISIBLE})?"
# Not after "+": "+37120000000" is a phone number (country code 371), not a new personal code.
_START = r"(?<![\w+])"


def _digits(count: int) -> str:
    """``count`` digits, with invisible characters allowed between them."""
    return rf"\d(?:{_INVISIBLE}\d){{{count - 1}}}"


# Old Latvian personal code: DDMMYY-NNNNN (date of birth, then serial with the century digit),
# also written DD MM YY NNNNN or DD.MM.YY-NNNNN.
_OLD_CODE = re.compile(
    rf"{_START}(?P<dd>{_digits(2)}){_SEPARATOR}(?P<mm>{_digits(2)}){_SEPARATOR}{_digits(2)}"
    rf"{_SEPARATOR}{_digits(5)}(?![\w])",
)
# New Latvian personal code (since 2017): 32NNNN-NNNNN .. 39NNNN-NNNNN, no date inside; also
# written 3N NNNN NNNNN.
_NEW_CODE = re.compile(rf"{_START}3{_INVISIBLE}[2-9]{_SEPARATOR}{_digits(4)}{_SEPARATOR}{_digits(5)}(?![\w])")

# An IBAN is never part of a longer run of token characters: "QM54…-ltt…" is a link token whose
# first 31 characters happen to pass mod-97 (1 in 97 of those shaped so); masking only them would
# leave the rest of the token in the log. Such a run is left whole to the token step.
_NOT_IN_RUN_BEFORE = r"(?<![\w\-+/])"
_NOT_IN_RUN_AFTER = r"(?![\w\-+/=])"
# Between two characters of an IBAN: nothing, invisible characters, or one space, dot or dash
# ("LV80 BANK…", "LV80.BANK.…", "LV80-BANK-…").
_IBAN_GAP = rf"{_INVISIBLE}(?:[-‐‑–— .\u00a0\u202f]{_INVISIBLE})?"
_IBAN_CHARACTER = rf"(?:{_IBAN_GAP}[A-Z0-9])"
# The country and the check digits are written together ("LV80"): a gap there let "of 52.58…" and
# "by 10.103…" (an IP address after a word) be read as the start of one.
_COUNTRY_AND_CHECK = rf"[A-Z]{_INVISIBLE}[A-Z]{_INVISIBLE}\d{_INVISIBLE}\d"
# Latvian IBAN: LVkk BBBB CCCC CCCC CCCC C (21 characters), masked whatever its check digits.
_LV_IBAN = re.compile(
    rf"{_NOT_IN_RUN_BEFORE}L{_INVISIBLE}V{_INVISIBLE}\d{_INVISIBLE}\d{_IBAN_CHARACTER}{{17}}{_NOT_IN_RUN_AFTER}",
    re.IGNORECASE,
)
# Any IBAN: country, check digits, up to 30 more characters (mod-97 decides how many are one).
_ANY_IBAN = re.compile(
    rf"{_NOT_IN_RUN_BEFORE}{_COUNTRY_AND_CHECK}{_IBAN_CHARACTER}{{3,30}}{_NOT_IN_RUN_AFTER}",
    re.IGNORECASE,
)
_IBAN_CHUNK = re.compile(r"[A-Za-z0-9]+")
# Card numbers: 13..19 digits, optionally grouped by spaces or hyphens.
_CARD = re.compile(r"(?<![\w])\d(?:[ -]?\d){12,18}(?![\w])")
# Tokens and other secrets: a long run of URL-safe/base64 characters.
_TOKEN = re.compile(r"[A-Za-z0-9_\-+/]{20,}={0,2}")
_EMAIL = ADDRESS_IN_TEXT  # the one address rule, as it finds addresses in running text

_HEX = frozenset("0123456789abcdefABCDEF")
# Pieces of a run between "-", "_", "/" and "+". A word, a CamelCase name, a number, or letters
# followed by digits ("v1", "INV2026") is how people and programs name things; random secrets
# (token_urlsafe, base64, hex) are almost never made of such pieces.
_PIECE_SEPARATORS = re.compile(r"[-_/+]")
_WORDLIKE = re.compile(r"(?:[a-z]+|[A-Z]+|[A-Z]*(?:[A-Z][a-z]+)+)\d*|\d+")  # "HTTPServerError" too
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_MIN_RANDOM_CHARS = 12  # characters in non-word pieces that make a run a secret


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _iban_ok(compact: str) -> bool:
    """ISO 13616 mod-97 check."""
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(char, 36)) for char in rearranged.upper())
    return int(numeric) % 97 == 1


def _mask_iban(match: re.Match[str]) -> str:
    """Mask the longest prefix of the match that is a valid IBAN; keep the rest of the text."""
    raw = match.group(0)
    chunks = list(_IBAN_CHUNK.finditer(raw))
    for end in range(len(chunks), 0, -1):
        compact = "".join(chunk.group(0) for chunk in chunks[:end])
        if 15 <= len(compact) <= 34 and _iban_ok(compact):
            return IBAN + raw[chunks[end - 1].end() :]
    return raw


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return CARD if _luhn_ok(digits) else match.group(0)


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _mask_old_code(match: re.Match[str]) -> str:
    day, month = _number(match.group("dd")), _number(match.group("mm"))
    if 1 <= day <= 31 and 1 <= month <= 12:
        return PERSONAL_CODE
    return match.group(0)


def _looks_secret(candidate: str) -> bool:
    """A run of 20+ URL-safe/base64 characters: secret unless it reads as names joined together.

    Judging pieces, not the whole run, keeps file paths and URLs
    (``/var/invoices/R-1001/INV-2026-11-R-1001``) readable in logs, and catches the one link token
    in ~1,500 that happens to have no digit (a rule that asks for digits, upper and lower case
    would miss it).
    """
    body = candidate.rstrip("=")
    if _UUID.fullmatch(body):
        return False  # message ids and correlation ids, not secrets
    has_digit = any(char.isdigit() for char in body)
    has_upper = any(char.isupper() for char in body)
    has_lower = any(char.islower() for char in body)
    # Hex secrets and hashes (sha256, api keys): long, hex only, letters and digits mixed.
    if len(body) >= 32 and all(char in _HEX for char in body) and has_digit and (has_upper or has_lower):
        return True
    if len(body) >= 32 and "/" not in body and has_digit and has_upper and has_lower:
        return True  # token_urlsafe and friends, however their pieces fall (paths have "/")
    random_chars = sum(
        len(piece)
        for piece in _PIECE_SEPARATORS.split(body)
        if len(piece) >= 4 and not _WORDLIKE.fullmatch(piece)
    )
    return random_chars >= _MIN_RANDOM_CHARS


def _mask_token(match: re.Match[str]) -> str:
    return TOKEN if _looks_secret(match.group(0)) else match.group(0)


_STEPS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_LV_IBAN, lambda _match: IBAN),
    (_ANY_IBAN, _mask_iban),
    (_CARD, _mask_card),
    (_NEW_CODE, lambda _match: PERSONAL_CODE),
    (_OLD_CODE, _mask_old_code),
    (_TOKEN, _mask_token),
)


def redact(text: str, *, emails: bool = False) -> str:
    """Return ``text`` with personal codes, IBANs, card numbers and secrets masked.

    ``emails=True`` also replaces e-mail addresses (for logs; stored conversations keep them, since
    the address is how an agent answers).
    """
    if not text:
        return text
    if emails:
        text = _EMAIL.sub(EMAIL, text)
    for pattern, replace in _STEPS:
        text = pattern.sub(replace, text)
    return text


def mask_email(address: str) -> str:
    """Show enough of an address for its owner to recognise it: ``j***@g***.com``."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        return "***"
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    masked_domain = (host[:1] + "***") + (("." + tld) if tld else "")
    return f"{local[:1]}***@{masked_domain}"


_STANDARD_RECORD_FIELDS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value, emails=True)
    return value


_FORMATTER = logging.Formatter()


class RedactingFilter(logging.Filter):
    """A logging filter that masks personal data in the message, its arguments and ``extra`` fields.

    It formats the message once (``msg % args``) and stores the redacted result, because a personal
    code may be split between the format string and its arguments. Attach it to handlers (not only
    loggers) so records from every library pass through it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact(message, emails=True)
        record.args = None
        # Formatters reuse ``exc_text`` when it is set: a traceback's last line can carry values
        # (an SQL error's parameters, a parser's input), so the formatted traceback is redacted too.
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(_FORMATTER.formatException(record.exc_info), emails=True)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, emails=True)
        for key, value in list(record.__dict__.items()):
            if key in _STANDARD_RECORD_FIELDS:
                continue
            if isinstance(value, str):
                record.__dict__[key] = redact(value, emails=True)
            elif isinstance(value, Mapping):
                record.__dict__[key] = {k: _redact_value(v) for k, v in value.items()}
        return True
