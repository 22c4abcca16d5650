"""The one path from a router to the shared handlers and back: inquire, then render the reply."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.types import CallbackQuery

from helpdesk.bot.callbacks import ON_MENU
from helpdesk.bot.context import BotContext
from helpdesk.bot.render import send_reply
from helpdesk.core.conversation import STALE_CHOICE
from helpdesk.core.types import Action, ChoiceRef, Reply
from helpdesk.handlers.refusals import apology

log = logging.getLogger(__name__)


async def _inquire(
    ctx: BotContext,
    *,
    text: str = "",
    action: Action | None = None,
    args: dict[str, str] | None = None,
    choice: ChoiceRef | None = None,
    message_id: int | str | None = None,
) -> Reply:
    try:
        return await ctx.inquire(text=text, action=action, args=args, choice=choice, message_id=message_id)
    except Exception as exc:
        # The handlers keep a failed inquiry themselves; this is for when even that raised. Only the
        # type is logged: messages of database errors can carry the resident's data.
        log.error("handlers failed for chat %s: %s", ctx.chat_id, type(exc).__name__)
        log.debug("handler failure", exc_info=True)
        return apology(ctx.language, None)


async def answer_message(
    ctx: BotContext,
    bot: Bot,
    *,
    text: str = "",
    action: Action | None = None,
    args: dict[str, str] | None = None,
    message_id: int | str | None = None,
) -> None:
    """A message (text, a command, something unreadable) to the handlers; their reply to the chat."""
    reply = await _inquire(ctx, text=text, action=action, args=args, message_id=message_id)
    await send_reply(bot, ctx, reply)


async def answer_button(
    ctx: BotContext,
    bot: Bot,
    query: CallbackQuery,
    *,
    on_menu: str,
    action: Action | None = None,
    args: dict[str, str] | None = None,
    choice: ChoiceRef | None = None,
) -> None:
    """A pressed button to the handlers. A choice no longer offered is said in an alert (the chat
    stays as it was); a menu opened from a menu replaces it."""
    reply = await _inquire(ctx, action=action, args=args, choice=choice, message_id=f"cb{query.id}")
    if reply.intent == STALE_CHOICE:
        await query.answer(reply.text, show_alert=True)
        return
    await query.answer()
    await send_reply(bot, ctx, reply, query.message if on_menu == ON_MENU else None)
