"""The handlers' reply (with the notes other units added under it) is queued in the mail's thread;
the buttons it offers become words the writer can reply with, and a reply that asks for it gets
the resident's one-click unsubscribe link (a withdrawal the handlers would not take on an
unverified From: goes to the address on record, whose owner withdraws with one click)."""

from __future__ import annotations

from helpdesk.core.types import Action, Reply, ReplyKind
from helpdesk.handlers.consent import UNSUBSCRIBE_LINK
from helpdesk.mailbox.chain.base import Decision, Incoming
from helpdesk.mailbox.compose import unsubscribe_url
from helpdesk.mailbox.render import translator

_OPTIONS = 12  # a list of words to reply with, not a menu to scroll


def _options(reply: Reply) -> list[str]:
    if reply.kind is not ReplyKind.QUESTION:
        return []
    return [button.label for row in reply.buttons for button in row][:_OPTIONS]


def _unsubscribe_note(incoming: Incoming, reply: Reply) -> str | None:
    resident_id = incoming.who.resident_id
    if not reply.extra.get(UNSUBSCRIBE_LINK) or resident_id is None:
        return None
    translate = translator(reply.language)
    link = unsubscribe_url(incoming.services, incoming.config.console_public_url, resident_id)
    if link is None:
        return translate(
            "To stop our news e-mails, use the unsubscribe link at the end of any of our news e-mails."
        )
    return translate("To stop our news e-mails, open this link: {link}").format(link=link)


class Answer:
    name = "answer"
    description = "the handlers' reply is queued to the writer, unless a unit ruled the answer out"

    async def act(self, incoming: Incoming) -> Decision | None:
        reply = incoming.reply
        if reply is None:
            raise LookupError("the answer unit runs after the dispatch unit")
        if incoming.silenced_by is not None:
            return Decision(f"skipped:{incoming.silenced_by}", incoming.silenced_by)
        note = _unsubscribe_note(incoming, reply)
        await incoming.send_reply(
            "\n\n".join([reply.text, *incoming.notes, *([note] if note else [])]),
            reply.language,
            request_id=reply.request_id,
            news_related=reply.intent == Action.CONSENT_GIVE_CONFIRM,
            resident_id=incoming.who.resident_id,
            options=_options(reply),
        )
        return Decision("answered", self.name)


UNITS = (Answer(),)
