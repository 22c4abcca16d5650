"""The consent ledger (append-only: a change is a new row) and double opt-in confirmation codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, false, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from helpdesk.storage.models.base import UTCDateTime
from helpdesk.storage.models.consent import ConfirmationCode, ConsentEvent

NEWS = "news"
MAX_CODE_ATTEMPTS = 5

# ---- the handlers' path (status and withdraw from a button): Core statements built once.
_EVENTS = cast(Table, ConsentEvent.__table__)
_E = _EVENTS.c
_NEWEST = (
    _E.resident_id == bindparam("p_resident_id", type_=_E.resident_id.type),
    _E.purpose == bindparam("p_purpose", type_=_E.purpose.type),
)
_STATE = select(_E.granted, _E.email, _E.created_at).where(*_NEWEST).order_by(_E.id.desc()).limit(1)
#: A withdrawal row keeps the address of the row it ends: read in the same statement as the INSERT.
_WITHDRAW = insert(_EVENTS).values(
    resident_id=bindparam("p_resident_id", type_=_E.resident_id.type),
    purpose=bindparam("p_purpose", type_=_E.purpose.type),
    granted=false(),
    email=select(_E.email).where(*_NEWEST).order_by(_E.id.desc()).limit(1).scalar_subquery(),
    channel=bindparam("p_channel", type_=_E.channel.type),
    evidence=bindparam("p_evidence", type_=_E.evidence.type),
    text_version=bindparam("p_text_version", type_=_E.text_version.type),
    actor=bindparam("p_actor", type_=_E.actor.type),
    created_at=bindparam("p_now", type_=UTCDateTime()),
)


@dataclass(frozen=True, slots=True)
class ConsentState:
    """The newest ledger row's facts: whether consent is given, for which address, since when."""

    granted: bool
    email: str | None
    since: datetime


async def state(connection: AsyncConnection, resident_id: str, purpose: str = NEWS) -> ConsentState | None:
    """The current state: the newest ledger row's consent, address and time, without loading the ORM
    row; None means never asked (no consent)."""
    row = (await connection.execute(_STATE, {"p_resident_id": resident_id, "p_purpose": purpose})).first()
    return None if row is None else ConsentState(granted=bool(row[0]), email=row[1], since=row[2])


async def record_withdrawal(
    connection: AsyncConnection,
    *,
    resident_id: str,
    channel: str,
    evidence: str,
    text_version: str,
    now: datetime,
    actor: str = "resident",
    purpose: str = NEWS,
) -> None:
    """Append a "not granted" row carrying the address of the current row (none if there is none):
    :func:`state` and :func:`record` in one INSERT ... VALUES (..., (SELECT ...))."""
    await connection.execute(
        _WITHDRAW,
        {
            "p_resident_id": resident_id,
            "p_purpose": purpose,
            "p_channel": channel,
            "p_evidence": evidence[:300],
            "p_text_version": text_version,
            "p_actor": actor,
            "p_now": now,
        },
    )


async def record(
    session: AsyncSession,
    *,
    resident_id: str,
    granted: bool,
    email: str | None,
    channel: str,
    evidence: str,
    text_version: str,
    now: datetime,
    actor: str = "resident",
    purpose: str = NEWS,
) -> ConsentEvent:
    event = ConsentEvent(
        resident_id=resident_id,
        purpose=purpose,
        granted=granted,
        email=email,
        channel=channel,
        evidence=evidence[:300],
        text_version=text_version,
        actor=actor,
        created_at=now,
    )
    session.add(event)
    await session.flush()
    return event


async def history(session: AsyncSession, resident_id: str, purpose: str = NEWS) -> Sequence[ConsentEvent]:
    rows = await session.scalars(
        select(ConsentEvent)
        .where(ConsentEvent.resident_id == resident_id, ConsentEvent.purpose == purpose)
        .order_by(ConsentEvent.id)
    )
    return rows.all()


async def current_all(session: AsyncSession, purpose: str = NEWS) -> Sequence[ConsentEvent]:
    """The current row of every resident who has one (for the portal API's consent export)."""
    newest = (
        select(func.max(ConsentEvent.id))
        .where(ConsentEvent.purpose == purpose)
        .group_by(ConsentEvent.resident_id)
        .scalar_subquery()
    )
    rows = await session.scalars(
        select(ConsentEvent).where(ConsentEvent.id.in_(newest)).order_by(ConsentEvent.resident_id)
    )
    return rows.all()


async def create_code(
    session: AsyncSession,
    *,
    resident_id: str,
    email: str,
    code_hash: str,
    channel: str,
    text_version: str,
    now: datetime,
    expires_at: datetime,
    purpose: str = NEWS,
) -> ConfirmationCode:
    row = ConfirmationCode(
        resident_id=resident_id,
        purpose=purpose,
        email=email,
        code_hash=code_hash,
        channel=channel,
        text_version=text_version,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return row


async def redeem_code(
    session: AsyncSession, *, resident_id: str, code_hash: str, now: datetime, purpose: str = NEWS
) -> ConfirmationCode | None:
    """Use the code if it belongs to this resident, is unused, unexpired and not over its attempts.

    A wrong code counts an attempt against the resident's open codes, so six digits cannot be
    guessed: after MAX_CODE_ATTEMPTS wrong tries every open code is dead.
    """
    result = await session.execute(
        update(ConfirmationCode)
        .where(
            ConfirmationCode.resident_id == resident_id,
            ConfirmationCode.purpose == purpose,
            ConfirmationCode.code_hash == code_hash,
            ConfirmationCode.used_at.is_(None),
            ConfirmationCode.expires_at > now,
            ConfirmationCode.attempts < MAX_CODE_ATTEMPTS,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount == 1:
        return (
            await session.scalars(select(ConfirmationCode).where(ConfirmationCode.code_hash == code_hash))
        ).first()
    await session.execute(
        update(ConfirmationCode)
        .where(
            ConfirmationCode.resident_id == resident_id,
            ConfirmationCode.used_at.is_(None),
            ConfirmationCode.expires_at > now,
        )
        .values(attempts=ConfirmationCode.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return None


async def has_open_code(
    session: AsyncSession, *, resident_id: str, now: datetime, purpose: str = NEWS
) -> bool:
    found = (
        await session.scalars(
            select(ConfirmationCode.id)
            .where(
                ConfirmationCode.resident_id == resident_id,
                ConfirmationCode.purpose == purpose,
                ConfirmationCode.used_at.is_(None),
                ConfirmationCode.expires_at > now,
                ConfirmationCode.attempts < MAX_CODE_ATTEMPTS,
            )
            .limit(1)
        )
    ).first()
    return found is not None
