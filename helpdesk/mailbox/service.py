"""The mailbox component as one long-running task: the IMAP poller and the SMTP outbox sender.

Both run under the "mailbox" leadership (one poller cluster-wide). The sender drains the outbox
(everything due, over ``HELPDESK_SMTP_CONCURRENCY`` connections) and then waits; the poller wakes it
when it queued answers, so a reply leaves within a second rather than at the next
``HELPDESK_MAIL_OUTBOX_POLL_SECONDS`` tick. ``--once`` drains the outbox the same way before it exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.outgoing import SENDER_LOCK
from helpdesk.mailbox.poller import run_mailbox
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.services import Services
from helpdesk.storage.leadership import lead_forever

log = logging.getLogger(__name__)
LEADERSHIP = SENDER_LOCK


async def send_forever(services: Services, config: MailConfig, wake: asyncio.Event) -> None:
    interval = config.outbound.mail_outbox_poll_seconds
    while True:
        try:
            await deliver_due(services, config, leader=True)
        except Exception:  # a database hiccup: log, and the next tick tries again
            log.exception("e-mail outbox round failed")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(interval):
                await wake.wait()
        wake.clear()


async def serve(services: Services, config: MailConfig) -> None:
    """Poll and send until cancelled (the caller holds the leadership)."""
    wake = asyncio.Event()
    async with asyncio.TaskGroup() as group:
        group.create_task(run_mailbox(services, config, once=False, wake=wake), name="mailbox-poller")
        group.create_task(send_forever(services, config, wake), name="mailbox-sender")


async def run_once(services: Services, config: MailConfig) -> int:
    """Process what is in the mailbox, then send every mail that is due (the answers just queued
    and any backlog); returns mails sent."""
    await run_mailbox(services, config, once=True)
    return await deliver_due(services, config)


async def run_service(services: Services, config: MailConfig) -> None:
    """Run as the cluster's single mailbox: a second instance waits as a hot standby. ``config`` is
    the mailbox's part of the settings (:mod:`helpdesk.mailbox.config`)."""
    await lead_forever(services.engine, LEADERSHIP, lambda: serve(services, config))
