"""The handlers' reply (with the notes other units added under it) is queued in the mail's thread;
the buttons it offers become words the writer can reply with."""

from __future__ import annotations

from helpdesk.core.types import Action, Reply, ReplyKind
from helpdesk.mailbox.chain.base import Decision, Incoming

_OPTIONS = 12  # a list of words to reply with, not a menu to scroll


def _options(reply: Reply) -> list[str]:
    if reply.kind is not ReplyKind.QUESTION:
        return []
    return [button.label for row in reply.buttons for button in row][:_OPTIONS]


class Answer:
    name = "answer"
    description = "the handlers' reply is queued to the writer, unless a unit ruled the answer out"

    async def act(self, incoming: Incoming) -> Decision | None:
        reply = incoming.reply
        if reply is None:
            raise LookupError("the answer unit runs after the dispatch unit")
        if incoming.silenced_by is not None:
            return Decision(f"skipped:{incoming.silenced_by}", incoming.silenced_by)
        await incoming.send_reply(
            "\n\n".join([reply.text, *incoming.notes]),
            reply.language,
            request_id=reply.request_id,
            news_related=reply.intent == Action.CONSENT_GIVE_CONFIRM,
            resident_id=incoming.who.resident_id,
            options=_options(reply),
        )
        return Decision("answered", self.name)


UNITS = (Answer(),)
