"""An agent's words go back to the resident through the channel the resident used.

The message goes to core's outbox port (``services.outbox``), which :mod:`helpdesk.app` connects
to the Telegram and e-mail outboxes; an e-mail answer is threaded under the resident's message.
Nothing is sent from an action: an outage of Telegram or SMTP delays the answer and never loses it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.ports import NoChannel, OutboundMessage, Outbox
from helpdesk.storage.models.requests import SupportRequest

NONE = "none"  # what :func:`answer` returns for an item whose channel cannot carry an answer


async def answer(
    session: AsyncSession,
    outbox: Outbox,
    item: SupportRequest,
    *,
    subject: str,
    text: str,
    dedupe_key: str,
    language: str | None = None,
) -> str:
    """Queue ``text`` to where the item came from (in ``language``, the item's by default); returns
    the channel used, or :data:`NONE` for an item from the terminal chat or the console."""
    message = OutboundMessage(
        channel=item.channel,
        recipient=item.contact,
        text=text,
        language=language or item.language,
        subject=subject,
        thread=item.external_ref,
        request_id=item.id,
        resident_id=item.resident_id,
        dedupe_key=dedupe_key,
    )
    try:
        await outbox.queue(session, message)
    except NoChannel:
        return NONE
    return item.channel
