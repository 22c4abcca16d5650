"""Dates and times as the reader's language writes them, in Latvian time.

One place for the patterns that the handlers' replies, the console's notices to residents, the
Art. 15 export document and the console's own pages use, so that a resident reads the same date
the same way in the bot, in an agent's e-mail and in the PDF (and an agent on the page).

Latvian and Russian write the date in figures: a month name would have to take the case that
"līdz"/"до" governs, and Babel's month names have no such case. Latvian writes a time in running
text after "plkst." ("līdz 04.12.2026 plkst. 14:30"). Stored moments are UTC; the day is the Riga
day (a deadline at 23:30 UTC on 1 February is 2 February for the resident).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date, format_datetime

from helpdesk.core.deadlines import LOCAL_ZONE
from helpdesk.i18n import normalize_language

_DAY = {"lv": "dd.MM.yyyy", "ru": "dd.MM.yyyy", "en": "d MMM yyyy"}
_MONTH = {"lv": "MM.yyyy", "ru": "MM.yyyy", "en": "MMM yyyy"}
_CLOCK_WORD = {"lv": "'plkst.' "}


def _riga(value: datetime) -> datetime:
    # A naive value is a stored UTC moment (never the server's own zone).
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(LOCAL_ZONE)


def day(value: date | datetime, language: str) -> str:
    """``02.02.2027`` (lv, ru), ``2 Feb 2027`` (en); a moment is first turned into its Riga day."""
    language = normalize_language(language)
    if isinstance(value, datetime):
        value = _riga(value).date()
    return str(format_date(value, format=_DAY[language], locale=language))


def moment(value: datetime, language: str, *, clock_word: bool = True) -> str:
    """``02.02.2027 plkst. 14:30`` (lv), ``02.02.2027 14:30`` (ru), ``2 Feb 2027 14:30`` (en).

    ``clock_word=False`` leaves out the Latvian "plkst.": a column of times on an agent's page,
    where every cell is a time and the word would only widen it.
    """
    language = normalize_language(language)
    clock = _CLOCK_WORD.get(language, "") if clock_word else ""
    pattern = f"{_DAY[language]} {clock}HH:mm"
    return str(format_datetime(_riga(value), format=pattern, locale=language))


def month(period: str, language: str) -> str:
    """A billing period ``2025-12`` as ``12.2025`` (lv, ru) or ``Dec 2025`` (en); anything else as is."""
    try:
        first = date.fromisoformat(f"{period}-01")
    except ValueError:
        return period
    language = normalize_language(language)
    return str(format_date(first, format=_MONTH[language], locale=language))


def day_from_iso(value: str | None, language: str) -> str:
    """A date stored as ISO text (the export's JSON), for reading; empty when there is none."""
    return day(date.fromisoformat(value), language) if value else ""


def moment_from_iso(value: str | None, language: str) -> str:
    """A moment stored as ISO text (the export's JSON), for reading; empty when there is none."""
    return moment(datetime.fromisoformat(value), language) if value else ""
