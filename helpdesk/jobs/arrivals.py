"""Notices of new queue items: tell the agents that something arrived.

The daily deadline digest (:mod:`.reminders`) speaks of deadlines, not of arrivals, so a question
could wait half a day before anyone looked. Every ``HELPDESK_AGENTS_NOTICE_SECONDS`` this job
gathers the items that arrived since its last run into one notice per destination: an e-mail to
``HELPDESK_AGENTS_EMAIL`` and/or a message to the Telegram chat ``HELPDESK_AGENTS_TELEGRAM_CHAT``
(a burst of fifty escalations is one message; Telegram allows a group 20 a minute).

A notice says each item's number, kind, channel and deadline, with a link to it in the console,
and never the resident's words, name or address: it leaves the helpdesk by e-mail or Telegram. It
goes through core's outbox port in the transaction that marks the items announced, so an item is
announced once, only after the transaction that made it committed, and a Telegram or SMTP outage
delays the notice without losing it. With no destination set, items are marked and nothing is
sent, so setting one later does not announce the past. The agents' words come from the console's
catalog in ``HELPDESK_AGENTS_LANGUAGE``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from helpdesk.casework.texts import labeller
from helpdesk.core.ports import OutboundMessage
from helpdesk.core.types import Channel
from helpdesk.i18n import dates, gettext_for
from helpdesk.services import Services
from helpdesk.settings import JobsSettings
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.requests import RequestStatus, SupportRequest
from helpdesk.storage.repositories import announcements

log = logging.getLogger(__name__)

DOMAIN = "console"
BATCH = 500  # items marked per run; a longer backlog (the jobs were down) takes a few runs
LISTED = 20  # items named in one notice (a Telegram message holds 4096 characters); the rest counted


def destinations(settings: JobsSettings) -> list[tuple[str, str]]:
    """``(channel, recipient)`` for each configured destination of the agents' notices."""
    found: list[tuple[str, str]] = []
    if settings.agents_email:
        found.append((Channel.EMAIL, settings.agents_email))
    if settings.agents_telegram_chat is not None:
        found.append((Channel.TELEGRAM, str(settings.agents_telegram_chat)))
    return found


def compose(items: Sequence[SupportRequest], *, language: str, console_url: str | None) -> tuple[str, str]:
    """``(subject, body)``: how many arrived, then one line per item (kind, channel and deadline as
    the console says them) with its link; past :data:`LISTED` items, a count and the queue's link."""
    catalog = gettext_for(DOMAIN, language)
    label = labeller(catalog.gettext)
    base = console_url.rstrip("/") if console_url else None
    count = len(items)
    subject = catalog.ngettext("{count} new item in the queue", "{count} new items in the queue", count)
    subject = subject.format(count=count)
    lines = [subject + ":"]
    for item in items[:LISTED]:
        line = catalog.gettext("#{id} {kind}, {channel}, deadline {deadline}").format(
            id=item.id,
            kind=label("kind", item.kind),
            channel=label("channel", item.channel),
            deadline=dates.moment(item.deadline_at, language, clock_word=False),
        )
        lines.append(f"{line}: {base}/items/{item.id}" if base else line)
    rest = count - LISTED
    if rest > 0:
        lines.append(
            catalog.ngettext("and {count} more item", "and {count} more items", rest).format(count=rest)
        )
    if base:
        lines.append(catalog.gettext("Open the queue: {url}").format(url=f"{base}/queue"))
    return subject, "\n".join(lines) + "\n"


def _pick(items: Sequence[SupportRequest]) -> list[SupportRequest]:
    """The items worth a notice: an item already closed (an agent was quicker) is only marked."""
    return [item for item in items if item.status != RequestStatus.CLOSED]


async def announce_arrivals(services: Services, settings: JobsSettings, console_url: str | None) -> int:
    """Queue one notice per destination for the items not announced yet and mark them announced,
    in one transaction; returns how many items the notices name (0 when nobody is configured).
    ``console_url`` (the console's public URL) gives each item its link."""
    now = services.clock()
    targets = destinations(settings)
    async with services.sessions() as session, write_transaction(session):
        items = await announcements.not_announced(session, limit=BATCH)
        if not items:
            return 0
        listed = _pick(items) if targets else []
        if listed:
            subject, body = compose(listed, language=settings.agents_language, console_url=console_url)
            key = f"new-items:{listed[0].id}-{listed[-1].id}:{len(listed)}"
            for channel, recipient in targets:
                await services.outbox.queue(
                    session,
                    OutboundMessage(
                        channel=channel,
                        recipient=recipient,
                        subject=subject,
                        text=body,
                        language=settings.agents_language,
                        dedupe_key=f"{key}:{channel}",
                    ),
                )
        await announcements.mark_announced(session, [item.id for item in items], now=now)
    if listed:
        log.info("new-item notice queued: %d item(s), %d destination(s)", len(listed), len(targets))
    return len(listed)
