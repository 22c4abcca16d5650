"""An agent's words go back to the resident through the channel the resident used.

Telegram: the outbox via :func:`helpdesk.bot.outgoing.enqueue_telegram_message`. E-mail: the
mailbox area's :func:`enqueue_email_reply` (threaded under the resident's message). Nothing is
sent from a request handler: an outage of Telegram or SMTP delays the answer and never loses it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.bot.outgoing import enqueue_telegram_message
from helpdesk.core.types import Document
from helpdesk.mailbox.outgoing import enqueue_email_reply
from helpdesk.storage.models.requests import SupportRequest


class NoChannel(ValueError):
    """The item came from a channel that cannot carry an answer (terminal chat, console)."""


async def send_email(
    session: AsyncSession,
    *,
    to: str,
    subject: str,
    body_text: str,
    language: str,
    in_reply_to: str | None,
    request_id: int,
    resident_id: str | None,
    dedupe_key: str,
    documents: Sequence[Document] = (),
) -> None:
    await enqueue_email_reply(
        session,
        to=to,
        subject=subject,
        body_text=body_text,
        language=language,
        in_reply_to=in_reply_to,
        attachments=list(documents),
        dedupe_key=dedupe_key,
        request_id=request_id,
        resident_id=resident_id,
    )


def _reply_to_ref(item: SupportRequest) -> str | None:
    ref = item.external_ref or ""
    return ref if ref.startswith("<") and ref.endswith(">") else None


async def answer(
    session: AsyncSession, item: SupportRequest, *, subject: str, text: str, dedupe_key: str
) -> str:
    """Queue ``text`` to where the item came from; returns the channel used."""
    if item.channel == "telegram":
        await enqueue_telegram_message(
            session, chat_id=item.contact, text=text, request_id=item.id, dedupe_key=dedupe_key
        )
        return "telegram"
    if item.channel == "email":
        await send_email(
            session,
            to=item.contact,
            subject=subject,
            body_text=text,
            language=item.language,
            in_reply_to=_reply_to_ref(item),
            request_id=item.id,
            resident_id=item.resident_id,
            dedupe_key=dedupe_key,
        )
        return "email"
    raise NoChannel(item.channel)
