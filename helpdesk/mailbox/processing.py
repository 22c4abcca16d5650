"""The adapter around the mail chain: parse each mail, run :mod:`~helpdesk.mailbox.chain` on it
inside the batch's transaction, and record the decision (the ``inbound_mail`` row, exactly once).

Mails are committed in batches of :data:`BATCH` (one transaction), each mail in a savepoint of its
own. The units and the handlers they call get a :class:`Services` whose sessions are nested
savepoints on our connection, so the handler's changes, the queued reply and the exactly-once record
of one mail are kept or undone together. A mail that makes any step fail is rolled back alone, then
held for a person in the same transaction (the chain's quarantine). A storage outage is not the
mail's fault: it stops the round, the batch rolls back and its mails stay in the inbox as new, to be
tried again. A batch that loses to another transaction (a deadlock, a serialisation failure, raised
to it by the handlers: ``dispatch.handle(enclosed=True)``) is rolled back and tried again at once.

On SQLite the batch waits for this process's writer turn (:func:`~helpdesk.storage.engine.writer_turn`,
as every writer does) and opens with ``BEGIN IMMEDIATE``: the pysqlite driver begins no transaction of
its own before a ``SAVEPOINT``, so without it each mail's savepoint would be a transaction of its own.
The mails are parsed before the turn is taken.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from helpdesk.handlers.dispatch import lost_to_another_transaction
from helpdesk.mailbox import chain
from helpdesk.mailbox.chain import rate_limit
from helpdesk.mailbox.chain.base import Batch, Decision, Incoming, Position
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.parsing import ParsedMail, parse
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction, writer_turn
from helpdesk.storage.repositories import mail as mail_repo
from helpdesk.storage.repositories import residents

log = logging.getLogger(__name__)

#: Mails committed together (each in its own savepoint). One commit per mail would cost a WAL flush
#: per mail on PostgreSQL; a small batch also keeps SQLite's single write lock short for others.
BATCH = 25
#: Tries of a batch that keeps losing to other transactions before the round stops (an outage then).
BATCH_ATTEMPTS = 5
_HEADERS_READ = 1_000_000  # of a mail that failed: enough for any real header block

_STORAGE_ERRORS = (OperationalError, InterfaceError, OSError, TimeoutError)
#: PostgreSQL SQLSTATEs that are the database's state, not the mail's: connection exceptions (08),
#: insufficient resources (53), operator intervention (57P), serialization failure, deadlock, lock
#: not available. asyncpg reports them as plain ``DBAPIError``; treated as the mail's fault, a deadlock
#: between two batches would send a good mail to a person instead of trying it again.
_TRANSIENT_SQLSTATES = ("08", "53", "57P", "40001", "40P01", "55P03")


class StorageUnavailable(Exception):
    """The database failed: stop the round; the mail stays in the inbox."""


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


def _scoped(services: Services, connection: AsyncConnection) -> Services:
    sessions = async_sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return replace(services, sessions=sessions)


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


#: A batch's mails by UID, parsed; a mail that cannot be parsed keeps its error.
Parsed = dict[int, ParsedMail | Exception]


async def handle_mails(
    services: Services,
    config: MailConfig,
    items: Sequence[tuple[Position, bytes]],
    parsed: Parsed | None = None,
) -> dict[int, Decision]:
    """Process fetched mails exactly once, in order, committing every :data:`BATCH` mails.

    Each mail runs in a savepoint: a mail that fails is rolled back alone and held in the same
    transaction. A storage outage raises :class:`StorageUnavailable`, and the uncommitted mails stay
    new (nothing of theirs was kept). ``parsed``: the mails already parsed (:func:`parse_mails`),
    else each batch is parsed here.
    """
    results: dict[int, Decision] = {}
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        if parsed is None:
            batch_parsed = parse_mails(config, chunk)  # before the writer turn: a large mail takes a while
        else:
            batch_parsed = {position.uid: parsed[position.uid] for position, _raw in chunk}
        for attempt in range(1, BATCH_ATTEMPTS + 1):
            try:
                results.update(await _batch(services, config, chunk, batch_parsed))
                break
            except Exception as exc:
                # A deadlock or serialisation failure (with another lane's batch, a console write) is
                # nobody's fault: the batch was rolled back whole, which released what the other
                # transaction waited for, so it goes again at once, never to a person or an apology.
                if lost_to_another_transaction(exc) and attempt < BATCH_ATTEMPTS:
                    log.warning(
                        "a batch of %d mail(s) lost to another transaction; trying it again", len(chunk)
                    )
                    await asyncio.sleep(random.uniform(0.05, 0.25) * attempt)
                    continue
                if isinstance(exc, StorageUnavailable):
                    raise
                if _is_outage(exc):
                    raise StorageUnavailable(type(exc).__name__) from exc
                raise
    return results


async def _batch(
    services: Services, config: MailConfig, chunk: Sequence[tuple[Position, bytes]], parsed: Parsed
) -> dict[int, Decision]:
    """One transaction over ``chunk``, each mail in a savepoint; committed whole or not at all."""
    results: dict[int, Decision] = {}
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
        batch = await _prepare(connection, services, parsed)
        with rate_limit.counting(connection, batch):
            for position, raw in chunk:
                results[position.uid] = await _one(connection, scoped, config, position, raw, parsed, batch)
        await connection.commit()
    return results


def parse_mails(config: MailConfig, chunk: Sequence[tuple[Position, bytes]]) -> Parsed:
    """Each mail of ``chunk`` parsed, by UID; a mail that cannot be parsed keeps its error."""
    parsed: Parsed = {}
    for position, raw in chunk:
        try:
            parsed[position.uid] = parse(raw, max_bytes=config.inbound.mail_max_bytes)
        except Exception as exc:  # the mail's fault: raised again in its own savepoint, and held
            parsed[position.uid] = exc
    return parsed


async def _prepare(connection: AsyncConnection, services: Services, parsed: Parsed) -> Batch:
    """Read what the batch's mails need, one query each: which were seen before, who wrote, and how
    many e-mails each writer was sent this hour."""
    mails = [mail for mail in parsed.values() if isinstance(mail, ParsedMail)]
    senders = {mail.sender for mail in mails if mail.sender}
    batch = Batch()
    async with _savepoint(connection) as session:
        batch.seen = await mail_repo.seen_messages(session, (mail.message_id_hash for mail in mails))
        batch.residents = await residents.by_emails(session, senders)
        await rate_limit.read_counts(session, batch, senders, services.clock())
    return batch


async def _one(
    connection: AsyncConnection,
    services: Services,
    config: MailConfig,
    position: Position,
    raw: bytes,
    parsed: Parsed,
    batch: Batch,
) -> Decision:
    queued_before, counted_before = Counter(batch.queued), set(batch.counted)
    try:
        async with _savepoint(connection) as session:
            mail = parsed.get(position.uid)
            if mail is None:
                mail = parse(raw, max_bytes=config.inbound.mail_max_bytes)
            elif isinstance(mail, Exception):
                raise mail
            decision = await chain.run(Incoming(mail, position, session, services, config, batch))
            await _record(session, services, position, mail.message_id_hash, decision)
        batch.seen.add(mail.message_id_hash)  # kept: a copy later in this batch is a duplicate
        return decision
    except Exception as exc:
        if _is_outage(exc):
            raise StorageUnavailable(type(exc).__name__) from exc
        # Any other failure is the mail's: hold it for a person, and go on with the next one. What
        # it queued was undone with its savepoint, so it no longer counts toward the cap.
        batch.queued.clear()
        batch.queued.update(queued_before)
        batch.counted.intersection_update(counted_before)
        log.warning("mail uid=%s could not be handled: %s; quarantined", position.uid, type(exc).__name__)
        try:
            async with _savepoint(connection) as session:
                decision = await _hold(session, services, config, position, raw, type(exc).__name__, batch)
        except Exception as again:
            raise StorageUnavailable(type(again).__name__) from again
        batch.seen.add(hashlib.sha256(raw).hexdigest())
        return decision


def _headers_of(raw: bytes) -> ParsedMail:
    """What can still be read of a mail that failed: its headers, or nothing (nobody to answer)."""
    try:
        return parse(raw[:_HEADERS_READ], max_bytes=0)
    except Exception:  # broken beyond its headers: no sender, so no notice either
        digest = hashlib.sha256(raw).hexdigest()
        return ParsedMail(None, digest, None, "", "", body_complete=False)


async def _hold(
    session: AsyncSession,
    services: Services,
    config: MailConfig,
    position: Position,
    raw: bytes,
    reason: str,
    batch: Batch,
    message_id_hash: str | None = None,
) -> Decision:
    """Hold a mail no unit decided on (it failed, or could not be fetched) for a person, recorded
    under the hash of its bytes (``message_id_hash`` for a mail that has none)."""
    incoming = Incoming(_headers_of(raw), position, session, services, config, batch)
    decision = await chain.hold(incoming, Decision(chain.QUARANTINED, reason, hold=True))
    await _record(session, services, position, message_id_hash or hashlib.sha256(raw).hexdigest(), decision)
    return decision


async def hold_unreadable(services: Services, config: MailConfig, position: Position, cause: str) -> Decision:
    """A mail whose fetch alone crashes the IMAP parser: held for a person, unread."""
    digest = hashlib.sha256(position.key.encode()).hexdigest()  # no bytes to hash: one per position
    async with services.sessions() as session, write_transaction(session):
        return await _hold(
            session,
            services,
            config,
            position,
            b"",
            f"imap-unreadable:{cause}",
            Batch(),
            message_id_hash=digest,
        )


async def _record(
    session: AsyncSession, services: Services, position: Position, message_id_hash: str, decision: Decision
) -> None:
    await mail_repo.record(
        session,
        mailbox=position.mailbox,
        uidvalidity=position.uidvalidity,
        uid=position.uid,
        message_id_hash=message_id_hash,
        outcome=decision.outcome,
        decided_by=decision.decided_by,
        now=services.clock(),
    )
