"""Render a :class:`Reply` into Telegram messages: text (split at 4,096 characters), an inline
keyboard built from ``Reply.buttons``, then the documents. A reply with a single document and a
text that fits a caption (an invoice) is sent as that document, captioned, with the keyboard.

Personal documents go only to a private chat, for a reply the handlers made for an identified
resident (defence in depth: the handlers already decide this). A menu opened from a menu replaces
it (:attr:`Reply.navigation`). When Telegram still fails after the retry middleware, what was not
sent goes to the outbox, so nothing is lost.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup, MaybeInaccessibleMessageUnion, Message

from helpdesk.bot.context import BotContext
from helpdesk.bot.documents import CAPTION_LIMIT, send_document
from helpdesk.bot.keyboards import keyboard_for
from helpdesk.bot.outgoing import TELEGRAM_TEXT_LIMIT, enqueue_telegram_message
from helpdesk.core.types import Document, Reply
from helpdesk.storage.engine import write_transaction

log = logging.getLogger(__name__)


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split at paragraph or line breaks where possible, never inside the limit."""
    chunks: list[str] = []
    rest = text.strip() or "…"
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks.append(rest)
    return chunks


def may_send(ctx: BotContext, reply: Reply, document: Document) -> bool:
    if not document.personal:
        return True
    return ctx.private and reply.resident_id is not None


async def send_reply(
    bot: Bot, ctx: BotContext, reply: Reply, in_place_of: MaybeInaccessibleMessageUnion | None = None
) -> None:
    """Send ``reply``; a menu (``reply.navigation``) replaces ``in_place_of`` when it can."""
    markup = keyboard_for(reply)
    if in_place_of is not None and reply.navigation and not reply.documents:
        await show_in_place(bot, ctx, in_place_of, reply.text, markup)
        return
    documents = [d for d in reply.documents if may_send(ctx, reply, d)]
    if len(documents) != len(reply.documents):
        log.warning(
            "withheld %d personal document(s) for chat %s", len(reply.documents) - len(documents), ctx.chat_id
        )
    chunks = split_text(reply.text)
    # One invoice with a short reply: the PDF, its explanation and the buttons are one message (one
    # thing for the resident to read, one Bot API call instead of two).
    as_caption = (
        len(documents) == len(reply.documents) == 1
        and bool(reply.text.strip())
        and len(chunks) == 1
        and len(chunks[0]) <= CAPTION_LIMIT
    )
    sent_chunks = 0
    try:
        if as_caption:
            await send_document(
                bot, ctx.services, ctx.chat_id, documents[0], caption=chunks[0], reply_markup=markup
            )
            return
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            await bot.send_message(ctx.chat_id, chunk, reply_markup=markup if last else None)
            sent_chunks += 1
        while documents:
            await send_document(bot, ctx.services, ctx.chat_id, documents[0])
            documents.pop(0)
    except TelegramAPIError as exc:
        log.warning("reply to chat %s failed (%s); queued in the outbox", ctx.chat_id, type(exc).__name__)
        await _queue_rest(ctx, reply, "\n".join(chunks[sent_chunks:]), documents)


async def _queue_rest(ctx: BotContext, reply: Reply, text: str, documents: list[Document]) -> None:
    async with ctx.services.sessions() as session, write_transaction(session):
        await enqueue_telegram_message(
            session, chat_id=ctx.chat_id, text=text, documents=documents, request_id=reply.request_id
        )


async def send_text(bot: Bot, ctx: BotContext, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """One message (a refusal the handlers made without the database, a menu that could not be
    shown in place); queued in the outbox if Telegram fails."""
    try:
        await bot.send_message(ctx.chat_id, text, reply_markup=markup)
    except TelegramAPIError as exc:
        log.warning("message to chat %s failed (%s); queued in the outbox", ctx.chat_id, type(exc).__name__)
        async with ctx.services.sessions() as session, write_transaction(session):
            await enqueue_telegram_message(session, chat_id=ctx.chat_id, text=text)


async def show_in_place(
    bot: Bot,
    ctx: BotContext,
    message: MaybeInaccessibleMessageUnion,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Menu navigation edits the message whose button was pressed, so the chat does not fill up
    with menus; a message that cannot be edited (too old, a document) gets a new one instead."""
    if isinstance(message, Message) and len(text) <= TELEGRAM_TEXT_LIMIT:
        try:
            await bot.edit_message_text(
                text, chat_id=ctx.chat_id, message_id=message.message_id, reply_markup=markup
            )
            return
        except TelegramBadRequest:
            pass
    await send_text(bot, ctx, text, markup)
