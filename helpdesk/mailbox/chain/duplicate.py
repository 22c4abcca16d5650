"""The same mail again: its Message-ID (or, without one, its exact bytes) was recorded before, under
any UID (a new UIDVALIDITY, a copy moved back into the inbox, a resend by the writer's server)."""

from __future__ import annotations

from helpdesk.mailbox.chain.base import Decision, Incoming


class Duplicate:
    name = "duplicate"
    description = "a Message-ID (or exact bytes) recorded before: filed without a second answer"

    async def act(self, incoming: Incoming) -> Decision | None:
        if incoming.mail.message_id_hash in incoming.batch.seen:
            return Decision("skipped:duplicate", self.name)
        return None


UNITS = (Duplicate(),)
