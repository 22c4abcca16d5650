"""An item's record: filing it, reading it, and the one-time changes to what it says (who it is
about, verified identity, the one Art. 12(3) extension, its details)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Update, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import ColumnElement

from helpdesk.core.redaction import redact
from helpdesk.storage.models.requests import IdentityState, RequestKind, RequestStatus, SupportRequest


def update_open(request_id: int, *conditions: ColumnElement[bool]) -> Update:
    """An UPDATE of the item while it is not closed (and ``conditions`` hold): every change an
    agent or the resident makes; a closed item stays as it was closed."""
    return update(SupportRequest).where(
        SupportRequest.id == request_id, SupportRequest.status != str(RequestStatus.CLOSED), *conditions
    )


async def one_row(session: AsyncSession, statement: Update) -> bool:
    """Run a conditional UPDATE of one item; True when it matched (the condition held)."""
    result = await session.execute(statement.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def create(
    session: AsyncSession,
    *,
    kind: RequestKind,
    channel: str,
    contact: str,
    received_at: datetime,
    deadline_at: datetime,
    resident_id: str | None = None,
    conversation_id: int | None = None,
    language: str = "lv",
    summary: str = "",
    details: dict[str, Any] | None = None,
    identity: IdentityState = IdentityState.UNVERIFIED,
    identity_how: str | None = None,
    external_ref: str | None = None,
) -> SupportRequest:
    item = SupportRequest(
        kind=str(kind),
        status=str(RequestStatus.OPEN),
        channel=channel,
        contact=contact,
        resident_id=resident_id,
        conversation_id=conversation_id,
        language=language,
        summary=redact(summary),
        details=details or {},
        identity=str(identity),
        identity_how=identity_how,
        received_at=received_at,
        deadline_at=deadline_at,
        external_ref=external_ref,
        created_at=received_at,
    )
    session.add(item)
    await session.flush()
    return item


async def get(session: AsyncSession, request_id: int) -> SupportRequest | None:
    return await session.get(SupportRequest, request_id)


async def mark_verified(session: AsyncSession, *, request_id: int, how: str) -> bool:
    return await one_row(
        session,
        update(SupportRequest)
        .where(SupportRequest.id == request_id)
        .values(identity=str(IdentityState.VERIFIED), identity_how=how[:200]),
    )


async def attach(session: AsyncSession, *, request_id: int, resident_id: str) -> bool:
    """Name the resident of an item filed for an unidentified sender, once: ``resident_id IS NULL`` in
    the WHERE makes two agents attaching at once attach it once (False for the second)."""
    return await one_row(
        session,
        update_open(request_id, SupportRequest.resident_id.is_(None)).values(resident_id=resident_id),
    )


async def extend_deadline(
    session: AsyncSession, *, request_id: int, deadline_at: datetime, reason: str, now: datetime
) -> bool:
    """Art. 12(3) allows one extension; ``extended_at IS NULL`` in the WHERE makes it happen once."""
    return await one_row(
        session,
        update_open(request_id, SupportRequest.extended_at.is_(None)).values(
            deadline_at=deadline_at, extended_at=now, extension_reason=reason
        ),
    )


async def set_details(session: AsyncSession, *, request_id: int, details: dict[str, Any]) -> None:
    await session.execute(
        update(SupportRequest)
        .where(SupportRequest.id == request_id)
        .values(details=details)
        .execution_options(synchronize_session=False)
    )
