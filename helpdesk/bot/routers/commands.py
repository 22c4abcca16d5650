"""Commands ("/invoice", "/start <token>", a mistyped "/rekins"): the handlers' one command table
(:mod:`helpdesk.handlers.commands`) says what each stands for, as it does for ``helpdesk chat``.

A link token arrives as ``/start <token>``; it is passed on as it is and never logged here (the
log filter masks it in aiogram's own lines too).
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message

from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import PrivateChat, TextStartsWith
from helpdesk.bot.flow import answer_message
from helpdesk.handlers.commands import parse


def build_router() -> Router:
    router = Router(name="commands")
    router.message.filter(PrivateChat())

    @router.message(TextStartsWith("/"))
    async def command(message: Message, ctx: BotContext, bot: Bot) -> None:
        parsed = parse(message.text or "")
        assert parsed is not None  # the filter saw the slash
        action, args = parsed
        await answer_message(ctx, bot, action=action, args=args, message_id=message.message_id)

    return router
