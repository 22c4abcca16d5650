"""The outbox: every outgoing Telegram message and e-mail is a row here before it is sent.

A send that fails is retried later with a capped exponential backoff, so an outage of Telegram or
of the SMTP server delays a message and never loses one. ``dedupe_key`` is unique: re-processing
the same inbound message cannot queue a second answer. :func:`due` takes row locks with
``SKIP LOCKED`` on PostgreSQL, so two senders (a hot standby that woke too early, say) never pick the
same message; SQLite ignores the clause and relies on the single writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.redaction import redact
from helpdesk.storage.models.delivery import OutboxMessage

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
) -> OutboxMessage:
    """Add a message (idempotent on ``dedupe_key``: the existing row is returned). The caller commits."""
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
    )
    if not_before is not None:
        row.next_attempt_at = not_before
    session.add(row)
    await session.flush()
    return row


async def due(session: AsyncSession, *, channel: str, now: datetime, limit: int) -> list[OutboxMessage]:
    """Pending messages whose next attempt is due, oldest first, locked for this transaction."""
    rows = await session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def get(session: AsyncSession, message_id: int) -> OutboxMessage | None:
    return await session.get(OutboxMessage, message_id)


async def mark_sent(session: AsyncSession, message_id: int, now: datetime) -> None:
    row = await session.get(OutboxMessage, message_id)
    if row is None:
        return
    row.status, row.sent_at, row.last_error = "sent", now, None


async def mark_failed(session: AsyncSession, message_id: int, error: str, now: datetime) -> None:
    """Record a failed attempt (the error is redacted and cut) and schedule the next one."""
    row = await session.get(OutboxMessage, message_id)
    if row is None:
        return
    row.attempts += 1
    row.last_error = redact(error)[:500]
    row.next_attempt_at = now + backoff(row.attempts)
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"


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
            OutboxMessage.status == "failed",
            OutboxMessage.next_attempt_at <= now - older_than,
            OutboxMessage.created_at >= now - queued_within,
        )
        .values(status="pending", attempts=MAX_ATTEMPTS - 1, next_attempt_at=now)
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


async def sent_to_since(session: AsyncSession, *, channel: str, recipient: str, since: datetime) -> int:
    """How many messages were queued for one recipient since ``since`` (the per-sender reply cap)."""
    n = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.recipient == recipient,
            OutboxMessage.created_at >= since,
        )
    )
    return int(n or 0)


async def sent_to_many_since(
    session: AsyncSession, *, channel: str, recipients: Iterable[str], since: datetime
) -> dict[str, int]:
    """:func:`sent_to_since` for many recipients in one query (recipients with none are left out)."""
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


async def delete_sent_before(session: AsyncSession, *, cutoff: datetime, limit: int = 5000) -> int:
    """Delete sent messages older than ``cutoff`` in one bounded batch (retention)."""
    ids = list(
        await session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "sent", OutboxMessage.sent_at < cutoff)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )
    if not ids:
        return 0
    result = await session.execute(
        OutboxMessage.__table__.delete().where(OutboxMessage.__table__.c.id.in_(ids))  # type: ignore[attr-defined]
    )
    return int(getattr(result, "rowcount", 0) or 0)
