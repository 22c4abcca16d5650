"""The shared handlers answer: the mail becomes an ``Inquiry`` for ``dispatch.handle``, in the
writer's language (detected from the mail, else the resident's). They run for a writer over the cap
too: the conversation is kept, and a withdrawal or a question still takes effect."""

from __future__ import annotations

from helpdesk.core.types import Action, Channel, Inquiry
from helpdesk.handlers import dispatch
from helpdesk.i18n import normalize_language
from helpdesk.mailbox.chain.base import Decision, Incoming
from helpdesk.mailbox.consent_words import asks_to_unsubscribe


def _inquiry(incoming: Incoming, language: str) -> Inquiry:
    mail, who = incoming.mail, incoming.who
    text = mail.text if mail.text.strip() else mail.thread_subject
    # "atrakstīties" / "unsubscribe" / "отписаться" alone withdraws at once, as a button would.
    action = Action.CONSENT_WITHDRAW if asks_to_unsubscribe(mail.text, mail.thread_subject) else None
    return Inquiry(
        channel=Channel.EMAIL,
        sender=incoming.sender,
        text=text,
        language=language,
        resident_id=who.resident_id,
        action=action,
        attachments=mail.attachments,
        message_id=mail.message_id,
        reply_to=incoming.sender,
        thread_key=(mail.references[0] if mail.references else mail.message_id),
        identity_unverified_reason=who.unverified_reason,
        received_at=incoming.services.clock(),
    )


class Dispatch:
    name = "dispatch"
    description = "the shared handlers answer the mail as an inquiry on the e-mail channel"

    async def act(self, incoming: Incoming) -> Decision | None:
        services, mail = incoming.services, incoming.mail
        default = normalize_language(incoming.who.language, services.conversation.default_language)
        detected = services.matcher.detect_language(mail.text or mail.subject, default)
        language = normalize_language(detected, default)
        incoming.reply = await dispatch.handle(_inquiry(incoming, language), services)
        return None


UNITS = (Dispatch(),)
