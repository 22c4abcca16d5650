"""Support agents and portal API keys: passwords and keys stored only as hashes (argon2 / HMAC),
TOTP secrets only encrypted (AES-GCM, see :mod:`helpdesk.core.totp`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.storage.models.base import Base, UTCDateTime, utcnow


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="agent")  # agent | admin
    # "v1:" + base64url(nonce, ciphertext, tag); a bare base32 value is a row from before encryption
    totp_secret: Mapped[str | None] = mapped_column(String(200))
    # the last TOTP time step accepted: a code for it or an earlier one is a replay (RFC 6238 §5.2)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # carried in the console's session cookie; bumped to end every session of the agent at once
    # (sign-out, new password, new or removed TOTP, disabled): a copied cookie stops working
    session_generation: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    language: Mapped[str] = mapped_column(String(2), default="lv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(12))  # shown to admins to tell keys apart
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
