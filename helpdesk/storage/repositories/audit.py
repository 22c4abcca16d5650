"""The append-only audit log (database triggers refuse UPDATE and DELETE on it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.base import utcnow
from helpdesk.storage.models.requests import AuditEvent


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    request_id: int | None = None,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """``detail`` holds ids and counts, never contents (it is kept longer than conversations)."""
    event = AuditEvent(
        actor=actor[:64],
        action=action[:64],
        request_id=request_id,
        detail=detail or {},
        created_at=now or utcnow(),
    )
    session.add(event)
    await session.flush()
    return event


async def count_since(session: AsyncSession, *, actor: str, action: str, since: datetime) -> int:
    """How often ``actor`` did ``action`` since ``since`` (rate limits, e.g. failed link attempts)."""
    value = await session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.actor == actor, AuditEvent.action == action, AuditEvent.created_at >= since
        )
    )
    return int(value or 0)


async def for_request(session: AsyncSession, request_id: int) -> Sequence[AuditEvent]:
    rows = await session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request_id).order_by(AuditEvent.id)
    )
    return rows.all()


async def recent(session: AsyncSession, *, limit: int = 100) -> Sequence[AuditEvent]:
    rows = await session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
    return rows.all()
