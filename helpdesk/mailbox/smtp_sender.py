"""Send the e-mails that are due in the outbox over SMTP (aiosmtplib).

A row is marked sent only after the server accepted it (at least once); a failure is recorded with
``outbox.mark_failed``, which schedules the next attempt with a capped exponential backoff. When the
server cannot be reached at all, the whole round stops and every row keeps its place: an SMTP
outage delays mail and loses none.
"""

from __future__ import annotations

import logging
import ssl

import aiosmtplib

from helpdesk.core.redaction import redact
from helpdesk.mailbox.compose import AttachmentProblem, compose
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.outgoing import CHANNEL
from helpdesk.services import Services
from helpdesk.settings import SmtpSettings, TransportSecurity
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.repositories import outbox

log = logging.getLogger(__name__)
BATCH = 50
_TIMEOUT_SECONDS = 30.0


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


async def _record_failure(services: Services, row: OutboxMessage, error: str) -> None:
    log.warning("outbox message %s by e-mail failed: %s", row.id, redact(error))
    async with services.sessions() as session, write_transaction(session):
        await outbox.mark_failed(session, row.id, error, services.clock())


async def deliver_due(services: Services, config: MailConfig, *, limit: int = BATCH) -> int:
    """Send what is due now over one SMTP connection; returns how many mails were sent."""
    async with services.sessions() as session:
        rows: list[OutboxMessage] = await outbox.due(
            session, channel=CHANNEL, now=services.clock(), limit=limit
        )
    if not rows:
        return 0
    client = smtp_client(config.outbound)
    try:
        await client.connect()
    except (aiosmtplib.SMTPException, OSError) as exc:
        # Outage: nothing was attempted, so nothing is marked; every row waits for the next round.
        log.warning("SMTP server unreachable, %d mail(s) wait: %s", len(rows), type(exc).__name__)
        return 0
    sent = 0
    try:
        for row in rows:
            try:
                message = compose(services, config, row)
                await client.send_message(message)
            except AttachmentProblem as exc:
                await _record_failure(services, row, str(exc))
                continue
            except aiosmtplib.SMTPServerDisconnected as exc:
                await _record_failure(services, row, type(exc).__name__)
                break  # the connection is gone: the rest waits for the next round
            except (aiosmtplib.SMTPException, OSError, ValueError) as exc:
                await _record_failure(services, row, f"{type(exc).__name__}: {exc}")
                continue
            async with services.sessions() as session, write_transaction(session):
                await outbox.mark_sent(session, row.id, services.clock())
            sent += 1
    finally:
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            client.close()
    if sent:
        log.info("delivered %d e-mail(s) from the outbox", sent)
    return sent
