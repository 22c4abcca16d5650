"""Shared fixtures: a migrated database on SQLite and on the real PostgreSQL, and the one
``services`` fixture every directory builds on.

Every storage-touching test takes ``database_url`` (or ``session_factory``) and so runs twice,
once per backend. PostgreSQL is never skipped: when it cannot be reached the test fails, because
in CI a missing service is a broken build (see .ci/run, which starts it).

Schema is made once per session and worker: SQLite migrates one template file that each test
copies; PostgreSQL migrates one database per worker that each test empties (tests/pg_empty.py).
The suite runs on pytest-xdist workers (options in pyproject.toml); each worker names its own
database and Redis database by its id, so workers never share state.

``services`` is built from three fixtures a directory overrides when it needs another value:
``settings``, ``matcher`` and ``now`` (the fixed clock).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from helpdesk.app import build_services
from helpdesk.core.matching import Answer, Decision, IntentMatcher, Match
from helpdesk.services import Services
from helpdesk.settings import Settings, load_settings
from helpdesk.storage.engine import create_engine, create_session_factory
from helpdesk.storage.migrate import upgrade
from tests.pg_empty import PostgresEmptier
from tests.seed import NOW

PG_ADMIN_URL = os.environ.get("HELPDESK_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgres")
#: The xdist worker running this process ("gw0", "gw1", ...), or "main" without xdist.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TEST_SECRET = "test-key-Ra7uE2wX9cNq4ZkT6mPb3VyG"


def redis_url() -> str:
    """This worker's own Redis database (1-15; 0 is left to people), so parallel workers' keys
    never meet."""
    index = int(WORKER[2:]) if WORKER.startswith("gw") else 0
    return f"redis://127.0.0.1:6379/{1 + index % 15}"


def _pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


def _pg_admin(statement: str) -> None:
    """Runs in its own thread and loop: session fixtures may be set up inside a running loop."""

    async def run() -> None:
        engine = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy (much faster than migrating again)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated once, dropped at the end."""
    name = f"helpdesk_test_{WORKER}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        _pg_admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"PostgreSQL is required at {PG_ADMIN_URL} and could not be used: {exc}")
    url = _pg_url(name)
    upgrade(url)
    yield url
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_emptier(postgres_database: str) -> Iterator[PostgresEmptier]:
    emptier = PostgresEmptier(postgres_database)
    yield emptier
    emptier.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database on the parametrised backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "helpdesk.db"
        shutil.copyfile(template, path)
        return f"sqlite+aiosqlite:///{path}"
    emptier: PostgresEmptier = request.getfixturevalue("postgres_emptier")
    await emptier.empty()
    return str(request.getfixturevalue("postgres_database"))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


class IdleMatcher:
    """A matcher for tests whose routes never match texts: everything escalates."""

    def match(self, text: str, language: str | None = None) -> Match:
        return Match(None, 0.0, Decision.ESCALATE, language or "lv")

    def answer(self, entry: str, language: str) -> Answer | None:
        return None

    def detect_language(self, text: str, default: str) -> str:
        return default


def start_services(settings: Settings, matcher: IntentMatcher, now: datetime = NOW) -> Services:
    """:func:`helpdesk.app.build_services` with a fixed clock: how every test builds Services."""
    built = build_services(settings, matcher=matcher)
    built.clock = lambda: now
    return built


def settings_for(database_url: str, tmp_path: Path, **extra: object) -> Settings:
    """Settings on ``database_url`` with invoices under ``tmp_path`` and a test secret key."""
    values: dict[str, object] = {
        "invoice_dir": tmp_path / "invoices",
        "secret_key": TEST_SECRET,
    }
    values.update(extra)
    return load_settings(database_url=database_url, **values)


@pytest.fixture
def now() -> datetime:
    """The services' fixed clock; a directory overrides it to live on another date."""
    return NOW


@pytest.fixture
def matcher() -> IntentMatcher:
    """The knowledge matcher the services use; directories that match texts override it."""
    return IdleMatcher()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The settings ``services`` is built from; a directory or module overrides it to change one."""
    return settings_for(database_url, tmp_path, telegram_bot_username="TestBot")


@pytest.fixture
async def services(settings: Settings, matcher: IntentMatcher, now: datetime) -> AsyncIterator[Services]:
    """Services on the test's database (both backends), closed after the test."""
    built = start_services(settings, matcher, now)
    yield built
    await built.aclose()
