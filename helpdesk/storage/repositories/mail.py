"""Mailbox bookkeeping: the (mailbox, UIDVALIDITY, last UID) state and the exactly-once record.

An ``inbound_mail`` row is written in the same transaction as the reply in the outbox, before the
message is moved out of the inbox. After a crash, a recorded UID is moved without being answered
again; ``moved`` says which rows still wait for their move.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.delivery import InboundMail, MailState


async def get_state(session: AsyncSession, mailbox: str) -> MailState | None:
    return await session.get(MailState, mailbox)


async def reset_state(session: AsyncSession, mailbox: str, uidvalidity: int, now: datetime) -> MailState:
    """A new UIDVALIDITY (or a first run): old UIDs mean nothing any more, start from zero."""
    state = await session.get(MailState, mailbox)
    if state is None:
        state = MailState(mailbox=mailbox, uidvalidity=uidvalidity, last_uid=0, updated_at=now)
        session.add(state)
    else:
        state.uidvalidity, state.last_uid, state.updated_at = uidvalidity, 0, now
    await session.flush()
    return state


async def advance(session: AsyncSession, mailbox: str, uidvalidity: int, uid: int, now: datetime) -> None:
    """Raise ``last_uid`` (never lower it) for the current UIDVALIDITY."""
    await session.execute(
        update(MailState)
        .where(MailState.mailbox == mailbox, MailState.uidvalidity == uidvalidity, MailState.last_uid < uid)
        .values(last_uid=uid, updated_at=now)
    )


async def recorded(
    session: AsyncSession, mailbox: str, uidvalidity: int, uids: Iterable[int]
) -> dict[int, InboundMail]:
    wanted = list(uids)
    if not wanted:
        return {}
    rows = await session.scalars(
        select(InboundMail).where(
            InboundMail.mailbox == mailbox,
            InboundMail.uidvalidity == uidvalidity,
            InboundMail.uid.in_(wanted),
        )
    )
    return {row.uid: row for row in rows}


async def seen_messages(session: AsyncSession, message_id_hashes: Iterable[str]) -> set[str]:
    """Which of these Message-IDs (or exact bytes) were handled before: one query for a whole batch."""
    wanted = sorted(set(message_id_hashes))
    if not wanted:
        return set()
    rows = await session.scalars(
        select(InboundMail.message_id_hash).where(InboundMail.message_id_hash.in_(wanted)).distinct()
    )
    return set(rows)


async def record(
    session: AsyncSession,
    *,
    mailbox: str,
    uidvalidity: int,
    uid: int,
    message_id_hash: str,
    outcome: str,
    decided_by: str,
    now: datetime,
) -> None:
    """Write the exactly-once row now (a plain INSERT: a duplicate position fails here, in the
    mail's savepoint, and the ORM's unit of work is not needed for a row nobody reads back)."""
    await session.execute(
        insert(InboundMail).values(
            mailbox=mailbox,
            uidvalidity=uidvalidity,
            uid=uid,
            message_id_hash=message_id_hash,
            outcome=outcome[:32],
            decided_by=decided_by[:64],
            moved=False,
            processed_at=now,
        )
    )


async def unmoved(
    session: AsyncSession, mailbox: str, uidvalidity: int, limit: int = 500
) -> Sequence[InboundMail]:
    rows = await session.scalars(
        select(InboundMail)
        .where(
            InboundMail.mailbox == mailbox,
            InboundMail.uidvalidity == uidvalidity,
            InboundMail.moved.is_(False),
        )
        .order_by(InboundMail.uid)
        .limit(limit)
    )
    return rows.all()


async def mark_moved(session: AsyncSession, mailbox: str, uidvalidity: int, uids: Iterable[int]) -> None:
    wanted = list(uids)
    if wanted:
        await session.execute(
            update(InboundMail)
            .where(
                InboundMail.mailbox == mailbox,
                InboundMail.uidvalidity == uidvalidity,
                InboundMail.uid.in_(wanted),
            )
            .values(moved=True)
        )


async def outcomes(session: AsyncSession, mailbox: str) -> dict[int, str]:
    """UID -> outcome for one mailbox (tests and the console's mail view)."""
    rows = await session.execute(
        select(InboundMail.uid, InboundMail.outcome)
        .where(InboundMail.mailbox == mailbox)
        .order_by(InboundMail.uid)
    )
    return {int(uid): str(outcome) for uid, outcome in rows}
