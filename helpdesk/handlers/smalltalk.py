"""Messages with nothing for the helpdesk to do: thanks and goodbye, and small talk.

"Paldies, uz redzēšanos" gets a short reply and joins nothing: it is no answer an agent waits for,
and no question. Small talk in a chat (the weather, football, "are you a bot?", words no entry of
the knowledge base knows) gets what the helpdesk can help with and a one-tap "Ask a person": only
that tap puts it in the queue, so a chat about the weather never becomes an agent's work with a
promise to answer it within two days. A bare greeting gets the menu instead (``reading.answer``). By
e-mail there is no tap to offer: such a mail goes to a person, as any mail the helpdesk cannot
answer.
"""

from __future__ import annotations

from helpdesk.core.types import Action, Button, Reply
from helpdesk.handlers.context import Context


def closing(ctx: Context) -> Reply:
    """ "Thanks, bye": a short answer; no queue item, no open item joined, any wait ended."""
    return ctx.reply(ctx._("You are welcome! Write any time if you have a question."), intent="closing")


def out_of_scope(ctx: Context) -> Reply:
    """What the helpdesk can help with, and "Ask a person", which passes this message on."""
    ctx.pass_on = True
    _ = ctx._
    text = _(
        "I am the Klientiem.lv helpdesk, so I can only help with the portal: invoices, news e-mails, "
        "your data and questions about the portal. If you want, I will pass your message to a person."
    )
    buttons = ((Button(_("Ask a person"), Action.HUMAN), Button(_("Menu"), Action.MENU)),)
    return ctx.reply(text, intent="smalltalk", buttons=buttons)
