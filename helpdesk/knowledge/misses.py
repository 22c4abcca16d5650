"""``helpdesk kb misses``: escalated questions with the entry the matcher found closest, so agents
see which answers the knowledge base lacks (and which phrasings an existing entry should learn)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from helpdesk.knowledge.matcher import KnowledgeMatcher


async def recent_misses(
    matcher: KnowledgeMatcher, database_url: str, *, days: int, now: datetime | None = None
) -> list[dict[str, Any]]:
    from helpdesk.storage.engine import create_engine, create_session_factory
    from helpdesk.storage.repositories import kb_misses

    since = (now or datetime.now(UTC)) - timedelta(days=days)
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            items = await kb_misses.escalated_since(session, since=since)
            rows: list[dict[str, Any]] = []
            for item in items:
                match = matcher.match(item.summary, item.language) if item.summary.strip() else None
                closest = match.candidates[0] if match and match.candidates else None
                rows.append(
                    {
                        "id": item.id,
                        "received_at": item.received_at.isoformat(),
                        "channel": item.channel,
                        "language": item.language,
                        "status": item.status,
                        "reason": str((item.details or {}).get("reason", "")),
                        "question": item.summary,
                        "closest": closest.entry if closest else None,
                        "closest_score": closest.score if closest else None,
                    }
                )
            return rows
    finally:
        await engine.dispose()
