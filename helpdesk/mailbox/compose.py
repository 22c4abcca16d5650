"""Turn an outbox row into the MIME message that is sent (text + HTML, attachments, our headers).

Built at send time from the row alone, so every retry produces the same message: the Message-ID
derives from the row's id and dedupe key, which lets receivers drop a duplicate after a crash
between "sent" and "marked sent".
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from helpdesk.core.unsubscribe import make_unsubscribe_token
from helpdesk.mailbox.addresses import LOOP_HEADER, from_header, loop_value, message_id_for
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.outgoing import file_sha256
from helpdesk.services import Services
from helpdesk.storage.files import stored_path
from helpdesk.storage.models.delivery import OutboxMessage


class AttachmentProblem(ValueError):
    """A file is missing or is not the one recorded: never send a file we cannot vouch for."""


def unsubscribe_url(services: Services, console_url: str | None, resident_id: str) -> str | None:
    """The one-click link (RFC 8058), or None when the console has no public URL to serve it."""
    if not console_url:
        return None
    token = make_unsubscribe_token(services.security.secret_key_bytes(), resident_id)
    return f"{console_url.rstrip('/')}/unsubscribe/{token}"


def _attach(message: EmailMessage, services: Services, item: dict[str, Any]) -> None:
    raw_path = Path(str(item["path"]))
    path = raw_path if raw_path.is_absolute() else stored_path(services.storage.invoice_dir, str(raw_path))
    if path is None or not path.is_file():
        raise AttachmentProblem("attachment file missing")
    expected = str(item.get("sha256") or "")
    if expected and file_sha256(path) != expected:
        raise AttachmentProblem("attachment file changed since it was queued")
    maintype, _, subtype = str(item.get("content_type") or "application/pdf").partition("/")
    message.add_attachment(
        path.read_bytes(),
        maintype=maintype or "application",
        subtype=subtype or "octet-stream",
        filename=str(item.get("filename") or path.name),
    )


def compose(services: Services, config: MailConfig, row: OutboxMessage) -> EmailMessage:
    settings = config.outbound
    message = EmailMessage()
    message["From"] = from_header(settings)
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = message_id_for(settings, f"{row.id}:{row.dedupe_key or ''}")
    for name in ("In-Reply-To", "References"):
        if row.headers.get(name):
            message[name] = row.headers[name]
    # RFC 3834: automatic answers say so, and our loop header lets us (and others) drop echoes.
    message["Auto-Submitted"] = "auto-replied" if row.headers.get("In-Reply-To") else "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message[LOOP_HEADER] = loop_value(settings)
    payload = row.payload or {}
    resident_id = payload.get("resident_id")
    if payload.get("news_related") and resident_id:
        url = unsubscribe_url(services, config.console_public_url, str(resident_id))
        mailto = f"<mailto:{from_header(settings).addr_spec}?subject=unsubscribe>"
        if url:
            # RFC 8058 one-click: the HTTPS URI plus List-Unsubscribe-Post; mailto as a fallback.
            message["List-Unsubscribe"] = f"<{url}>, {mailto}"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        else:
            message["List-Unsubscribe"] = mailto
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    for item in row.attachments or []:
        _attach(message, services, item)
    if payload.get("language"):  # last: set_content and friends move Content-* headers into parts
        message["Content-Language"] = str(payload["language"])
    return message
