"""Inline keyboards: the main menu, sub-menus, and the buttons a :class:`Reply` asks for."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from helpdesk.bot.callbacks import ActionCallback, NavCallback, pack_button
from helpdesk.bot.texts import Translator
from helpdesk.core.types import Action, Button

LANGUAGE_NAMES = {"lv": "Latviešu", "ru": "Русский", "en": "English"}  # each in its own language

# Bot-only navigation targets (NavCallback.to)
NAV_MENU = "menu"
NAV_LANGUAGES = "langs"
NAV_ASK = "ask"
NAV_MY_DATA = "data"
NAV_CORRECTION = "fix"
NAV_NEW_EMAIL = "mail"
NAV_CANCEL = "cancel"


def _nav(label: str, to: str, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=label, callback_data=NavCallback(to=to, v=value).pack())


def _act(label: str, action: Action) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=label, callback_data=pack_button(Button(label, action), {}))


def main_menu(_: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_act(_("🧾 Invoice"), Action.INVOICE), _act(_("📰 News e-mails"), Action.CONSENT_STATUS)],
            [_nav(_("❓ Ask a question"), NAV_ASK), _nav(_("👤 My data"), NAV_MY_DATA)],
            [_act(_("🙋 Talk to a person"), Action.HUMAN), _nav(_("🌐 Language"), NAV_LANGUAGES)],
        ]
    )


def my_data_menu(_: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_act(_("Get a copy of my data"), Action.ACCESS_REQUEST)],
            [_nav(_("Correct my data"), NAV_CORRECTION)],
            [_nav(_("« Menu"), NAV_MENU)],
        ]
    )


def languages_menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=name, callback_data=ActionCallback(c="l", k="lang", v=code).pack())
                for code, name in LANGUAGE_NAMES.items()
            ]
        ]
    )


def cancel_only(_: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_nav(_("Cancel"), NAV_CANCEL)]])


def from_buttons(
    rows: Sequence[Sequence[Button]], stash: dict[str, Any], _: Translator
) -> InlineKeyboardMarkup | None:
    """The handler's buttons; a consent offer also gets "use another address" (the bot collects it)."""
    keyboard = [
        [InlineKeyboardButton(text=b.label, callback_data=pack_button(b, stash)) for b in row] for row in rows
    ]
    offers_consent = any(b.action is Action.CONSENT_GIVE and not b.args for row in rows for b in row)
    if offers_consent:
        keyboard.append([_nav(_("Use another e-mail address"), NAV_NEW_EMAIL)])
    return InlineKeyboardMarkup(inline_keyboard=keyboard) if keyboard else None
