"""Who wrote this mail: a resident only when the address is on exactly one resident's record and
our own MTA did not report a failed DMARC/SPF/DKIM check for it.

``From:`` alone is trivially forged, so the trusted Authentication-Results header (RFC 8601) from
``HELPDESK_TRUSTED_AUTHSERV_ID`` decides; headers from any other authserv-id are ignored, since
anyone can write them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.mailbox.parsing import ParsedMail
from helpdesk.settings import Settings
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import residents

_METHOD_RESULT = re.compile(r"\b(dmarc|spf|dkim)\s*=\s*([a-z]+)", re.IGNORECASE)
_FAILING = {"fail", "softfail", "permerror"}


@dataclass(frozen=True, slots=True)
class Identity:
    resident_id: str | None
    unverified_reason: str | None
    language: str | None = None
    invoice_email: str | None = None


def authentication_failure(mail: ParsedMail, settings: Settings) -> str | None:
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


async def identify(
    session: AsyncSession,
    mail: ParsedMail,
    settings: Settings,
    known: Mapping[str, Sequence[Resident]] | None = None,
) -> Identity:
    """``known`` is :func:`residents.by_emails` read once for a whole batch (every sender of it)."""
    if mail.sender is None:
        return Identity(None, "sender address unusable")
    failure = authentication_failure(mail, settings)
    if known is not None:
        matches = known.get(mail.sender, ())
    else:
        matches = await residents.by_email(session, mail.sender)
    if not matches:
        return Identity(None, "address not on any resident's record")
    if len(matches) > 1:
        return Identity(None, "address on several residents' records")
    if failure is not None:
        return Identity(None, f"authentication failed: {failure}", language=matches[0].language)
    resident = matches[0]
    return Identity(resident.id, None, language=resident.language, invoice_email=resident.invoice_email)
