"""Counting the SQL statements a piece of work sends: how the tests hold a round-trip budget."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from helpdesk.services import Services


@contextmanager
def statements(services: Services) -> Iterator[list[str]]:
    """Every statement sent on ``services``' engine inside the block, whitespace folded."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    target = services.engine.sync_engine
    event.listen(target, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(target, "before_cursor_execute", record)
