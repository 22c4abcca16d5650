"""What a handler needs from the outside world, built once per process and passed in.

Objects are built in :func:`helpdesk.app.build_services` (a factory), never at import time, so
tests can build as many independent instances as they like. ``outbox`` and ``senders`` are core's
ports with the channels plugged in by the factory; a Services built without them sends nothing
(queueing raises :class:`~helpdesk.core.ports.NoChannel`).

Of the settings, Services carries only the three groups that every layer above it shares:
``storage`` (the invoice directory beside the engine), ``security`` (the secret key that signs and
hashes) and ``conversation`` (the rules of the conversation, the same on every channel). A
component's own group (Telegram, IMAP, SMTP, console, jobs...) is handed to that component alone
by :mod:`helpdesk.app`.

May import: core, settings (and the libraries). Sits above them and below everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from helpdesk.core.matching import IntentMatcher
from helpdesk.core.ports import Outbox, OutboxSender
from helpdesk.settings import ConversationSettings, SecuritySettings, StorageSettings


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    storage: StorageSettings
    security: SecuritySettings
    conversation: ConversationSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    matcher: IntentMatcher
    clock: Callable[[], datetime] = field(default=_utcnow)
    outbox: Outbox = field(default_factory=Outbox)
    senders: tuple[OutboxSender, ...] = ()

    async def aclose(self) -> None:
        await self.engine.dispose()
