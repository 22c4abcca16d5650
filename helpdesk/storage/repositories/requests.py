"""Queue items: GDPR access/correction requests, escalated questions, quarantined mail.

Claiming is a lease taken with one conditional UPDATE, so two agents never hold the same item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.redaction import redact
from helpdesk.storage.models.requests import IdentityState, RequestKind, RequestStatus, SupportRequest


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


async def list_items(
    session: AsyncSession,
    *,
    statuses: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    resident_id: str | None = None,
    channels: Sequence[str] | None = None,
    identities: Sequence[str] | None = None,
    assignee_id: int | None = None,
    unassigned: bool = False,
    limit: int = 500,
) -> Sequence[SupportRequest]:
    """Open items first by deadline (what is due soonest is on top); the console's queue filters."""
    query = select(SupportRequest)
    if statuses:
        query = query.where(SupportRequest.status.in_(list(statuses)))
    if kinds:
        query = query.where(SupportRequest.kind.in_(list(kinds)))
    if resident_id is not None:
        query = query.where(SupportRequest.resident_id == resident_id)
    if channels:
        query = query.where(SupportRequest.channel.in_(list(channels)))
    if identities:
        query = query.where(SupportRequest.identity.in_(list(identities)))
    if assignee_id is not None:
        query = query.where(SupportRequest.assignee_id == assignee_id)
    if unassigned:
        query = query.where(SupportRequest.assignee_id.is_(None))
    query = query.order_by(SupportRequest.deadline_at, SupportRequest.id).limit(limit)
    return (await session.scalars(query)).all()


async def find_open(
    session: AsyncSession, *, kind: RequestKind, resident_id: str | None, contact: str
) -> SupportRequest | None:
    """An open item of this kind from the same person (so a double tap does not file two)."""
    query = select(SupportRequest).where(
        SupportRequest.kind == str(kind), SupportRequest.status != str(RequestStatus.CLOSED)
    )
    if resident_id is not None:
        query = query.where(SupportRequest.resident_id == resident_id)
    else:
        query = query.where(SupportRequest.contact == contact)
    return (await session.scalars(query.order_by(SupportRequest.id.desc()).limit(1))).first()


async def claim(
    session: AsyncSession, *, request_id: int, agent_id: int, now: datetime, lease: timedelta
) -> bool:
    """Take the item if nobody holds a live lease on it (or the caller already does)."""
    result = await session.execute(
        update(SupportRequest)
        .where(
            SupportRequest.id == request_id,
            SupportRequest.status != str(RequestStatus.CLOSED),
            or_(
                SupportRequest.assignee_id.is_(None),
                SupportRequest.assignee_id == agent_id,
                SupportRequest.lease_expires_at.is_(None),
                SupportRequest.lease_expires_at <= now,
            ),
        )
        .values(assignee_id=agent_id, lease_expires_at=now + lease, status=str(RequestStatus.CLAIMED))
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def release(session: AsyncSession, *, request_id: int, agent_id: int) -> bool:
    result = await session.execute(
        update(SupportRequest)
        .where(SupportRequest.id == request_id, SupportRequest.assignee_id == agent_id)
        .values(assignee_id=None, lease_expires_at=None, status=str(RequestStatus.OPEN))
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def close(session: AsyncSession, *, request_id: int, outcome: str, now: datetime) -> bool:
    result = await session.execute(
        update(SupportRequest)
        .where(SupportRequest.id == request_id, SupportRequest.status != str(RequestStatus.CLOSED))
        .values(status=str(RequestStatus.CLOSED), outcome=outcome, closed_at=now, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def due_before(session: AsyncSession, *, moment: datetime) -> Sequence[SupportRequest]:
    """Open items whose deadline falls before ``moment`` (deadline reminders)."""
    rows = await session.scalars(
        select(SupportRequest)
        .where(SupportRequest.status != str(RequestStatus.CLOSED), SupportRequest.deadline_at < moment)
        .order_by(SupportRequest.deadline_at)
    )
    return rows.all()


async def renew(
    session: AsyncSession, *, request_id: int, agent_id: int, now: datetime, lease: timedelta
) -> bool:
    """Extend the caller's live lease; False if the caller does not hold one.

    Every console action on an item starts with this: on PostgreSQL the UPDATE also locks the row
    until the action commits, so a claim by someone else cannot slip in between check and action.
    """
    result = await session.execute(
        update(SupportRequest)
        .where(
            SupportRequest.id == request_id,
            SupportRequest.status != str(RequestStatus.CLOSED),
            SupportRequest.assignee_id == agent_id,
            SupportRequest.lease_expires_at > now,
        )
        .values(lease_expires_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def mark_verified(session: AsyncSession, *, request_id: int, how: str) -> bool:
    result = await session.execute(
        update(SupportRequest)
        .where(SupportRequest.id == request_id)
        .values(identity=str(IdentityState.VERIFIED), identity_how=how[:200])
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def extend_deadline(
    session: AsyncSession, *, request_id: int, deadline_at: datetime, reason: str, now: datetime
) -> bool:
    """Art. 12(3) allows one extension; ``extended_at IS NULL`` in the WHERE makes it happen once."""
    result = await session.execute(
        update(SupportRequest)
        .where(
            SupportRequest.id == request_id,
            SupportRequest.status != str(RequestStatus.CLOSED),
            SupportRequest.extended_at.is_(None),
        )
        .values(deadline_at=deadline_at, extended_at=now, extension_reason=reason)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def set_details(session: AsyncSession, *, request_id: int, details: dict[str, Any]) -> None:
    await session.execute(
        update(SupportRequest)
        .where(SupportRequest.id == request_id)
        .values(details=details)
        .execution_options(synchronize_session=False)
    )


async def open_counts(session: AsyncSession, *, now: datetime, soon: datetime) -> dict[str, int]:
    """Counts for the top of the queue: by status and kind, overdue, and due before ``soon``."""
    counts: dict[str, int] = {}
    not_closed = SupportRequest.status != str(RequestStatus.CLOSED)
    for column, prefix in ((SupportRequest.status, "status"), (SupportRequest.kind, "kind")):
        rows = await session.execute(select(column, func.count()).where(not_closed).group_by(column))
        for value, number in rows.all():
            counts[f"{prefix}:{value}"] = int(number)
    counts["overdue"] = int(
        await session.scalar(
            select(func.count())
            .select_from(SupportRequest)
            .where(not_closed, SupportRequest.deadline_at < now)
        )
        or 0
    )
    counts["due_soon"] = int(
        await session.scalar(
            select(func.count())
            .select_from(SupportRequest)
            .where(not_closed, SupportRequest.deadline_at >= now, SupportRequest.deadline_at < soon)
        )
        or 0
    )
    counts["open"] = sum(v for k, v in counts.items() if k.startswith("status:"))
    return counts
