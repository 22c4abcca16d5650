"""The one path from a router to the shared handlers and back: inquire, render, follow up."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiogram import Bot
from aiogram.fsm.context import FSMContext

from helpdesk.bot.context import BotContext
from helpdesk.bot.render import send_reply, send_text
from helpdesk.bot.states import AWAITED_REQUEST_KEY, AWAITING_STATES
from helpdesk.core.types import Action, Reply

log = logging.getLogger(__name__)


async def ask_handlers(
    ctx: BotContext,
    bot: Bot,
    state: FSMContext | None,
    *,
    action: Action | None = None,
    args: Mapping[str, str] | None = None,
    text: str = "",
    message_id: int | str | None = None,
) -> Reply | None:
    """Send the inquiry to the handlers and render the reply.

    ``Reply.extra["awaiting"]`` (``consent_email``, ``consent_code``, ``correction_details``) asks
    the bot to collect the next typed message for that purpose (for the request in
    ``extra["request_id"]``, kept in the FSM data); any other reply ends such a collection.
    """
    try:
        reply = await ctx.inquire(text=text, action=action, args=args, message_id=message_id)
    except Exception as exc:
        # Only the type: messages of database errors can carry the resident's data.
        log.error("handlers failed for chat %s: %s", ctx.chat_id, type(exc).__name__)
        log.debug("handler failure", exc_info=True)
        await send_text(
            bot, ctx, ctx._("Sorry, something went wrong on our side. Please try again in a few minutes.")
        )
        return None
    if state is not None:
        expected = AWAITING_STATES.get(reply.extra.get("awaiting", ""))
        wanted = expected.state if expected is not None else None
        if wanted != ctx.raw_state:
            await state.set_state(wanted)
            ctx.raw_state = wanted
        awaited_request = reply.extra.get("request_id") if expected is not None else None
        if awaited_request is not None:
            await state.update_data({AWAITED_REQUEST_KEY: awaited_request})
    await send_reply(bot, ctx, reply, state)
    return reply


async def leave_collection(ctx: BotContext, state: FSMContext) -> None:
    """A command ends whatever typed answer the bot was collecting (an address, a correction).

    Outside a collection there is nothing to end, and the storage is not touched: the button stash
    stays valid for the buttons already shown, and Redis is spared two writes per update.
    """
    if ctx.raw_state is not None:
        await state.clear()
        ctx.raw_state = None


async def forget_state(ctx: BotContext, state: FSMContext) -> None:
    """End any collection and drop the stashed button arguments too (a new link, an unlink, a data
    request start from nothing), keeping ``ctx.raw_state`` true for :func:`ask_handlers`."""
    await state.clear()
    ctx.raw_state = None
