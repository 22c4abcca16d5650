"""requests: when the agents were told that an item arrived

The jobs announce new queue items to ``HELPDESK_AGENTS_EMAIL`` and ``HELPDESK_AGENTS_TELEGRAM_CHAT``
and mark each item in the same transaction. Items that exist before this revision count as
announced (their ``created_at``), so an upgrade sends no flood of old items; a partial index keeps
the few unannounced ones cheap to find.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import helpdesk.storage.models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOT_NOTIFIED = sa.text("agents_notified_at IS NULL")


def upgrade() -> None:
    op.add_column(
        "requests",
        sa.Column("agents_notified_at", helpdesk.storage.models.base.UTCDateTime(), nullable=True),
    )
    requests = sa.table("requests", sa.column("agents_notified_at"), sa.column("created_at"))
    op.execute(requests.update().values(agents_notified_at=requests.c.created_at))
    op.create_index(
        "ix_requests_not_notified",
        "requests",
        ["id"],
        postgresql_where=_NOT_NOTIFIED,
        sqlite_where=_NOT_NOTIFIED,
    )


def downgrade() -> None:
    op.drop_index("ix_requests_not_notified", table_name="requests")
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("agents_notified_at")
