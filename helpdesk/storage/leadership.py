"""Cluster-wide leadership: one scheduler, one mailbox poller, one outbox sender at a time.

On PostgreSQL each singleton holds a session-level advisory lock on a connection of its own. Other
instances poll ``pg_try_advisory_lock`` about once a second as hot standbys; when the leader dies
its connection closes, PostgreSQL drops the lock and a standby takes over within a poll interval.
A leader whose lock connection stops answering (database restart, network partition) cancels its
work at once: the server may already have given the lock to a standby, and two schedulers must
never run side by side. The leader's watchdog gives up sooner (a few seconds) than the server's
TCP keepalives (about half a minute), so a partitioned leader stops before a standby can start.

SQLite has no advisory locks and no second process may share its file safely; there the lock is
process-local (an :class:`asyncio.Lock` per name) and one log line says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from helpdesk.storage.repositories import locks

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how often a standby asks for the lock
WATCHDOG_SECONDS = 3.0  # how often the leader checks that its lock connection is alive
WATCHDOG_TIMEOUT = 5.0  # a check slower than this counts as a lost connection
RECONNECT_SECONDS = 5.0  # a standby whose connection failed tries again after this

# The server gives up on a silent client after idle + interval * count = 10 + 5 * 4 = 30 s, which is
# longer than the leader's own watchdog (3 + 5 s), so the old leader always stops first.
_KEEPALIVES = {"tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5", "tcp_keepalives_count": "4"}

_local_locks: dict[str, asyncio.Lock] = {}


class LeadershipLost(Exception):
    """The lock connection died while leading; the work was cancelled and must not go on."""

    def __init__(self, name: str) -> None:
        super().__init__(f"leadership {name!r} lost: the lock connection stopped answering")
        self.name = name


def _is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


def _lock_engine(engine: AsyncEngine, name: str) -> AsyncEngine:
    """A pool-less engine: the lock's connection is never shared or handed back to a pool, and it
    runs in autocommit so an idle leader holds no transaction (and no snapshot that stalls VACUUM)."""
    return create_async_engine(
        engine.url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"server_settings": {**_KEEPALIVES, "application_name": f"helpdesk:{name}"[:63]}},
    )


def _local_lock(name: str) -> asyncio.Lock:
    lock = _local_locks.get(name)
    if lock is None:
        lock = _local_locks[name] = asyncio.Lock()
    return lock


async def _acquire(engine: AsyncEngine, name: str, key: int) -> AsyncConnection:
    """Wait as a standby until the lock is ours; returns the connection that holds it."""
    announced = False
    while True:
        connection: AsyncConnection | None = None
        try:
            connection = await engine.connect()
            while True:
                if await locks.try_lock(connection, key):
                    log.info("leader for %r: this process now runs it", name)
                    return connection
                if not announced:
                    log.info("standing by for %r: another instance leads", name)
                    announced = True
                await asyncio.sleep(POLL_SECONDS)
        except asyncio.CancelledError:
            if connection is not None:
                await _close(connection)
            raise
        except Exception as exc:  # database away: keep standing by
            log.warning("standby for %r cannot reach the database (%s); retrying", name, type(exc).__name__)
            if connection is not None:
                await _close(connection)
            await asyncio.sleep(RECONNECT_SECONDS)


async def _close(connection: AsyncConnection) -> None:
    """Close without hanging: a partitioned server would never answer the goodbye."""
    try:
        async with asyncio.timeout(WATCHDOG_TIMEOUT):
            await connection.close()
    except Exception:
        with contextlib.suppress(Exception):
            await connection.invalidate()


async def _watch(
    connection: AsyncConnection, name: str, work: asyncio.Task[object], lost: asyncio.Event
) -> None:
    while True:
        await asyncio.sleep(WATCHDOG_SECONDS)
        try:
            async with asyncio.timeout(WATCHDOG_TIMEOUT):
                await locks.ping(connection)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("leadership for %r lost (%s): stopping its work", name, type(exc).__name__)
            lost.set()
            work.cancel()
            return


@contextlib.asynccontextmanager
async def hold_leadership(engine: AsyncEngine, name: str) -> AsyncIterator[None]:
    """Enter once this process leads ``name`` cluster-wide; leave to hand leadership on.

    If leadership is lost while inside, the body is cancelled and :class:`LeadershipLost` is
    raised from the ``async with`` (see :func:`lead_forever` for a loop that stands by again).
    """
    if not _is_postgres(engine):
        async with _local_lock(name):
            log.info("leader for %r: single process (SQLite has no cluster-wide lock)", name)
            yield
        return
    key = locks.lock_key(name)
    lock_engine = _lock_engine(engine, name)
    try:
        connection = await _acquire(lock_engine, name, key)
        work = asyncio.current_task()
        assert work is not None
        lost = asyncio.Event()
        watchdog = asyncio.create_task(_watch(connection, name, work, lost), name=f"leader-watchdog:{name}")
        try:
            yield
        except asyncio.CancelledError:
            if lost.is_set():
                work.uncancel()
                raise LeadershipLost(name) from None
            raise
        finally:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog
            if not lost.is_set():
                with contextlib.suppress(Exception):
                    await locks.unlock(connection, key)
                log.info("leadership for %r handed on", name)
            await _close(connection)
    finally:
        await lock_engine.dispose()


@contextlib.asynccontextmanager
async def try_leadership(engine: AsyncEngine, name: str) -> AsyncIterator[bool]:
    """Lead ``name`` for one short piece of work if nobody else does; yields False at once otherwise.

    For work that a dedicated component normally does (sending the outbox) and a scheduled job
    may do in its absence: the job never waits, it skips when the component is running.
    """
    if not _is_postgres(engine):
        lock = _local_lock(name)
        if lock.locked():
            yield False
            return
        async with lock:
            yield True
        return
    key = locks.lock_key(name)
    lock_engine = _lock_engine(engine, name)
    try:
        async with lock_engine.connect() as connection:
            if not await locks.try_lock(connection, key):
                yield False
                return
            try:
                yield True
            finally:
                with contextlib.suppress(Exception):
                    await locks.unlock(connection, key)
    finally:
        await lock_engine.dispose()


async def lead_forever(engine: AsyncEngine, name: str, work: Callable[[], Awaitable[None]]) -> None:
    """Stand by, lead, and after a lost leadership stand by again; runs until cancelled."""
    while True:
        try:
            async with hold_leadership(engine, name):
                await work()
                return
        except LeadershipLost:
            await asyncio.sleep(POLL_SECONDS)
