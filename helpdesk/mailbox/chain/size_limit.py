"""A mail over ``HELPDESK_MAIL_MAX_BYTES``: only its headers were read. The writer is told so in their
language, and a person reads the mail (quarantine folder and queue) — unless the writer is over the
cap, when it is only filed: a flood of large mail must not flood the queue either.
"""

from __future__ import annotations

from helpdesk.i18n import normalize_language
from helpdesk.mailbox.chain.base import Decision, Incoming
from helpdesk.mailbox.render import translator

#: The outcome of a mail a person reads because we could not.
TOO_LARGE = "too-large"


class SizeLimit:
    name = "size-limit"
    description = "larger than HELPDESK_MAIL_MAX_BYTES: a notice, and a person reads it"

    async def act(self, incoming: Incoming) -> Decision | None:
        if incoming.mail.body_complete:
            return None
        if incoming.silenced_by is not None:
            return Decision(f"skipped:{incoming.silenced_by}", self.name)
        default = incoming.services.conversation.default_language
        language = normalize_language(incoming.who.language, default)
        limit_mb = max(1, incoming.config.inbound.mail_max_bytes // 1_000_000)
        text = translator(language)(
            "Your e-mail is larger than {limit} MB, so we could not read it. Please send the text "
            "without large attachments, or upload the files in the portal."
        ).format(limit=limit_mb)
        await incoming.send_reply(text, language)
        return Decision(TOO_LARGE, self.name, hold=True)


UNITS = (SizeLimit(),)
