"""One line for an operator when the configured database cannot be used.

A command pointed at a database that is not there (wrong host, refused port, unknown database or
role, wrong password) or that has no tables yet would otherwise end in a SQLAlchemy/asyncpg
traceback. :func:`describe` recognises those cases and names the setting to fix; anything else is
left alone (a bug should still show its traceback). The URL itself is never printed: it may hold a
password.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator

from helpdesk.core.redaction import redact

SETTING = "HELPDESK_DATABASE_URL"
UPGRADE = "run `helpdesk db upgrade`"

# Where a connection attempt runs: an OSError raised from these frames is the database's
# (engine.py makes the SQLite file's directory).
_DRIVER_PATHS = ("/asyncpg/", "/aiosqlite/", "/sqlalchemy/", "/sqlite3/", "/helpdesk/storage/engine.py")

# Missing schema: SQLite says "no such table/column", PostgreSQL raises UndefinedTable/Column.
_NO_SCHEMA_MARKERS = ("no such table", "no such column", "UndefinedTableError", "UndefinedColumnError")
# asyncpg's connection-phase errors (the server answered, but will not let us in).
_REFUSED_BY_SERVER = (
    "InvalidCatalogNameError",
    "InvalidAuthorizationSpecificationError",
    "InvalidPasswordError",
    "CannotConnectNowError",
    "TooManyConnectionsError",
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _raised_by_driver(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return any(path in frame.filename for frame in frames for path in _DRIVER_PATHS)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return redact(text, emails=True)[:200]


def describe(exc: BaseException) -> str | None:
    """The one line to print for a database that cannot be used, or None if this is not that."""
    chain = list(_chain(exc))
    for error in chain:
        name = type(error).__name__
        text = str(error)
        if name in _NO_SCHEMA_MARKERS or any(marker in text for marker in _NO_SCHEMA_MARKERS):
            return f"{SETTING}: the database has no helpdesk tables or an old schema: {UPGRADE}"
        if name in _REFUSED_BY_SERVER:
            return f"{SETTING}: the database server refused the connection: {_reason(error)}"
        if "unable to open database file" in text:
            return f"{SETTING}: cannot open the SQLite file (does its directory exist and is it writable?)"
    for error in chain:
        if isinstance(error, OSError | TimeoutError) and _raised_by_driver(error):
            return f"{SETTING}: cannot connect to the database: {_reason(error)}"
    return None
