"""GDPR Art. 15 exports, kept in the database with their request (and deleted with it)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.console import RequestExport


async def add(
    session: AsyncSession,
    *,
    request_id: int,
    resident_id: str,
    created_by: str,
    json_text: str,
    html_text: str,
    now: datetime,
) -> RequestExport:
    row = RequestExport(
        request_id=request_id,
        resident_id=resident_id,
        created_by=created_by[:64],
        json_text=json_text,
        html_text=html_text,
        sha256=hashlib.sha256(json_text.encode()).hexdigest(),
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def get(session: AsyncSession, request_id: int, export_id: int) -> RequestExport | None:
    return (
        await session.scalars(
            select(RequestExport).where(RequestExport.id == export_id, RequestExport.request_id == request_id)
        )
    ).first()


async def for_request(session: AsyncSession, request_id: int) -> Sequence[RequestExport]:
    rows = await session.scalars(
        select(RequestExport).where(RequestExport.request_id == request_id).order_by(RequestExport.id)
    )
    return rows.all()


async def mark_reviewed(session: AsyncSession, *, export_id: int, by: str, now: datetime) -> bool:
    result = await session.execute(
        update(RequestExport)
        .where(RequestExport.id == export_id, RequestExport.reviewed_at.is_(None))
        .values(reviewed_at=now, reviewed_by=by[:64])
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def mark_sent(session: AsyncSession, *, export_id: int, via: str, now: datetime) -> bool:
    """Once only: a double click must not send the resident's data twice."""
    result = await session.execute(
        update(RequestExport)
        .where(
            RequestExport.id == export_id,
            RequestExport.reviewed_at.is_not(None),
            RequestExport.sent_at.is_(None),
        )
        .values(sent_at=now, sent_via=via)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def set_sent_via(session: AsyncSession, *, export_id: int, via: str) -> None:
    await session.execute(
        update(RequestExport)
        .where(RequestExport.id == export_id)
        .values(sent_via=via)
        .execution_options(synchronize_session=False)
    )
