"""Deadline reminders: a daily e-mail digest to ``HELPDESK_AGENTS_EMAIL`` of what is overdue or due
within a week (the console's badge counts the same items: ``stats.deadline_counts``).

GDPR Art. 12(3) gives one month to answer an access or correction request; a missed deadline is a
breach in itself, so agents are told in two places. The digest carries request numbers, kinds and
dates only, never a resident's name, address or message: it leaves the helpdesk by e-mail. It goes
out at most once a day (the outbox's ``dedupe_key`` holds the date), whatever the schedule or the
number of restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from helpdesk.core.deadlines import DUE_SOON
from helpdesk.core.ports import OutboundMessage
from helpdesk.core.types import Channel
from helpdesk.i18n import gettext_for
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.requests import RequestStatus, SupportRequest
from helpdesk.storage.repositories import requests, stats

log = logging.getLogger(__name__)

DOMAIN = "jobs"


def digest_key(now: datetime) -> str:
    return f"deadline-digest:{now.date().isoformat()}"


def N_(message: str) -> str:  # gettext's conventional name: marks a text for extraction
    return message


_KIND_LABELS = {
    "access": N_("access request"),
    "correction": N_("correction request"),
    "question": N_("question"),
    "mail": N_("e-mail"),
}


def _digest_line(_: Callable[[str], str], item: SupportRequest) -> str:
    """One item; a parked one says since when it waits, and one the resident has answered says so,
    because those are the items an agent must pick up again (the deadline runs while they wait)."""
    values = {
        "id": item.id,
        "kind": _(_KIND_LABELS.get(item.kind, item.kind)),
        "date": item.deadline_at.date().isoformat(),
    }
    if item.status == RequestStatus.WAITING and item.waiting_since is not None:
        return _("#{id} {kind}, deadline {date}, waiting for the resident since {since}").format(
            **values, since=item.waiting_since.date().isoformat()
        )
    if item.resident_replied_at is not None:
        return _("#{id} {kind}, deadline {date}, the resident has answered").format(**values)
    return _("#{id} {kind}, deadline {date}").format(**values)


def compose_digest(
    items: list[SupportRequest], *, now: datetime, language: str, console_url: str | None
) -> tuple[str, str]:
    """``(subject, body)`` of the digest in ``language``."""
    _ = gettext_for(DOMAIN, language).gettext
    overdue = [item for item in items if item.deadline_at < now]
    soon = [item for item in items if item.deadline_at >= now]
    subject = _("Deadlines: {overdue} overdue, {soon} due within 7 days").format(
        overdue=len(overdue), soon=len(soon)
    )
    lines: list[str] = []
    for heading, group in ((_("Overdue:"), overdue), (_("Due within 7 days:"), soon)):
        if not group:
            continue
        lines.append(heading)
        lines.extend("- " + _digest_line(_, item) for item in group)
        lines.append("")
    if console_url:
        lines.append(_("Open the queue: {url}").format(url=console_url))
    return subject, "\n".join(lines).strip() + "\n"


async def send_deadline_digest(services: Services, agents_email: str | None, console_url: str | None) -> bool:
    """Queue today's digest to ``agents_email`` (``HELPDESK_AGENTS_EMAIL``) if there is anything to say
    and it was not queued today yet. ``console_url`` (``HELPDESK_CONSOLE_PUBLIC_URL``, the console's
    group) is the link to the queue at its end."""
    now = services.clock()
    language = services.conversation.default_language
    if not agents_email:
        return False
    async with services.sessions() as session, write_transaction(session):
        items = list(await requests.due_before(session, moment=now + DUE_SOON))
        if not items:
            return False
        key = digest_key(now)
        if await stats.outbox_with_key(session, key):
            return False
        subject, body = compose_digest(items, now=now, language=language, console_url=console_url)
        # By e-mail through the outbox port: the mailbox's composer gives the digest the same
        # greeting, signature and headers as every other mail.
        await services.outbox.queue(
            session,
            OutboundMessage(
                channel=Channel.EMAIL,
                recipient=agents_email,
                subject=subject,
                text=body,
                language=language,
                dedupe_key=key,
            ),
        )
    log.info("deadline digest queued: %d item(s)", len(items))
    return True
