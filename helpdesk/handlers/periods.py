"""Which invoice period a resident names in free text: "rēķins par oktobri", "счёт за сентябрь",
"the March invoice", "2026-09", "09.2026".

Without this, "atsūtiet rēķinu par oktobri" reached the latest-invoice handler and got November's
PDF: a wrong answer that looks right. A month without a year means the newest invoice of that month.
The word lists are for reading residents' text (folded: lower case, no diacritics), never shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from helpdesk.handlers.asking import fold

# Stems match the start of a word, so inflections count: oktobris/oktobrī/oktobri, октябрь/октября.
_STEMS: dict[int, tuple[str, ...]] = {
    1: ("janvar", "январ", "january"),
    2: ("februar", "феврал", "february"),
    3: ("mart", "март", "march"),
    4: ("april", "апрел"),
    5: ("maij",),
    6: ("junij", "июн", "june"),
    7: ("julij", "июл", "july"),
    8: ("august", "август"),
    9: ("septembr", "сентябр", "september"),
    10: ("oktobr", "октябр", "october"),
    11: ("novembr", "ноябр", "november"),
    12: ("decembr", "декабр", "december"),
}
# Whole words only: short forms, and Russian May ("май" folds to "маи"). English "may" is left out:
# "may I have my invoice?" is not about May.
_WORDS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "apr": 4,
    "маи": 5,
    "мая": 5,
    "мае": 5,
    "маю": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_YEAR_MONTH = re.compile(r"(?<!\d)(20\d{2})[-./](0?[1-9]|1[0-2])(?!\d)")
_MONTH_YEAR = re.compile(r"(?<![\d.])(0?[1-9]|1[0-2])[./](20\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_WORD = re.compile(r"\w+")


def _month_named(words: Iterable[str]) -> int | None:
    for word in words:
        if word in _WORDS:
            return _WORDS[word]
        for month, stems in _STEMS.items():
            if any(word.startswith(stem) for stem in stems):
                return month
    return None


def period_in_text(text: str, known_periods: Iterable[str]) -> str | None:
    """``YYYY-MM`` if the text names a period, else None.

    ``known_periods`` (the resident's invoice periods, newest first) settles a month named without
    a year; a month with no invoice at all still gives a period, so the resident hears that there is
    no such invoice instead of getting another one.
    """
    numeric = _YEAR_MONTH.search(text)
    if numeric:
        return f"{numeric.group(1)}-{int(numeric.group(2)):02d}"
    numeric = _MONTH_YEAR.search(text)
    if numeric:
        return f"{numeric.group(2)}-{int(numeric.group(1)):02d}"
    month = _month_named(_WORD.findall(fold(text)))
    if month is None:
        return None
    year = _YEAR.search(text)
    if year:
        return f"{year.group(1)}-{month:02d}"
    known = list(known_periods)
    for period in known:
        if period.endswith(f"-{month:02d}"):
            return period
    newest_year = known[0][:4] if known else "2000"
    return f"{newest_year}-{month:02d}"
