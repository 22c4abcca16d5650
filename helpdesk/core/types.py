"""The channel-neutral conversation model: an adapter turns what arrived into an :class:`Inquiry`,
the handlers answer with a :class:`Reply`, and the adapter renders it.

Nothing here knows Telegram or e-mail. A new channel is a new adapter that produces and consumes
these types and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path


class Channel(StrEnum):
    TELEGRAM = "telegram"
    EMAIL = "email"
    CHAT = "chat"  # `helpdesk chat`, the terminal stand-in for a resident
    CONSOLE = "console"  # an agent acting on a resident's behalf


class Action(StrEnum):
    """Explicit intents. Buttons and commands carry one; free text is mapped to one by the matcher.

    The ``action:*`` values are also the ids the knowledge matcher returns for action intents.
    """

    MENU = "menu"
    START = "start"  # the first words: a welcome that says how to link, or "hello again"
    HELP = "help"
    ASK = "ask"  # "Ask a question": asks for the question in one message
    UNKNOWN_COMMAND = "command.unknown"  # args: command (a "/word" no table knows)
    UNREADABLE = "unreadable"  # args: kind (an Unreadable): what arrived instead of text
    LANGUAGE = "language"  # args: lang
    LINK_REDEEM = "link.redeem"  # args: token
    LINK_CONFIRM = "link.confirm"  # args: token
    LINK_CANCEL = "link.cancel"
    UNLINK = "unlink"
    UNLINK_CONFIRM = "unlink.confirm"
    INVOICE = "action:invoice"  # latest invoice
    INVOICE_PERIOD = "invoice.period"  # args: period (YYYY-MM) or invoice id
    INVOICE_LIST = "invoice.list"
    CONSENT_STATUS = "consent.status"
    CONSENT_WITHDRAW = "action:consent-withdraw"
    CONSENT_GIVE = "action:consent-give"  # args: email (optional, a new address)
    CONSENT_GIVE_CONFIRM = "consent.give.confirm"  # args: email, or code
    CONSENT_ADDRESS = "consent.address"  # "Use another e-mail address": asks for it
    ACCESS_REQUEST = "action:access-request"
    CORRECTION_REQUEST = "action:correction-request"  # text: what to correct
    CORRECTION_DETAILS = "correction.details"  # args: request (id); text: what is wrong, what it should be
    REQUEST_CONFIRM = "request.confirm"  # args: kind
    HUMAN = "action:human"
    FAQ = "faq"  # args: entry (chosen from a "which one did you mean" question)


class Unreadable(StrEnum):
    """What a resident sent that is not text (``Action.UNREADABLE``'s ``kind``): each gets its own
    polite answer. Nothing of it is opened, stored or forwarded."""

    PICTURE = "picture"  # photos, videos, animations
    VOICE = "voice"  # voice, audio, video notes
    STICKER = "sticker"
    FILE = "file"
    PLACE = "place"  # contacts, locations, venues
    EDIT = "edit"  # a change to a message already sent
    OTHER = "other"


class Awaiting(StrEnum):
    """What the resident's next typed line is the answer to (see :mod:`helpdesk.core.conversation`)."""

    NEWS_ADDRESS = "news_address"  # the address for news e-mails (a code is mailed to it)
    NEWS_CODE = "news_code"  # the code mailed to that address
    CORRECTION_DETAILS = "correction_details"  # what to correct, for the request in ``request_id``


@dataclass(frozen=True, slots=True)
class ChoiceRef:
    """A pressed button or a typed number: the ``number``-th choice (from 1, in the order the buttons
    were shown) of the offer ``offer`` names; ``None`` means the latest offer. The handlers look the
    choice up in the conversation state, so no argument (a token, an address) travels with it."""

    number: int
    offer: str | None = None


class ReplyKind(StrEnum):
    ANSWER = "answer"  # a KB answer or an action done
    REFUSAL = "refusal"  # not allowed or not possible; the text says why and what to do
    QUESTION = "question"  # we need a choice or a confirmation (see buttons)
    ESCALATED = "escalated"  # queued for a person
    ERROR = "error"  # our fault; the inquiry was kept


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment the resident sent: listed, never opened or executed."""

    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class Inquiry:
    """One thing a resident said or pressed, already validated at the channel edge.

    ``sender`` is the channel's address for the person (Telegram user id as text, or the e-mail
    address); ``resident_id`` is set only when the adapter proved who this is (a linked Telegram
    user, or an e-mail address on the resident's record that passed the trusted authentication
    check). ``reply_to`` is where an agent's answer goes later (chat id or e-mail address).
    """

    channel: Channel
    sender: str
    text: str = ""
    language: str = "lv"
    resident_id: str | None = None
    action: Action | None = None
    args: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()
    message_id: str | None = None
    reply_to: str | None = None
    thread_key: str | None = None
    identity_unverified_reason: str | None = None
    received_at: datetime | None = None
    #: A button or number chosen from what the last reply offered; the handlers resolve it to its
    #: action and arguments, server-side.
    choice: ChoiceRef | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """A choice offered to the resident. Telegram shows it as an inline button, e-mail as a hint,
    the terminal chat as a numbered option."""

    label: str
    action: Action
    args: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Document:
    """A file to send (an invoice PDF or a data export). ``personal`` documents go only to an
    identified resident on a verified channel."""

    path: Path
    filename: str
    caption: str
    sha256: str
    content_type: str = "application/pdf"
    invoice_id: str | None = None
    personal: bool = True


@dataclass(frozen=True, slots=True)
class Reply:
    """What the handlers decided. ``text`` is already in the resident's language."""

    text: str
    kind: ReplyKind = ReplyKind.ANSWER
    intent: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    documents: tuple[Document, ...] = ()
    language: str = "lv"
    request_id: int | None = None
    resident_id: str | None = None
    personal_data: bool = False
    #: The resident's next typed line is the answer to this (``request_id`` names the request for
    #: ``CORRECTION_DETAILS``); None ends any earlier wait. Channels only render it.
    awaiting: Awaiting | None = None
    #: A menu or sub-menu: nothing happened, only choices are offered, so a channel that can may show
    #: it in place of the menu whose button opened it (the chat does not fill up with menus).
    navigation: bool = False
    extra: dict[str, str] = field(default_factory=dict)
