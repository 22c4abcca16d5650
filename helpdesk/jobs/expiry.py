"""Expired link tokens and e-mail confirmation codes are deleted.

An expired token or code can never be used again, so keeping it only keeps a resident id and an
address longer than needed. They stay a day past expiry first: within that day the bot can still
tell a resident "this link has expired" instead of "this link is not valid".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.jobs.batches import in_batches
from helpdesk.services import Services
from helpdesk.settings import JobsSettings
from helpdesk.storage.repositories import retention

log = logging.getLogger(__name__)

GRACE = timedelta(days=1)


@dataclass(frozen=True)
class ExpiryReport:
    link_tokens: int
    confirmation_codes: int


async def expire_tokens(
    services: Services, settings: JobsSettings, *, batch_size: int | None = None
) -> ExpiryReport:
    """Delete link tokens and confirmation codes that expired more than :data:`GRACE` ago, in
    batches of ``HELPDESK_PURGE_BATCH_SIZE`` (pausing as the purge does)."""
    before = services.clock() - GRACE
    if batch_size is None:
        batch_size = settings.purge_batch_size
    pause = settings.purge_pause_ms / 1000

    async def tokens(session: AsyncSession) -> int:
        return await retention.delete_expired_link_tokens(session, expired_before=before, limit=batch_size)

    async def codes(session: AsyncSession) -> int:
        return await retention.delete_expired_codes(session, expired_before=before, limit=batch_size)

    report = ExpiryReport(
        link_tokens=(await in_batches(services, tokens, batch_size=batch_size, pause=pause)).rows,
        confirmation_codes=(await in_batches(services, codes, batch_size=batch_size, pause=pause)).rows,
    )
    if report.link_tokens or report.confirmation_codes:
        log.info(
            "expired: %d link tokens, %d confirmation codes deleted",
            report.link_tokens,
            report.confirmation_codes,
        )
    return report
