"""The queue as data: items soonest deadline first, with the fields ``helpdesk requests list --json``
prints (its keys are a contract: scripts read them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.requests import RequestStatus, SupportRequest
from helpdesk.storage.repositories import requests


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def as_row(item: SupportRequest) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "status": item.status,
        "channel": item.channel,
        "resident_id": item.resident_id,
        "identity": item.identity,
        "language": item.language,
        "received_at": item.received_at.isoformat(),
        "deadline_at": item.deadline_at.isoformat(),
        # Set while the item waits for the resident / after the resident answered it.
        "waiting_since": _iso(item.waiting_since),
        "resident_replied_at": _iso(
            item.resident_replied_at if item.status != RequestStatus.CLOSED else None
        ),
        "summary": item.summary,
    }


async def queue_rows(
    session: AsyncSession, *, include_closed: bool = False, kind: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Open items (all with ``include_closed``), optionally of one kind or in one status."""
    statuses = None if include_closed else [s.value for s in RequestStatus if s is not RequestStatus.CLOSED]
    if status:
        statuses = [status]
    items = await requests.list_items(session, statuses=statuses, kinds=[kind] if kind else None)
    return [as_row(item) for item in items]
