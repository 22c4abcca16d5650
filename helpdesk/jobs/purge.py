"""The retention purge (GDPR Art. 5(1)(e), storage limitation).

Conversations silent for ``HELPDESK_RETENTION_DAYS`` go with their messages, then sent outbox copies
of replies of the same age, then requests closed more than ``HELPDESK_CLOSED_REQUEST_RETENTION_DAYS``
ago with their notes and exports. Conversations
under legal hold stay (see :mod:`helpdesk.storage.repositories.retention`).

Each batch (``HELPDESK_PURGE_BATCH_SIZE`` rows) is its own short transaction, and the purge pauses
``HELPDESK_PURGE_PAUSE_MS`` between batches so that the bot's and the mailbox's writes are not
starved: on SQLite there is one write lock, for which the batches queue in turn with the handlers'
writes (:func:`~helpdesk.storage.engine.write_transaction`), and on a small PostgreSQL server the
purge's backend would otherwise keep a CPU busy for the whole run (benchmarks/purge.py measures
both). On PostgreSQL a batch's commit does not wait for the disk: a batch lost in a crash is
simply deleted again by the next run. A run writes
its counts, never contents, to the audit log; a dry run only counts and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.jobs.batches import in_batches
from helpdesk.ops import metrics
from helpdesk.services import Services
from helpdesk.settings import JobsSettings
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import audit, retention

log = logging.getLogger(__name__)

MESSAGES_PER_CONVERSATION = 10  # a typical conversation: sizes the chunk of conversations per batch


@dataclass
class PurgeReport:
    """What a run removed (or, in a dry run, would remove): counts only."""

    dry_run: bool
    messages: int = 0
    conversations: int = 0
    outbox_sent: int = 0
    closed_requests: int = 0
    held_conversations: int = 0  # old enough, kept by legal hold
    batches: int = 0
    seconds: float = field(default=0.0, compare=False)

    def counts(self) -> dict[str, int]:
        return {
            key: value for key, value in asdict(self).items() if isinstance(value, int) and key != "dry_run"
        }


def cutoffs(settings: JobsSettings, now: datetime) -> tuple[datetime, datetime]:
    """``(conversations and messages, closed requests)``: older than these goes."""
    return (
        now - timedelta(days=settings.retention_days),
        now - timedelta(days=settings.closed_request_retention_days),
    )


async def purge(
    services: Services,
    settings: JobsSettings,
    *,
    dry_run: bool,
    batch_size: int | None = None,
    pause: float | None = None,
) -> PurgeReport:
    """Run the purge now (or count, with ``dry_run``); returns the counts. ``batch_size`` and
    ``pause`` (seconds) default to ``HELPDESK_PURGE_BATCH_SIZE`` and ``HELPDESK_PURGE_PAUSE_MS``."""
    started = time.perf_counter()
    if batch_size is None:
        batch_size = settings.purge_batch_size
    if pause is None:
        pause = settings.purge_pause_ms / 1000
    cutoff, closed_cutoff = cutoffs(settings, services.clock())
    report = PurgeReport(dry_run=dry_run)
    async with services.sessions() as session:
        report.held_conversations = await retention.count_held_conversations(session, cutoff=cutoff)
        if dry_run:
            report.messages = await retention.count_messages_of_silent(session, cutoff=cutoff)
            report.conversations = await retention.count_silent_conversations(session, cutoff=cutoff)
            report.outbox_sent = await retention.count_sent_outbox(session, sent_before=cutoff)
            report.closed_requests = await retention.count_closed_requests(
                session, closed_before=closed_cutoff
            )
            report.seconds = time.perf_counter() - started
            return report

    await _conversations(services, report, cutoff, batch_size, pause)

    async def outbox_sent(session: AsyncSession) -> int:
        return await retention.delete_sent_outbox(session, sent_before=cutoff, limit=batch_size)

    async def closed_requests(session: AsyncSession) -> int:
        return await retention.delete_closed_requests(session, closed_before=closed_cutoff, limit=batch_size)

    for what, step in (("outbox_sent", outbox_sent), ("closed_requests", closed_requests)):
        done = await in_batches(services, step, batch_size=batch_size, pause=pause)
        setattr(report, what, done.rows)
        report.batches += done.batches
    report.seconds = time.perf_counter() - started

    async with services.sessions() as session, write_transaction(session):
        await audit.record(
            session,
            actor="system",
            action="purge",
            detail={
                **report.counts(),
                "retention_days": settings.retention_days,
                "closed_request_retention_days": settings.closed_request_retention_days,
            },
            now=services.clock(),
        )
    for what in ("messages", "conversations", "outbox_sent", "closed_requests"):
        metrics.inc("purged_rows", getattr(report, what), what=what)
    log.info(
        "purge: %d messages, %d conversations, %d sent outbox rows, %d closed requests deleted "
        "in %d batches (%.1f s); %d conversations kept by legal hold",
        report.messages,
        report.conversations,
        report.outbox_sent,
        report.closed_requests,
        report.batches,
        report.seconds,
        report.held_conversations,
    )
    return report


async def _conversations(
    services: Services, report: PurgeReport, cutoff: datetime, batch_size: int, pause: float
) -> None:
    """Silent conversations with their messages, a chunk of conversations per transaction.

    A chunk holds ``batch_size / MESSAGES_PER_CONVERSATION`` conversations; should their messages be
    more than ``batch_size`` (a very long conversation), they go over several transactions and the
    conversations with the last of them.
    """
    chunk = max(1, batch_size // MESSAGES_PER_CONVERSATION)
    since: datetime | None = None
    ids: list[int] = []
    while True:
        async with services.sessions() as session, write_transaction(session):
            await retention.without_commit_wait(session)
            if not ids:
                ids, since = await retention.silent_conversations(
                    session, cutoff=cutoff, limit=chunk, since=since
                )
                if not ids:
                    return
            deleted = await retention.delete_messages_of(session, ids, limit=batch_size)
            report.messages += deleted
            if deleted < batch_size or not await retention.any_messages_of(session, ids):
                report.conversations += await retention.delete_conversations(session, ids, cutoff=cutoff)
                ids = []
        report.batches += 1
        await asyncio.sleep(pause)
