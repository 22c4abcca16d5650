"""agents: a session generation, so that sign-outs, password and TOTP changes end old sessions

The console's session cookie is signed, not stored: without a server-side value to compare with, a
cookie copied before a sign-out or a password change kept working until it aged out (12 hours).
Each cookie now carries the agent's generation at sign-in, and a request whose cookie carries an
older one is signed out. Existing agents start at 0, as do the cookies issued before this revision
(they carry none), so an upgrade signs nobody out.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "agents",
        sa.Column("session_generation", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    op.drop_column("agents", "session_generation")
