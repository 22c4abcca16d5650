"""Ports: how the layers above the channels send a message without importing a channel.

Casework (an agent's answer, a notice, a data export) and the jobs (the agents' deadline digest)
describe a message with :class:`OutboundMessage` and hand it to :class:`Outbox`; which code queues
it for Telegram or for e-mail is plugged in by :mod:`helpdesk.app`, which is the only module that
knows every channel. Nothing is sent from here: each channel's queue writes the outbox table in the
caller's transaction (so the message exists exactly when the action that caused it commits), and
the channel's sender delivers it later (:class:`OutboxSender`), so an outage of Telegram or SMTP
delays a message and never loses it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from helpdesk.core.types import Document

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


class NoChannel(LookupError):
    """The message's channel cannot carry a message (the terminal chat, the console itself)."""


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """One message to a resident or to the agents, in words every channel understands.

    ``recipient`` is the channel's address: a Telegram chat id, an e-mail address. ``thread`` is
    what the message answers (the resident's Message-ID for e-mail; a channel without threads
    ignores it). ``dedupe_key`` makes queueing idempotent: a second message with the same key is the
    first one (a double-clicked "Send", a job that runs twice).
    """

    channel: str
    recipient: str
    text: str
    language: str
    subject: str = ""  # e-mail's Subject; Telegram has none
    documents: Sequence[Document] = ()
    thread: str | None = None
    request_id: int | None = None
    resident_id: str | None = None  # whose personal documents these are (checked by the e-mail queue)
    dedupe_key: str | None = None


class MessageQueue(Protocol):
    """A channel's way to put a message in the outbox; the caller's transaction commits it."""

    async def __call__(self, session: AsyncSession, message: OutboundMessage, /) -> None: ...


@dataclass(frozen=True)
class Outbox:
    """The one door for outgoing messages: each message goes to its channel's queue."""

    queues: Mapping[str, MessageQueue] = field(default_factory=dict)

    async def queue(self, session: AsyncSession, message: OutboundMessage) -> None:
        enqueue = self.queues.get(message.channel)
        if enqueue is None:
            raise NoChannel(message.channel)
        await enqueue(session, message)


@dataclass(frozen=True, slots=True)
class OutboxSender:
    """A channel's sender as the outbox-retry job sees it.

    ``leadership`` is the lock the channel's own component holds while it sends (the job sends only
    while that lock is free, so no message goes out twice); ``missing`` says why this process
    cannot send on the channel (an unset setting), or is None.
    """

    channel: str
    leadership: str
    missing: str | None
    deliver_due: Callable[[], Awaitable[int]]  # sends what is due now; returns how many went out
