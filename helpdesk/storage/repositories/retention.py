"""Retention deletes in small bounded batches, and the counts a dry run shows.

Every ``delete_*`` function removes at most ``limit`` rows and returns how many it removed; the
caller commits after each call, so no transaction holds locks for long (on SQLite the single write
lock is released between batches and the bot's and mailbox's writes get their turn).

Conversations go whole: a conversation silent for the retention period goes with all its messages
(a new conversation starts after a day of silence, so no message outlives the period by more than
the length of its conversation). Deleting conversation by conversation walks the
``messages(conversation_id)`` index over live rows; deleting messages by age first left PostgreSQL
a million dead index entries to step over when it then looked for conversations without messages.

Legal hold: a conversation is kept, whatever its age, while it is attached to a request that is not
closed, or while its resident has an access request (GDPR Art. 15) that is not closed: the answer to
that request must show what was held when it arrived. Hold ends when the request closes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CompoundSelect, Select, any_, delete, func, select, text, union
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from helpdesk.storage.models.consent import ConfirmationCode
from helpdesk.storage.models.conversations import Conversation, Message
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.models.requests import RequestKind, RequestStatus, SupportRequest
from helpdesk.storage.models.residents import LinkToken


def _held_conversations() -> CompoundSelect[tuple[int]]:
    """Ids of conversations under legal hold (see the module docstring).

    A UNION of two index look-ups (requests by status, conversations by resident) rather than one
    OR over all conversations: the purge evaluates it once per batch.
    """
    not_closed = SupportRequest.status != str(RequestStatus.CLOSED)
    attached = select(SupportRequest.conversation_id.label("id")).where(
        not_closed, SupportRequest.conversation_id.is_not(None)
    )
    access = (
        select(Conversation.id)
        .join(SupportRequest, SupportRequest.resident_id == Conversation.resident_id)
        .where(not_closed, SupportRequest.kind == str(RequestKind.ACCESS))
    )
    return union(attached, access)


def _silent_conversations(cutoff: datetime) -> ColumnElement[bool]:
    return (Conversation.last_message_at < cutoff) & Conversation.id.not_in(_held_conversations())


def _in_subquery(
    session: AsyncSession, id_column: InstrumentedAttribute[int], ids: Select[tuple[int]]
) -> ColumnElement[bool]:
    """``id IN (SELECT ... LIMIT n)``, written so that PostgreSQL looks the ids up by primary key.

    Given ``IN (subquery)`` PostgreSQL hash-joined a sequential scan of the whole table against
    the subquery for every batch; ``= ANY(ARRAY(subquery))`` runs the subquery first and then
    uses the primary-key index. SQLite plans the plain form well.
    """
    if session.get_bind().dialect.name == "postgresql":
        return id_column == any_(func.array(ids.scalar_subquery()))
    return id_column.in_(ids.scalar_subquery())


async def _delete_where(
    session: AsyncSession, id_column: InstrumentedAttribute[int], condition: ColumnElement[bool]
) -> int:
    result = await session.execute(
        delete(id_column.class_).where(condition).execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def _delete_batch(
    session: AsyncSession, id_column: InstrumentedAttribute[int], *where: ColumnElement[bool], limit: int
) -> int:
    """Delete up to ``limit`` rows matching ``where``, lowest ids first, in one statement."""
    batch = select(id_column).where(*where).order_by(id_column).limit(limit)
    return await _delete_where(session, id_column, _in_subquery(session, id_column, batch))


async def without_commit_wait(session: AsyncSession) -> None:
    """On PostgreSQL, let this transaction's COMMIT return before its WAL reaches the disk.

    A purge batch is safe to lose in a crash (the rows are deleted again next run), and not waiting
    spares the disk one flush per batch that the bot's and the mailbox's commits would queue behind.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL synchronous_commit = off"))


async def silent_conversations(
    session: AsyncSession, *, cutoff: datetime, limit: int, since: datetime | None = None
) -> tuple[list[int], datetime | None]:
    """Up to ``limit`` conversations silent since ``cutoff`` and not under legal hold, longest
    silent first. Returns their ids and the newest ``last_message_at`` among them: pass it back as
    ``since`` so the next look-up starts there instead of stepping over the ones just deleted."""
    condition = _silent_conversations(cutoff)
    if since is not None:
        condition = condition & (Conversation.last_message_at >= since)
    rows = (
        await session.execute(
            select(Conversation.id, Conversation.last_message_at)
            .where(condition)
            .order_by(Conversation.last_message_at, Conversation.id)
            .limit(limit)
        )
    ).all()
    return [row.id for row in rows], (rows[-1].last_message_at if rows else since)


async def delete_messages_of(session: AsyncSession, conversation_ids: list[int], *, limit: int) -> int:
    """Delete up to ``limit`` messages of these conversations."""
    if not conversation_ids:
        return 0
    batch = select(Message.id).where(Message.conversation_id.in_(conversation_ids)).limit(limit)
    return await _delete_where(session, Message.id, _in_subquery(session, Message.id, batch))


async def any_messages_of(session: AsyncSession, conversation_ids: list[int]) -> bool:
    found = await session.scalar(
        select(Message.id).where(Message.conversation_id.in_(conversation_ids)).limit(1)
    )
    return found is not None


async def delete_conversations(
    session: AsyncSession, conversation_ids: list[int], *, cutoff: datetime
) -> int:
    """Delete these conversations if they are still silent and not under hold (checked again here:
    a request may have been filed since they were picked). Their messages must be gone already."""
    if not conversation_ids:
        return 0
    return await _delete_where(
        session, Conversation.id, Conversation.id.in_(conversation_ids) & _silent_conversations(cutoff)
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


async def count_messages_of_silent(session: AsyncSession, *, cutoff: datetime) -> int:
    """Messages in conversations the purge would delete."""
    silent = select(Conversation.id).where(_silent_conversations(cutoff))
    return await _count(session, select(func.count(Message.id)).where(Message.conversation_id.in_(silent)))


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
