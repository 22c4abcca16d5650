"""Wiring: the factory that builds a process's :class:`~helpdesk.services.Services`, plugs each
channel into core's ports (:mod:`helpdesk.core.ports`), and hands each component its settings.

This is the one module that knows every channel: casework, the jobs and the console send through
``services.outbox`` and the outbox-retry job sends through ``services.senders``, so none of them
imports the bot or the mailbox. Nothing is built at import time, so tests and the demo can build
as many instances as they need.

Settings: the whole :class:`~helpdesk.settings.Settings` stops here (and in the commands). Services
carries the three groups every layer shares (storage, security, conversation); each component gets
its own group, plus the single values of another group it truly needs, named where they are passed:

| component | receives |
|---|---|
| bot | the Telegram group |
| mailbox | :class:`MailConfig`: the IMAP and SMTP groups, the console's public URL (unsubscribe links) |
| console | :class:`ConsoleConfig`: the console group, :class:`CaseRules`, the bot's username (link URLs) |
| jobs | the jobs group, the console's public URL (the agents' digest links to the queue) |
| knowledge | the knowledge group, the default language (a conversation rule) |
| logging | the operations group |

May import: anything below the command line (channels, jobs, casework and what they stand on).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpdesk.bot import outgoing as telegram
from helpdesk.core.matching import IntentMatcher
from helpdesk.core.ports import Outbox, OutboxSender
from helpdesk.mailbox import outgoing as email
from helpdesk.mailbox.config import MailConfig
from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.engine import create_engine, create_session_factory

if TYPE_CHECKING:
    from helpdesk.casework.context import CaseRules
    from helpdesk.console.config import ConsoleConfig


def load_matcher(settings: Settings) -> IntentMatcher:
    """The knowledge matcher, imported lazily: the knowledge package loads its YAML files."""
    from helpdesk.knowledge import load_matcher as load_knowledge

    matcher: IntentMatcher = load_knowledge(settings.knowledge, settings.conversation.default_language)
    return matcher


def mail_config(settings: Settings) -> MailConfig:
    return MailConfig(settings.mailbox, settings.smtp, settings.console.console_public_url)


def case_rules(settings: Settings) -> CaseRules:
    from helpdesk.casework.context import CaseRules

    return CaseRules(settings.console.claim_lease_minutes, settings.knowledge.kb_extra_dir)


def console_config(settings: Settings) -> ConsoleConfig:
    from helpdesk.console.config import ConsoleConfig

    return ConsoleConfig(settings.console, case_rules(settings), settings.telegram.telegram_bot_username)


def channel_outbox() -> Outbox:
    """Queueing needs no channel to be configured: the outbox keeps a message until a sender runs."""
    return Outbox({telegram.CHANNEL: telegram.queue_message, email.CHANNEL: email.queue_message})


def channel_senders(services: Services, settings: Settings) -> tuple[OutboxSender, ...]:
    """Each channel's sender for the outbox-retry job. The sending modules are imported when they
    send: a jobs process that sends no Telegram loads no aiogram."""

    async def send_telegram() -> int:
        from helpdesk.bot.delivery import deliver_due

        return await deliver_due(services, settings.telegram)

    async def send_email() -> int:
        from helpdesk.mailbox.smtp_sender import deliver_due

        return await deliver_due(services, mail_config(settings))

    return (
        OutboxSender(
            telegram.CHANNEL,
            telegram.SENDER_LOCK,
            None if settings.telegram.telegram_token else "HELPDESK_TELEGRAM_TOKEN is not set",
            send_telegram,
        ),
        OutboxSender(
            email.CHANNEL,
            email.SENDER_LOCK,
            None if settings.smtp.smtp_host else "HELPDESK_SMTP_HOST is not set",
            send_email,
        ),
    )


def build_services(settings: Settings, *, matcher: IntentMatcher | None = None) -> Services:
    """Engine, session factory, matcher and the channels' ports for one process. ``matcher`` lets
    tests inject a fake."""
    engine = create_engine(settings.storage.database_url)
    services = Services(
        storage=settings.storage,
        security=settings.security,
        conversation=settings.conversation,
        engine=engine,
        sessions=create_session_factory(engine),
        matcher=matcher if matcher is not None else load_matcher(settings),
        outbox=channel_outbox(),
    )
    services.senders = channel_senders(services, settings)
    return services


# The components, each started with its own settings. The modules are imported when a component
# starts: a process without the bot loads no aiogram.


async def run_bot(settings: Settings, services: Services) -> None:
    from helpdesk.bot.runner import run_bot as run

    await run(services, settings.telegram, agents_chat=settings.jobs.agents_telegram_chat)


async def run_mailbox(settings: Settings, services: Services) -> None:
    from helpdesk.mailbox.service import run_service

    await run_service(services, mail_config(settings))


async def run_console(settings: Settings, services: Services) -> None:
    from helpdesk.console.server import run_console as run

    await run(services, console_config(settings))


async def run_jobs(settings: Settings, services: Services) -> None:
    from helpdesk.jobs.scheduler import run_jobs as run

    await run(services, settings.jobs, console_url=settings.console.console_public_url)
