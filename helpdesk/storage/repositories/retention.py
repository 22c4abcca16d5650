"""Retention deletes in small bounded batches, and the counts a dry run shows.

Every ``delete_*`` function removes at most ``limit`` rows and returns how many it removed; the
caller commits after each call, so no transaction holds locks for long (on SQLite the single write
lock is released between batches and the bot's and mailbox's writes get their turn).

Legal hold: a conversation is kept, whatever its age, while it is attached to a request that is not
closed, or while its resident has an access request (GDPR Art. 15) that is not closed: the answer to
that request must show what was held when it arrived. Hold ends when the request closes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, delete, exists, func, or_, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from helpdesk.storage.models.consent import ConfirmationCode
from helpdesk.storage.models.conversations import Conversation, Message
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.models.requests import RequestKind, RequestStatus, SupportRequest
from helpdesk.storage.models.residents import LinkToken


def _held_conversations() -> Select[tuple[int]]:
    """Ids of conversations under legal hold (see the module docstring)."""
    not_closed = SupportRequest.status != str(RequestStatus.CLOSED)
    attached = select(SupportRequest.conversation_id).where(
        not_closed, SupportRequest.conversation_id.is_not(None)
    )
    access_residents = select(SupportRequest.resident_id).where(
        not_closed, SupportRequest.kind == str(RequestKind.ACCESS), SupportRequest.resident_id.is_not(None)
    )
    return select(Conversation.id).where(
        or_(Conversation.id.in_(attached), Conversation.resident_id.in_(access_residents))
    )


def _old_messages(cutoff: datetime, since: datetime | None) -> ColumnElement[bool]:
    condition = (Message.created_at < cutoff) & Message.conversation_id.not_in(_held_conversations())
    if since is not None:
        # Keyset: rows before ``since`` are already gone (or held), so the index scan starts here
        # instead of wading through the dead index entries the previous batches left behind.
        condition = condition & (Message.created_at >= since)
    return condition


def _silent_conversations(cutoff: datetime) -> ColumnElement[bool]:
    return (Conversation.last_message_at < cutoff) & Conversation.id.not_in(_held_conversations())


async def _delete_batch(
    session: AsyncSession, id_column: InstrumentedAttribute[int], *where: ColumnElement[bool], limit: int
) -> int:
    """``DELETE ... WHERE id IN (SELECT id ... ORDER BY id LIMIT n)``: one bounded statement."""
    batch = select(id_column).where(*where).order_by(id_column).limit(limit)
    result = await session.execute(
        delete(id_column.class_)
        .where(id_column.in_(batch.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def delete_old_messages(
    session: AsyncSession, *, cutoff: datetime, limit: int, since: datetime | None = None
) -> tuple[int, datetime | None]:
    """Delete up to ``limit`` messages older than ``cutoff``, oldest first, outside legal hold.

    Returns how many went and the newest ``created_at`` among them: pass it back as ``since``.
    """
    batch = select(Message.id).where(_old_messages(cutoff, since)).order_by(Message.created_at).limit(limit)
    result = await session.execute(
        delete(Message)
        .where(Message.id.in_(batch.scalar_subquery()))
        .returning(Message.created_at)
        .execution_options(synchronize_session=False)
    )
    stamps = list(result.scalars())
    return len(stamps), (max(stamps) if stamps else since)


async def delete_silent_conversations(session: AsyncSession, *, cutoff: datetime, limit: int) -> int:
    """Delete up to ``limit`` conversations silent since ``cutoff`` that have no messages left."""
    no_messages = ~exists().where(Message.conversation_id == Conversation.id)
    return await _delete_batch(
        session, Conversation.id, _silent_conversations(cutoff), no_messages, limit=limit
    )


async def delete_closed_requests(session: AsyncSession, *, closed_before: datetime, limit: int) -> int:
    """Delete up to ``limit`` requests closed before ``closed_before``; their notes and exports go
    with them (ON DELETE CASCADE), the audit log keeps its rows (it has no foreign key)."""
    return await _delete_batch(
        session,
        SupportRequest.id,
        SupportRequest.status == str(RequestStatus.CLOSED),
        SupportRequest.closed_at < closed_before,
        limit=limit,
    )


async def delete_sent_outbox(session: AsyncSession, *, sent_before: datetime, limit: int) -> int:
    """Delete up to ``limit`` outbox rows sent before ``sent_before``: they hold copies of replies."""
    return await _delete_batch(
        session,
        OutboxMessage.id,
        OutboxMessage.status == "sent",
        OutboxMessage.sent_at < sent_before,
        limit=limit,
    )


async def delete_expired_link_tokens(session: AsyncSession, *, expired_before: datetime, limit: int) -> int:
    """Delete up to ``limit`` link tokens (used or not) that expired before ``expired_before``."""
    return await _delete_batch(session, LinkToken.id, LinkToken.expires_at < expired_before, limit=limit)


async def delete_expired_codes(session: AsyncSession, *, expired_before: datetime, limit: int) -> int:
    """Delete up to ``limit`` e-mail confirmation codes that expired before ``expired_before``."""
    return await _delete_batch(
        session, ConfirmationCode.id, ConfirmationCode.expires_at < expired_before, limit=limit
    )


async def _count(session: AsyncSession, query: Select[tuple[int]]) -> int:
    return int(await session.scalar(query) or 0)


async def count_old_messages(session: AsyncSession, *, cutoff: datetime) -> int:
    return await _count(session, select(func.count(Message.id)).where(_old_messages(cutoff, None)))


async def count_silent_conversations(session: AsyncSession, *, cutoff: datetime) -> int:
    return await _count(session, select(func.count(Conversation.id)).where(_silent_conversations(cutoff)))


async def count_held_conversations(session: AsyncSession, *, cutoff: datetime) -> int:
    """Conversations old enough to go that legal hold keeps."""
    return await _count(
        session,
        select(func.count(Conversation.id)).where(
            Conversation.last_message_at < cutoff, Conversation.id.in_(_held_conversations())
        ),
    )


async def count_closed_requests(session: AsyncSession, *, closed_before: datetime) -> int:
    return await _count(
        session,
        select(func.count(SupportRequest.id)).where(
            SupportRequest.status == str(RequestStatus.CLOSED), SupportRequest.closed_at < closed_before
        ),
    )


async def count_sent_outbox(session: AsyncSession, *, sent_before: datetime) -> int:
    return await _count(
        session,
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.status == "sent", OutboxMessage.sent_at < sent_before
        ),
    )


async def count_expired_link_tokens(session: AsyncSession, *, expired_before: datetime) -> int:
    return await _count(
        session, select(func.count(LinkToken.id)).where(LinkToken.expires_at < expired_before)
    )


async def count_expired_codes(session: AsyncSession, *, expired_before: datetime) -> int:
    return await _count(
        session, select(func.count(ConfirmationCode.id)).where(ConfirmationCode.expires_at < expired_before)
    )
