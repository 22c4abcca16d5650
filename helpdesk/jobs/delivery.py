"""Outbox retry: failed sends get another round, and due messages go out when no sender runs.

The bot delivers Telegram messages and the mailbox component delivers e-mail, each as the leader
of its own lock ("telegram-outbox", "mailbox"). This job sends only for a channel whose sender is
not running anywhere (the lock is free), so a message is never sent by two processes at once; a
channel that is not configured is skipped with one log line.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.leadership import try_leadership
from helpdesk.storage.repositories import outbox

log = logging.getLogger(__name__)

RETRY_FAILED_AFTER = timedelta(hours=1)  # a message that gave up gets a new round this long after


@dataclass(frozen=True)
class Sender:
    channel: str
    lock: str  # the leadership name its dedicated component holds
    module: str
    setting: str  # the setting that must be set for the channel to work

    def configured(self, settings: Settings) -> bool:
        return bool(getattr(settings, self.setting))


SENDERS = (
    Sender("telegram", "telegram-outbox", "helpdesk.bot.delivery", "telegram_token"),
    Sender("email", "mailbox", "helpdesk.mailbox.smtp_sender", "smtp_host"),
)

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


async def retry_outbox(services: Services) -> RetryReport:
    report = RetryReport()
    async with services.sessions() as session, write_transaction(session):
        report.revived = await outbox.retry_failed(
            session,
            now=services.clock(),
            older_than=RETRY_FAILED_AFTER,
            queued_within=timedelta(hours=services.settings.outbox_give_up_hours),
        )
    if report.revived:
        log.info("outbox retry: %d failed message(s) get another round", report.revived)
    for sender in SENDERS:
        if not sender.configured(services.settings):
            report.skipped[sender.channel] = f"HELPDESK_{sender.setting.upper()} is not set"
        else:
            # Imported here: a jobs process that sends no Telegram need not load aiogram.
            deliver_due = importlib.import_module(sender.module).deliver_due
            async with try_leadership(services.engine, sender.lock) as free:
                if free:
                    report.sent[sender.channel] = int(await deliver_due(services))
                else:
                    report.skipped[sender.channel] = f"its sender ({sender.lock}) is running"
        if sender.channel in report.skipped:
            _note(f"{sender.channel} not sent here: {report.skipped[sender.channel]}")
    return report
