"""Residents, their Telegram links and the one-time link tokens that create them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.storage.models.base import Base, UTCDateTime, utcnow


class Resident(Base):
    __tablename__ = "residents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    invoice_email: Mapped[str | None] = mapped_column(String(254), index=True)  # address #1
    news_email: Mapped[str | None] = mapped_column(String(254), index=True)  # address #2
    language: Mapped[str] = mapped_column(String(2), default="lv")
    # Keyed HMAC-SHA256 of the personal code (never the code): lets an agent check a code a
    # resident gives without the helpdesk holding it.
    personal_code_hmac: Mapped[str | None] = mapped_column(String(64))
    # Name, address and addresses on record folded as people type them (core.text.fold), written by
    # the repository with the fields: the agents' search finds "berzins" in "Bērziņš" on both
    # databases (SQLite's lower() knows only ASCII).
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TelegramLink(Base):
    __tablename__ = "telegram_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str | None] = mapped_column(String(2))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LinkToken(Base):
    """A one-time deep-link token. Only its SHA-256 is stored: a database leak reveals no usable token."""

    __tablename__ = "link_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_link_tokens_unused", "expires_at", "used_at"),)
