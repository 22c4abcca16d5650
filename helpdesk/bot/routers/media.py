"""Anything in a private chat that is not text: pictures, stickers, voice, files, places. The
handlers answer each kind in its own words; nothing is opened, stored or forwarded."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.enums import ContentType
from aiogram.types import Message

from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import HasText, PrivateChat
from helpdesk.bot.flow import answer_message
from helpdesk.core.types import Action, Unreadable

KINDS: dict[str, Unreadable] = {
    ContentType.PHOTO: Unreadable.PICTURE,
    ContentType.VIDEO: Unreadable.PICTURE,
    ContentType.ANIMATION: Unreadable.PICTURE,
    ContentType.VOICE: Unreadable.VOICE,
    ContentType.AUDIO: Unreadable.VOICE,
    ContentType.VIDEO_NOTE: Unreadable.VOICE,
    ContentType.STICKER: Unreadable.STICKER,
    ContentType.DOCUMENT: Unreadable.FILE,
    ContentType.CONTACT: Unreadable.PLACE,
    ContentType.LOCATION: Unreadable.PLACE,
    ContentType.VENUE: Unreadable.PLACE,
}


def build_router() -> Router:
    router = Router(name="media")
    router.message.filter(PrivateChat(), HasText(has=False))

    @router.message()
    async def unreadable(message: Message, ctx: BotContext, bot: Bot) -> None:
        kind = KINDS.get(message.content_type, Unreadable.OTHER)
        await answer_message(
            ctx, bot, action=Action.UNREADABLE, args={"kind": kind.value}, message_id=message.message_id
        )

    return router
