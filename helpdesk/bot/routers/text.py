"""Typed text: the handlers decide what it means (the answer a reply waited for, an action such as
"atsūtiet rēķinu", a knowledge-base answer, a "which one did you mean" question, or a question for
a person) and whether it is too long."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message

from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import HasText, PrivateChat
from helpdesk.bot.flow import answer_message


def build_router() -> Router:
    router = Router(name="text")
    router.message.filter(PrivateChat(), HasText())

    @router.message()
    async def typed(message: Message, ctx: BotContext, bot: Bot) -> None:
        text = (message.text or "").strip()
        if text:
            await answer_message(ctx, bot, text=text, message_id=message.message_id)

    return router
