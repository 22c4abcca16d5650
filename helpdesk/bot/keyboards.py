"""The inline keyboard a :class:`~helpdesk.core.types.Reply` asks for: its buttons, in its rows.

Labels, order and what each button does are the handlers' (the same on every channel); this only
packs them into Telegram's callback data.
"""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from helpdesk.bot.callbacks import pack_button
from helpdesk.core.conversation import offer_id, offered
from helpdesk.core.types import Reply


def keyboard_for(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    offer = offer_id(offered(reply.buttons))
    keyboard: list[list[InlineKeyboardButton]] = []
    number = 0
    for row in reply.buttons:
        keyboard.append([])
        for button in row:
            number += 1
            data = pack_button(button, number, offer, on_menu=reply.navigation)
            keyboard[-1].append(InlineKeyboardButton(text=button.label, callback_data=data))
    return InlineKeyboardMarkup(inline_keyboard=keyboard)
