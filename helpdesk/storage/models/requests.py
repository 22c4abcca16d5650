"""Queue items for people: GDPR access/correction requests, escalated questions, quarantined mail.

The claim is a lease (``assignee_id`` + ``lease_expires_at``) taken with one conditional UPDATE, so
two agents can never hold the same item, on PostgreSQL under concurrency too.

Lifecycle: ``open`` → ``claimed`` (an agent's lease) → ``waiting`` (the agent asked the resident for
something) → back to ``claimed`` or ``open`` when the resident writes again → … → ``closed``.
``waiting`` says something about the resident, not about the agents: claiming or releasing a
waiting item leaves it waiting, and the deadline keeps running (asking for identity proof does not
pause the GDPR month; the extension is the explicit tool).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.storage.models.base import Base, UTCDateTime, utcnow


class RequestKind(StrEnum):
    ACCESS = "access"  # GDPR Art. 15
    CORRECTION = "correction"  # GDPR Art. 16
    QUESTION = "question"  # escalated: the bot could not answer
    MAIL = "mail"  # an e-mail that could not be handled (quarantined)


class RequestStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    WAITING = "waiting"  # waiting for the resident (e.g. identity proof)
    CLOSED = "closed"


class IdentityState(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"


class SupportRequest(Base):
    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.OPEN)
    channel: Mapped[str] = mapped_column(String(16))
    contact: Mapped[str] = mapped_column(String(254))  # where the answer goes (chat id / address)
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(2), default="lv")
    summary: Mapped[str] = mapped_column(Text, default="")  # redacted
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # e.g. correction fields
    identity: Mapped[str] = mapped_column(String(16), default=IdentityState.UNVERIFIED)
    identity_how: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    extended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set while status is waiting
    # When the resident wrote again on an item that waited for them; cleared when an agent replies
    # or parks it again (the queue's "resident replied" mark).
    resident_replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    external_ref: Mapped[str | None] = mapped_column(String(300))  # e.g. Message-ID of the mail
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the jobs told the agents that this item arrived (HELPDESK_AGENTS_EMAIL/_TELEGRAM_CHAT),
    # or found nobody to tell; NULL until then. Set in the transaction that queues the notice, so an
    # item is announced once, and only after the transaction that made it committed.
    agents_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_requests_status_deadline", "status", "deadline_at"),
        Index("ix_requests_resident", "resident_id"),
        Index("ix_requests_conversation", "conversation_id"),  # legal hold check, ON DELETE SET NULL
        # The few items not announced yet, found without reading the whole table every minute.
        Index(
            "ix_requests_not_notified",
            "id",
            postgresql_where=text("agents_notified_at IS NULL"),
            sqlite_where=text("agents_notified_at IS NULL"),
        ),
    )


#: The audit action written when the resident writes again on an item that waited for them (its
#: ``detail`` names the conversation the answer is in, for the item's page).
RESIDENT_REPLIED = "resident.replied"


class AuditEvent(Base):
    """Append-only audit log: every agent action on an item, and system events (purge counts)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key on purpose: the audit row outlives the request it speaks of (retention
    # deletes closed requests; the log keeps saying what was done to request #N).
    request_id: Mapped[int | None]
    actor: Mapped[str] = mapped_column(String(64))  # agent:<id>, system, resident, api:<key>
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # redacted, no contents
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Each filter of the console's log is an equality then keyset paging by id (WHERE x = ? AND id < ?
    # ORDER BY id DESC LIMIT 100): (x, id) finds the page without walking the whole log backwards.
    __table_args__ = (
        Index("ix_audit_events_request", "request_id", "id"),
        Index("ix_audit_events_actor", "actor", "id"),
        Index("ix_audit_events_action", "action", "id"),
    )
