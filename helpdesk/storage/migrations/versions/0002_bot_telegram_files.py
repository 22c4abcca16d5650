"""bot: Telegram file_id cache and per-user language choice

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import helpdesk.storage.models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_telegram_files",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("document_key", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_id", sa.String(length=300), nullable=False),
        sa.Column("created_at", helpdesk.storage.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "document_key", name=op.f("pk_bot_telegram_files")),
    )
    op.create_table(
        "bot_chat_languages",
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("updated_at", helpdesk.storage.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("telegram_user_id", name=op.f("pk_bot_chat_languages")),
    )


def downgrade() -> None:
    op.drop_table("bot_chat_languages")
    op.drop_table("bot_telegram_files")
