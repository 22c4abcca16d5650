"""Linking a Telegram account to a resident: ``/start <token>``, plain ``/start``, ``/unlink``.

Tokens are accepted only in private chats (a link posted in a group must not link whoever taps
first) and only in the documented shape; the handlers redeem them and ask the person to confirm
the masked account before binding. The token is never logged: it is passed on, nothing else.
"""

from __future__ import annotations

import re

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import PrivateChat
from helpdesk.bot.flow import ask_handlers, forget_state
from helpdesk.bot.keyboards import main_menu
from helpdesk.bot.render import send_text
from helpdesk.core.types import Action

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def build_router() -> Router:
    router = Router(name="linking")
    router.message.filter(PrivateChat())

    @router.message(CommandStart(deep_link=True))
    async def start_with_token(
        message: Message, command: CommandObject, ctx: BotContext, bot: Bot, state: FSMContext
    ) -> None:
        await forget_state(ctx, state)
        token = command.args or ""
        if not TOKEN_SHAPE.fullmatch(token):
            await send_text(
                bot, ctx, ctx._("This link is not valid. Please open a fresh link from the portal.")
            )
            return
        await ask_handlers(
            ctx, bot, state, action=Action.LINK_REDEEM, args={"token": token}, message_id=message.message_id
        )

    @router.message(CommandStart())
    async def start(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await forget_state(ctx, state)
        if ctx.resident_id is None:
            text = ctx._(
                "Hello! I am the Klientiem.lv helpdesk bot. I can answer questions about the portal.\n\n"
                "To receive your invoices here, link your account: log in at Klientiem.lv or MansDzib.lv, "
                "open your profile and choose \u201cConnect Telegram\u201d. The portal gives you a link that "
                "opens this chat."
            )
        else:
            text = ctx._("Hello again! What can I do for you?")
        await send_text(bot, ctx, text, main_menu(ctx.translator))

    @router.message(Command("unlink"))
    async def unlink(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await forget_state(ctx, state)
        await ask_handlers(ctx, bot, state, action=Action.UNLINK, message_id=message.message_id)

    return router
