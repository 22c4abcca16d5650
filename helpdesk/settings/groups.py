"""The settings, one group per component or concern; each group is read on its own. The groups
of the channels (Telegram, mailbox, SMTP, console) are in :mod:`.channels`.

Every group is a pydantic-settings ``BaseSettings`` with the prefix ``HELPDESK_``, and a field's
name is the setting's name without the prefix: ``TelegramSettings.webhook_url`` is
``HELPDESK_WEBHOOK_URL``, as before the grouping, so operators' files keep working and a grep for
either spelling finds the other. A group's docstring says who receives it (:mod:`helpdesk.app`
does the wiring); ``docs/settings.md`` is generated from the groups (``python -m
helpdesk.settings.docs``), so a field's ``description`` is its documentation.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from helpdesk.core.errors import ConfigurationError
from helpdesk.core.secrets import weak_key_reason

LANGUAGES = ("lv", "ru", "en")
AGENTS_LANGUAGES = ("lv", "en")  # the console's languages, so the agents' notices'
GENERATE_KEY = 'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'


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


class TelegramDocuments(StrEnum):
    """How a PDF (an invoice, an Art. 15 export) reaches a resident who asks in Telegram."""

    SEND = "send"  # as a Telegram document
    EMAIL = "email"  # in a new e-mail to the invoice address on record; the chat says where
    OFF = "off"  # never through Telegram: invoices are in the portal, exports go by e-mail


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
    telegram_documents: TelegramDocuments = Field(
        default=TelegramDocuments.SEND,
        description="how PDFs reach a resident who asks in Telegram (invoices, and Art. 15 exports of a "
        "request made there): `send` (as Telegram documents), `email` (in a new e-mail to the invoice "
        "address on record; the chat says so, the address masked) or `off` (never through Telegram: "
        "the chat points to the portal for invoices, and exports go to the invoice address); "
        "Telegram's company is outside the EU/EEA, see docs/telegram.md",
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
        description="how sure the matcher must be to answer without a person: a one-sentence message "
        "answers at this score (0–100) unless the confidence model doubts it (below 0.3); any message "
        "answers when the model gives 0.7, and each point above (below) the default asks the model for a "
        "hundredth more (less); a second or third answer in one mail needs 6 points more; nothing scored "
        "under 44 answers (calibrated on `tests/kb_eval`, see docs/knowledge-base.md)",
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
        default=None, description="where notices for agents go (deadline reminders, new queue items)"
    )
    agents_telegram_chat: int | None = Field(
        default=None,
        description="a Telegram chat id (a group's is negative: -1001234567890) told of new queue items "
        "by the bot, as `HELPDESK_AGENTS_EMAIL` is: item number, kind, channel, deadline and a console "
        "link, never the resident's words, name or address; the bot must be a member of the group",
    )
    agents_notice_seconds: int = Field(
        default=60,
        ge=10,
        le=3600,
        description="how often the jobs gather the queue items that arrived into one notice for the "
        "agents: a burst of items is one message, and a Telegram group gets at most one a run "
        "(Telegram allows 20 a minute)",
    )
    agents_language: str = Field(
        default="lv", description="the language of the agents' notices of new items: `lv` or `en`"
    )

    @field_validator("agents_language")
    @classmethod
    def _console_language(cls, value: str) -> str:
        if value not in AGENTS_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(AGENTS_LANGUAGES)}")
        return value


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
