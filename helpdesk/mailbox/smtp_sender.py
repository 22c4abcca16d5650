"""Send the e-mails that are due in the outbox over SMTP (aiosmtplib), several connections at once.

:func:`deliver_due` drains the outbox: up to ``HELPDESK_SMTP_CONCURRENCY`` workers, each over its
own connection, send one mail after another until nothing is due, claiming a few at a time
(:class:`~helpdesk.storage.sending.SenderRun`), so a backlog leaves as fast as the server takes it
and two senders never send one mail. A mail is marked sent only after the server accepted it (at
least once); a refusal is recorded with ``outbox.mark_failed``, which schedules the next attempt
with a capped exponential backoff. When the server cannot be reached at all, the drain stops and
every mail keeps its place with no attempt counted: an SMTP outage delays mail and loses none.

A connection that breaks while a mail is on its way leaves that mail's fate unknown (the server
may have taken it before the line went): it is retried like a refusal and counted as interrupted.
Every retry carries the same Message-ID (:mod:`helpdesk.mailbox.compose`), so a receiver can drop
a second copy; docs/email.md says what is and is not guaranteed.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage

import aiosmtplib

from helpdesk.core.redaction import redact
from helpdesk.mailbox.compose import AttachmentProblem, compose
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.outgoing import CHANNEL
from helpdesk.services import Services
from helpdesk.settings import SmtpSettings, TransportSecurity
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.sending import SenderRun

log = logging.getLogger(__name__)
_TIMEOUT_SECONDS = 30.0
_QUIT_SECONDS = 5.0
#: A connection is closed and opened anew after this many mails: some servers cap mails per
#: connection (Exchange, hosted relays), and a fresh one costs little next to a hundred mails.
MESSAGES_PER_CONNECTION = 100
#: Mails claimed at a time, per connection: enough that claiming is rare, few enough that a sender
#: that dies leaves little in "sending".
_CLAIM_PER_CONNECTION = 4


def smtp_client(settings: SmtpSettings) -> aiosmtplib.SMTP:
    if not settings.smtp_host:
        raise aiosmtplib.SMTPConnectError("HELPDESK_SMTP_HOST is not set")
    security = settings.smtp_security
    return aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_user,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        use_tls=security is TransportSecurity.SSL,
        start_tls=security is TransportSecurity.STARTTLS,
        tls_context=ssl.create_default_context() if security is not TransportSecurity.NONE else None,
        timeout=_TIMEOUT_SECONDS,
    )


async def _close(client: aiosmtplib.SMTP) -> None:
    try:
        async with asyncio.timeout(_QUIT_SECONDS):
            await client.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        client.close()


@dataclass
class _Drain:
    """The workers of one :func:`deliver_due` share the claimed mails and know whether any of them
    still has a connection (when none can connect, the server is down and the drain stops)."""

    services: Services
    config: MailConfig
    run: SenderRun
    connections: int
    ready: deque[OutboxMessage] = field(default_factory=deque)
    claiming: asyncio.Lock = field(default_factory=asyncio.Lock)
    exhausted: bool = False  # a claim found nothing due
    outage: bool = False
    connected: int = 0  # workers holding an open connection now
    connecting: int = 0

    async def next_mail(self) -> OutboxMessage | None:
        while not self.outage:
            if self.ready:
                return self.ready.popleft()
            if self.exhausted:
                return None
            async with self.claiming:
                if not (self.ready or self.exhausted or self.outage):
                    rows = await self.run.claim(self.connections * _CLAIM_PER_CONNECTION)
                    self.exhausted = not rows
                    self.ready.extend(rows)
        return None

    async def connect(self) -> aiosmtplib.SMTP | None:
        """A new connection, or None: then this worker stops, and if no other one has a connection
        or is opening one, the server is down and the drain stops (a server that allows fewer
        connections than HELPDESK_SMTP_CONCURRENCY is served by those it allows)."""
        client = smtp_client(self.config.outbound)
        self.connecting += 1
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            if self.connected == 0 and self.connecting == 1 and not self.outage:
                # Nothing was attempted, so nothing is marked: every mail waits for the next round.
                log.warning("SMTP server unreachable, the outbox waits: %s", type(exc).__name__)
                self.outage = True
            return None
        finally:
            self.connecting -= 1
        self.connected += 1
        return client

    async def work(self) -> None:
        client: aiosmtplib.SMTP | None = None
        on_connection = 0
        try:
            while (row := await self.next_mail()) is not None:
                try:
                    message = compose(self.services, self.config, row)
                except AttachmentProblem as exc:
                    await self.run.mark_failed(row.id, str(exc))
                    continue
                worn = on_connection >= MESSAGES_PER_CONNECTION
                if client is not None and (worn or not client.is_connected):
                    await self._drop(client)
                    client = None
                if client is None:
                    client, on_connection = await self.connect(), 0
                    if client is None:
                        self.ready.appendleft(row)  # another connection may still send it
                        return
                on_connection += 1
                if not await self._send(client, row, message):
                    await self._drop(client)
                    client = None
        finally:
            if client is not None:
                await self._drop(client)

    async def _drop(self, client: aiosmtplib.SMTP) -> None:
        self.connected -= 1
        await _close(client)

    async def _send(self, client: aiosmtplib.SMTP, row: OutboxMessage, message: EmailMessage) -> bool:
        """One mail; False when the connection should not be used again."""
        try:
            with self.run.sending(row.id):
                await client.send_message(message)
                await self.run.mark_sent(row.id)
        except (aiosmtplib.SMTPResponseException, aiosmtplib.SMTPRecipientsRefused) as exc:
            # The server answered no (aiosmtplib has reset the envelope): nothing was delivered.
            await self._failed(row, f"{type(exc).__name__}: {exc}")
            return client.is_connected
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError) as exc:
            # The line went mid-mail: the server may have taken it. Retried, counted as interrupted.
            await self._failed(row, type(exc).__name__, unknown=True)
            return False
        except (aiosmtplib.SMTPException, ValueError) as exc:
            await self._failed(row, f"{type(exc).__name__}: {exc}")
            return False
        return True

    async def _failed(self, row: OutboxMessage, error: str, *, unknown: bool = False) -> None:
        log.warning("outbox message %s by e-mail failed: %s", row.id, redact(error, emails=True))
        await self.run.mark_failed(row.id, error, unknown=unknown)


async def deliver_due(services: Services, config: MailConfig, *, leader: bool = False) -> int:
    """Send everything that is due, over up to ``HELPDESK_SMTP_CONCURRENCY`` connections; returns
    how many mails were sent. ``leader``: the caller holds the mailbox's leadership (see
    :class:`~helpdesk.storage.sending.SenderRun`)."""
    run = SenderRun(services.sessions, CHANNEL, services.clock, leader=leader)
    connections = config.outbound.smtp_concurrency
    drain = _Drain(services, config, run, connections)
    try:
        await run.start()
        async with asyncio.TaskGroup() as group:
            for number in range(connections):
                group.create_task(drain.work(), name=f"smtp-sender-{number}")
    finally:
        await run.close()
    if run.sent:
        log.info("delivered %d e-mail(s) from the outbox", run.sent)
    return run.sent
