"""Free text: everything typed that no command or collection took. The handlers decide whether it
is an action ("atsūtiet rēķinu" sends the invoice), a knowledge-base answer, a "which one did you
mean" question (rendered as buttons), or an escalation to a person.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import HasText, PrivateChat, TextStartsWith
from helpdesk.bot.flow import ask_handlers, leave_collection
from helpdesk.bot.keyboards import main_menu
from helpdesk.bot.render import send_text


def build_router() -> Router:
    router = Router(name="questions")
    router.message.filter(PrivateChat(), HasText())

    @router.message(TextStartsWith("/"))
    async def unknown_command(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await leave_collection(ctx, state)  # a command, even a mistyped one, is not the awaited text
        await send_text(
            bot, ctx, ctx._("I do not know this command. Here is what I can do:"), main_menu(ctx.translator)
        )

    @router.message()
    async def free_text(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        text = (message.text or "").strip()
        if not text:
            return
        if len(text) > ctx.services.settings.max_text_length:
            await send_text(
                bot,
                ctx,
                ctx.translator.plural(
                    "This message is too long for me. Please shorten it to {limit} character.",
                    "This message is too long for me. Please shorten it to {limit} characters.",
                    ctx.services.settings.max_text_length,
                    limit=ctx.services.settings.max_text_length,
                ),
            )
            return
        await ask_handlers(ctx, bot, state, text=text, message_id=message.message_id)

    return router
