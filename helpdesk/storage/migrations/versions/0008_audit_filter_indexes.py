"""audit_events: indexes for the console log's actor and action filters

The audit log page filters by actor and by action and pages newest first by id (``WHERE actor = ?
AND id < ? ORDER BY id DESC LIMIT 100``). Without an index the database walks the primary key
backwards and tests every row, so a rare actor on a large log costs a scan of all of it. ``(actor,
id)`` and ``(action, id)`` give the page straight from the index, as ``(request_id, id)`` already
does for the item filter; the rate limit's ``count_since`` (actor and action) uses the first too.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_events_actor", "audit_events", ["actor", "id"])
    op.create_index("ix_audit_events_action", "audit_events", ["action", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_action", table_name="audit_events")
    op.drop_index("ix_audit_events_actor", table_name="audit_events")
