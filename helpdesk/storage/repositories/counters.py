"""Cluster-wide event counters: each process adds its increments, /metrics reads the sums."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.ops import MetricCounter


async def add(session: AsyncSession, increments: dict[tuple[str, str], float], *, now: datetime) -> None:
    """Add ``{(name, encoded labels): increment}`` to the stored sums, one upsert per counter.

    Sorted, so that two processes adding the same counters at once lock the rows in the same order
    and cannot deadlock.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for (name, labels), value in sorted(increments.items()):
        statement = insert(MetricCounter).values(name=name, labels=labels, value=value, updated_at=now)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[MetricCounter.name, MetricCounter.labels],
                set_={"value": MetricCounter.value + statement.excluded.value, "updated_at": now},
            )
        )


async def totals(session: AsyncSession) -> dict[tuple[str, str], float]:
    """``{(name, encoded labels): sum}`` over every process since the counters began."""
    rows = await session.execute(select(MetricCounter.name, MetricCounter.labels, MetricCounter.value))
    return {(name, labels): float(value) for name, labels, value in rows}
