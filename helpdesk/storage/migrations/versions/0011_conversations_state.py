"""conversations: the conversation state (what the next typed line answers, the choices offered)

The Telegram bot kept this in aiogram's FSM storage and ``helpdesk chat`` in its own loop; it now
lives with the conversation, so every channel and every bot instance reads the next line the same
way. One JSON value, NULL when nothing is awaited or offered (every existing row).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("conversations", sa.Column("state", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("state")
