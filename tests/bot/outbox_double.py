"""A stand-in for ``helpdesk.storage.repositories.outbox`` (the mailbox area's repository) with the
signature from the common brief, used only while that module is not in the checkout.

It works on the real ``outbox`` table, so the bot's delivery is tested against real storage; the
fixture in test_delivery.py prefers the real repository whenever it can be imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.delivery import OutboxMessage

MAX_ATTEMPTS = 5


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
) -> OutboxMessage:
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
    session.add(row)
    await session.flush()
    return row


async def due(session: AsyncSession, *, channel: str, now: datetime, limit: int) -> list[OutboxMessage]:
    rows = await session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(rows)


async def mark_sent(session: AsyncSession, message_id: int, now: datetime) -> None:
    row = await session.get(OutboxMessage, message_id)
    assert row is not None
    row.status, row.sent_at = "sent", now


async def mark_failed(session: AsyncSession, message_id: int, error: str, now: datetime) -> None:
    row = await session.get(OutboxMessage, message_id)
    assert row is not None
    row.attempts += 1
    row.last_error = error[:500]
    row.next_attempt_at = now + timedelta(seconds=min(60 * 2**row.attempts, 3600))
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
