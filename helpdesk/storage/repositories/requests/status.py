"""Who holds an item and in what state: claim, renew, release, wait, stop waiting, close.

Claiming is a lease taken with one conditional UPDATE, so two agents never hold the same item.
``waiting`` (the agent asked the resident for something) survives claim and release: it is about
the resident, and only the resident writing again (:func:`resident_wrote`) or the agent
(:func:`stop_waiting`) ends it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, Update, bindparam, case, func, or_, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.expression import ColumnElement

from helpdesk.storage.models.base import UTCDateTime
from helpdesk.storage.models.requests import RequestStatus, SupportRequest
from helpdesk.storage.repositories.requests.records import one_row, update_open

_WAITING = str(RequestStatus.WAITING)


def _unless_waiting(status: RequestStatus) -> ColumnElement[str]:
    """``status``, except that a waiting item stays waiting (a claim or release by an agent does not
    answer the question the resident was asked)."""
    return case((SupportRequest.status == _WAITING, _WAITING), else_=str(status))


def _assigned(request_id: int, agent_id: int, *conditions: ColumnElement[bool]) -> Update:
    """An UPDATE of the item, not closed, assigned to this agent (whether or not the lease still
    lives)."""
    return update_open(request_id, SupportRequest.assignee_id == agent_id, *conditions)


async def claim(
    session: AsyncSession, *, request_id: int, agent_id: int, now: datetime, lease: timedelta
) -> bool:
    """Take the item if nobody holds a live lease on it (or the caller already does)."""
    return await one_row(
        session,
        update_open(
            request_id,
            or_(
                SupportRequest.assignee_id.is_(None),
                SupportRequest.assignee_id == agent_id,
                SupportRequest.lease_expires_at.is_(None),
                SupportRequest.lease_expires_at <= now,
            ),
        ).values(
            assignee_id=agent_id, lease_expires_at=now + lease, status=_unless_waiting(RequestStatus.CLAIMED)
        ),
    )


async def renew(
    session: AsyncSession, *, request_id: int, agent_id: int, now: datetime, lease: timedelta
) -> bool:
    """Extend the caller's live lease; False if the caller does not hold one.

    Every console action on an item starts with this: on PostgreSQL the UPDATE also locks the row
    until the action commits, so a claim by someone else cannot slip in between check and action.
    """
    return await one_row(
        session,
        _assigned(request_id, agent_id, SupportRequest.lease_expires_at > now).values(
            lease_expires_at=now + lease
        ),
    )


async def release(session: AsyncSession, *, request_id: int, agent_id: int) -> bool:
    return await one_row(
        session,
        update(SupportRequest)
        .where(SupportRequest.id == request_id, SupportRequest.assignee_id == agent_id)
        .values(assignee_id=None, lease_expires_at=None, status=_unless_waiting(RequestStatus.OPEN)),
    )


async def close(session: AsyncSession, *, request_id: int, outcome: str, now: datetime) -> bool:
    return await one_row(
        session,
        update_open(request_id).values(
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
    return await one_row(
        session,
        _assigned(request_id, agent_id).values(
            status=_WAITING,
            waiting_since=func.coalesce(SupportRequest.waiting_since, now),
            resident_replied_at=None,
        ),
    )


async def stop_waiting(session: AsyncSession, *, request_id: int, agent_id: int) -> bool:
    """The agent (holding the item) stops waiting: the answer came some other way, or is not needed."""
    return await one_row(
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
