"""Repeat a bounded delete, one short transaction each, until there is nothing left."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import retention

Step = Callable[[AsyncSession], Awaitable[int]]


@dataclass(frozen=True)
class Batched:
    rows: int
    batches: int


async def in_batches(services: Services, step: Step, *, batch_size: int, pause: float = 0.0) -> Batched:
    """Run ``step`` (which deletes at most ``batch_size`` rows) in its own transaction until a batch
    comes back short; sleep ``pause`` seconds between batches so other writers get the lock. The
    batches do not wait for their commit to reach the disk (a lost batch is deleted again)."""
    rows = batches = 0
    while True:
        async with services.sessions() as session, write_transaction(session):
            await retention.without_commit_wait(session)
            deleted = await step(session)
        rows += deleted
        batches += 1 if deleted else 0
        if deleted < batch_size:
            return Batched(rows, batches)
        await asyncio.sleep(pause)
