"""Escalated questions, newest first: what the knowledge base could not answer.

The question text is the queue item's summary, redacted when the item was created.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.requests import RequestKind, SupportRequest


async def escalated_since(
    session: AsyncSession, *, since: datetime, limit: int = 1000
) -> Sequence[SupportRequest]:
    rows = await session.scalars(
        select(SupportRequest)
        .where(SupportRequest.kind == str(RequestKind.QUESTION), SupportRequest.received_at >= since)
        .order_by(SupportRequest.received_at.desc(), SupportRequest.id.desc())
        .limit(limit)
    )
    return rows.all()
