"""A SQLite database as it stood just before one migration, for the tests that put old rows in it
and check what that migration makes of them."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from helpdesk.storage.migrate import MIGRATIONS_DIR, upgrade


def database_before(path: Path, revision: str) -> str:
    """Create ``path`` migrated up to the revision before ``revision``; return its database URL."""
    url = f"sqlite+aiosqlite:///{path}"
    before = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision).down_revision
    assert isinstance(before, str)
    upgrade(url, before)
    return url
