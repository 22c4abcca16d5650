"""Mails, start to finish: parse, loop rules, the per-sender cap, identity, ``dispatch.handle``,
the reply in the outbox and the ``inbound_mail`` record.

Mails are committed in batches of :data:`BATCH` (one transaction), each mail in a savepoint of its
own. The handlers open their own sessions; here they get a :class:`Services` whose sessions are
nested savepoints on our connection, so the handler's changes, the queued reply and the
exactly-once record of one mail are kept or undone together. A mail that makes any step fail is
rolled back alone, then quarantined in the same transaction (the quarantine folder and the agents'
queue). A storage outage is not the mail's fault: it stops the round, the batch rolls back and its
mails stay in the inbox as new, to be tried again.

On SQLite the batch waits for this process's writer turn (:func:`~helpdesk.storage.engine.writer_turn`,
as every writer does) and opens with ``BEGIN IMMEDIATE``: the pysqlite driver begins no transaction of
its own before a ``SAVEPOINT``, so without it each mail's savepoint would be a transaction of its own.
The mails are parsed before the turn is taken.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy import Connection, event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapper

from helpdesk.core.deadlines import question_deadline
from helpdesk.core.redaction import mask_email
from helpdesk.core.types import Action, Channel, Document, Inquiry, Reply, ReplyKind
from helpdesk.handlers import dispatch
from helpdesk.i18n import normalize_language
from helpdesk.mailbox import loop_rules
from helpdesk.mailbox.consent_words import asks_to_unsubscribe
from helpdesk.mailbox.identity import Identity, identify
from helpdesk.mailbox.outgoing import CHANNEL, enqueue_email_reply
from helpdesk.mailbox.parsing import ParsedMail, parse
from helpdesk.mailbox.render import mail_gettext
from helpdesk.services import Services
from helpdesk.storage.engine import writer_turn
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import audit, outbox, requests, residents
from helpdesk.storage.repositories import mail as mail_repo

log = logging.getLogger(__name__)

#: Rules whose mail is kept for a person instead of filed as processed.
QUARANTINE_RULES = frozenset({"no-sender"})
_STORAGE_ERRORS = (OperationalError, InterfaceError, OSError, TimeoutError)


#: PostgreSQL SQLSTATEs that are the database's state, not the mail's: connection exceptions (08),
#: insufficient resources (53), operator intervention (57P), serialization failure, deadlock, lock
#: not available. asyncpg reports them as plain ``DBAPIError``; treated as the mail's fault, a deadlock
#: between two batches would send a good mail to a person instead of trying it again.
_TRANSIENT_SQLSTATES = ("08", "53", "57P", "40001", "40P01", "55P03")


def _is_outage(exc: BaseException) -> bool:
    """Our database failing (not the mail's fault): the round stops and the mail waits in the inbox."""
    if isinstance(exc, _STORAGE_ERRORS):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return bool(exc.connection_invalidated) or (
        isinstance(sqlstate, str) and sqlstate.startswith(_TRANSIENT_SQLSTATES)
    )


class StorageUnavailable(Exception):
    """The database failed: stop the round; the mail stays in the inbox."""


@dataclass(frozen=True, slots=True)
class Position:
    mailbox: str
    uidvalidity: int
    uid: int

    @property
    def key(self) -> str:
        return f"mail:{self.mailbox}:{self.uidvalidity}:{self.uid}"


@dataclass(frozen=True, slots=True)
class Outcome:
    outcome: str  # answered | skipped:<rule> | too-large | quarantined
    decided_by: str
    quarantine: bool = False  # file in the quarantine folder and queue it for a person


@dataclass(slots=True)
class Batch:
    """What every mail of a batch asks the database, read with one query each for the whole batch.

    ``seen`` holds the Message-ID hashes recorded before the batch began and grows with each mail
    of the batch whose savepoint was kept, so a copy later in the same batch is still a duplicate.
    Parsing is done here too (a mail that cannot be parsed keeps its error, raised in its savepoint).
    """

    parsed: dict[int, ParsedMail | Exception] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    residents: dict[str, list[Resident]] = field(default_factory=dict)
    #: E-mails queued per recipient in the last hour (the per-sender cap): read at the start, then
    #: counted by :func:`_count_queued` for every outbox row this batch's transaction inserts.
    queued: Counter[str] = field(default_factory=Counter)


#: ``Connection.info`` key under which a batch's :attr:`Batch.queued` is found while it runs.
_QUEUED = "helpdesk.mailbox.queued"


@event.listens_for(OutboxMessage, "after_insert")
def _count_queued(_mapper: Mapper[OutboxMessage], connection: Connection, target: OutboxMessage) -> None:
    """Every e-mail inserted on a batch's connection counts toward its recipient's cap, the ones
    the handlers queue (a consent code, say) as well as our replies."""
    queued = connection.info.get(_QUEUED)
    if isinstance(queued, Counter) and target.channel == CHANNEL:
        queued[target.recipient] += 1


def is_quarantine_outcome(outcome: str) -> bool:
    """For rows recorded before a crash: which folder their mail belongs in."""
    return outcome in ("quarantined", "too-large") or outcome.removeprefix("skipped:") in QUARANTINE_RULES


def _scoped(services: Services, connection: AsyncConnection) -> Services:
    sessions = async_sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return replace(services, sessions=sessions)


def _reply_subject(mail: ParsedMail, language: str) -> str:
    subject = mail.thread_subject
    if not subject:
        return mail_gettext(language)("Your message to Klientiem.lv support")
    return f"Re: {subject}"


def _options(reply: Reply) -> list[str]:
    if reply.kind is not ReplyKind.QUESTION:
        return []
    return [button.label for row in reply.buttons for button in row][:12]


async def _over_cap(session: AsyncSession, services: Services, sender: str, batch: Batch | None) -> bool:
    if batch is not None:
        sent = batch.queued[sender]
    else:
        since = services.clock() - timedelta(hours=1)
        sent = await outbox.sent_to_since(session, channel=CHANNEL, recipient=sender, since=since)
    return sent >= services.settings.mail_replies_per_sender_per_hour


async def _send_documents(
    session: AsyncSession, mail: ParsedMail, reply: Reply, who: Identity, position: Position
) -> str:
    """Personal documents go in a NEW message to the registered invoice address, never as a reply.

    Returns the sentence added to the reply that says where they went.
    """
    translate = mail_gettext(reply.language)
    personal: Sequence[Document] = reply.documents
    target = who.invoice_email
    if not target or not who.resident_id or reply.resident_id != who.resident_id:
        return translate(
            "We cannot send documents by e-mail to this address. Please download them in the portal."
        )
    await enqueue_email_reply(
        session,
        to=target,
        subject=translate("Your documents from Klientiem.lv"),
        body_text="\n\n".join(document.caption for document in personal if document.caption)
        or translate("The documents you asked for are attached."),
        language=reply.language,
        attachments=personal,
        dedupe_key=f"{position.key}:documents",
        request_id=reply.request_id,
        resident_id=who.resident_id,
    )
    return translate(
        "We sent the document in a separate e-mail to the invoice address registered on your "
        "account ({address})."
    ).format(address=mask_email(target))


def _inquiry(mail: ParsedMail, who: Identity, language: str, services: Services) -> Inquiry:
    assert mail.sender is not None
    text = mail.text if mail.text.strip() else mail.thread_subject
    action = Action.CONSENT_WITHDRAW if asks_to_unsubscribe(mail.text, mail.thread_subject) else None
    return Inquiry(
        channel=Channel.EMAIL,
        sender=mail.sender,
        text=text,
        language=language,
        resident_id=who.resident_id,
        action=action,
        attachments=mail.attachments,
        message_id=mail.message_id,
        reply_to=mail.sender,
        thread_key=(mail.references[0] if mail.references else mail.message_id),
        identity_unverified_reason=who.unverified_reason,
        received_at=services.clock(),
    )


async def _answer(
    session: AsyncSession, services: Services, mail: ParsedMail, position: Position, batch: Batch
) -> tuple[Outcome, bool]:
    """Dispatch and queue the reply. Returns the outcome and whether a reply was queued."""
    assert mail.sender is not None
    settings = services.settings
    who = await identify(session, mail, settings, batch.residents)
    default = normalize_language(who.language, settings.default_language)
    language = normalize_language(
        services.matcher.detect_language(mail.text or mail.subject, default), default
    )
    capped = await _over_cap(session, services, mail.sender, batch)
    reply = await dispatch.handle(_inquiry(mail, who, language, services), services)
    if capped:
        return Outcome("skipped:rate-limit", "rate-limit"), False
    text = reply.text
    if reply.documents:
        text += "\n\n" + await _send_documents(session, mail, reply, who, position)
    await enqueue_email_reply(
        session,
        to=mail.sender,
        subject=_reply_subject(mail, reply.language),
        body_text=text,
        language=reply.language,
        in_reply_to=mail.message_id,
        references=list(mail.references),
        dedupe_key=position.key,
        request_id=reply.request_id,
        news_related=reply.intent == Action.CONSENT_GIVE_CONFIRM,
        resident_id=who.resident_id,
        options=_options(reply),
    )
    return Outcome("answered", reply.intent or str(reply.kind)), True


async def _too_large(
    session: AsyncSession, services: Services, mail: ParsedMail, position: Position, batch: Batch
) -> Outcome:
    assert mail.sender is not None
    if await _over_cap(session, services, mail.sender, batch):
        return Outcome("skipped:rate-limit", "too-large")
    who = await identify(session, mail, services.settings, batch.residents)
    language = normalize_language(who.language, services.settings.default_language)
    translate = mail_gettext(language)
    limit_mb = max(1, services.settings.mail_max_bytes // 1_000_000)
    await enqueue_email_reply(
        session,
        to=mail.sender,
        subject=_reply_subject(mail, language),
        body_text=translate(
            "Your e-mail is larger than {limit} MB, so we could not read it. Please send the text "
            "without large attachments, or upload the files in the portal."
        ).format(limit=limit_mb),
        language=language,
        in_reply_to=mail.message_id,
        references=list(mail.references),
        dedupe_key=position.key,
    )
    return Outcome("too-large", "size-limit", quarantine=True)  # a person reads what we could not


async def _decide(
    session: AsyncSession, services: Services, mail: ParsedMail, position: Position, batch: Batch
) -> Outcome:
    if mail.message_id_hash in batch.seen:
        return Outcome("skipped:duplicate", "message-id")  # the same mail again, under a new UID
    rule = loop_rules.first_hit(mail, services.settings)
    if rule is not None:
        return Outcome(f"skipped:{rule}", rule, quarantine=rule in QUARANTINE_RULES)
    if not mail.body_complete:
        return await _too_large(session, services, mail, position, batch)
    outcome, _queued = await _answer(session, services, mail, position, batch)
    return outcome


#: Mails committed together (each in its own savepoint). One commit per mail would cost a WAL flush
#: per mail on PostgreSQL; a small batch also keeps SQLite's single write lock short for others.
BATCH = 25


@asynccontextmanager
async def _savepoint(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """A session in a SAVEPOINT of its own, kept when the block ends, rolled back when it raises.

    The SAVEPOINT is taken at once, not at the session's first statement: the handler's sessions
    take theirs on the same connection, and they must nest inside this one to be undone with it.
    """
    session = AsyncSession(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    async with session, session.begin():
        await session.connection()
        yield session


async def handle_mails(services: Services, items: Sequence[tuple[Position, bytes]]) -> dict[int, Outcome]:
    """Process fetched mails exactly once, in order, committing every :data:`BATCH` mails.

    Each mail runs in a savepoint: a mail that fails is rolled back alone and quarantined in the
    same transaction. A storage outage raises :class:`StorageUnavailable`, and the uncommitted
    mails stay new (nothing of theirs was kept).
    """
    results: dict[int, Outcome] = {}
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        batch = _parse(services, chunk)  # before the writer turn: a large mail takes a while
        try:
            # The batch writes on SQLite in this process's turn, like every writer (write_transaction):
            # the handlers' write_transaction on our connection is a savepoint and takes no turn.
            async with writer_turn(services.engine), services.engine.connect() as connection:
                await connection.begin()
                if connection.dialect.name == "sqlite":
                    # pysqlite starts no transaction before a SAVEPOINT, and RELEASE of an outermost
                    # savepoint commits: open the batch's transaction ourselves, with the write lock
                    # taken now rather than refused at the first write.
                    await connection.exec_driver_sql("BEGIN IMMEDIATE")
                scoped = _scoped(services, connection)
                await _prepare(connection, services, batch)
                connection.info[_QUEUED] = batch.queued
                try:
                    for position, raw in chunk:
                        results[position.uid] = await _one(connection, scoped, position, raw, batch)
                finally:
                    connection.info.pop(_QUEUED, None)  # the pooled connection outlives the batch
                await connection.commit()
        except StorageUnavailable:
            raise
        except Exception as exc:
            if _is_outage(exc):
                raise StorageUnavailable(type(exc).__name__) from exc
            raise
    return results


def _parse(services: Services, chunk: Sequence[tuple[Position, bytes]]) -> Batch:
    """A batch with its mails parsed (a mail that cannot be parsed keeps its error, raised in its
    savepoint)."""
    batch = Batch()
    for position, raw in chunk:
        try:
            batch.parsed[position.uid] = parse(raw, max_bytes=services.settings.mail_max_bytes)
        except Exception as exc:  # the mail's fault: raised again in its own savepoint, and quarantined
            batch.parsed[position.uid] = exc
    return batch


async def _prepare(connection: AsyncConnection, services: Services, batch: Batch) -> None:
    """Read what the batch's mails need: which were seen before, and who wrote."""
    mails = [mail for mail in batch.parsed.values() if isinstance(mail, ParsedMail)]
    senders = {mail.sender for mail in mails if mail.sender}
    async with _savepoint(connection) as session:
        batch.seen = await mail_repo.seen_messages(session, (mail.message_id_hash for mail in mails))
        batch.residents = await residents.by_emails(session, senders)
        since = services.clock() - timedelta(hours=1)
        batch.queued.update(
            await outbox.sent_to_many_since(session, channel=CHANNEL, recipients=senders, since=since)
        )


async def _one(
    connection: AsyncConnection, services: Services, position: Position, raw: bytes, batch: Batch
) -> Outcome:
    queued_before = Counter(batch.queued)
    try:
        async with _savepoint(connection) as session:
            outcome, recorded_hash = await _handle(session, services, position, raw, batch)
        batch.seen.add(recorded_hash)  # kept: a copy later in this batch is a duplicate
        return outcome
    except Exception as exc:
        if _is_outage(exc):
            raise StorageUnavailable(type(exc).__name__) from exc
        # Any other failure is the mail's: quarantine it, and go on with the next one. What it
        # queued was undone with its savepoint, so it no longer counts toward the cap.
        batch.queued.clear()
        batch.queued.update(queued_before)
        log.warning("mail uid=%s could not be handled: %s; quarantined", position.uid, type(exc).__name__)
        try:
            async with _savepoint(connection) as session:
                outcome = await quarantine(
                    session, services, position, raw, reason=type(exc).__name__, batch=batch
                )
        except Exception as again:
            raise StorageUnavailable(type(again).__name__) from again
        batch.seen.add(hashlib.sha256(raw).hexdigest())
        return outcome


async def _handle(
    session: AsyncSession, services: Services, position: Position, raw: bytes, batch: Batch
) -> tuple[Outcome, str]:
    """Decide, act and record one mail; returns the outcome and the hash it was recorded under."""
    mail = batch.parsed.get(position.uid)
    if mail is None:
        mail = parse(raw, max_bytes=services.settings.mail_max_bytes)
    elif isinstance(mail, Exception):
        raise mail
    outcome = await _decide(session, services, mail, position, batch)
    if outcome.quarantine:
        await _queue_for_agents(session, services, position, mail.sender, outcome.decided_by)
    await mail_repo.record(
        session,
        mailbox=position.mailbox,
        uidvalidity=position.uidvalidity,
        uid=position.uid,
        message_id_hash=mail.message_id_hash,
        outcome=outcome.outcome,
        decided_by=outcome.decided_by,
        now=services.clock(),
    )
    return outcome, mail.message_id_hash


async def _queue_for_agents(
    session: AsyncSession, services: Services, position: Position, sender: str | None, reason: str
) -> None:
    now = services.clock()
    item = await requests.create(
        session,
        kind=RequestKind.MAIL,
        channel=CHANNEL,
        contact=sender or "unknown",
        received_at=now,
        deadline_at=question_deadline(now, services.settings.question_answer_hours),
        summary=f"An e-mail could not be handled automatically ({reason}); it is in the "
        f"{services.settings.imap_quarantine_folder} folder.",
        details={
            "mailbox": position.mailbox,
            "uidvalidity": position.uidvalidity,
            "uid": position.uid,
            "folder": services.settings.imap_quarantine_folder,
            "reason": reason,
        },
        identity=IdentityState.UNVERIFIED,
        identity_how="e-mail, not processed",
    )
    await audit.record(
        session, actor="mailbox", action="mail.quarantined", request_id=item.id, detail={"reason": reason}
    )


def _headers_of(raw: bytes) -> ParsedMail | None:
    try:
        return parse(raw[:1_000_000], max_bytes=0)
    except Exception:  # the mail is broken beyond its headers: nobody to answer
        return None


async def quarantine(
    session: AsyncSession,
    services: Services,
    position: Position,
    raw: bytes,
    *,
    reason: str,
    batch: Batch | None = None,
    message_id_hash: str | None = None,
) -> Outcome:
    """Record the mail as quarantined, file a queue item and, when the sender is a plain address
    that passes the loop rules, tell them a person will answer.

    ``message_id_hash`` is for a mail that could not be read at all (``raw`` is then empty)."""
    headers = _headers_of(raw)
    sender = headers.sender if headers is not None else None
    now = services.clock()
    await _queue_for_agents(session, services, position, sender, reason)
    if (
        headers is not None
        and sender is not None
        and loop_rules.first_hit(headers, services.settings) is None
    ) and not await _over_cap(session, services, sender, batch):
        language = services.settings.default_language
        await enqueue_email_reply(
            session,
            to=sender,
            subject=_reply_subject(headers, language),
            body_text=mail_gettext(language)(
                "We received your e-mail but could not process it automatically. A person will "
                "look at it and answer you."
            ),
            language=language,
            in_reply_to=headers.message_id,
            references=list(headers.references),
            dedupe_key=position.key,
        )
    await mail_repo.record(
        session,
        mailbox=position.mailbox,
        uidvalidity=position.uidvalidity,
        uid=position.uid,
        message_id_hash=message_id_hash or hashlib.sha256(raw).hexdigest(),
        outcome="quarantined",
        decided_by=reason,
        now=now,
    )
    return Outcome("quarantined", reason, quarantine=True)
