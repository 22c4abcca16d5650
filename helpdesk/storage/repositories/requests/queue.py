"""Reading the queue: the console's filtered list, the counts at its top, items due soon, and the
open items a new message from the same person may belong to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import ColumnElement

from helpdesk.storage.models.requests import RequestKind, RequestStatus, SupportRequest
from helpdesk.storage.repositories import stats


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
    replied: bool = False,
    due_from: datetime | None = None,
    due_before: datetime | None = None,
    limit: int = 500,
) -> Sequence[SupportRequest]:
    """Open items first by deadline (what is due soonest is on top, whatever its status: a waiting
    item about to breach is not pushed down); the console's queue filters. ``replied``: only items
    the resident wrote on again after they waited for them; ``due_from``/``due_before``: deadlines
    in ``[due_from, due_before)`` (overdue, due today, due within 7 days)."""
    query = select(SupportRequest)
    if due_from is not None:
        query = query.where(SupportRequest.deadline_at >= due_from)
    if due_before is not None:
        query = query.where(SupportRequest.deadline_at < due_before)
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
    if replied:
        query = query.where(SupportRequest.resident_replied_at.is_not(None))
    query = query.order_by(SupportRequest.deadline_at, SupportRequest.id).limit(limit)
    return (await session.scalars(query)).all()


async def find_open(
    session: AsyncSession,
    *,
    kind: RequestKind,
    resident_id: str | None,
    contact: str,
    thread_key: str | None = None,
) -> SupportRequest | None:
    """An open item of this kind from the same person (so a double tap does not file two).

    With ``thread_key`` (an e-mail's thread: the first Message-ID of its References), an open item
    of any kind that this person's mail of that Message-ID started comes first: a reply in the
    thread of an access request belongs to that request, not to a new question. Still one query.
    """
    wanted = SupportRequest.kind == str(kind)
    order: list[Any] = []
    if thread_key:
        in_thread = SupportRequest.external_ref == thread_key[:300]
        wanted = or_(wanted, in_thread)
        order.append(case((in_thread, 0), else_=1))
    query = select(SupportRequest).where(wanted, SupportRequest.status != str(RequestStatus.CLOSED))
    if resident_id is not None:
        query = query.where(SupportRequest.resident_id == resident_id)
    else:
        query = query.where(SupportRequest.contact == contact)
    query = query.order_by(*order, SupportRequest.id.desc()).limit(1)
    return (await session.scalars(query)).first()


async def open_of(
    session: AsyncSession, *, resident_id: str | None, contact: str, channel: str, limit: int = 20
) -> Sequence[SupportRequest]:
    """This person's open items of any kind on ``channel`` (the resident's, or else the contact's),
    newest first: what a new message may be about. Which one it joins, if any, the handlers decide
    (an item waiting for the resident, a mail in an item's thread, the same question again)."""
    query = select(SupportRequest).where(
        SupportRequest.status != str(RequestStatus.CLOSED), SupportRequest.channel == channel
    )
    if resident_id is not None:
        query = query.where(SupportRequest.resident_id == resident_id)
    else:
        query = query.where(SupportRequest.contact == contact)
    return (await session.scalars(query.order_by(SupportRequest.id.desc()).limit(limit))).all()


async def due_before(session: AsyncSession, *, moment: datetime) -> Sequence[SupportRequest]:
    """Open items whose deadline falls before ``moment`` (deadline reminders)."""
    rows = await session.scalars(
        select(SupportRequest)
        .where(SupportRequest.status != str(RequestStatus.CLOSED), SupportRequest.deadline_at < moment)
        .order_by(SupportRequest.deadline_at)
    )
    return rows.all()


async def open_counts(
    session: AsyncSession, *, now: datetime, soon: datetime, today_end: datetime | None = None
) -> dict[str, int]:
    """Counts for the top of the queue: by status and kind, overdue, due before ``soon`` and (with
    ``today_end``, the next local midnight) due today."""
    counts: dict[str, int] = {}
    not_closed = SupportRequest.status != str(RequestStatus.CLOSED)
    for column, prefix in ((SupportRequest.status, "status"), (SupportRequest.kind, "kind")):
        rows = await session.execute(select(column, func.count()).where(not_closed).group_by(column))
        for value, number in rows.all():
            counts[f"{prefix}:{value}"] = int(number)
    counts["overdue"], counts["due_soon"] = await stats.deadline_counts(session, now=now, within=soon - now)
    if today_end is not None:
        counts["due_today"] = await _count(
            session, not_closed, SupportRequest.deadline_at >= now, SupportRequest.deadline_at < today_end
        )
    counts["open"] = sum(v for k, v in counts.items() if k.startswith("status:"))
    counts["replied"] = await _count(session, not_closed, SupportRequest.resident_replied_at.is_not(None))
    return counts


async def _count(session: AsyncSession, *where: ColumnElement[bool]) -> int:
    return int(await session.scalar(select(func.count()).select_from(SupportRequest).where(*where)) or 0)
