"""Apply Alembic migrations programmatically (`helpdesk db upgrade`, `helpdesk demo`, the tests),
and check before a long-running component starts that the database has been migrated."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, make_url

from helpdesk.core.errors import ConfigurationError
from helpdesk.storage.engine import create_engine
from helpdesk.storage.problems import SETTING, UPGRADE

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Blocking. Alembic's env runs its own event loop, so inside a running loop it runs in a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        command.upgrade(alembic_config(database_url), revision)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.upgrade, alembic_config(database_url), revision).result()


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, database_url, revision)


def _current_revisions(connection: Connection) -> tuple[str, ...]:
    return MigrationContext.configure(connection).get_current_heads()


def _require_sqlite_file(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    if not Path(url.database).is_file():
        raise ConfigurationError(
            f"{SETTING}: the SQLite file {url.database} does not exist: {UPGRADE} to create it "
            "(or `helpdesk demo` for a demo)"
        )


async def check_schema(database_url: str) -> None:
    """Raise :class:`ConfigurationError` (one line) unless the database is there and migrated.

    A long-running component on a database without tables would start, then fail every update it
    handles (the bot once answered ``/start`` with nothing but a traceback in its log). So it asks
    first. A SQLite file that does not exist is reported, not opened: opening it would create an
    empty file that looks like a database. A revision this code does not know is accepted: a newer
    release migrated the database, and migrations only add, so this release keeps working until it
    is replaced. A database that cannot be reached raises the driver's error, which
    :func:`helpdesk.storage.problems.describe` turns into its one line.
    """
    _require_sqlite_file(database_url)
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            current = set(await connection.run_sync(_current_revisions))
    finally:
        await engine.dispose()
    if not current:
        raise ConfigurationError(f"{SETTING}: the database has no helpdesk tables: {UPGRADE}")
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    heads = set(scripts.get_heads())
    known = {script.revision for script in scripts.walk_revisions()}
    if current <= known and current != heads:
        raise ConfigurationError(
            f"{SETTING}: the database schema is at revision {', '.join(sorted(current))}, this release "
            f"needs {', '.join(sorted(heads))}: {UPGRADE}"
        )
