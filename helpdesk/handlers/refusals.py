"""Polite answers to what cannot be used: over-long text, pictures, stickers, voice, files, edits,
group chats, a button that is no longer offered, and our own failure.

Every resident-facing text lives in the one ``helpdesk`` catalog, so these are the handlers' too.
The functions that take a language instead of a context need no database: a group chat is answered
without storing anything from it, and an apology must work when the database does not.
"""

from __future__ import annotations

from helpdesk.core.conversation import STALE_CHOICE
from helpdesk.core.types import Action, Reply, ReplyKind, Unreadable
from helpdesk.handlers.common import menu_buttons
from helpdesk.handlers.context import Context
from helpdesk.i18n import gettext_for


async def too_long(ctx: Context) -> Reply:
    limit = ctx.settings.max_text_length
    return ctx.reply(
        ctx.ngettext(
            "Your message is too long for me. Please shorten it to {limit} character.",
            "Your message is too long for me. Please shorten it to {limit} characters.",
            limit,
        ).format(limit=limit),
        ReplyKind.REFUSAL,
        intent="too_long",
    )


async def attachments_only(ctx: Context) -> Reply:
    return ctx.reply(
        ctx._("I can only read text messages. Please describe your question in words."),
        intent="attachments",
        buttons=menu_buttons(ctx),
    )


async def unreadable(ctx: Context) -> Reply:
    """What arrived instead of text (``args["kind"]``, an :class:`Unreadable`) gets its own answer.
    It is not the answer a reply may be waiting for, so that wait goes on."""
    _ = ctx._
    try:
        kind = Unreadable(ctx.inquiry.args.get("kind", ""))
    except ValueError:
        kind = Unreadable.OTHER
    texts = {
        Unreadable.PICTURE: _(
            "Thank you, but I cannot look at pictures or videos. Please describe your question in words."
        ),
        Unreadable.VOICE: _(
            "I cannot listen to voice or audio messages. Please write your question as text."
        ),
        Unreadable.STICKER: _("Nice sticker! I understand only text, though. How can I help?"),
        Unreadable.FILE: _(
            "I do not open files sent here, for your safety. Please write your question as text; "
            "if a document is needed, a person will tell you where to send it."
        ),
        Unreadable.PLACE: _("I do not need contacts or locations. Please write your question as text."),
        Unreadable.EDIT: _(
            "I cannot see changes to messages already sent. Please send the corrected text as a new message."
        ),
        Unreadable.OTHER: _("I understand only text messages. Please write your question."),
    }
    return ctx.reply(
        texts[kind],
        ReplyKind.REFUSAL,
        intent=f"unreadable:{kind}",
        buttons=menu_buttons(ctx) if kind is Unreadable.STICKER else (),
        awaiting=ctx.state.awaiting,
        request_id=ctx.state.request_id,
    )


async def unknown_command(ctx: Context) -> Reply:
    return ctx.reply(
        ctx._("I do not know this command. Here is what I can do:"),
        ReplyKind.REFUSAL,
        intent=Action.UNKNOWN_COMMAND,
        buttons=menu_buttons(ctx),
    )


async def stale_choice(ctx: Context) -> Reply:
    """A button from a keyboard whose choices are no longer offered, or a number no button has."""
    return ctx.reply(stale_text(ctx.language), ReplyKind.REFUSAL, intent=STALE_CHOICE)


def stale_text(language: str) -> str:
    """Also for button data no version of the bot could have made (a forged or ancient button)."""
    return gettext_for("helpdesk", language).gettext(
        "This button is no longer valid. Please open the menu again: /menu"
    )


def group_chat(language: str) -> Reply:
    """Personal data must never be shown where others read, and a link token posted in a group must
    not link whoever taps first: groups get this, and nothing from them is stored."""
    text = gettext_for("helpdesk", language).gettext(
        "I only talk in private chats, so that your personal data stays private. Please write to me directly."
    )
    return Reply(text, ReplyKind.REFUSAL, intent="group", language=language)


def group_button(language: str) -> str:
    return gettext_for("helpdesk", language).gettext("Please write to me in a private chat.")


def apology(language: str, request_id: int | None, resident_id: str | None = None) -> Reply:
    """Our fault: said honestly, with whether the message was kept (``request_id``) or must be sent
    again. Built without the database, which may be what failed."""
    _ = gettext_for("helpdesk", language).gettext
    if request_id is None:
        text = _(
            "Sorry, something went wrong on our side and your message could not be saved. "
            "Please send it again in a few minutes."
        )
    else:
        text = _(
            "Sorry, something went wrong on our side. Your message is saved and a person will look at it."
        )
    return Reply(
        text=text,
        kind=ReplyKind.ERROR,
        intent="error",
        language=language,
        request_id=request_id,
        resident_id=resident_id,
    )
