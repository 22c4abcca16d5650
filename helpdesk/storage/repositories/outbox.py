"""The outbox: every outgoing Telegram message and e-mail is a row here before it is sent.

A send that fails is retried later with a capped exponential backoff, so an outage of Telegram or
of the SMTP server delays a message and never loses one. ``dedupe_key`` is unique: re-processing
the same inbound message cannot queue a second answer.

A sender takes messages with :func:`claim`: in one write transaction the due rows go from
``pending`` to ``sending``, stamped with the sender run (``claimed_by``) and the time. PostgreSQL
reads them ``FOR UPDATE SKIP LOCKED``, so two senders (a mailbox and the jobs' retry, a hot standby
that woke early, ``mailbox --once`` next to a running mailbox) take disjoint rows; SQLite has one
writer at a time, and a claimed row is no longer ``pending`` for the next one. A sender that died
mid-send leaves its rows ``sending``: :func:`claim` gives rows claimed longer than
:data:`CLAIM_LEASE` ago back (and a sender that holds its channel's leadership takes back the rows
of earlier leaders at once, :func:`recover`), counted as ``interrupted``: the server may have
accepted them before the process died, so they are sent again with the same Message-ID.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, case, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from helpdesk.core.redaction import redact
from helpdesk.storage.models.delivery import OutboxMessage

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
#: A claim older than this belongs to a sender that died: no live one takes this long for one
#: message (SMTP's commands time out after 30 s each; Telegram's calls sooner).
CLAIM_LEASE = timedelta(minutes=5)
#: What a one-time secret (a confirmation code) reads as in a message's body once it was sent.
SECRET_MASK = "[code]"  # noqa: S105 - a placeholder, not a secret
INTERRUPTED_ERROR = "outcome unknown: the send was interrupted; sent again with the same Message-ID"

#: After this many failed attempts a message is marked ``failed`` and left for a person (or the
#: jobs' retry sweep, which gives failed messages one more round after an outage).
MAX_ATTEMPTS = 6
_FIRST_DELAY_SECONDS = 30
_MAX_DELAY_SECONDS = 3600


def backoff(attempts: int) -> timedelta:
    """Delay before attempt ``attempts + 1``: 30 s, 60 s, 2 min, ... capped at one hour."""
    return timedelta(seconds=min(_FIRST_DELAY_SECONDS * 2 ** max(attempts - 1, 0), _MAX_DELAY_SECONDS))


async def enqueue(
    session: AsyncSession,
    *,
    channel: str,
    recipient: str,
    subject: str = "",
    body_text: str = "",
    body_html: str | None = None,
    attachments: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    request_id: int | None = None,
    not_before: datetime | None = None,
    secret: str | None = None,
) -> OutboxMessage:
    """Add a message (idempotent on ``dedupe_key``: the existing row is returned). The caller commits.

    ``secret`` is a one-time secret that ``body_text``/``body_html`` carry (a confirmation code):
    the row keeps it only until the message is sent, then every copy in the body is masked.
    """
    if dedupe_key is not None:
        existing = await session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    row = OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=list(attachments),
        headers=headers or {},
        payload=payload or {},
        dedupe_key=dedupe_key,
        request_id=request_id,
        secret=secret,
    )
    if not_before is not None:
        row.next_attempt_at = not_before
    session.add(row)
    await session.flush()
    return row


def _interrupted(now: datetime) -> dict[str, Any]:
    """A send that was cut off: back to ``pending`` at once (or ``failed`` after the last attempt),
    one more attempt and one more interruption counted."""
    return {
        "status": case((OutboxMessage.attempts + 1 >= MAX_ATTEMPTS, FAILED), else_=PENDING),
        "attempts": OutboxMessage.attempts + 1,
        "interrupted": OutboxMessage.interrupted + 1,
        "last_error": INTERRUPTED_ERROR,
        "next_attempt_at": now,
        "claimed_by": None,
        "claimed_at": None,
    }


async def recover(
    session: AsyncSession, *, channel: str, now: datetime, claimed_by_prefix: str | None = None
) -> int:
    """Give ``sending`` rows of dead senders back as ``pending``, counted as interrupted.

    Rows claimed longer than :data:`CLAIM_LEASE` ago, and, with ``claimed_by_prefix``, every row
    claimed by a sender run whose name starts so (a sender that holds its channel's leadership
    knows that the earlier holders are gone). The attempt counts: a message that kills its sender
    every time ends ``failed`` rather than looping. Returns how many rows came back.
    """
    dead: ColumnElement[bool] = OutboxMessage.claimed_at < now - CLAIM_LEASE
    if claimed_by_prefix is not None:
        dead = dead | OutboxMessage.claimed_by.startswith(claimed_by_prefix, autoescape=True)
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.channel == channel, OutboxMessage.status == SENDING, dead)
        .values(_interrupted(now))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def claim(
    session: AsyncSession, *, channel: str, now: datetime, limit: int, claimed_by: str
) -> list[OutboxMessage]:
    """Take up to ``limit`` due messages, oldest first, for the sender run ``claimed_by``.

    Call inside a write transaction (:func:`~helpdesk.storage.engine.write_transaction`); once it
    commits, the rows are ``sending`` and no other sender takes them. Rows of senders that died
    more than :data:`CLAIM_LEASE` ago come back first (:func:`recover`).
    """
    await recover(session, channel=channel, now=now)
    rows = list(
        await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.channel == channel,
                OutboxMessage.status == PENDING,
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if rows:
        table = cast(Table, OutboxMessage.__table__)
        await session.execute(
            update(table)
            .where(table.c.id.in_([row.id for row in rows]))
            .values(status=SENDING, claimed_by=claimed_by, claimed_at=now)
        )
        for row in rows:  # what the sender sees, without reading the rows again
            set_committed_value(row, "status", SENDING)
            set_committed_value(row, "claimed_by", claimed_by)
            set_committed_value(row, "claimed_at", now)
    return rows


async def release(
    session: AsyncSession, *, claimed_by: str, unknown: Iterable[int] = (), now: datetime
) -> int:
    """A sender run that stops gives back what it still holds: rows it never began to send return
    to ``pending`` untouched; rows in ``unknown`` were mid-send (they may have arrived) and count
    as interrupted (:func:`recover`). Returns how many rows came back."""
    mid_send = sorted(set(unknown))
    count = 0
    if mid_send:
        result = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.claimed_by == claimed_by,
                OutboxMessage.status == SENDING,
                OutboxMessage.id.in_(mid_send),
            )
            .values(_interrupted(now))
            .execution_options(synchronize_session=False)
        )
        count += int(getattr(result, "rowcount", 0) or 0)
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claimed_by == claimed_by, OutboxMessage.status == SENDING)
        .values(status=PENDING, claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    return count + int(getattr(result, "rowcount", 0) or 0)


def _masked(column: Any) -> Any:
    """The body with every copy of the row's secret replaced (``replace()`` is the same SQL function
    on SQLite and PostgreSQL); unchanged when the row has none."""
    return case(
        (OutboxMessage.secret.is_(None), column),
        else_=func.replace(column, OutboxMessage.secret, SECRET_MASK),
    )


async def mark_sent(
    session: AsyncSession, message_ids: int | Iterable[int], now: datetime, *, relaxed_commit: bool = False
) -> None:
    """The server accepted these messages: one UPDATE, so the window between its answer and this
    record is as short as a commit. A secret the body carried is masked now (it did its job).

    ``relaxed_commit``: on PostgreSQL this transaction's commit does not wait for its WAL to reach
    the disk (``synchronous_commit`` off, for this transaction only), which saves a sender a disk
    flush per commit. Only a crash of PostgreSQL itself in the next fraction of a second can undo
    the record; the messages are then ``sending`` again, and sent again as interrupted: at least
    once, as always. A crash of our process after the commit loses nothing.
    """
    ids = [message_ids] if isinstance(message_ids, int) else sorted(message_ids)
    if relaxed_commit and session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    table = cast(Table, OutboxMessage.__table__)
    await session.execute(
        update(table)  # Core, not the ORM's bulk path: this is the senders' hot statement
        .where(table.c.id.in_(ids))
        .values(
            status=SENT,
            sent_at=now,
            last_error=None,
            claimed_by=None,
            claimed_at=None,
            body_text=_masked(OutboxMessage.body_text),
            body_html=_masked(OutboxMessage.body_html),
            secret=None,
        )
    )


async def mark_failed(
    session: AsyncSession, message_id: int, error: str, now: datetime, *, unknown: bool = False
) -> None:
    """Record a failed attempt (the error is redacted and cut) and schedule the next one.

    ``unknown``: the connection broke mid-send, so the server may have accepted the message; the
    next attempt may deliver a second copy (with the same Message-ID), which ``interrupted`` counts.
    """
    row = await session.get(OutboxMessage, message_id)
    if row is None:
        return
    row.attempts += 1
    row.interrupted += int(unknown)
    row.last_error = redact(error)[:500]
    row.next_attempt_at = now + backoff(row.attempts)
    row.status = FAILED if row.attempts >= MAX_ATTEMPTS else PENDING
    row.claimed_by = row.claimed_at = None


async def retry_failed(
    session: AsyncSession, *, now: datetime, older_than: timedelta, queued_within: timedelta
) -> int:
    """Give messages that gave up at least ``older_than`` ago one more round; returns how many.

    Only messages queued within ``queued_within``: a recipient that is gone for good (a blocked bot,
    a deleted mailbox) must not be tried every hour forever; past that it stays ``failed``, which
    /metrics shows.
    """
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == FAILED,
            OutboxMessage.next_attempt_at <= now - older_than,
            OutboxMessage.created_at >= now - queued_within,
        )
        .values(status=PENDING, attempts=MAX_ATTEMPTS - 1, next_attempt_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def counts(session: AsyncSession) -> dict[tuple[str, str], int]:
    """Messages per (channel, status): the figures behind /metrics."""
    rows = await session.execute(
        select(OutboxMessage.channel, OutboxMessage.status, func.count()).group_by(
            OutboxMessage.channel, OutboxMessage.status
        )
    )
    return {(channel, status): int(n) for channel, status, n in rows}


async def sent_to_many_since(
    session: AsyncSession, *, channel: str, recipients: Iterable[str], since: datetime
) -> dict[str, int]:
    """How many messages were queued for each of these recipients since ``since`` (the per-sender
    reply cap), in one query for a whole batch; recipients with none are left out."""
    wanted = sorted(set(recipients))
    if not wanted:
        return {}
    rows = await session.execute(
        select(OutboxMessage.recipient, func.count())
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.recipient.in_(wanted),
            OutboxMessage.created_at >= since,
        )
        .group_by(OutboxMessage.recipient)
    )
    return {str(recipient): int(n) for recipient, n in rows}
