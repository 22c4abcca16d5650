"""The migrations create exactly what the models describe, and the ledgers are append-only."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from helpdesk.storage.models import Base


async def test_migrations_match_models(engine: AsyncEngine) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


@pytest.mark.parametrize("table", ["consent_events", "audit_events"])
async def test_ledgers_refuse_update_and_delete(engine: AsyncEngine, table: str) -> None:
    async with engine.begin() as connection:
        if table == "consent_events":
            await connection.execute(
                text(
                    "INSERT INTO residents (id, name, address, language, created_at, updated_at) "
                    "VALUES ('R-1', 'A', '', 'lv', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO consent_events (resident_id, purpose, granted, channel, evidence, "
                    "text_version, actor, created_at) VALUES ('R-1', 'news', true, 'chat', 'm1', 'v1', "
                    "'resident', CURRENT_TIMESTAMP)"
                )
            )
        else:
            await connection.execute(
                text(
                    "INSERT INTO audit_events (actor, action, detail, created_at) "
                    "VALUES ('system', 'purge', '{}', CURRENT_TIMESTAMP)"
                )
            )
    for statement in (f"UPDATE {table} SET created_at = CURRENT_TIMESTAMP", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as connection:
                await connection.execute(text(statement))
