"""Row ids typed by a person or a program (a URL, a query string, a form field).

Every id column is an INTEGER, which PostgreSQL stores in 32 bits: a larger number in a query is an
error there (SQLite takes it and finds nothing), and ``/items/999999999999`` answered HTTP 500.
So an id from outside is read here, once, and a value that no row can have is refused as "no such
row" before it reaches a query. ``str.isdigit`` is not enough on its own either: it accepts "²"
and other Unicode digits that ``int`` refuses.
"""

from __future__ import annotations

import re

MAX_ROW_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def row_id(text: str) -> int | None:
    """The id in ``text`` (ASCII digits only), or None if no row can have it."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ROW_ID else None
