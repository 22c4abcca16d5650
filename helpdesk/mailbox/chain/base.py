"""What the chain's units share: a mail's place in the mailbox, the reads of its batch, the mail on
its way through the chain (:class:`Incoming`), and the :class:`Decision` that ends the chain."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.types import Reply
from helpdesk.handlers.identify import AddressIdentity
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.outgoing import enqueue_email_reply
from helpdesk.mailbox.parsing import ParsedMail
from helpdesk.mailbox.render import translator
from helpdesk.services import Services
from helpdesk.storage.models.residents import Resident


@dataclass(frozen=True, slots=True)
class Position:
    """Where a mail is: its UID is valid only within this folder's UIDVALIDITY."""

    mailbox: str
    uidvalidity: int
    uid: int

    @property
    def key(self) -> str:
        return f"mail:{self.mailbox}:{self.uidvalidity}:{self.uid}"


@dataclass(frozen=True, slots=True)
class Decision:
    """How a mail ends: its ``inbound_mail`` outcome, the unit that decided, and whether a person
    must read it (``hold``: the quarantine folder and a queue item)."""

    outcome: str  # answered | skipped:<rule> | too-large | quarantined
    decided_by: str
    hold: bool = False


@dataclass(slots=True)
class Batch:
    """What the mails of one batch ask the database, read with one query each for the whole batch.

    ``seen`` holds the Message-ID hashes recorded before the batch began and grows with each mail
    of the batch whose savepoint was kept, so a copy later in the same batch is still a duplicate.
    ``queued`` counts the e-mails queued per recipient in the last hour (the per-sender cap) for the
    addresses in ``counted``; :mod:`.rate_limit` keeps it up to date while the batch runs.
    """

    seen: set[str] = field(default_factory=set)
    residents: dict[str, list[Resident]] = field(default_factory=dict)
    queued: Counter[str] = field(default_factory=Counter)
    counted: set[str] = field(default_factory=set)


#: Who wrote, before the identity unit looked: nobody, so nothing personal goes out.
NOT_IDENTIFIED = AddressIdentity(None, "sender not identified")


@dataclass(slots=True)
class Incoming:
    """One mail on its way through the chain: what was read, and what the units found so far.

    ``services`` is scoped to the batch's transaction (its sessions are savepoints on the batch's
    connection), and ``session`` is the mail's own savepoint: everything a unit writes is kept or
    undone with the mail. ``config`` is the mailbox's part of the settings.
    """

    mail: ParsedMail
    position: Position
    session: AsyncSession
    services: Services
    config: MailConfig
    batch: Batch
    who: AddressIdentity = NOT_IDENTIFIED
    #: The unit that ruled out an automatic answer (the mail is still handled and kept).
    silenced_by: str | None = None
    #: What the handlers answered (the dispatch unit).
    reply: Reply | None = None
    #: Sentences added under the handlers' answer (where the documents went, say).
    notes: list[str] = field(default_factory=list)
    #: Whether an answer or a notice to the writer is queued already.
    answered: bool = False
    #: The decision that held the mail, for the units that take it over (quarantine).
    decision: Decision | None = None

    @property
    def sender(self) -> str:
        """The writer's address; the ``no-sender`` rule ended the chain for a mail without one."""
        if self.mail.sender is None:
            raise ValueError("a mail without a usable sender reached a unit that answers")
        return self.mail.sender

    async def send_reply(
        self,
        text: str,
        language: str,
        *,
        request_id: int | None = None,
        news_related: bool = False,
        resident_id: str | None = None,
        options: Sequence[str] = (),
    ) -> None:
        """Queue ``text`` as the answer to this mail, in its thread (once: the mail's position is
        the outbox row's dedupe key)."""
        mail = self.mail
        subject = f"Re: {mail.thread_subject}" if mail.thread_subject else ""
        await enqueue_email_reply(
            self.session,
            to=self.sender,
            subject=subject or translator(language)("Your message to Klientiem.lv support"),
            body_text=text,
            language=language,
            in_reply_to=mail.message_id,
            references=list(mail.references),
            dedupe_key=self.position.key,
            request_id=request_id,
            news_related=news_related,
            resident_id=resident_id,
            options=options,
        )
        self.answered = True


class Unit(Protocol):
    """One decision about a mail. ``act`` returns a :class:`Decision` to end the chain, or None to
    let the next unit go on (having noted what it found on the :class:`Incoming`)."""

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    async def act(self, incoming: Incoming) -> Decision | None: ...
