"""The settings groups of the channels: the Telegram bot, the mailbox (IMAP in, SMTP out) and the
console. Each is a :class:`~helpdesk.settings.groups.Group`: flat ``HELPDESK_*`` names, read on its
own (see :mod:`.groups`).
"""

from __future__ import annotations

from enum import StrEnum
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from helpdesk.settings.groups import Group


class TransportSecurity(StrEnum):
    SSL = "ssl"
    STARTTLS = "starttls"
    NONE = "none"


Port = Annotated[int, Field(ge=1, le=65535)]


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
        description="how often `helpdesk mailbox` looks for queued e-mails when nothing woke it "
        "(replies, agents' answers, retries after an SMTP outage)",
    )
    smtp_concurrency: int = Field(
        default=8,
        ge=1,
        le=32,
        description="SMTP connections the outbox sends over at once, each one mail after another; "
        "it sends until nothing is due",
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
