"""The bot's routers, one per kind of input: each turns an update into an
:class:`~helpdesk.core.types.Inquiry` and renders the handlers' reply. The conversation (what a
command, a button or a typed line means) is the handlers', the same for every channel, so nothing
here is a feature of its own.

Order matters: group chats and edited messages are answered first (nothing else applies there),
then commands and buttons, then non-text input, and typed text last.
"""

from __future__ import annotations

from aiogram import Router


def all_routers() -> list[Router]:
    from helpdesk.bot.routers import buttons, commands, media, text, unsupported

    return [
        unsupported.build_router(),
        commands.build_router(),
        buttons.build_router(),
        media.build_router(),
        text.build_router(),
    ]
