"""The main menu, help, language choice and the bot-only navigation buttons."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from helpdesk.bot.callbacks import NavCallback
from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import PrivateChat
from helpdesk.bot.flow import leave_collection
from helpdesk.bot.keyboards import NAV_ASK, NAV_CANCEL, NAV_LANGUAGES, NAV_MENU, languages_menu, main_menu
from helpdesk.bot.render import send_text, show_in_place


def help_text(ctx: BotContext) -> str:
    return ctx._(
        "I can send your invoices, manage news e-mails, answer questions about the portal and pass "
        "your message to a person.\n\n"
        "/invoice \u2013 the latest invoice\n"
        "/news \u2013 news e-mails\n"
        "/request \u2013 a copy of your data or a correction\n"
        "/language \u2013 change the language\n"
        "/unlink \u2013 disconnect this Telegram account\n\n"
        "You can also simply write your question."
    )


def build_router() -> Router:
    router = Router(name="menu")
    router.message.filter(PrivateChat())

    @router.message(Command("menu"))
    async def show_menu(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await leave_collection(ctx, state)
        await send_text(bot, ctx, ctx._("What can I do for you?"), main_menu(ctx.translator))

    @router.message(Command("help"))
    async def show_help(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await leave_collection(ctx, state)
        await send_text(bot, ctx, help_text(ctx), main_menu(ctx.translator))

    @router.message(Command("language"))
    async def choose_language(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await leave_collection(ctx, state)
        await send_text(bot, ctx, ctx._("Choose your language:"), languages_menu())

    @router.callback_query(NavCallback.filter(F.to.in_({NAV_MENU, NAV_CANCEL})))
    async def back_to_menu(query: CallbackQuery, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await leave_collection(ctx, state)
        await query.answer()
        await show_in_place(bot, ctx, query, ctx._("What can I do for you?"), main_menu(ctx.translator))

    @router.callback_query(NavCallback.filter(F.to == NAV_LANGUAGES))
    async def languages(query: CallbackQuery, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await leave_collection(ctx, state)
        await query.answer()
        await show_in_place(bot, ctx, query, ctx._("Choose your language:"), languages_menu())

    @router.callback_query(NavCallback.filter(F.to == NAV_ASK))
    async def ask(query: CallbackQuery, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await leave_collection(ctx, state)
        await query.answer()
        await send_text(
            bot,
            ctx,
            ctx._("Please write your question in one message. I will answer or pass it to a person."),
        )

    return router
