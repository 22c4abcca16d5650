"""Claiming is a lease enforced by the database: many agents claiming at once, one wins.

On PostgreSQL each claim runs on its own connection at the same moment (a barrier releases them
together), which is the case a check-then-update in Python would get wrong.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.storage.models import Agent
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import requests
from tests.console.conftest import NOW

AGENTS = 12  # below the engine's pool limit (5 + 10 overflow): every claimer holds a connection
LEASE = timedelta(minutes=30)


async def _setup(session_factory: async_sessionmaker[AsyncSession]) -> tuple[int, list[int]]:
    async with session_factory() as db, db.begin():
        people = [Agent(username=f"agent{n}", password_hash="x", role="agent") for n in range(AGENTS)]
        db.add_all(people)
        item = await requests.create(
            db,
            kind=RequestKind.QUESTION,
            channel="telegram",
            contact="1",
            received_at=NOW,
            deadline_at=NOW + timedelta(days=2),
        )
        await db.flush()
        return item.id, [person.id for person in people]


async def _claim_all_at_once(
    session_factory: async_sessionmaker[AsyncSession], item: int, agent_ids: list[int], now_offset: timedelta
) -> list[bool]:
    barrier = asyncio.Barrier(len(agent_ids))

    async def one(agent_id: int) -> bool:
        async with session_factory() as db, db.begin():
            await db.connection()  # a connection of its own before the race starts
            await barrier.wait()
            return await requests.claim(
                db, request_id=item, agent_id=agent_id, now=NOW + now_offset, lease=LEASE
            )

    return list(await asyncio.gather(*(one(agent_id) for agent_id in agent_ids)))


async def test_many_simultaneous_claims_one_winner(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    item, agent_ids = await _setup(session_factory)
    results = await _claim_all_at_once(session_factory, item, agent_ids, timedelta())
    assert results.count(True) == 1
    winner = agent_ids[results.index(True)]
    async with session_factory() as db:
        row = await requests.get(db, item)
        assert row is not None and row.assignee_id == winner and row.status == "claimed"
    # While the lease lives, a second wave loses too, except the holder renewing its own claim.
    results = await _claim_all_at_once(session_factory, item, agent_ids, timedelta(minutes=10))
    assert [agent_ids[i] for i, won in enumerate(results) if won] == [winner]
    # After expiry exactly one agent takes it over.
    results = await _claim_all_at_once(session_factory, item, agent_ids, timedelta(hours=2))
    assert results.count(True) == 1


async def test_renew_needs_a_live_lease_of_ones_own(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    item, (first, second, *_rest) = await _setup(session_factory)
    async with session_factory() as db, db.begin():
        assert await requests.claim(db, request_id=item, agent_id=first, now=NOW, lease=LEASE)
        assert await requests.renew(db, request_id=item, agent_id=first, now=NOW, lease=LEASE)
        assert not await requests.renew(db, request_id=item, agent_id=second, now=NOW, lease=LEASE)
        assert not await requests.renew(db, request_id=item, agent_id=first, now=NOW + LEASE * 2, lease=LEASE)
        assert await requests.close(db, request_id=item, outcome="answered", now=NOW)
        assert not await requests.claim(db, request_id=item, agent_id=second, now=NOW, lease=LEASE)
