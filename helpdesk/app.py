"""Wiring: the factory that builds a process's :class:`~helpdesk.services.Services` and plugs each
channel into core's ports (:mod:`helpdesk.core.ports`).

This is the one module that knows every channel: casework, the jobs and the console send through
``services.outbox`` and the outbox-retry job sends through ``services.senders``, so none of them
imports the bot or the mailbox. Nothing is built at import time, so tests and the demo can build
as many instances as they need.

May import: anything below the command line (channels, jobs, casework and what they stand on).
"""

from __future__ import annotations

from helpdesk.bot import outgoing as telegram
from helpdesk.core.matching import IntentMatcher
from helpdesk.core.ports import Outbox, OutboxSender
from helpdesk.mailbox import outgoing as email
from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.engine import create_engine, create_session_factory


def load_matcher(settings: Settings) -> IntentMatcher:
    """The knowledge matcher, imported lazily: the knowledge package loads its YAML files."""
    from helpdesk.knowledge import load_matcher as load_knowledge

    matcher: IntentMatcher = load_knowledge(settings)
    return matcher


def channel_outbox() -> Outbox:
    """Queueing needs no channel to be configured: the outbox keeps a message until a sender runs."""
    return Outbox({telegram.CHANNEL: telegram.queue_message, email.CHANNEL: email.queue_message})


def channel_senders(services: Services) -> tuple[OutboxSender, ...]:
    """Each channel's sender for the outbox-retry job. The sending modules are imported when they
    send: a jobs process that sends no Telegram loads no aiogram."""
    settings = services.settings

    async def send_telegram() -> int:
        from helpdesk.bot.delivery import deliver_due

        return await deliver_due(services)

    async def send_email() -> int:
        from helpdesk.mailbox.smtp_sender import deliver_due

        return await deliver_due(services)

    return (
        OutboxSender(
            telegram.CHANNEL,
            telegram.SENDER_LOCK,
            None if settings.telegram_token else "HELPDESK_TELEGRAM_TOKEN is not set",
            send_telegram,
        ),
        OutboxSender(
            email.CHANNEL,
            email.SENDER_LOCK,
            None if settings.smtp_host else "HELPDESK_SMTP_HOST is not set",
            send_email,
        ),
    )


def build_services(settings: Settings, *, matcher: IntentMatcher | None = None) -> Services:
    """Engine, session factory, matcher and the channels' ports for one process. ``matcher`` lets
    tests inject a fake."""
    engine = create_engine(settings.database_url)
    services = Services(
        settings=settings,
        engine=engine,
        sessions=create_session_factory(engine),
        matcher=matcher if matcher is not None else load_matcher(settings),
        outbox=channel_outbox(),
    )
    services.senders = channel_senders(services)
    return services
