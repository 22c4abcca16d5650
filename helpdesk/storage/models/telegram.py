"""Bot-only bookkeeping: the Telegram file_id cache and the language chosen in the bot.

A ``file_id`` is valid only for the bot that uploaded the file, so the cache key is (bot, document);
the document's SHA-256 is kept too, so a re-imported invoice with new bytes is uploaded again.
The language table covers people who have not linked yet (a linked person's choice may also sit on
``TelegramLink.language``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.storage.models.base import Base, UTCDateTime, utcnow


class TelegramFile(Base):
    __tablename__ = "bot_telegram_files"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    document_key: Mapped[str] = mapped_column(String(100), primary_key=True)  # invoice id or sha256
    sha256: Mapped[str] = mapped_column(String(64))
    file_id: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TelegramChatLanguage(Base):
    __tablename__ = "bot_chat_languages"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    language: Mapped[str] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
