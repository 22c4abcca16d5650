"""Per-update context handed to every bot handler: who is writing, in which language, and the
one door into the shared handlers (:meth:`BotContext.inquire`).

The middleware builds it once per update; routers receive it as the ``ctx`` argument and the
translator as ``_``. Nothing here decides anything: identity comes from
``helpdesk.handlers.identify.resident_for_telegram``, answers from ``helpdesk.handlers.dispatch``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update, User

from helpdesk.bot.texts import Translator, pick_language, translator_for
from helpdesk.core.types import Action, Channel, Inquiry, Reply
from helpdesk.ops import metrics
from helpdesk.services import Services
from helpdesk.storage.repositories import telegram as telegram_repo

log = logging.getLogger(__name__)

HandleFn = Callable[[Inquiry, Services], Awaitable[Reply]]
IdentifyFn = Callable[[Services, int], Awaitable[str | None]]


async def default_handle(inquiry: Inquiry, services: Services) -> Reply:
    from helpdesk.handlers.dispatch import handle  # the foundation's single entry point

    return await handle(inquiry, services)


@dataclass
class BotContext:
    services: Services
    handle: HandleFn
    user_id: int
    chat_id: int
    chat_type: str
    resident_id: str | None
    language: str
    translator: Translator
    extra_args: dict[str, str] = field(default_factory=dict)
    #: The FSM state read for this update (aiogram's ``raw_state``): lets the flow skip storage
    #: writes that would change nothing, each a Redis round trip with several instances.
    raw_state: str | None = None

    @property
    def private(self) -> bool:
        return self.chat_type == "private"

    def inquiry(
        self,
        *,
        text: str = "",
        action: Action | None = None,
        args: Mapping[str, str] | None = None,
        message_id: int | str | None = None,
    ) -> Inquiry:
        merged = {"chat_type": self.chat_type, **(args or {})}
        return Inquiry(
            channel=Channel.TELEGRAM,
            sender=str(self.user_id),
            text=text,
            language=self.language,
            resident_id=self.resident_id,
            action=action,
            args=merged,
            message_id=None if message_id is None else f"tg:{self.chat_id}:{message_id}",
            reply_to=str(self.chat_id),
            received_at=self.services.clock(),
        )

    async def inquire(
        self,
        *,
        text: str = "",
        action: Action | None = None,
        args: Mapping[str, str] | None = None,
        message_id: int | str | None = None,
    ) -> Reply:
        inquiry = self.inquiry(text=text, action=action, args=args, message_id=message_id)
        return await self.handle(inquiry, self.services)

    def _(self, message: str, **params: object) -> str:
        """This person's translation of a bot text (gettext domain ``bot``)."""
        return self.translator(message, **params)

    def relanguage(self, language: str) -> None:
        """After the person picked a language, answer in it from this update on."""
        self.language = language
        self.translator = translator_for(language)


def _who(data: Mapping[str, Any]) -> tuple[User | None, Chat | None]:
    return data.get("event_from_user"), data.get("event_chat")


def _update_kind(update: Update) -> str:
    try:
        return update.event_type
    except Exception:  # aiogram raises for an update type it does not know
        return "unknown"


class ContextMiddleware(BaseMiddleware):
    """Outer update middleware: resolves the resident and the language, injects ``ctx`` and ``_``."""

    def __init__(self, services: Services, handle: HandleFn, identify: IdentifyFn | None = None) -> None:
        self.services = services
        self.handle = handle
        self.identify = identify
        # The per-update read needs no transaction: on PostgreSQL an autocommit connection saves the
        # BEGIN and the ROLLBACK (two round trips of the three). pysqlite reads outside one anyway.
        engine = services.engine
        self.reader = (
            engine
            if engine.dialect.name == "sqlite"
            else engine.execution_options(isolation_level="AUTOCOMMIT")
        )

    async def _who_and_language(self, user_id: int) -> tuple[str | None, str | None]:
        if self.identify is not None:
            resident_id = await self.identify(self.services, user_id)
            async with self.services.sessions() as session:
                return resident_id, await telegram_repo.chosen_language(session, user_id)
        # The default: the same rule as resident_for_telegram, read with the language in one query.
        async with self.reader.connect() as connection:
            return await telegram_repo.profile(connection, user_id)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Update):
            metrics.inc("telegram_updates", kind=_update_kind(event))  # /metrics, cluster-wide
        user, chat = _who(data)
        if user is None or chat is None or user.is_bot:
            # Channel posts, service updates, other bots: nothing to answer. Not even routed, so
            # no handler runs without its context (a crash would make Telegram redeliver forever).
            return None
        resident_id, chosen = await self._who_and_language(user.id)
        language = pick_language(chosen, user.language_code, self.services.settings.default_language)
        ctx = BotContext(
            services=self.services,
            handle=self.handle,
            user_id=user.id,
            chat_id=chat.id,
            chat_type=chat.type,
            resident_id=resident_id,
            language=language,
            translator=translator_for(language),
            raw_state=data.get("raw_state"),
        )
        data["ctx"] = ctx
        data["_"] = ctx.translator
        if isinstance(event, Update):
            log.debug("update %s from user %s", event.update_id, user.id)
        return await handler(event, data)
