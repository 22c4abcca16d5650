"""Mailbox bookkeeping and the outbox every outgoing message passes through.

The outbox makes sends durable: a Telegram or SMTP outage delays a message, it never loses one.
``dedupe_key`` is unique, so re-processing the same inbound message cannot queue a second answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.storage.models.base import Base, UTCDateTime, utcnow


class MailState(Base):
    __tablename__ = "mail_state"

    mailbox: Mapped[str] = mapped_column(String(200), primary_key=True)
    uidvalidity: Mapped[int]
    last_uid: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class InboundMail(Base):
    """One row per IMAP message handled: the exactly-once record, committed before the move."""

    __tablename__ = "inbound_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int]
    uid: Mapped[int]
    message_id_hash: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(32))  # answered, skipped:<rule>, quarantined
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    moved: Mapped[bool] = mapped_column(default=False)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("uq_inbound_mail_position", "mailbox", "uidvalidity", "uid", unique=True),)


class OutboxMessage(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # telegram | email
    recipient: Mapped[str] = mapped_column(String(254))  # chat id or e-mail address
    subject: Mapped[str] = mapped_column(String(300), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{path, filename, ...}]
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # In-Reply-To, References, ...
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # channel specifics (keyboard)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    # While "sending": which sender run holds the message, and since when (the attempt stamp).
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Sends whose outcome is unknown (the sender stopped or lost the server mid-send): each may have
    # arrived, so a recipient may hold a copy with the same Message-ID.
    interrupted: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # A one-time secret the body carries (a confirmation code): masked in the body once sent.
    secret: Mapped[str | None] = mapped_column(String(64))
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))  # redacted
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_recipient_created", "recipient", "created_at"),
        Index("ix_outbox_request", "request_id"),  # ON DELETE SET NULL when retention drops a request
    )
