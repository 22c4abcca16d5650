"""PostgreSQL session-level advisory locks: the cluster-wide "only one of us" for singletons.

The lock belongs to the database session (connection), not to a transaction, so it is held for as
long as the connection lives and released by PostgreSQL itself when the holder's connection dies
(process killed, machine gone once TCP keepalives give up). That is what lets a hot standby take
over without any lease bookkeeping of our own.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (the same in every process, unlike ``hash()``)."""
    digest = hashlib.sha256(f"klientiem-helpdesk:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def try_lock(connection: AsyncConnection, key: int) -> bool:
    """Take the lock if nobody holds it; never waits (a waiting lock could not be given up)."""
    value = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
    return bool(value)


async def unlock(connection: AsyncConnection, key: int) -> bool:
    value = await connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    return bool(value)


async def ping(connection: AsyncConnection) -> None:
    """Raises when the session (and with it the lock) is gone."""
    await connection.scalar(text("SELECT 1"))
