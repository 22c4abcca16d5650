"""Menu, help and the choice of language."""

from __future__ import annotations

from helpdesk.core.types import Action, Button, Reply, ReplyKind
from helpdesk.handlers.common import menu_buttons
from helpdesk.handlers.context import Context
from helpdesk.i18n import LANGUAGES
from helpdesk.storage.repositories import residents

LANGUAGE_NAMES = {"lv": "Latviešu", "ru": "Русский", "en": "English"}


async def menu(ctx: Context) -> Reply:
    return ctx.reply(ctx._("How can I help you?"), intent=Action.MENU, buttons=menu_buttons(ctx))


async def help_(ctx: Context) -> Reply:
    _ = ctx._
    text = "\n".join(
        (
            _("I am the Klientiem.lv and MansDzib.lv helpdesk. I can:"),
            _("• send your invoices (latest or for a chosen month);"),
            _("• show, give or withdraw your consent to news e-mails;"),
            _("• answer questions about the portal;"),
            _("• register a request for a copy or correction of your data;"),
            _("• pass your question to a person."),
            _("Just write your question in your own words."),
        )
    )
    return ctx.reply(text, intent=Action.HELP, buttons=menu_buttons(ctx))


async def language(ctx: Context) -> Reply:
    wanted = ctx.inquiry.args.get("lang", "").strip().lower()
    if wanted not in LANGUAGES:
        buttons = (
            tuple(Button(LANGUAGE_NAMES[code], Action.LANGUAGE, {"lang": code}) for code in LANGUAGES),
        )
        return ctx.reply(
            ctx._("Choose your language:"), ReplyKind.QUESTION, intent=Action.LANGUAGE, buttons=buttons
        )
    ctx.language = wanted
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
