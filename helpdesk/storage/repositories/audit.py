"""The append-only audit log (database triggers refuse UPDATE and DELETE on it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.expression import ColumnElement

from helpdesk.storage.models.base import UTCDateTime, utcnow
from helpdesk.storage.models.requests import AuditEvent

_EVENTS = cast(Table, AuditEvent.__table__)
_A = _EVENTS.c
# Built once, for events the handlers write on every such inquiry (a consent withdrawal).
_APPEND = insert(_EVENTS).values(
    actor=bindparam("p_actor", type_=_A.actor.type),
    action=bindparam("p_action", type_=_A.action.type),
    request_id=bindparam("p_request_id", type_=_A.request_id.type),
    detail=bindparam("p_detail", type_=_A.detail.type),
    created_at=bindparam("p_now", type_=UTCDateTime()),
)


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


async def append(
    connection: AsyncConnection,
    *,
    actor: str,
    action: str,
    now: datetime,
    request_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """:func:`record` as one prebuilt INSERT on the connection, when the caller needs no row back."""
    await connection.execute(
        _APPEND,
        {
            "p_actor": actor[:64],
            "p_action": action[:64],
            "p_request_id": request_id,
            "p_detail": detail or {},
            "p_now": now,
        },
    )


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


def _matching(request_id: int | None, actor: str | None, action: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if request_id is not None:
        conditions.append(AuditEvent.request_id == request_id)
    if actor is not None:
        conditions.append(AuditEvent.actor == actor)
    if action is not None:
        conditions.append(AuditEvent.action == action)
    return conditions


async def search(
    session: AsyncSession,
    *,
    request_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    before: int | None = None,
    after: int | None = None,
    limit: int = 100,
) -> Sequence[AuditEvent]:
    """The events matching every filter given, newest first, a page at a time by id (keyset paging:
    ``before`` gives the ``limit`` events just below that id, ``after`` those just above it; no
    OFFSET, so the page after a million events costs what the first one does)."""
    query = select(AuditEvent).where(*_matching(request_id, actor, action))
    if after is not None:
        query = query.where(AuditEvent.id > after).order_by(AuditEvent.id).limit(limit)
        return list(reversed((await session.scalars(query)).all()))
    if before is not None:
        query = query.where(AuditEvent.id < before)
    return (await session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit))).all()


async def any_beyond(
    session: AsyncSession,
    *,
    request_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    below: int | None = None,
    above: int | None = None,
) -> bool:
    """Whether a matching event has an id below ``below`` (or above ``above``): is there a page more."""
    query = select(AuditEvent.id).where(*_matching(request_id, actor, action))
    if below is not None:
        query = query.where(AuditEvent.id < below)
    if above is not None:
        query = query.where(AuditEvent.id > above)
    return (await session.scalar(query.limit(1))) is not None
