"""jobs: indexes the retention purge needs

Deleting a conversation makes PostgreSQL set ``requests.conversation_id`` to NULL where it pointed
at it, and deleting a closed request does the same to ``outbox.request_id``: without an index each
deleted row costs a scan of the whole other table. The purge's legal-hold check looks requests up by
conversation too.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_requests_conversation", "requests", ["conversation_id"])
    op.create_index("ix_outbox_request", "outbox", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_request", table_name="outbox")
    op.drop_index("ix_requests_conversation", table_name="requests")
