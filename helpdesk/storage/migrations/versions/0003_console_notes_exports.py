"""console: internal notes and GDPR exports, both removed with their request

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import helpdesk.storage.models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", helpdesk.storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_request_notes_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_notes")),
    )
    with op.batch_alter_table("request_notes", schema=None) as batch_op:
        batch_op.create_index("ix_request_notes_request", ["request_id", "id"], unique=False)
    op.create_table(
        "request_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("json_text", sa.Text(), nullable=False),
        sa.Column("html_text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("reviewed_at", helpdesk.storage.models.base.UTCDateTime(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("sent_at", helpdesk.storage.models.base.UTCDateTime(), nullable=True),
        sa.Column("sent_via", sa.String(length=16), nullable=True),
        sa.Column("created_at", helpdesk.storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_request_exports_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_exports")),
    )
    with op.batch_alter_table("request_exports", schema=None) as batch_op:
        batch_op.create_index("ix_request_exports_request", ["request_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("request_exports", schema=None) as batch_op:
        batch_op.drop_index("ix_request_exports_request")
    op.drop_table("request_exports")
    with op.batch_alter_table("request_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_request_notes_request")
    op.drop_table("request_notes")
