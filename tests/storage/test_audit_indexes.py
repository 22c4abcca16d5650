"""The audit log's filtered pages come from an index, not from walking the whole log.

A realistic log (60,000 events: the system, the mailbox and five agents write most of them, one
agent and one action are rare), ANALYZEd so the planner knows the numbers; then the statement the
repository really sends (caught on the connection) is explained. Without ``ix_audit_events_actor``
and ``ix_audit_events_action`` PostgreSQL walks the primary key backwards and filters every row.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import Table, event, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from helpdesk.storage.models import AuditEvent
from helpdesk.storage.repositories import audit

EVENTS = 60_000
RARE = 30  # events of the rare actor and of the rare action, spread over the whole log
COMMON_ACTORS = ("system", "mailbox", *(f"agent:{n}" for n in range(1, 6)))
COMMON_ACTIONS = ("claim", "reply", "note", "close", "request.filed", "mail.received", "purge.run")
START = datetime(2026, 1, 1, tzinfo=UTC)


def _rows() -> list[dict[str, Any]]:
    pick = random.Random(8)
    step = EVENTS // RARE
    rows = []
    for n in range(EVENTS):
        actor = pick.choice(COMMON_ACTORS) if pick.random() < 0.8 else f"telegram:{pick.randrange(10**6)}"
        rows.append(
            {
                "actor": "agent:42" if n % step == 7 else actor,
                "action": "export.sent" if n % step == 11 else pick.choice(COMMON_ACTIONS),
                "request_id": pick.randrange(1, 5000),
                "detail": {},
                "created_at": START + timedelta(minutes=n),
            }
        )
    return rows


async def _plan(engine: AsyncEngine, backend: str, run: Callable[[AsyncSession], Awaitable[object]]) -> str:
    """The plan of the one statement ``run`` sends, as the database explains it."""
    sent: list[tuple[str, Any]] = []

    def catch(_conn: object, _cursor: object, statement: str, parameters: Any, *_rest: object) -> None:
        sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", catch)
    try:
        async with async_sessionmaker(engine)() as session:
            await run(session)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", catch)
    [(statement, parameters)] = [(s, p) for s, p in sent if "audit_events" in s]
    explain = "EXPLAIN QUERY PLAN " if backend == "sqlite" else "EXPLAIN "
    async with engine.connect() as connection:
        result = await connection.exec_driver_sql(explain + statement, parameters)
        return "\n".join(str(row[-1]) for row in result)


@pytest.fixture
async def big_log(engine: AsyncEngine, backend: str) -> AsyncEngine:
    async with engine.begin() as connection:
        await connection.execute(insert(cast(Table, AuditEvent.__table__)), _rows())
    async with engine.connect() as connection:
        await connection.execute(text("ANALYZE"))
        await connection.commit()
    return engine


#: (actor, action, the index its filtered pages must use): one 60,000-event log serves both cases.
CASES = [("agent:42", None, "ix_audit_events_actor"), (None, "export.sent", "ix_audit_events_action")]


Query = Callable[[AsyncSession], Awaitable[object]]


def _pages(actor: str | None, action: str | None, last: int) -> list[Query]:
    """The console's filtered audit queries: a page, the pages before and after one, "any more?"."""
    return [
        lambda s: audit.search(s, actor=actor, action=action, limit=100),
        lambda s: audit.search(s, actor=actor, action=action, before=last, limit=100),
        lambda s: audit.search(s, actor=actor, action=action, after=last, limit=100),
        lambda s: audit.any_beyond(s, actor=actor, action=action, below=last),
    ]


async def test_filtered_pages_use_the_index(big_log: AsyncEngine, backend: str) -> None:
    for actor, action, index in CASES:
        async with async_sessionmaker(big_log)() as session:
            first = await audit.search(session, actor=actor, action=action, limit=10)
        assert len(first) == 10
        assert all(e.actor == actor for e in first) if actor else all(e.action == action for e in first)
        for run in _pages(actor, action, first[-1].id):
            plan = await _plan(big_log, backend, run)
            assert index in plan, (actor, action, plan)
