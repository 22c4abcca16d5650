"""``/request`` and "My data": a copy of one's data (GDPR Art. 15) or a correction (Art. 16).

The bot collects what should be corrected; the handlers file the queue item with its deadline.
When the handlers filed it first and ask what to correct (``awaiting: correction_details``), the
next typed message goes to that request; a command (not a text) is left to its own router.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from helpdesk.bot.callbacks import NavCallback
from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import HasText, PrivateChat, TextStartsWith
from helpdesk.bot.flow import ask_handlers, forget_state
from helpdesk.bot.keyboards import NAV_CORRECTION, NAV_MY_DATA, cancel_only, my_data_menu
from helpdesk.bot.render import send_text, show_in_place
from helpdesk.bot.states import AWAITED_REQUEST_KEY, Collecting
from helpdesk.core.types import Action


def build_router() -> Router:
    router = Router(name="requests")
    router.message.filter(PrivateChat())

    def offer_text(ctx: BotContext) -> str:
        return ctx._(
            "You can ask for a copy of the personal data we hold about you, or ask us to correct it. "
            "We answer within one month."
        )

    @router.message(Command("request"))
    async def request_menu(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await forget_state(ctx, state)
        await send_text(bot, ctx, offer_text(ctx), my_data_menu(ctx.translator))

    @router.callback_query(NavCallback.filter(F.to == NAV_MY_DATA))
    async def my_data(query: CallbackQuery, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await forget_state(ctx, state)
        await query.answer()
        await show_in_place(bot, ctx, query, offer_text(ctx), my_data_menu(ctx.translator))

    @router.callback_query(NavCallback.filter(F.to == NAV_CORRECTION))
    async def ask_correction(query: CallbackQuery, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await query.answer()
        await state.set_state(Collecting.correction)
        await send_text(
            bot,
            ctx,
            ctx._("Please write in one message what is wrong and what it should be."),
            cancel_only(ctx.translator),
        )

    @router.message(StateFilter(Collecting.correction), HasText(), ~TextStartsWith("/"))
    async def got_correction(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        text = (message.text or "").strip()
        if len(text) > ctx.services.settings.max_text_length:
            await send_text(
                bot, ctx, ctx._("This message is too long. Please shorten it."), cancel_only(ctx.translator)
            )
            return
        await forget_state(ctx, state)
        await ask_handlers(
            ctx, bot, state, action=Action.CORRECTION_REQUEST, text=text, message_id=message.message_id
        )

    @router.message(StateFilter(Collecting.correction_details), HasText(), ~TextStartsWith("/"))
    async def got_details(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        text = (message.text or "").strip()
        request_id = (await state.get_data()).get(AWAITED_REQUEST_KEY)
        if not isinstance(request_id, str):  # lost with the FSM storage: the text as it is
            await ask_handlers(ctx, bot, state, text=text, message_id=message.message_id)
            return
        # The handlers check that the request is still open and this resident's, and the length.
        await ask_handlers(
            ctx,
            bot,
            state,
            action=Action.CORRECTION_DETAILS,
            args={"request": request_id},
            text=text,
            message_id=message.message_id,
        )

    return router
