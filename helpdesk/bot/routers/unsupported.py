"""Group chats and edited messages, before anything else.

Group chats are refused because personal data (invoices, addresses) must never be shown where
others read, and a link token posted in a group must not link whoever taps first. The refusal is
the handlers' text, made without the database: nothing from a group is stored.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message

from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import PrivateChat
from helpdesk.bot.flow import answer_message
from helpdesk.bot.render import send_reply
from helpdesk.core.types import Action, Unreadable
from helpdesk.handlers import refusals

log = logging.getLogger(__name__)


def build_router() -> Router:
    router = Router(name="unsupported")

    @router.message(PrivateChat(private=False))
    async def group_message(message: Message, ctx: BotContext, bot: Bot, agents_chat: int | None) -> None:
        if ctx.chat_id == agents_chat:
            return  # the agents' own group (notices of new items): their replies there are for each other
        log.info("message in a %s chat %s refused", ctx.chat_type, ctx.chat_id)
        await send_reply(bot, ctx, refusals.group_chat(ctx.language))

    @router.callback_query(PrivateChat(private=False))
    async def group_button(query: CallbackQuery, ctx: BotContext) -> None:
        await query.answer(refusals.group_button(ctx.language), show_alert=True)

    @router.edited_message()
    async def edited(message: Message, ctx: BotContext, bot: Bot) -> None:
        if not ctx.private:
            return  # do not repeat the group refusal for every edit
        await answer_message(ctx, bot, action=Action.UNREADABLE, args={"kind": Unreadable.EDIT.value})

    return router
