"""``/news``: news e-mail consent. Status and one-tap withdrawal come from the handlers' buttons;
this router only collects a new address and the code mailed to it (double opt-in), then hands
both to the handlers, which record every change in the consent ledger.
"""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from helpdesk.bot.callbacks import NavCallback
from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import HasText, PrivateChat
from helpdesk.bot.flow import ask_handlers, leave_collection
from helpdesk.bot.keyboards import NAV_NEW_EMAIL, cancel_only
from helpdesk.bot.render import send_text
from helpdesk.bot.states import Collecting
from helpdesk.core.types import Action, ReplyKind

# Deliberately loose: the e-mailed code is the real check; this only catches typing slips.
EMAIL_SHAPE = re.compile(r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{2,63}")
CODE_SHAPE = re.compile(r"[0-9]{4,12}")


def build_router() -> Router:
    router = Router(name="consent")
    router.message.filter(PrivateChat())

    @router.message(Command("news"))
    async def status(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await leave_collection(ctx, state)
        await ask_handlers(ctx, bot, state, action=Action.CONSENT_STATUS, message_id=message.message_id)

    @router.callback_query(NavCallback.filter(F.to == NAV_NEW_EMAIL))
    async def ask_for_address(query: CallbackQuery, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await query.answer()
        if ctx.resident_id is None:
            await ask_handlers(ctx, bot, state, action=Action.CONSENT_STATUS)  # handlers explain linking
            return
        await state.set_state(Collecting.news_email)
        await send_text(
            bot,
            ctx,
            ctx._("Please write the e-mail address for news. I will send a confirmation code to it."),
            cancel_only(ctx.translator),
        )

    @router.message(StateFilter(Collecting.news_email), HasText())
    async def got_address(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        address = (message.text or "").strip()
        if len(address) > 254 or not EMAIL_SHAPE.fullmatch(address):
            await send_text(
                bot,
                ctx,
                ctx._("This does not look like an e-mail address. Please check it and write it again."),
                cancel_only(ctx.translator),
            )
            return
        await ask_handlers(
            ctx,
            bot,
            state,
            action=Action.CONSENT_GIVE,
            args={"email": address},
            message_id=message.message_id,
        )

    @router.message(StateFilter(Collecting.news_code), HasText())
    async def got_code(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        code = (message.text or "").strip()
        if not CODE_SHAPE.fullmatch(code):
            await send_text(
                bot,
                ctx,
                ctx._("Please write the code from the e-mail we sent you (digits only)."),
                cancel_only(ctx.translator),
            )
            return
        reply = await ask_handlers(
            ctx,
            bot,
            state,
            action=Action.CONSENT_GIVE_CONFIRM,
            args={"code": code},
            message_id=message.message_id,
        )
        if reply is not None and reply.kind is ReplyKind.REFUSAL:
            await state.set_state(Collecting.news_code)  # a mistyped code: let them try again

    return router
