"""Parse one raw mail defensively: whatever arrives, we get a :class:`ParsedMail` or a clear reason.

``email.policy.default`` gives decoded headers and ``get_body``, but real mail breaks it: some
Message-ID headers raise IndexError (cpython#105802), unknown charsets raise LookupError, HTML-only
mail has no text part. Every header read goes through :func:`header`, which falls back to the raw
value; every body read falls back to a lenient decode. Attachments are listed (name, type, size)
and never opened.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses

from inscriptis import get_text

from helpdesk.core.types import Attachment
from helpdesk.mailbox.addresses import normalize_address
from helpdesk.mailbox.quoting import strip_quotes

_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_HTML_LIMIT = 1_000_000  # characters of HTML converted to text; the rest is not a resident's question
_TEXT_LIMIT = 100_000
_HEADER_BLOCK = 1_000_000  # bytes read of a mail whose body is not read
_FALLBACK_CHARSETS = ("utf-8", "cp1257", "koi8-r")
_REPLY_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|sv|atb|пересл|отв|ответ)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE
)
_FILENAME_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
# NUL and other control characters: PostgreSQL text cannot hold NUL, and nobody means them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _ParsedOnce(HeaderRegistry):
    """A header registry that parses each distinct (name, value) once.

    ``policy.default`` parses a header again on every access, and ``get_body``, ``get_content`` and
    the attachment walk read Content-Type and Content-Disposition several times per part: that
    re-parsing was the largest single cost of reading a mail. Header objects are immutable ``str``
    subclasses, so one can be handed out again. Long values are not kept (a hostile mail's
    10,000-character subject is parsed as before), and the memo is bounded.
    """

    _LONGEST, _ENTRIES = 512, 4096

    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[tuple[str, str], BaseHeader] = {}

    def __call__(self, name: str, value: str) -> BaseHeader:
        if len(value) > self._LONGEST:
            return super().__call__(name, value)
        key = (name, value)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= self._ENTRIES:
                self._memo.clear()
            found = self._memo[key] = super().__call__(name, value)
        return found


#: ``email.policy.default`` with the memoising header registry above; nothing else differs.
POLICY = policy.default.clone(header_factory=_ParsedOnce())


@dataclass(frozen=True, slots=True)
class ParsedMail:
    """What the adapter needs from one mail. ``sender`` is None unless From holds exactly one plain
    address (a mail we cannot answer safely)."""

    message_id: str | None
    message_id_hash: str
    sender: str | None
    subject: str
    text: str
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    content_type: str = "text/plain"
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    body_complete: bool = True
    #: The content types of the mail's own parts (not of the mails it encloses): a returned mail
    #: (message/rfc822) or a digest (multipart/digest) says what kind of mail this is.
    part_types: frozenset[str] = frozenset()

    def values(self, name: str) -> tuple[str, ...]:
        return self.headers.get(name.lower(), ())

    def first(self, name: str) -> str | None:
        found = self.values(name)
        return found[0] if found else None

    @property
    def thread_subject(self) -> str:
        return _REPLY_PREFIX.sub("", self.subject).strip()


def _decode_raw(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:
        return value


def header(message: Message, name: str) -> str | None:
    """One header as text, never raising (cpython#105802 and friends)."""
    try:
        value = message[name]
    except Exception:
        value = None
        for raw_name, raw_value in message.raw_items():
            if raw_name.lower() == name.lower():
                value = _decode_raw(str(raw_value))
                break
    if value is None:
        return None
    return " ".join(str(value).split())


def _all_headers(message: Message) -> dict[str, tuple[str, ...]]:
    collected: dict[str, list[str]] = {}
    for raw_name, raw_value in message.raw_items():
        name = str(raw_name).strip().lower()
        try:
            text = str(raw_value)
            decoded = _decode_raw(text) if "=?" in text else text
        except Exception:
            decoded = ""
        collected.setdefault(name, []).append(" ".join(decoded.split())[:2000])
    return {name: tuple(values) for name, values in collected.items()}


def _single_sender(message: Message) -> str | None:
    """The From address only when it is exactly one plain address; never guess (CVE-2023-27043).

    The address is parsed from the header as it arrived, before any encoded word is decoded: an
    RFC 2047 word cannot hold a bare comma or angle bracket, but what it decodes to can (Outlook's
    "=?UTF-8?B?...?=" for "Bērziņš, Jānis" would read as two addresses, or a name that decodes to
    another address as that address). The display name is never used for anything.
    """
    raw = [value for name, value in message.raw_items() if name.lower() == "from"]
    if len(raw) != 1:
        return None
    try:
        pairs = getaddresses([str(raw[0])], strict=True)
    except TypeError:  # Python without the strict flag
        pairs = getaddresses([str(raw[0])])
    addresses = [address for _name, address in pairs if address]
    if len(addresses) != 1:
        return None
    return normalize_address(addresses[0])


def identity_of(raw: bytes) -> tuple[str | None, str]:
    """The sender and the Message-ID hash :func:`parse` would find, from the header block alone
    (cheap: no body is read); ``(None, hash of the bytes)`` for headers that cannot be read."""
    try:
        message = BytesHeaderParser(policy=POLICY).parsebytes(raw[:_HEADER_BLOCK])
        return _single_sender(message), _hash(_message_id(header(message, "Message-ID")), raw)
    except Exception:  # the full parse will say what is wrong with it
        return None, _hash(None, raw)


def _message_id(value: str | None) -> str | None:
    if not value:
        return None
    found = _MESSAGE_ID.search(value)
    return found.group(0) if found else None


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, AssertionError, ValueError, KeyError, AttributeError):
        pass
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    for charset in _FALLBACK_CHARSETS:
        try:
            return payload.decode(charset)
        except UnicodeDecodeError:
            continue
    return payload.decode("utf-8", errors="replace")


def _body_parts(message: EmailMessage) -> tuple[Message | None, Message | None]:
    """The text/plain and text/html body parts, each looked up once (``get_body`` walks the tree).

    When ``get_body`` itself fails on a broken structure, the first text part stands for the body.
    """
    try:
        return message.get_body(preferencelist=("plain",)), message.get_body(preferencelist=("html",))
    except Exception:
        for part in message.walk():
            if part.get_content_maintype() == "text":
                return part, None
        return None, None


def _body_text(message: EmailMessage, plain: Message | None, html: Message | None) -> str:
    if plain is not None:
        return _part_text(plain)
    if html is not None:
        return str(get_text(_part_text(html)[:_HTML_LIMIT]))
    if not message.is_multipart() and message.get_content_maintype() == "multipart":
        return _part_text(message)  # "multipart" without a boundary: the payload is all there is
    return ""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    cleaned = _FILENAME_UNSAFE.sub("_", name or "").strip()[:200]
    return cleaned or "unnamed"


def _attachments(message: Message, body_parts: set[int]) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart() or id(part) in body_parts or part is message:
            continue
        disposition = part.get_content_disposition()
        maintype = part.get_content_maintype()
        if disposition != "attachment" and maintype == "text" and not part.get_filename():
            continue
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        found.append(Attachment(filename=_filename(part), content_type=part.get_content_type(), size=size))
        if len(found) >= 50:
            break
    return tuple(found)


_PARTS_READ = 200  # parts whose types are listed: enough for any mail a person writes


def _part_types(message: Message) -> frozenset[str]:
    """The content types of ``message`` and its parts, without descending into an enclosed mail
    (a forwarded digest is not a digest) and bounded for a hostile nesting."""
    found: set[str] = set()
    pending: list[Message] = [message]
    for _ in range(_PARTS_READ):
        if not pending:
            break
        part = pending.pop()
        found.add(part.get_content_type())
        if part.get_content_maintype() == "multipart" and part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                pending.extend(child for child in payload if isinstance(child, Message))
    return frozenset(found)


def _hash(message_id: str | None, raw: bytes) -> str:
    # Without a Message-ID the exact bytes identify the mail (a re-delivery is byte-identical).
    source = ("mid:" + message_id).encode() if message_id else raw
    return hashlib.sha256(source).hexdigest()


def parse(raw: bytes, *, max_bytes: int) -> ParsedMail:
    """Parse ``raw``; above ``max_bytes`` only the headers are read (``body_complete`` is False)."""
    complete = len(raw) <= max_bytes
    if complete:
        message = BytesParser(policy=POLICY).parsebytes(raw)
    else:
        message = BytesHeaderParser(policy=POLICY).parsebytes(raw[:_HEADER_BLOCK])
    assert isinstance(message, EmailMessage)
    message_id = _message_id(header(message, "Message-ID"))
    text = ""
    attachments: tuple[Attachment, ...] = ()
    if complete:
        plain, html = _body_parts(message)
        text = strip_quotes(_CONTROL.sub("", _body_text(message, plain, html)[:_TEXT_LIMIT]))
        attachments = _attachments(message, {id(part) for part in (plain, html) if part is not None})
    references = tuple(_MESSAGE_ID.findall(header(message, "References") or ""))[-20:]
    return ParsedMail(
        message_id=message_id,
        message_id_hash=_hash(message_id, raw),
        sender=_single_sender(message),
        subject=_CONTROL.sub("", header(message, "Subject") or "")[:300],
        text=text,
        in_reply_to=_message_id(header(message, "In-Reply-To")),
        references=references,
        attachments=attachments,
        content_type=message.get_content_type(),
        headers=_all_headers(message),
        body_complete=complete,
        part_types=_part_types(message) if complete else frozenset({message.get_content_type()}),
    )
