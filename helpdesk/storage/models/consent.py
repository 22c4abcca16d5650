"""The consent ledger (append-only, enforced by database triggers) and e-mail confirmation codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.storage.models.base import Base, UTCDateTime, utcnow


class ConsentEvent(Base):
    """One change of consent. Never updated or deleted: the current state is the newest row."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id", ondelete="RESTRICT"))
    purpose: Mapped[str] = mapped_column(String(32), default="news")
    granted: Mapped[bool]
    email: Mapped[str | None] = mapped_column(String(254))
    channel: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(String(300))  # message id, update id, API call id
    text_version: Mapped[str] = mapped_column(String(64))  # which consent wording was shown
    actor: Mapped[str] = mapped_column(String(64), default="resident")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_consent_events_resident_purpose", "resident_id", "purpose", "id"),)


class ConfirmationCode(Base):
    """Double opt-in: a code mailed to the new address; stored as a keyed HMAC, single use, short-lived."""

    __tablename__ = "confirmation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32), default="news")
    email: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    text_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
