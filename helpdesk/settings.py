"""Settings from the environment and `.env`, prefix ``HELPDESK_``.

Every threshold, limit and retention period lives here with a default, and each is documented
in the README's settings table. A wrong value stops startup with one line naming the setting
(see :func:`load_settings`), never a traceback.
"""

from __future__ import annotations

from enum import StrEnum
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from helpdesk.core.errors import ConfigurationError
from helpdesk.core.secrets import weak_key_reason

LANGUAGES = ("lv", "ru", "en")


class TransportSecurity(StrEnum):
    SSL = "ssl"
    STARTTLS = "starttls"
    NONE = "none"


class TelegramDocuments(StrEnum):
    """How a PDF (an invoice, an Art. 15 export) reaches a resident who asks in Telegram."""

    SEND = "send"  # as a Telegram document (the behaviour before this setting)
    EMAIL = "email"  # in a new e-mail to the invoice address on record; the chat says where
    OFF = "off"  # never through Telegram: invoices are in the portal, exports go by e-mail


AGENTS_LANGUAGES = ("lv", "en")  # the console's languages, so the agents' notices


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HELPDESK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        # `HELPDESK_SECRET_KEY=` in a compose file or .env means "not set", not "an empty key".
        env_ignore_empty=True,
    )

    # storage
    database_url: str = "sqlite+aiosqlite:///helpdesk.db"
    invoice_dir: Path = Path("var/invoices")

    # telegram
    telegram_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    telegram_bot_username: str = "KlientiemBot"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"  # noqa: S104 - the webhook listener sits behind a load balancer
    webhook_port: Annotated[int, Field(ge=1, le=65535)] = 8081
    redis_url: str | None = None
    telegram_outbox_poll_seconds: Annotated[float, Field(gt=0, le=3600)] = 5.0  # outbox send interval
    telegram_retry_max_wait: Annotated[float, Field(ge=0, le=600)] = 30.0  # longest 429 wait in-line
    telegram_max_concurrent_updates: Annotated[int, Field(ge=1, le=10_000)] = 64  # polling: updates at once
    telegram_documents: TelegramDocuments = Field(
        default=TelegramDocuments.SEND,
        description="How PDFs reach a resident who asks in Telegram (invoices, and Art. 15 exports of a "
        "request made there): send (as Telegram documents), email (in a new e-mail to the invoice "
        "address on record; the chat says so, the address masked) or off (never through Telegram: "
        "the chat points to the portal for invoices, and exports go to the invoice address). "
        "Telegram's company is outside the EU/EEA; see docs/telegram.md, Telegram and personal data.",
    )

    # mailbox (IMAP in)
    imap_host: str | None = None
    imap_port: Annotated[int, Field(ge=1, le=65535)] = 993
    imap_user: str | None = None
    imap_password: SecretStr | None = None
    imap_security: TransportSecurity = TransportSecurity.SSL
    imap_folder: str = "INBOX"
    imap_processed_folder: str = "Processed"
    imap_quarantine_folder: str = "Quarantine"
    imap_poll_seconds: Annotated[int, Field(ge=5, le=3600)] = 60
    imap_fetch_chunk: Annotated[int, Field(ge=1, le=200)] = 100  # 500 broke aioimaplib (#118) here
    mail_concurrency: Annotated[int, Field(ge=1, le=64)] = 8  # mails processed at once (PostgreSQL only)
    mail_max_bytes: Annotated[int, Field(ge=10_000)] = 10_000_000
    mail_replies_per_sender_per_hour: Annotated[int, Field(ge=1)] = 5

    # SMTP out
    smtp_host: str | None = None
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: TransportSecurity = TransportSecurity.STARTTLS
    mail_from: str = "Klientiem.lv atbalsts <info@klientiem.lv>"
    trusted_authserv_id: str | None = None
    mail_outbox_poll_seconds: Annotated[float, Field(gt=0, le=3600)] = 10.0  # SMTP outbox send interval
    agents_email: str | None = None
    agents_telegram_chat: int | None = Field(
        default=None,
        description="A Telegram chat id (a group's is negative: -1001234567890) told of new queue items "
        "by the bot, as HELPDESK_AGENTS_EMAIL is: item number, kind, channel, deadline and a console "
        "link, never the resident's words, name or address. The bot must be a member of the group.",
    )
    agents_notice_seconds: int = Field(
        default=60,
        ge=10,
        le=3600,
        description="How often the jobs gather the queue items that arrived into one notice for the "
        "agents (HELPDESK_AGENTS_EMAIL, HELPDESK_AGENTS_TELEGRAM_CHAT): a burst of items is one "
        "message, and a Telegram group gets at most one a run (Telegram allows 20 a minute).",
    )
    agents_language: str = Field(
        default="lv",
        description="The language of the agents' notices of new items: lv or en (the console's).",
    )
    # a message that keeps failing gets hourly rounds for this long after it was queued, then stays failed
    outbox_give_up_hours: Annotated[int, Field(ge=1, le=24 * 30)] = 72

    # console and portal API
    console_host: str = "127.0.0.1"
    console_port: Annotated[int, Field(ge=1, le=65535)] = 8080
    console_public_url: str | None = None
    secret_key: SecretStr | None = Field(
        default=None,
        description="Keys personal-code hashes, API key hashes, TOTP secrets and the console's session "
        "cookies. At least 32 bytes of random text (see helpdesk.core.secrets.weak_key_reason for the "
        'rule); generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"',
    )
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = Field(
        default=(),
        description="Reverse proxies in front of the console, as addresses or CIDR ranges separated by "
        "commas. Only a request from one of them has its X-Forwarded-For header read for the client's "
        "address (sign-in limits are kept per address); by default the header is ignored.",
    )
    claim_lease_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 30
    api_max_upload_bytes: Annotated[int, Field(ge=1024)] = 20_000_000

    # resident-facing rules
    default_language: str = "lv"
    retention_days: Annotated[int, Field(ge=1, le=3650)] = 90
    closed_request_retention_days: Annotated[int, Field(ge=1, le=3650)] = 365 * 3
    purge_batch_size: Annotated[int, Field(ge=10, le=100_000)] = 2000  # rows per purge transaction
    purge_pause_ms: Annotated[int, Field(ge=0, le=10_000)] = 5  # pause between two purge batches
    jobs_startup_delay_seconds: Annotated[float, Field(ge=0, le=3600)] = 30.0  # first runs after start
    link_token_ttl_minutes: Annotated[int, Field(ge=1, le=7 * 24 * 60)] = 30
    link_failures_per_hour: Annotated[int, Field(ge=1, le=1000)] = 5  # bad link tokens per sender per hour
    confirmation_code_ttl_minutes: Annotated[int, Field(ge=1, le=7 * 24 * 60)] = 60
    question_answer_hours: Annotated[int, Field(ge=1, le=24 * 30)] = 48
    max_text_length: Annotated[int, Field(ge=100, le=100_000)] = 4000
    kb_answer_threshold: Annotated[float, Field(ge=0, le=100)] = 49.0  # calibrated on tests/kb_eval
    kb_margin: Annotated[float, Field(ge=0, le=100)] = 3.0
    kb_extra_dir: Path = Path("var/kb")  # local KB entries (agents' additions), loaded after the shipped ones

    # operations
    log_format: str = "text"
    log_level: str = "INFO"

    @field_validator("default_language", "agents_language")
    @classmethod
    def _known_language(cls, value: str, info: ValidationInfo) -> str:
        known = AGENTS_LANGUAGES if info.field_name == "agents_language" else LANGUAGES
        if value not in known:
            raise ValueError(f"must be one of {', '.join(known)}")
        return value

    @field_validator("log_format")
    @classmethod
    def _known_log_format(cls, value: str) -> str:
        if value not in ("text", "json"):
            raise ValueError("must be text or json")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        value = value.upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value

    @field_validator("secret_key")
    @classmethod
    def _strong_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return value
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty (it keys personal-code hashes and sessions)")
        reason = weak_key_reason(value.get_secret_value())
        if reason is not None:
            raise ValueError(f"{reason}; {GENERATE_KEY}")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_networks(cls, value: object) -> object:
        """``10.0.0.5, 10.1.0.0/16, ::1`` (or a JSON list); each entry must be an address or range."""
        if isinstance(value, str):
            value = [part.strip() for part in value.strip().strip("[]").split(",")]
            value = [part.strip("\"'") for part in value if part.strip("\"'")]
        if isinstance(value, (list, tuple)):
            networks = []
            for part in value:
                try:
                    networks.append(ip_network(str(part), strict=False))
                except ValueError:
                    raise ValueError(f"{part!r} is not an IP address or CIDR range") from None
            return tuple(networks)
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite:///"):
            value = "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        if not (value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")):
            raise ValueError("must be sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER@HOST/DB")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def secret_key_bytes(self) -> bytes:
        """The key for HMACs of personal codes and for session signing; required outside the demo."""
        if self.secret_key is None:
            raise ConfigurationError(
                "HELPDESK_SECRET_KEY: is not set (it keys personal-code hashes and sessions)"
            )
        return self.secret_key.get_secret_value().encode()


GENERATE_KEY = 'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning a validation error into one line that names the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "HELPDESK_" + "_".join(str(part) for part in first["loc"]).upper()
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigurationError(f"{name}: {message}") from None
