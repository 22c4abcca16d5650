"""Every process adds its event counters to the database, so /metrics shows cluster-wide sums.

In production the bot replicas, the mailbox and the jobs are processes of their own and only the
console serves /metrics; a counter kept in one process's memory would be invisible there (and
would go back to zero on every restart). So each long-running process flushes what it counted
every :data:`FLUSH_SECONDS` (and once more when it stops) into ``metric_counters``, adding to the
stored sums; /metrics reads the sums. A flush that fails keeps its increments for the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from helpdesk.ops import metrics
from helpdesk.ops.metrics import Registry, Sample
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import counters

log = logging.getLogger(__name__)

FLUSH_SECONDS = 10.0
LAST_FLUSH_TIMEOUT = 5.0  # a stopping process waits this long at most for its last flush


async def flush(services: Services, registry: Registry = metrics.REGISTRY) -> int:
    """Add what ``registry`` counted since the last flush to the database; returns counters written."""
    pending = registry.take_pending()
    if not pending:
        return 0
    increments = {(name, metrics.encode_labels(labels)): value for (name, labels), value in pending.items()}
    try:
        async with services.sessions() as session, write_transaction(session):
            await counters.add(session, increments, now=services.clock())
    except BaseException:
        registry.give_back(pending)
        raise
    return len(increments)


async def flush_forever(services: Services, *, interval: float = FLUSH_SECONDS) -> None:
    """Flush every ``interval`` seconds until cancelled, then once more."""
    try:
        while True:
            await asyncio.sleep(interval)
            try:
                await flush(services)
            except Exception as exc:  # the database is away: the increments wait for the next round
                log.warning("metrics: counters not saved (%s); trying again", type(exc).__name__)
    finally:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(LAST_FLUSH_TIMEOUT):
                await flush(services)


async def cluster_samples(services: Services) -> list[Sample]:
    """The stored sums as ``helpdesk_<name>_total`` samples, sorted."""
    async with services.sessions() as session:
        stored = await counters.totals(session)
    samples = [
        Sample(f"{metrics.PREFIX}{name}_total", metrics.decode_labels(labels), value)
        for (name, labels), value in stored.items()
    ]
    return sorted(samples, key=lambda sample: (sample.name, sample.labels))
