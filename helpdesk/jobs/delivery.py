"""Outbox retry: failed sends get another round, and due messages go out when no sender runs.

The bot delivers Telegram messages and the mailbox component delivers e-mail, each as the leader
of its own lock. This job sends only for a channel whose sender is not running anywhere (the lock
is free), so a message is never sent by two processes at once; a channel that is not configured
is skipped with one log line. The senders are core's :class:`~helpdesk.core.ports.OutboxSender`
ports, which :mod:`helpdesk.app` fills with the channels' code: the jobs import no channel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.leadership import try_leadership
from helpdesk.storage.repositories import outbox

log = logging.getLogger(__name__)

RETRY_FAILED_AFTER = timedelta(hours=1)  # a message that gave up gets a new round this long after

_noted: set[str] = set()  # skip reasons already logged by this process (one line each, not each minute)


@dataclass
class RetryReport:
    revived: int = 0
    sent: dict[str, int] = field(default_factory=dict)  # channel -> messages sent by this job
    skipped: dict[str, str] = field(default_factory=dict)  # channel -> why this job did not send


def _note(reason: str) -> None:
    if reason not in _noted:
        _noted.add(reason)
        log.info("outbox retry: %s", reason)


async def retry_outbox(services: Services, give_up_hours: int) -> RetryReport:
    """Revive failed messages queued within ``give_up_hours`` (``HELPDESK_OUTBOX_GIVE_UP_HOURS``),
    then run each channel's sender that is configured and not running elsewhere."""
    report = RetryReport()
    async with services.sessions() as session, write_transaction(session):
        report.revived = await outbox.retry_failed(
            session,
            now=services.clock(),
            older_than=RETRY_FAILED_AFTER,
            queued_within=timedelta(hours=give_up_hours),
        )
    if report.revived:
        log.info("outbox retry: %d failed message(s) get another round", report.revived)
    for sender in services.senders:
        if sender.missing is not None:
            report.skipped[sender.channel] = sender.missing
        else:
            async with try_leadership(services.engine, sender.leadership) as free:
                if free:
                    report.sent[sender.channel] = await sender.deliver_due()
                else:
                    report.skipped[sender.channel] = f"its sender ({sender.leadership}) is running"
        if sender.channel in report.skipped:
            _note(f"{sender.channel} not sent here: {report.skipped[sender.channel]}")
    return report
