"""Queue an e-mail in the outbox: replies to residents, agents' answers, invoice mails.

Nothing is sent here: :mod:`helpdesk.mailbox.smtp_sender` sends what is due, so an SMTP outage
delays a mail and never loses it. The body is rendered now (text + HTML, signed as support), the
headers that need the settings (Message-ID, From, List-Unsubscribe) are added at send time from the
row, so a retried send is byte-for-byte the same message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.ports import OutboundMessage
from helpdesk.core.types import Document
from helpdesk.i18n import normalize_language
from helpdesk.mailbox.addresses import normalize_address
from helpdesk.mailbox.render import render_body
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.repositories import outbox, residents

CHANNEL = "email"
SENDER_LOCK = "mailbox"  # the leadership the mailbox component holds while it polls and sends
_SUBJECT_LIMIT = 250
_REFERENCES_LIMIT = 20  # keep the References chain short (RFC 5322 allows trimming the middle)


class PersonalDataRefused(PermissionError):
    """A personal document was about to go to an address that is not the resident's invoice address."""


def _one_line(value: str, limit: int) -> str:
    """Header values: no CR/LF (header injection), no control characters, bounded length."""
    cleaned = "".join(char if char.isprintable() else " " for char in value)
    return " ".join(cleaned.split())[:limit]


_DOCUMENT_FIELDS = ("filename", "caption", "sha256", "content_type", "invoice_id", "personal")


def document_attachment(document: Document | Mapping[str, Any]) -> dict[str, Any]:
    """The JSON form an outbox row keeps of a file to attach (the file is read at send time)."""
    if isinstance(document, Document):
        return {"path": str(document.path)} | {name: getattr(document, name) for name in _DOCUMENT_FIELDS}
    item = dict(document)
    item.setdefault("filename", Path(str(item["path"])).name)
    item.setdefault("personal", True)
    return item


def _references(in_reply_to: str | None, references: Sequence[str] | str | None) -> list[str]:
    chain = references.split() if isinstance(references, str) else list(references or ())
    if in_reply_to and in_reply_to not in chain:
        chain.append(in_reply_to)
    ids = [_one_line(item, 250) for item in chain if item.startswith("<") and item.endswith(">")]
    if len(ids) > _REFERENCES_LIMIT:
        ids = ids[:1] + ids[-(_REFERENCES_LIMIT - 1) :]
    return ids


async def _check_personal(
    session: AsyncSession, recipient: str, attachments: list[dict[str, Any]], resident_id: str | None
) -> None:
    """Defence in depth: a personal document goes only to the resident's registered invoice address."""
    if not any(item.get("personal", True) for item in attachments):
        return
    resident = await residents.get(session, resident_id) if resident_id else None
    if resident is None or (resident.invoice_email or "").lower() != recipient:
        raise PersonalDataRefused("personal documents go only to the resident's invoice address")


async def enqueue_email_reply(
    session: AsyncSession,
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    language: str,
    in_reply_to: str | None = None,
    references: Sequence[str] | str | None = None,
    attachments: Sequence[Document | Mapping[str, Any]] = (),
    dedupe_key: str | None = None,
    request_id: int | None = None,
    news_related: bool = False,
    resident_id: str | None = None,
    options: Sequence[str] = (),
) -> OutboxMessage:
    """Add one e-mail to the outbox (idempotent on ``dedupe_key``); the caller commits.

    ``body_text`` is the message in ``language``; it is wrapped in the greeting and the support
    signature. Give ``body_html`` only when it is already a full, safe HTML body.
    """
    recipient = normalize_address(to)
    if recipient is None:
        raise ValueError("not one plain e-mail address")
    files = [document_attachment(item) for item in attachments]
    await _check_personal(session, recipient, files, resident_id)
    language = normalize_language(language)
    rendered = render_body(body_text, language=language, options=options, unsubscribe_note=news_related)
    headers: dict[str, str] = {}
    chain = _references(in_reply_to, references)
    if in_reply_to and chain:
        headers["In-Reply-To"] = chain[-1]
    if chain:
        headers["References"] = " ".join(chain)
    message: OutboxMessage = await outbox.enqueue(
        session,
        channel=CHANNEL,
        recipient=recipient,
        subject=_one_line(subject, _SUBJECT_LIMIT),
        body_text=rendered.text,
        body_html=body_html if body_html is not None else rendered.html,
        attachments=files,
        headers=headers,
        payload={"language": language, "news_related": news_related, "resident_id": resident_id},
        dedupe_key=dedupe_key,
        request_id=request_id,
    )
    return message


async def queue_message(session: AsyncSession, message: OutboundMessage) -> None:
    """Core's outbox port for e-mail: ``thread`` is the Message-ID answered (anything else is no
    Message-ID and is left out of the headers); personal documents go only to the invoice address."""
    await enqueue_email_reply(
        session,
        to=message.recipient,
        subject=message.subject,
        body_text=message.text,
        language=message.language,
        in_reply_to=message.thread,
        attachments=message.documents,
        dedupe_key=message.dedupe_key,
        request_id=message.request_id,
        resident_id=message.resident_id,
    )


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
