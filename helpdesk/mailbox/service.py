"""The mailbox component as one long-running task: the IMAP poller and the SMTP outbox sender.

Both run under the "mailbox" leadership (one poller cluster-wide), so e-mail is sent by one process
only. The poller wakes the sender when it queued answers, so a reply leaves within a second rather
than at the next ``HELPDESK_MAIL_OUTBOX_POLL_SECONDS`` tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from helpdesk.mailbox.chain.identity import warn_if_unverified
from helpdesk.mailbox.outgoing import SENDER_LOCK
from helpdesk.mailbox.poller import run_mailbox
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.services import Services
from helpdesk.storage.leadership import lead_forever

log = logging.getLogger(__name__)
LEADERSHIP = SENDER_LOCK


async def send_forever(services: Services, wake: asyncio.Event) -> None:
    interval = services.settings.mail_outbox_poll_seconds
    while True:
        try:
            await deliver_due(services)
        except Exception:  # a database hiccup: log, and the next tick tries again
            log.exception("e-mail outbox round failed")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(interval):
                await wake.wait()
        wake.clear()


async def serve(services: Services) -> None:
    """Poll and send until cancelled (the caller holds the leadership)."""
    wake = asyncio.Event()
    async with asyncio.TaskGroup() as group:
        group.create_task(run_mailbox(services, once=False, wake=wake), name="mailbox-poller")
        group.create_task(send_forever(services, wake), name="mailbox-sender")


async def run_once(services: Services) -> int:
    """Process what is in the mailbox, send the answers that are due; returns mails sent."""
    warn_if_unverified(services.settings)
    await run_mailbox(services, once=True)
    return await deliver_due(services)


async def run_service(services: Services) -> None:
    """Run as the cluster's single mailbox: a second instance waits as a hot standby."""
    warn_if_unverified(services.settings)  # once per process, standby or not: the operator's setting
    await lead_forever(services.engine, LEADERSHIP, lambda: serve(services))
