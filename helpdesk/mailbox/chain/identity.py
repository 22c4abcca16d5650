"""Who wrote this mail: :func:`helpdesk.handlers.identify.by_address` (the one rule for a sender
known by an address), with our MTA's verdict as the proof.

``From:`` alone is trivially forged, so the trusted Authentication-Results header (RFC 8601) from
``HELPDESK_TRUSTED_AUTHSERV_ID`` decides; headers from any other authserv-id are ignored, since
anyone can write them.
"""

from __future__ import annotations

import re

from helpdesk.handlers.identify import by_address
from helpdesk.mailbox.chain.base import Decision, Incoming
from helpdesk.mailbox.parsing import ParsedMail
from helpdesk.settings import MailboxSettings

_METHOD_RESULT = re.compile(r"\b(dmarc|spf|dkim)\s*=\s*([a-z]+)", re.IGNORECASE)
_FAILING = {"fail", "softfail", "permerror"}


def authentication_failure(mail: ParsedMail, settings: MailboxSettings) -> str | None:
    """Why our MTA's Authentication-Results disqualify the sender, or None when they do not."""
    trusted = (settings.trusted_authserv_id or "").strip().lower()
    if not trusted:
        return None
    ours = [
        value
        for value in mail.values("authentication-results")
        if value.split(";", 1)[0].strip().split()[:1] == [trusted]
    ]
    if not ours:
        return "no trusted authentication results"
    for value in ours:
        for method, result in _METHOD_RESULT.findall(value):
            if result.lower() in _FAILING:
                return f"{method.lower()}={result.lower()}"
    return None


class Identity:
    name = "identity"
    description = "the resident whose record holds the sender's address, if our MTA did not see it forged"

    async def act(self, incoming: Incoming) -> Decision | None:
        on_record = incoming.batch.residents.get(incoming.sender, ())
        incoming.who = by_address(on_record, authentication_failure(incoming.mail, incoming.config.inbound))
        return None


UNITS = (Identity(),)
