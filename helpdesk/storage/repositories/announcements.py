"""Which queue items the agents have been told of (``requests.agents_notified_at``).

The jobs read the items not announced yet and mark them in the transaction that queues the
notice, so each item is announced once, and only after the transaction that made it committed (an
item rolled back never existed here). The rows are locked with ``SKIP LOCKED`` on PostgreSQL, so
two schedulers (a standby that woke too early) never announce the same item; SQLite ignores the
clause and relies on its single writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.requests import SupportRequest


async def not_announced(session: AsyncSession, *, limit: int) -> list[SupportRequest]:
    """Items nobody was told of yet, oldest first, locked for this transaction."""
    rows = await session.scalars(
        select(SupportRequest)
        .where(SupportRequest.agents_notified_at.is_(None))
        .order_by(SupportRequest.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def mark_announced(session: AsyncSession, ids: Sequence[int], *, now: datetime) -> None:
    await session.execute(
        update(SupportRequest)
        .where(SupportRequest.id.in_(list(ids)), SupportRequest.agents_notified_at.is_(None))
        .values(agents_notified_at=now)
        .execution_options(synchronize_session=False)
    )
