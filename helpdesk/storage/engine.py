"""Engine and session factory for SQLite (WAL, the default) and PostgreSQL (asyncpg), and
:func:`write_transaction`, the way a unit of work that writes begins.

SQLite has one writer at a time. The pysqlite driver begins a transaction only at the first
INSERT/UPDATE, and a writer that waits for the lock polls it from its own thread (``busy_timeout``),
sleeping up to 100 ms between tries: with dozens of bot updates writing at once, an unlucky writer
starved for the whole timeout and got ``database is locked`` (the update's reply was an apology,
and the apology's own record failed the same way). So on SQLite the writers of one process take
turns on an asyncio lock (first come, first served, no polling), and each takes the database's
write lock at ``BEGIN IMMEDIATE``, where ``busy_timeout`` covers only other processes.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

#: How long a writer waits for SQLite's write lock, in this process (the asyncio lock) and in others
#: (``busy_timeout``), before the unit of work fails with a timeout instead of hanging.
SQLITE_BUSY_TIMEOUT_SECONDS = 10.0


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers (console, bot) work while a writer (mailbox, purge) holds the lock;
    # foreign keys are off by default in SQLite; busy_timeout turns lock contention into a wait.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(database_url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            _create_private(Path(url.database))
        engine = create_async_engine(url, echo=echo, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # No pool_pre_ping: it costs a round trip per checkout (about a fifth of a bot update). A
    # connection dropped by a database restart fails one transaction, SQLAlchemy then invalidates
    # the pool, and the dispatcher keeps that inquiry as a queue item. hide_parameters keeps
    # residents' data out of the error messages that reach the logs.
    return create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        hide_parameters=True,
    )


def _create_private(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600, not the umask's usual 0644): it
    holds residents' data. SQLite opens an empty file as a new database and gives its -wal and
    -shm files the same mode. An existing file is left as the operator set it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


_write_locks: WeakKeyDictionary[Engine, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = WeakKeyDictionary()
_writing: contextvars.ContextVar[Engine | None] = contextvars.ContextVar("sqlite_writing", default=None)


def _write_lock(engine: Engine) -> asyncio.Lock:
    """The engine's writer lock in this event loop (an asyncio lock belongs to one loop)."""
    loop = asyncio.get_running_loop()
    known = _write_locks.get(engine)
    if known is None or known[0] is not loop:
        known = _write_locks[engine] = (loop, asyncio.Lock())
    return known[1]


@asynccontextmanager
async def writer_turn(engine: AsyncEngine) -> AsyncIterator[None]:
    """This task's turn among the process's SQLite writers; nothing to wait for on PostgreSQL.

    For a unit of work that owns a connection rather than a session (the mailbox's batches, each a
    transaction of savepoints): take the turn, then ``BEGIN IMMEDIATE`` on the connection. A writer
    that skipped the turn would poll for the database's lock from its thread, unseen by the writers
    queued here, and the one at the head of the queue would poll for it in turn.
    Waiting longer than :data:`SQLITE_BUSY_TIMEOUT_SECONDS` raises :class:`TimeoutError`.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    sync_engine = engine.sync_engine
    if _writing.get() is sync_engine:
        # A second connection would wait for the lock this task holds: fail now, not in 10 s.
        raise RuntimeError("nested SQLite write transaction in one task")
    lock = _write_lock(sync_engine)
    async with asyncio.timeout(SQLITE_BUSY_TIMEOUT_SECONDS):
        await lock.acquire()
    token = _writing.set(sync_engine)
    try:
        yield
    finally:
        _writing.reset(token)
        lock.release()


@asynccontextmanager
async def write_transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """``session.begin()`` for a unit of work that writes; commits on success, rolls back on error.

    On SQLite, for a session that owns its connection (bound to the engine), the process's writers
    take turns (:func:`writer_turn`) and the transaction starts with ``BEGIN IMMEDIATE``. A session
    bound to a connection that is already in a transaction (the mailbox's batches) gets a savepoint,
    as with ``begin()``. Waiting longer than :data:`SQLITE_BUSY_TIMEOUT_SECONDS` raises
    :class:`TimeoutError`.
    """
    bind = session.bind
    if not isinstance(bind, AsyncEngine) or bind.dialect.name != "sqlite":
        async with session.begin():
            yield session
        return
    async with writer_turn(bind), session.begin():
        connection = await session.connection()
        # pysqlite has not begun anything yet (it would at the first INSERT, without the lock).
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield session
