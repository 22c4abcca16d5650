"""Replies several handlers share: the "you are not identified" refusal and the main menu buttons."""

from __future__ import annotations

from helpdesk.core.types import Action, Button, Channel, Reply, ReplyKind
from helpdesk.handlers.context import Context


def not_identified(ctx: Context, intent: str) -> Reply:
    """Personal data goes only to an identified resident; say how to become one on this channel."""
    _ = ctx._
    if ctx.channel is Channel.TELEGRAM:
        how = _(
            "To see your invoices and settings here, first link this chat to your account: log in to "
            "Klientiem.lv or MansDzib.lv and press “Connect Telegram”. The portal opens this chat with "
            "a one-time link."
        )
    elif ctx.channel is Channel.EMAIL:
        how = _(
            "For your safety, we answer this only to the e-mail address registered on your account. "
            "Please write to us from that address, or log in to Klientiem.lv or MansDzib.lv."
        )
    else:
        # The first line already says we do not know who this is: say only what to do.
        how = _("Please log in to Klientiem.lv or MansDzib.lv and use the helpdesk from there.")
    text = _("I cannot do this yet because I do not know who you are.") + "\n" + how
    return ctx.reply(text, ReplyKind.REFUSAL, intent=intent, buttons=menu_buttons(ctx))


def menu_buttons(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    """The one main menu, on every channel (two taps to an invoice: this menu, then the invoice)."""
    _ = ctx._
    return (
        (Button(_("🧾 Latest invoice"), Action.INVOICE), Button(_("📰 News e-mails"), Action.CONSENT_STATUS)),
        (Button(_("❓ Ask a question"), Action.ASK), Button(_("👤 My data"), Action.REQUEST_CONFIRM)),
        (Button(_("🙋 Talk to a person"), Action.HUMAN), Button(_("🌐 Language"), Action.LANGUAGE)),
    )


def action_title(ctx: Context, action: Action) -> str:
    """Button labels for action intents offered in a "which one did you mean" question."""
    _ = ctx._
    titles = {
        Action.INVOICE: _("Latest invoice"),
        Action.INVOICE_LIST: _("All invoices"),
        Action.CONSENT_STATUS: _("News subscription"),
        Action.CONSENT_WITHDRAW: _("Stop news e-mails"),
        Action.CONSENT_GIVE: _("Subscribe to news"),
        Action.ACCESS_REQUEST: _("Request a copy of my data"),
        Action.CORRECTION_REQUEST: _("Correct my data"),
        Action.HUMAN: _("Ask a person"),
        Action.MENU: _("Menu"),
        Action.HELP: _("Help"),
        Action.UNLINK: _("Unlink Telegram"),
    }
    return titles.get(action, _("Menu"))
