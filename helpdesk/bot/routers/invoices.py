"""``/invoice``: the latest invoice as a PDF; earlier periods come as buttons on the reply.

Whether the person may have it (linked, own invoice only) is the handlers' decision; the menu's
"Invoice" button and the period buttons travel through :mod:`helpdesk.bot.routers.actions`.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import PrivateChat
from helpdesk.bot.flow import ask_handlers, leave_collection
from helpdesk.core.types import Action


def build_router() -> Router:
    router = Router(name="invoices")
    router.message.filter(PrivateChat())

    @router.message(Command("invoice"))
    async def latest_invoice(message: Message, ctx: BotContext, bot: Bot, state: FSMContext) -> None:
        await leave_collection(ctx, state)
        await ask_handlers(ctx, bot, state, action=Action.INVOICE, message_id=message.message_id)

    return router
