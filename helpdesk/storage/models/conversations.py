"""Conversations and their messages, redacted before they are stored, purged after RETENTION_DAYS."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.storage.models.base import Base, UTCDateTime, utcnow


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    # The channel address (chat id, e-mail address) where answers go back.
    contact: Mapped[str] = mapped_column(String(254))
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(2), default="lv")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # What the next typed line answers and the choices last offered
    # (helpdesk.core.conversation.ConversationState.to_json); NULL: nothing awaited or offered.
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)

    __table_args__ = (
        Index("ix_conversations_channel_contact", "channel", "contact"),
        Index("ix_conversations_resident", "resident_id"),
    )


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    author: Mapped[str] = mapped_column(String(64), default="")  # resident, bot, agent:<id>
    text: Mapped[str] = mapped_column(Text)  # already redacted
    intent: Mapped[str] = mapped_column(String(64), default="")
    external_id: Mapped[str | None] = mapped_column(String(300))
    # The queue item this message opened or joined, or answered (an agent's reply): the item's page
    # shows these first. No foreign key, as in the audit log: retention deletes items and messages
    # on their own schedules.
    request_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_messages_conversation", "conversation_id", "id"),
        Index("ix_messages_request", "request_id", "id"),
        Index("ix_messages_created_at", "created_at"),
    )
