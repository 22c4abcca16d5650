"""Inline buttons that carry an :class:`~helpdesk.core.types.Action`: they go to the handlers as
they are (two taps to an invoice: menu → "Invoice"; earlier periods are buttons on the reply).

The language choice is also stored by the bot itself (it must work before linking), then passed on.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from helpdesk.bot.callbacks import STASH_KEY, ActionCallback, unpack_args
from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import PrivateChat
from helpdesk.bot.flow import ask_handlers
from helpdesk.bot.keyboards import LANGUAGE_NAMES, languages_menu
from helpdesk.bot.render import send_text
from helpdesk.core.types import Action
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import telegram as telegram_repo


def build_router() -> Router:
    router = Router(name="actions")
    router.callback_query.filter(PrivateChat())

    @router.callback_query(ActionCallback.filter(F.c == "l"))
    async def set_language(
        query: CallbackQuery, callback_data: ActionCallback, ctx: BotContext, bot: Bot, state: FSMContext
    ) -> None:
        await query.answer()
        language = callback_data.v
        if language not in LANGUAGE_NAMES:
            await send_text(bot, ctx, ctx._("Choose your language:"), languages_menu())
            return
        async with ctx.services.sessions() as session, write_transaction(session):
            await telegram_repo.choose_language(session, ctx.user_id, language)
        ctx.relanguage(language)
        # The handlers also store it on the resident's record (used by e-mail) and confirm it.
        await ask_handlers(ctx, bot, state, action=Action.LANGUAGE, args={"lang": language})

    @router.callback_query(ActionCallback.filter())
    async def run_action(
        query: CallbackQuery, callback_data: ActionCallback, ctx: BotContext, bot: Bot, state: FSMContext
    ) -> None:
        action = callback_data.action()
        stash = ((await state.get_data()).get(STASH_KEY) or {}) if callback_data.s else {}
        args = unpack_args(callback_data, stash)
        if action is None or args is None:
            await query.answer(
                ctx._("This button is no longer valid. Please open the menu again: /menu"), show_alert=True
            )
            return
        await query.answer()
        if action in (Action.LINK_CONFIRM, Action.LINK_CANCEL):
            await state.update_data({STASH_KEY: {}})  # the token is single use: forget it either way
        await ask_handlers(ctx, bot, state, action=action, args=args, message_id=f"cb{query.id}")

    @router.callback_query()
    async def unknown_button(query: CallbackQuery, ctx: BotContext) -> None:
        """Data no factory understands (an old bot version, a forged update): stop the spinner, say so."""
        await query.answer(
            ctx._("This button is no longer valid. Please open the menu again: /menu"), show_alert=True
        )

    return router
