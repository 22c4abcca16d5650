"""The command list Telegram shows in the "/" menu, in LV (also the default), RU and EN."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

from helpdesk.bot.texts import N_, translator_for
from helpdesk.i18n import DEFAULT_LANGUAGE, LANGUAGES

COMMANDS = (
    ("invoice", N_("Latest invoice")),
    ("news", N_("News e-mails")),
    ("request", N_("My data: a copy or a correction")),
    ("language", N_("Change the language")),
    ("help", N_("What I can do")),
    ("menu", N_("Main menu")),
    ("unlink", N_("Disconnect this Telegram account")),
)


def commands_for(language: str) -> list[BotCommand]:
    _ = translator_for(language)
    return [BotCommand(command=name, description=_(description)) for name, description in COMMANDS]


async def register_commands(bot: Bot) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands(commands_for(DEFAULT_LANGUAGE), scope=scope)
    for language in LANGUAGES:
        await bot.set_my_commands(commands_for(language), scope=scope, language_code=language)
