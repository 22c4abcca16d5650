"""A person reads the mail: a ``mail`` queue item (created by
:func:`helpdesk.handlers.escalate.keep_unprocessed`, like every queue item) that says where the mail
is, and the quarantine folder (the poller moves it). The writer is told a person will answer unless
they were answered already, cannot be answered safely, or are over the cap.

It takes over a decision to hold the mail (``no-sender``, ``size-limit``) and a mail that made a
unit fail (rolled back alone, then held here in the same transaction).
"""

from __future__ import annotations

from helpdesk.handlers.escalate import keep_unprocessed
from helpdesk.mailbox.chain import loop_rules, rate_limit
from helpdesk.mailbox.chain.base import Decision, Incoming
from helpdesk.mailbox.outgoing import CHANNEL
from helpdesk.mailbox.render import translator

#: How the audit log names the mailbox when it acts on its own.
ACTOR = "mailbox"


class Quarantine:
    name = "quarantine"
    description = "a person reads the mail: a queue item, the quarantine folder, a notice to the writer"

    async def act(self, incoming: Incoming) -> Decision | None:
        if incoming.decision is None:
            raise LookupError("the quarantine unit takes over a decision to hold the mail")
        reason = incoming.decision.decided_by
        position = incoming.position
        folder = incoming.config.inbound.imap_quarantine_folder
        await keep_unprocessed(
            incoming.session,
            incoming.services.conversation,
            channel=CHANNEL,
            contact=incoming.mail.sender,
            reason=reason,
            summary=f"An e-mail could not be handled automatically ({reason}); it is in the {folder} folder.",
            how="e-mail, not processed",
            details={
                "mailbox": position.mailbox,
                "uidvalidity": position.uidvalidity,
                "uid": position.uid,
                "folder": folder,
            },
            actor=ACTOR,
            now=incoming.services.clock(),
        )
        if await self._may_tell(incoming):
            language = incoming.services.conversation.default_language
            await incoming.send_reply(
                translator(language)(
                    "We received your e-mail but could not process it automatically. A person will "
                    "look at it and answer you."
                ),
                language,
            )
        return None  # the decision that held the mail stands

    @staticmethod
    async def _may_tell(incoming: Incoming) -> bool:
        """A plain sender that passes the loop rules, under the cap, and not answered yet."""
        mail = incoming.mail
        if incoming.answered or mail.sender is None or loop_rules.any_hit(mail, incoming.config):
            return False
        return not await rate_limit.reached(incoming)


UNITS = (Quarantine(),)
