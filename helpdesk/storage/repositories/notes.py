"""Agents' internal notes on a queue item (redacted on the way in, like conversations)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.redaction import redact
from helpdesk.storage.models.console import RequestNote


async def add(
    session: AsyncSession, *, request_id: int, author: str, text: str, now: datetime
) -> RequestNote:
    note = RequestNote(request_id=request_id, author=author[:64], text=redact(text), created_at=now)
    session.add(note)
    await session.flush()
    return note


async def for_request(session: AsyncSession, request_id: int) -> Sequence[RequestNote]:
    rows = await session.scalars(
        select(RequestNote).where(RequestNote.request_id == request_id).order_by(RequestNote.id)
    )
    return rows.all()
