"""The command list Telegram shows in the "/" menu, in LV (also the default), RU and EN: the
handlers' command table, so the menu, the help text and what a command does never disagree."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

from helpdesk.handlers.commands import LISTED
from helpdesk.i18n import DEFAULT_LANGUAGE, LANGUAGES, gettext_for


def commands_for(language: str) -> list[BotCommand]:
    _ = gettext_for("helpdesk", language).gettext
    return [BotCommand(command=c.name, description=_(c.description or c.name)) for c in LISTED]


async def register_commands(bot: Bot) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands(commands_for(DEFAULT_LANGUAGE), scope=scope)
    for language in LANGUAGES:
        await bot.set_my_commands(commands_for(language), scope=scope, language_code=language)
