"""The settings, one group per component or concern; each group is read on its own.

Every group is a pydantic-settings ``BaseSettings`` with the prefix ``HELPDESK_``, and a field's
name is the setting's name without the prefix: ``TelegramSettings.webhook_url`` is
``HELPDESK_WEBHOOK_URL``, as before the grouping, so operators' files keep working and a grep for
either spelling finds the other. A group's docstring says who receives it (:mod:`helpdesk.app`
does the wiring); ``docs/settings.md`` is generated from the groups (``python -m
helpdesk.settings.docs``), so a field's ``description`` is its documentation.
"""

from __future__ import annotations

from enum import StrEnum
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from helpdesk.core.errors import ConfigurationError
from helpdesk.core.secrets import weak_key_reason

LANGUAGES = ("lv", "ru", "en")
GENERATE_KEY = 'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'


class TransportSecurity(StrEnum):
    SSL = "ssl"
    STARTTLS = "starttls"
    NONE = "none"


class Group(BaseSettings):
    """What every group shares: where its values come from. ``title`` names it in the docs."""

    model_config = SettingsConfigDict(
        env_prefix="HELPDESK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        # `HELPDESK_SECRET_KEY=` in a compose file or .env means "not set", not "an empty key".
        env_ignore_empty=True,
    )


Port = Annotated[int, Field(ge=1, le=65535)]


class StorageSettings(Group):
    """Where the data lives. Read by every component: the database engine is built from the URL,
    and invoice PDFs are read from and written to the directory."""

    model_config = SettingsConfigDict(title="Storage")

    database_url: str = Field(
        default="sqlite+aiosqlite:///helpdesk.db",
        description="SQLite file (WAL) or `postgresql+asyncpg://user@host/db`",
    )
    invoice_dir: Path = Field(
        default=Path("var/invoices"), description="where imported invoice PDFs are kept"
    )

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


class SecuritySettings(Group):
    """The key that everything which signs or hashes derives its own key from. Shared by the
    handlers (unsubscribe tokens), casework (personal-code hashes), the
    console (sessions, API keys, TOTP) and the mailbox (unsubscribe links)."""

    model_config = SettingsConfigDict(title="Security")

    secret_key: SecretStr | None = Field(
        default=None,
        description="keys personal-code HMACs and console sessions, and encrypts agents' TOTP secrets "
        "(a key derived for each use); required outside the demo (the demo keeps its own in "
        "`var/demo/secret-key`); at least 32 bytes of random text, e.g. "
        '`python -c "import secrets; print(secrets.token_urlsafe(48))"`: a short or visibly '
        "non-random one stops every command",
    )

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

    def secret_key_bytes(self) -> bytes:
        """The key for HMACs of personal codes and for session signing; required outside the demo."""
        if self.secret_key is None:
            raise ConfigurationError(
                "HELPDESK_SECRET_KEY: is not set (it keys personal-code hashes and sessions)"
            )
        return self.secret_key.get_secret_value().encode()


class TelegramSettings(Group):
    """The Telegram bot: read by its runner, factory, webhook listener and sender (`helpdesk bot`).
    The bot's username also goes into link URLs, which the portal API and `helpdesk link` mint."""

    model_config = SettingsConfigDict(title="Telegram")

    telegram_token: SecretStr | None = Field(
        default=None, description="the bot token from @BotFather (needed by `helpdesk bot`)"
    )
    telegram_api_base: str = Field(
        default="https://api.telegram.org", description="Bot API server (a local one in tests)"
    )
    telegram_bot_username: str = Field(
        default="KlientiemBot", description="the bot's username, used in link URLs `t.me/<bot>?start=<token>`"
    )
    webhook_url: str | None = Field(
        default=None, description="public HTTPS URL for webhook mode; polling when unset"
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="secret Telegram sends with every webhook call (required with a webhook)"
    )
    webhook_host: str = Field(
        default="0.0.0.0",  # noqa: S104 - the webhook listener sits behind a load balancer
        description="address the webhook listener binds to",
    )
    webhook_port: Port = Field(default=8081, description="port of the webhook listener")
    redis_url: str | None = Field(
        default=None, description="Redis for the bot's per-chat locks (needed with several bot instances)"
    )
    telegram_outbox_poll_seconds: float = Field(
        default=5.0,
        gt=0,
        le=3600,
        description="how often the bot sends queued messages (agent replies, retries)",
    )
    telegram_retry_max_wait: float = Field(
        default=30.0,
        ge=0,
        le=600,
        description="longest wait, in seconds, the bot honours for Telegram's flood-control retry",
    )
    telegram_max_concurrent_updates: int = Field(
        default=64, ge=1, le=10_000, description="in polling mode, how many updates the bot handles at once"
    )


class MailboxSettings(Group):
    """The support mailbox's inbound side: the IMAP connection, and the rules every mail passes.
    Read by the mailbox component (`helpdesk mailbox`)."""

    model_config = SettingsConfigDict(title="Mailbox (IMAP in)")

    imap_host: str | None = Field(
        default=None, description="support mailbox IMAP server (the mailbox component is skipped when unset)"
    )
    imap_port: Port = Field(default=993, description="IMAP port")
    imap_user: str | None = Field(default=None, description="IMAP login")
    imap_password: SecretStr | None = Field(default=None, description="IMAP password")
    imap_security: TransportSecurity = Field(
        default=TransportSecurity.SSL,
        description="`ssl`, `starttls` or `none` (the IMAP library has no STARTTLS: the mailbox refuses "
        "`starttls` with a one-line error)",
    )
    imap_folder: str = Field(default="INBOX", description="folder polled for new mail")
    imap_processed_folder: str = Field(default="Processed", description="where handled mail is moved")
    imap_quarantine_folder: str = Field(
        default="Quarantine", description="where mail that failed is moved (and queued for a person)"
    )
    imap_poll_seconds: int = Field(default=60, ge=5, le=3600, description="polling interval")
    imap_fetch_chunk: int = Field(
        default=100,
        ge=1,
        le=200,
        description="messages fetched per IMAP command, at most 200 (aioimaplib's parser recursed past "
        "Python's limit on a 500-mail fetch here; a fetch that crashes it is halved until the mail that "
        "does it is found)",
    )
    mail_concurrency: int = Field(
        default=8,
        ge=1,
        le=64,
        description="mails processed at once on PostgreSQL (mails from one sender always one after "
        "another; SQLite: one at a time)",
    )
    mail_max_bytes: int = Field(
        default=10_000_000, ge=10_000, description="larger mails are not parsed; they go to a person"
    )
    mail_replies_per_sender_per_hour: int = Field(
        default=5, ge=1, description="automatic replies per sender per hour (loop protection)"
    )
    trusted_authserv_id: str | None = Field(
        default=None,
        description="whose `Authentication-Results` header to believe (your MTA's authserv-id)",
    )


class SmtpSettings(Group):
    """Outgoing mail: the SMTP connection and our own address. Read by the mailbox component, whose
    sender delivers every queued e-mail (the mail rules also use the address to spot our own mail)."""

    model_config = SettingsConfigDict(title="Outgoing mail (SMTP)")

    smtp_host: str | None = Field(default=None, description="SMTP server for outgoing mail")
    smtp_port: Port = Field(default=587, description="SMTP port")
    smtp_user: str | None = Field(default=None, description="SMTP login")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password")
    smtp_security: TransportSecurity = Field(
        default=TransportSecurity.STARTTLS, description="`ssl`, `starttls` or `none`"
    )
    mail_outbox_poll_seconds: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="how often `helpdesk mailbox` sends queued e-mails (replies, agents' answers, "
        "retries after an SMTP outage)",
    )
    mail_from: str = Field(
        default="Klientiem.lv atbalsts <info@klientiem.lv>", description="sender of outgoing mail"
    )


class ConsoleSettings(Group):
    """The agents' console and the portal API (`helpdesk console`). The upload limit also binds
    `helpdesk invoices import`; the public URL also goes into links in e-mails and agents' notices."""

    model_config = SettingsConfigDict(title="Console and portal API")

    console_host: str = Field(default="127.0.0.1", description="console listen address")
    console_port: Port = Field(default=8080, description="console port")
    console_public_url: str | None = Field(
        default=None, description="the console's public URL, for links in notices"
    )
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = Field(
        default=(),
        description="reverse proxies in front of the console (addresses or CIDR ranges, comma-separated); "
        "only their `X-Forwarded-For` is read for the sign-in limits",
    )
    claim_lease_minutes: int = Field(
        default=30, ge=1, le=24 * 60, description="how long an agent's claim on a queue item lasts"
    )
    api_max_upload_bytes: int = Field(
        default=20_000_000, ge=1024, description="largest invoice PDF accepted (API and import)"
    )

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


class ConversationSettings(Group):
    """The rules of the conversation with residents, the same on every channel. Read by the
    handlers, and by casework and the channels where they apply
    the same rule."""

    model_config = SettingsConfigDict(title="Conversation rules")

    default_language: str = Field(default="lv", description="`lv`, `ru` or `en`")
    link_token_ttl_minutes: int = Field(
        default=30, ge=1, le=7 * 24 * 60, description="lifetime of a Telegram link token"
    )
    link_failures_per_hour: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="invalid link tokens one sender may try per hour before being refused",
    )
    confirmation_code_ttl_minutes: int = Field(
        default=60,
        ge=1,
        le=7 * 24 * 60,
        description="lifetime of an e-mail confirmation code (news consent)",
    )
    question_answer_hours: int = Field(
        default=48, ge=1, le=24 * 30, description="promised answer time for escalated questions"
    )
    max_text_length: int = Field(
        default=4000, ge=100, le=100_000, description="longer messages get a polite refusal"
    )

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value


class KnowledgeSettings(Group):
    """The knowledge base and its matcher. Read by the knowledge loader, `helpdesk kb`, and the
    console when an agent turns an answer into an entry."""

    model_config = SettingsConfigDict(title="Knowledge base")

    kb_answer_threshold: float = Field(
        default=49.0,
        ge=0,
        le=100,
        description="knowledge-base score (0–100) needed to answer without a person (calibrated on "
        "`tests/kb_eval`)",
    )
    kb_margin: float = Field(
        default=3.0,
        ge=0,
        le=100,
        description="lead the best match needs over the next one; otherwise the bot asks which was meant",
    )
    kb_extra_dir: Path = Field(
        default=Path("var/kb"),
        description="local knowledge-base YAML files (agents' additions, `placeholders.yaml` with the "
        "manager's facts), loaded after the shipped ones",
    )


class JobsSettings(Group):
    """Retention and the scheduled jobs. Read by the job scheduler (`helpdesk jobs`) and
    `helpdesk purge`."""

    model_config = SettingsConfigDict(title="Retention and jobs")

    retention_days: int = Field(
        default=90, ge=1, le=3650, description="conversations are purged after this many days of silence"
    )
    closed_request_retention_days: int = Field(
        default=365 * 3, ge=1, le=3650, description="closed queue items are purged after this many days"
    )
    purge_batch_size: int = Field(
        default=2000,
        ge=10,
        le=100_000,
        description="rows the retention purge deletes per transaction (each batch holds its locks this long)",
    )
    purge_pause_ms: int = Field(
        default=5,
        ge=0,
        le=10_000,
        description="pause between two purge batches (longer ones made the purge slower without helping "
        "the handlers: see `benchmarks/purge.py`)",
    )
    jobs_startup_delay_seconds: float = Field(
        default=30.0,
        ge=0,
        le=3600,
        description="the purge, expiry and outbox retry also run this long after a scheduler starts leading",
    )
    outbox_give_up_hours: int = Field(
        default=72,
        ge=1,
        le=24 * 30,
        description="a Telegram message or e-mail that keeps failing gets another round every hour for "
        "this long after it was queued, then stays failed (counted in `/metrics`)",
    )
    agents_email: str | None = Field(
        default=None, description="where notices for agents go (deadline reminders)"
    )


class OperationsSettings(Group):
    """How a long-running process logs. Read when logging is configured."""

    model_config = SettingsConfigDict(title="Operations")

    log_format: str = Field(default="text", description="`text` or `json`")
    log_level: str = Field(default="INFO", description="`DEBUG`, `INFO`, `WARNING` or `ERROR`")

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
