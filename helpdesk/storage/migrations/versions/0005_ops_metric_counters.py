"""ops: cluster-wide event counters behind /metrics

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import helpdesk.storage.models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "metric_counters",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("labels", sa.String(500), primary_key=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("updated_at", helpdesk.storage.models.base.UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("metric_counters")
