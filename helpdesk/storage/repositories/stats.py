"""Counts for operators and agents: queue sizes, deadlines, processed mail (/metrics, the badge).

Only counts leave here, never rows: what /metrics shows must carry no personal data.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.delivery import InboundMail, OutboxMessage
from helpdesk.storage.models.requests import RequestStatus, SupportRequest

_NOT_CLOSED = SupportRequest.status != str(RequestStatus.CLOSED)


async def ping(session: AsyncSession) -> None:
    """Raises when the database does not answer (/healthz)."""
    await session.execute(text("SELECT 1"))


async def queue_counts(session: AsyncSession) -> dict[tuple[str, str], int]:
    """Queue items per (kind, status), closed ones included (they wait for retention)."""
    rows = await session.execute(
        select(SupportRequest.kind, SupportRequest.status, func.count()).group_by(
            SupportRequest.kind, SupportRequest.status
        )
    )
    return {(kind, status): int(n) for kind, status, n in rows}


async def deadline_counts(session: AsyncSession, *, now: datetime, within: timedelta) -> tuple[int, int]:
    """``(overdue, due soon)`` among items not closed: past their deadline, or due within ``within``."""
    row = (
        await session.execute(
            select(
                func.count(case((SupportRequest.deadline_at < now, 1))),
                func.count(
                    case(
                        ((SupportRequest.deadline_at >= now) & (SupportRequest.deadline_at < now + within), 1)
                    )
                ),
            ).where(_NOT_CLOSED, SupportRequest.deadline_at < now + within)
        )
    ).one()
    return int(row[0]), int(row[1])


async def inbound_mail_counts(session: AsyncSession) -> dict[str, int]:
    """Processed inbound mails per outcome (answered, skipped:<rule>, quarantined, ...)."""
    rows = await session.execute(select(InboundMail.outcome, func.count()).group_by(InboundMail.outcome))
    return {str(outcome): int(n) for outcome, n in rows}


async def outbox_with_key(session: AsyncSession, dedupe_key: str) -> int:
    """How many outbox rows carry ``dedupe_key`` (0 or 1): was today's notice queued already?"""
    n = await session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.dedupe_key == dedupe_key)
    )
    return int(n or 0)
