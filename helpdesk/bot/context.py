"""Per-update context handed to every bot handler: which Telegram user and chat, the language their
Telegram app is set to, and the one door into the shared handlers (:meth:`BotContext.inquire`).

The middleware builds it once per update from the update alone: no database read. Who the person
is (their link), the language they chose and what the conversation waits for are read by the
shared handlers, in the one statement an update costs before its handler runs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update, User

from helpdesk.core.types import Action, Channel, ChoiceRef, Inquiry, Reply
from helpdesk.i18n import normalize_language
from helpdesk.ops import metrics
from helpdesk.services import Services

log = logging.getLogger(__name__)

HandleFn = Callable[[Inquiry, Services], Awaitable[Reply]]


async def default_handle(inquiry: Inquiry, services: Services) -> Reply:
    from helpdesk.handlers.dispatch import handle  # the shared handlers' single entry point

    return await handle(inquiry, services)


@dataclass
class BotContext:
    services: Services
    handle: HandleFn
    user_id: int
    chat_id: int
    chat_type: str
    #: The Telegram app's language: the handlers use it until the person picks one in the bot.
    language: str

    @property
    def private(self) -> bool:
        return self.chat_type == "private"

    def inquiry(
        self,
        *,
        text: str = "",
        action: Action | None = None,
        args: Mapping[str, str] | None = None,
        choice: ChoiceRef | None = None,
        message_id: int | str | None = None,
    ) -> Inquiry:
        merged = {"chat_type": self.chat_type, **(args or {})}
        return Inquiry(
            channel=Channel.TELEGRAM,
            sender=str(self.user_id),
            text=text,
            language=self.language,
            action=action,
            args=merged,
            choice=choice,
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
        choice: ChoiceRef | None = None,
        message_id: int | str | None = None,
    ) -> Reply:
        inquiry = self.inquiry(text=text, action=action, args=args, choice=choice, message_id=message_id)
        return await self.handle(inquiry, self.services)


def _who(data: Mapping[str, Any]) -> tuple[User | None, Chat | None]:
    return data.get("event_from_user"), data.get("event_chat")


def _update_kind(update: Update) -> str:
    try:
        return update.event_type
    except Exception:  # aiogram raises for an update type it does not know
        return "unknown"


class ContextMiddleware(BaseMiddleware):
    """Outer update middleware: injects ``ctx``; updates without a person go no further."""

    def __init__(self, services: Services, handle: HandleFn) -> None:
        self.services = services
        self.handle = handle

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
        data["ctx"] = BotContext(
            services=self.services,
            handle=self.handle,
            user_id=user.id,
            chat_id=chat.id,
            chat_type=chat.type,
            language=normalize_language(user.language_code, self.services.conversation.default_language),
        )
        if isinstance(event, Update):
            log.debug("update %s from user %s", event.update_id, user.id)
        return await handler(event, data)
