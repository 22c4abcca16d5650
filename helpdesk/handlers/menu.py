"""Menu, the first words, help, "ask a question" and the choice of language."""

from __future__ import annotations

from helpdesk.core.types import Action, Button, Channel, Reply, ReplyKind
from helpdesk.handlers.commands import LISTED
from helpdesk.handlers.common import menu_buttons
from helpdesk.handlers.context import Context
from helpdesk.i18n import LANGUAGES
from helpdesk.storage.repositories import residents
from helpdesk.storage.repositories import telegram as telegram_repo

LANGUAGE_NAMES = {"lv": "Latviešu", "ru": "Русский", "en": "English"}  # each in its own language


async def menu(ctx: Context) -> Reply:
    return ctx.reply(
        ctx._("How can I help you?"), intent=Action.MENU, buttons=menu_buttons(ctx), navigation=True
    )


async def start(ctx: Context) -> Reply:
    """The first words: to a linked resident a greeting, to anyone else how linking works."""
    _ = ctx._
    if ctx.resident_id:
        text = _("Hello again! What can I do for you?")
    else:
        text = _(
            "Hello! I am the Klientiem.lv helpdesk bot. I can answer questions about the portal.\n\n"
            "To receive your invoices here, link your account: log in at Klientiem.lv or MansDzib.lv, "
            "open your profile and choose “Connect Telegram”. The portal gives you a link that opens "
            "this chat."
        )
    return ctx.reply(text, intent=Action.START, buttons=menu_buttons(ctx))


async def help_(ctx: Context) -> Reply:
    """What the helpdesk does, and the commands (the same table the channels read them with)."""
    _ = ctx._
    commands = "\n".join(f"/{c.name} – {_(c.description or '')}" for c in LISTED)
    text = "\n\n".join(
        (
            _(
                "I can send your invoices, manage news e-mails, answer questions about the portal and pass "
                "your message to a person."
            ),
            commands,
            _("You can also simply write your question."),
        )
    )
    return ctx.reply(text, intent=Action.HELP, buttons=menu_buttons(ctx))


async def ask(ctx: Context) -> Reply:
    """ "Ask a question": the question comes as the next message, read like any other text."""
    return ctx.reply(
        ctx._("Please write your question in one message. I will answer or pass it to a person."),
        intent=Action.ASK,
    )


async def language(ctx: Context) -> Reply:
    wanted = ctx.inquiry.args.get("lang", "").strip().lower()
    if wanted not in LANGUAGES:
        buttons = (
            tuple(Button(LANGUAGE_NAMES[code], Action.LANGUAGE, {"lang": code}) for code in LANGUAGES),
        )
        return ctx.reply(
            ctx._("Choose your language:"),
            ReplyKind.QUESTION,
            intent=Action.LANGUAGE,
            buttons=buttons,
            navigation=True,
        )
    ctx.language = wanted
    if ctx.channel is Channel.TELEGRAM and ctx.inquiry.sender.isdigit():
        # Kept for this Telegram user, linked or not (the conversation read picks it up next time).
        await telegram_repo.choose_language(ctx.session, int(ctx.inquiry.sender), wanted)
    if ctx.resident_id:
        resident = await residents.get(ctx.session, ctx.resident_id)
        if resident is not None:
            resident.language = wanted
    return ctx.reply(
        ctx._("I will answer in English from now on."),
        intent=Action.LANGUAGE,
        buttons=menu_buttons(ctx),
        extra={"language": wanted},
    )
