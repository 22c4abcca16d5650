"""requests: when an item started waiting for the resident, and when the resident answered

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Both columns are NULL for existing rows: no item was ever set to ``waiting`` before this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import helpdesk.storage.models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "requests", sa.Column("waiting_since", helpdesk.storage.models.base.UTCDateTime(), nullable=True)
    )
    op.add_column(
        "requests",
        sa.Column("resident_replied_at", helpdesk.storage.models.base.UTCDateTime(), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("resident_replied_at")
        batch.drop_column("waiting_since")
