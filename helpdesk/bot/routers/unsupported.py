"""Polite, specific answers to what the bot cannot use: group chats, edited messages, photos,
stickers, voice, files and the like. Nothing is opened, stored or forwarded; nothing breaks.

Group chats are refused because personal data (invoices, addresses) must never be shown where
others read, and a link token posted in a group must not link whoever taps it first.
"""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, Message

from helpdesk.bot.context import BotContext
from helpdesk.bot.filters import ContentTypes, HasText, PrivateChat
from helpdesk.bot.keyboards import main_menu
from helpdesk.bot.render import send_text

log = logging.getLogger(__name__)


def build_router() -> Router:
    """Runs first: group chats and edits never reach the feature routers."""
    router = Router(name="unsupported")

    @router.message(PrivateChat(private=False))
    async def group_message(message: Message, ctx: BotContext, bot: Bot) -> None:
        log.info("message in a %s chat %s refused", ctx.chat_type, ctx.chat_id)
        await send_text(
            bot,
            ctx,
            ctx._(
                "I only talk in private chats, so that your personal data stays private. "
                "Please write to me directly."
            ),
        )

    @router.callback_query(PrivateChat(private=False))
    async def group_button(query: CallbackQuery, ctx: BotContext) -> None:
        await query.answer(ctx._("Please write to me in a private chat."), show_alert=True)

    @router.edited_message()
    async def edited(message: Message, ctx: BotContext, bot: Bot) -> None:
        if not ctx.private:
            return  # do not repeat the group refusal for every edit
        await send_text(
            bot,
            ctx,
            ctx._(
                "I cannot see changes to messages already sent. "
                "Please send the corrected text as a new message."
            ),
        )

    return router


def build_media_router() -> Router:
    """Runs after the feature routers, for private chats: anything that is not text."""
    router = Router(name="media")
    router.message.filter(PrivateChat())

    @router.message(ContentTypes({ContentType.PHOTO, ContentType.VIDEO, ContentType.ANIMATION}))
    async def picture(message: Message, ctx: BotContext, bot: Bot) -> None:
        await send_text(
            bot,
            ctx,
            ctx._(
                "Thank you, but I cannot look at pictures or videos. Please describe your question in words."
            ),
        )

    @router.message(ContentTypes({ContentType.VOICE, ContentType.AUDIO, ContentType.VIDEO_NOTE}))
    async def voice(message: Message, ctx: BotContext, bot: Bot) -> None:
        await send_text(
            bot, ctx, ctx._("I cannot listen to voice or audio messages. Please write your question as text.")
        )

    @router.message(ContentTypes({ContentType.STICKER}))
    async def sticker(message: Message, ctx: BotContext, bot: Bot) -> None:
        await send_text(
            bot,
            ctx,
            ctx._("Nice sticker! I understand only text, though. How can I help?"),
            main_menu(ctx.translator),
        )

    @router.message(ContentTypes({ContentType.DOCUMENT}))
    async def document(message: Message, ctx: BotContext, bot: Bot) -> None:
        await send_text(
            bot,
            ctx,
            ctx._(
                "I do not open files sent here, for your safety. Please write your question as text; "
                "if a document is needed, a person will tell you where to send it."
            ),
        )

    @router.message(ContentTypes({ContentType.CONTACT, ContentType.LOCATION, ContentType.VENUE}))
    async def contact_or_place(message: Message, ctx: BotContext, bot: Bot) -> None:
        await send_text(
            bot, ctx, ctx._("I do not need contacts or locations. Please write your question as text.")
        )

    @router.message(HasText(has=False))
    async def anything_else(message: Message, ctx: BotContext, bot: Bot) -> None:
        await send_text(bot, ctx, ctx._("I understand only text messages. Please write your question."))

    return router
