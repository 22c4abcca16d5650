"""Emptying a worker's PostgreSQL test database before each test, in milliseconds.

``TRUNCATE`` of all twenty tables took 120-470 ms a test on the shared machine (PostgreSQL makes new
files for every table, index and sequence, and removes the old ones at commit), and a new connection
for it another 70 ms; about 900 tests run on PostgreSQL. Deleting the rows of near-empty tables
costs a few milliseconds. The end state is the one ``TRUNCATE ... RESTART IDENTITY`` left: every
table empty, every sequence starting at 1 again.

Tables whose triggers refuse DELETE (the append-only consent ledger and audit log) are truncated,
and only when they hold rows. The connection is kept, in a thread with an event loop of its own:
each test runs in a new event loop, and a connection belongs to the loop that opened it.
"""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from helpdesk.storage.models import Base

#: Tables with triggers of our own (not PostgreSQL's internal foreign-key ones).
_GUARDED = text(
    "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
    "WHERE NOT t.tgisinternal"
)
_SEQUENCES_FROM_ONE = text(
    "SELECT setval(c.oid, 1, false) FROM pg_class c "
    "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
)


class PostgresEmptier:
    """Empties one database, over one connection opened when first needed (and again if lost)."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-empty")
        self._loop = asyncio.new_event_loop()
        self._engine: AsyncEngine | None = None
        self._connection: AsyncConnection | None = None
        self._guarded: set[str] = set()

    async def empty(self) -> None:
        """Empty the database; the caller's event loop waits while the thread's does the work."""
        await asyncio.wrap_future(self._thread.submit(self._loop.run_until_complete, self._empty()))

    def close(self) -> None:
        self._thread.submit(self._loop.run_until_complete, self._disconnect()).result()
        self._thread.submit(self._loop.close).result()
        self._thread.shutdown()

    async def _empty(self) -> None:
        try:
            await self._delete_all(await self._connect())
        except (DBAPIError, OSError):
            # The connection was lost (a test terminated backends, say): once more on a new one.
            await self._disconnect()
            await self._delete_all(await self._connect())

    async def _connect(self) -> AsyncConnection:
        if self._connection is None:
            self._engine = create_async_engine(self._url, pool_size=1, max_overflow=0)
            self._connection = await self._engine.connect()
            self._guarded = set((await self._connection.scalars(_GUARDED)).all())
            await self._connection.commit()
        return self._connection

    async def _disconnect(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(DBAPIError, OSError):  # a lost one cannot say goodbye
                await self._connection.close()
        if self._engine is not None:
            await self._engine.dispose()
        self._engine = self._connection = None

    async def _delete_all(self, connection: AsyncConnection) -> None:
        async with connection.begin():
            for table in reversed(Base.metadata.sorted_tables):  # children before their parents
                name = f'"{table.name}"'
                if table.name not in self._guarded:
                    await connection.exec_driver_sql(f"DELETE FROM {name}")
                elif await connection.scalar(text(f"SELECT EXISTS (SELECT FROM {name})")):
                    await connection.exec_driver_sql(f"TRUNCATE {name}")
            await connection.execute(_SEQUENCES_FROM_ONE)
