"""Inline buttons: an action with its plain argument, or a choice the handlers look up in the
conversation state (:mod:`helpdesk.bot.callbacks`). Data no factory understands (an old bot
version, a forged update) stops the spinner with the handlers' "no longer valid" text."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery

from helpdesk.bot.callbacks import ActionCallback, ChoiceCallback
from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import PrivateChat
from helpdesk.bot.flow import answer_button
from helpdesk.core.types import ChoiceRef
from helpdesk.handlers.refusals import stale_text


def build_router() -> Router:
    router = Router(name="buttons")
    router.callback_query.filter(PrivateChat())

    @router.callback_query(ActionCallback.filter())
    async def action_button(
        query: CallbackQuery, callback_data: ActionCallback, ctx: BotContext, bot: Bot
    ) -> None:
        action = callback_data.action()
        if action is None:
            await query.answer(stale_text(ctx.language), show_alert=True)
            return
        args = {callback_data.k: callback_data.v} if callback_data.k else {}
        await answer_button(ctx, bot, query, on_menu=callback_data.m, action=action, args=args)

    @router.callback_query(ChoiceCallback.filter())
    async def choice_button(
        query: CallbackQuery, callback_data: ChoiceCallback, ctx: BotContext, bot: Bot
    ) -> None:
        choice = ChoiceRef(number=callback_data.n, offer=callback_data.o)
        await answer_button(ctx, bot, query, on_menu=callback_data.m, choice=choice)

    @router.callback_query()
    async def unknown_button(query: CallbackQuery, ctx: BotContext) -> None:
        await query.answer(stale_text(ctx.language), show_alert=True)

    return router
