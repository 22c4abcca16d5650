"""Queue items: GDPR access/correction requests, escalated questions, quarantined mail.

Claiming is a lease taken with one conditional UPDATE, so two agents never hold the same item.
``waiting`` (the agent asked the resident for something) survives claim and release: it is about
the resident, and only the resident writing again (:func:`resident_wrote`) or the agent
(:func:`stop_waiting`) ends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, case, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.expression import ColumnElement

from helpdesk.core.redaction import redact
from helpdesk.storage.models.base import UTCDateTime
from helpdesk.storage.models.requests import IdentityState, RequestKind, RequestStatus, SupportRequest

_WAITING = str(RequestStatus.WAITING)


def _unless_waiting(status: RequestStatus) -> ColumnElement[str]:
    """``status``, except that a waiting item stays waiting (a claim or release by an agent does not
    answer the question the resident was asked)."""
    return case((SupportRequest.status == _WAITING, _WAITING), else_=str(status))


def _assigned(request_id: int, agent_id: int) -> tuple[ColumnElement[bool], ...]:
    """The item, not closed, assigned to this agent (whether or not the lease still lives)."""
    return (
        SupportRequest.id == request_id,
        SupportRequest.status != str(RequestStatus.CLOSED),
        SupportRequest.assignee_id == agent_id,
    )


async def _one_row(session: AsyncSession, statement: Update) -> bool:
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


async def claim(
    session: AsyncSession, *, request_id: int, agent_id: int, now: datetime, lease: timedelta
) -> bool:
    """Take the item if nobody holds a live lease on it (or the caller already does)."""
    return await _one_row(
        session,
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
        .values(
            assignee_id=agent_id, lease_expires_at=now + lease, status=_unless_waiting(RequestStatus.CLAIMED)
        ),
    )


async def release(session: AsyncSession, *, request_id: int, agent_id: int) -> bool:
    return await _one_row(
        session,
        update(SupportRequest)
        .where(SupportRequest.id == request_id, SupportRequest.assignee_id == agent_id)
        .values(assignee_id=None, lease_expires_at=None, status=_unless_waiting(RequestStatus.OPEN)),
    )


async def close(session: AsyncSession, *, request_id: int, outcome: str, now: datetime) -> bool:
    return await _one_row(
        session,
        update(SupportRequest)
        .where(SupportRequest.id == request_id, SupportRequest.status != str(RequestStatus.CLOSED))
        .values(
            status=str(RequestStatus.CLOSED),
            outcome=outcome,
            closed_at=now,
            lease_expires_at=None,
            waiting_since=None,
            resident_replied_at=None,
        ),
    )


async def wait(session: AsyncSession, *, request_id: int, agent_id: int, now: datetime) -> bool:
    """The agent asked the resident for something: park the item as ``waiting``.

    The lease is left as the action's :func:`renew` set it, and runs out as any lease does: the
    agent who asked is still on it for a while (an answer within the lease comes back to them as
    ``claimed``), and after that any agent may claim it, so a waiting item never blocks the others
    while its deadline runs. ``waiting_since`` keeps the first time it was parked (a reminder sent
    while waiting does not restart it).
    """
    return await _one_row(
        session,
        update(SupportRequest)
        .where(*_assigned(request_id, agent_id))
        .values(
            status=_WAITING,
            waiting_since=func.coalesce(SupportRequest.waiting_since, now),
            resident_replied_at=None,
        ),
    )


async def stop_waiting(session: AsyncSession, *, request_id: int, agent_id: int) -> bool:
    """The agent (holding the item) stops waiting: the answer came some other way, or is not needed."""
    return await _one_row(
        session,
        update(SupportRequest)
        .where(
            SupportRequest.id == request_id,
            SupportRequest.status == _WAITING,
            SupportRequest.assignee_id == agent_id,
        )
        .values(status=str(RequestStatus.CLAIMED), waiting_since=None),
    )


async def seen_reply(session: AsyncSession, *, request_id: int) -> None:
    """An agent answered: the resident's reply no longer needs the queue's mark."""
    await session.execute(
        update(SupportRequest)
        .where(SupportRequest.id == request_id)
        .values(resident_replied_at=None)
        .execution_options(synchronize_session=False)
    )


_REQUESTS = cast(Table, SupportRequest.__table__)
_Q = _REQUESTS.c
_NOW = bindparam("p_now", type_=UTCDateTime())
#: The resident wrote again on an item that waited for them. Built once: it runs inside the
#: dispatcher's transaction, on the handlers that already read this item (never on other inquiries).
_RESIDENT_WROTE = (
    update(_REQUESTS)
    .where(_Q.id == bindparam("p_id", type_=_Q.id.type), _Q.status == _WAITING)
    .values(
        status=case(
            ((_Q.assignee_id.is_not(None)) & (_Q.lease_expires_at > _NOW), str(RequestStatus.CLAIMED)),
            else_=str(RequestStatus.OPEN),
        ),
        waiting_since=None,
        resident_replied_at=_NOW,
        # An item whose conversation was purged (or that had none) takes the one the answer is in,
        # which puts that conversation under the open item's legal hold as well.
        conversation_id=func.coalesce(
            _Q.conversation_id, bindparam("p_conversation_id", type_=_Q.conversation_id.type)
        ),
    )
    .returning(_Q.status)
)


async def resident_wrote(
    connection: AsyncConnection, *, request_id: int, now: datetime, conversation_id: int | None = None
) -> str | None:
    """End ``waiting``: back to ``claimed`` while the assignee's lease lives, else ``open``.

    Returns the new status, or None when the item was not waiting (someone else already moved it):
    the conditional UPDATE makes two messages at once resume it once.
    """
    params = {"p_id": request_id, "p_now": now, "p_conversation_id": conversation_id}
    row = (await connection.execute(_RESIDENT_WROTE, params)).first()
    return None if row is None else str(row[0])


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
    return await _one_row(
        session,
        update(SupportRequest)
        .where(*_assigned(request_id, agent_id), SupportRequest.lease_expires_at > now)
        .values(lease_expires_at=now + lease),
    )


async def mark_verified(session: AsyncSession, *, request_id: int, how: str) -> bool:
    return await _one_row(
        session,
        update(SupportRequest)
        .where(SupportRequest.id == request_id)
        .values(identity=str(IdentityState.VERIFIED), identity_how=how[:200]),
    )


async def attach(session: AsyncSession, *, request_id: int, resident_id: str) -> bool:
    """Name the resident of an item filed for an unidentified sender, once: ``resident_id IS NULL`` in
    the WHERE makes two agents attaching at once attach it once (False for the second)."""
    return await _one_row(
        session,
        update(SupportRequest)
        .where(
            SupportRequest.id == request_id,
            SupportRequest.status != str(RequestStatus.CLOSED),
            SupportRequest.resident_id.is_(None),
        )
        .values(resident_id=resident_id),
    )


async def extend_deadline(
    session: AsyncSession, *, request_id: int, deadline_at: datetime, reason: str, now: datetime
) -> bool:
    """Art. 12(3) allows one extension; ``extended_at IS NULL`` in the WHERE makes it happen once."""
    return await _one_row(
        session,
        update(SupportRequest)
        .where(
            SupportRequest.id == request_id,
            SupportRequest.status != str(RequestStatus.CLOSED),
            SupportRequest.extended_at.is_(None),
        )
        .values(deadline_at=deadline_at, extended_at=now, extension_reason=reason),
    )


async def set_details(session: AsyncSession, *, request_id: int, details: dict[str, Any]) -> None:
    await session.execute(
        update(SupportRequest)
        .where(SupportRequest.id == request_id)
        .values(details=details)
        .execution_options(synchronize_session=False)
    )


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
    if today_end is not None:
        counts["due_today"] = int(
            await session.scalar(
                select(func.count())
                .select_from(SupportRequest)
                .where(not_closed, SupportRequest.deadline_at >= now, SupportRequest.deadline_at < today_end)
            )
            or 0
        )
    counts["open"] = sum(v for k, v in counts.items() if k.startswith("status:"))
    counts["replied"] = int(
        await session.scalar(
            select(func.count())
            .select_from(SupportRequest)
            .where(not_closed, SupportRequest.resident_replied_at.is_not(None))
        )
        or 0
    )
    return counts
