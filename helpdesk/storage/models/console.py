"""What the agents' console adds: internal notes on an item and generated data exports.

Both hang off a request with ON DELETE CASCADE, so the retention purge that deletes a closed request
removes its notes and its export (which holds a full copy of the resident's data) with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.storage.models.base import Base, UTCDateTime, utcnow


class RequestNote(Base):
    """An agent's internal note: never sent to the resident."""

    __tablename__ = "request_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(64))  # agent:<id>
    text: Mapped[str] = mapped_column(Text)  # redacted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_request_notes_request", "request_id", "id"),)


class RequestExport(Base):
    """A GDPR Art. 15 export: generated, reviewed by an agent, then sent (or regenerated)."""

    __tablename__ = "request_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    resident_id: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    json_text: Mapped[str] = mapped_column(Text)
    html_text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))  # of json_text, quoted in the audit log
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_via: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_request_exports_request", "request_id", "id"),)
