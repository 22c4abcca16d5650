"""Conversations and messages. Text is redacted here, on the way in, so nothing unredacted is stored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.redaction import redact
from helpdesk.storage.models.conversations import Conversation, Message

# A new conversation starts after this much silence, so the console shows topics, not one endless log.
CONVERSATION_GAP = timedelta(hours=24)


async def open_for(
    session: AsyncSession,
    *,
    channel: str,
    contact: str,
    resident_id: str | None,
    language: str,
    now: datetime,
) -> Conversation:
    """The ongoing conversation with this contact on this channel, or a new one.

    Only a new conversation is flushed (its id is needed for the messages); changes to an existing
    one are written by the caller's commit, in the same round trip as the messages.
    """
    conversation = await session.scalar(
        select(Conversation)
        .where(
            Conversation.channel == channel,
            Conversation.contact == contact,
            Conversation.last_message_at > now - CONVERSATION_GAP,
        )
        .order_by(Conversation.id.desc())
        .limit(1)
    )
    if conversation is None:
        conversation = Conversation(
            channel=channel, contact=contact, started_at=now, last_message_at=now, language=language
        )
        session.add(conversation)
    if resident_id is not None and conversation.resident_id != resident_id:
        conversation.resident_id = resident_id
    if conversation.language != language:
        conversation.language = language
    if conversation.id is None:
        await session.flush()
    return conversation


async def add_message(
    session: AsyncSession,
    conversation: Conversation,
    *,
    direction: str,
    author: str,
    text: str,
    now: datetime,
    intent: str = "",
    external_id: str | None = None,
    flush: bool = True,
) -> Message:
    """Store one redacted message. ``flush=False`` leaves the INSERT to the caller's commit, where
    SQLAlchemy batches it with the others (the dispatcher writes two messages per inquiry)."""
    if direction not in ("in", "out"):
        raise ValueError("direction is 'in' or 'out'")
    message = Message(
        conversation_id=conversation.id,
        direction=direction,
        author=author,
        text=redact(text),
        intent=intent[:64],
        external_id=external_id[:300] if external_id else None,
        created_at=now,
    )
    session.add(message)
    if conversation.last_message_at != now:
        conversation.last_message_at = now
    if flush:
        await session.flush()
    return message


async def get(session: AsyncSession, conversation_id: int) -> Conversation | None:
    return await session.get(Conversation, conversation_id)


async def messages(session: AsyncSession, conversation_id: int) -> Sequence[Message]:
    rows = await session.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
    )
    return rows.all()


async def last_resident_text(session: AsyncSession, conversation_id: int) -> str | None:
    """The resident's latest typed message (already redacted), skipping button presses, which are
    stored as ``[action ...]`` markers. An escalation from a button ("ask a person") quotes it so
    the agent sees what the question was."""
    rows = await session.scalars(
        select(Message.text)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction == "in",
            Message.author == "resident",
        )
        .order_by(Message.id.desc())
        .limit(20)
    )
    for text in rows:
        if text and not text.startswith("["):
            return text
    return None


async def for_resident(session: AsyncSession, resident_id: str) -> Sequence[Conversation]:
    rows = await session.scalars(
        select(Conversation).where(Conversation.resident_id == resident_id).order_by(Conversation.id)
    )
    return rows.all()


async def delete_older_than(session: AsyncSession, *, cutoff: datetime) -> int:
    """Retention: conversations silent since ``cutoff`` go, with their messages (ON DELETE CASCADE
    is not relied upon: SQLite only honours it with foreign keys on, so messages are deleted first)."""
    old = select(Conversation.id).where(Conversation.last_message_at < cutoff)
    await session.execute(delete(Message).where(Message.conversation_id.in_(old)))
    result = await session.execute(delete(Conversation).where(Conversation.last_message_at < cutoff))
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
