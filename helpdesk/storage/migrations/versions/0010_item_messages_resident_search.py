"""messages: the queue item a message opened or joined; residents: a folded search key

``messages.request_id`` lets the item page show the item's own exchange (the messages that opened
and joined it, and the agents' replies) before the rest of the conversation. Rows stored before
this revision have none; the page then takes the item's conversation from when the item was
received.

``residents.search_key`` is the name, address and addresses on record folded as people type them
(lower case, no diacritics), filled here for existing rows and by the repository from now on, so
the agents' resident search works alike on SQLite and PostgreSQL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from helpdesk.core.text import search_key

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000


def upgrade() -> None:
    op.add_column("messages", sa.Column("request_id", sa.Integer(), nullable=True))
    op.create_index("ix_messages_request", "messages", ["request_id", "id"])
    op.add_column("residents", sa.Column("search_key", sa.Text(), server_default="", nullable=False))
    residents = sa.table(
        "residents",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("address", sa.String),
        sa.column("invoice_email", sa.String),
        sa.column("news_email", sa.String),
        sa.column("search_key", sa.Text),
    )
    connection = op.get_bind()
    last = ""
    while True:
        rows = connection.execute(
            sa.select(
                residents.c.id,
                residents.c.name,
                residents.c.address,
                residents.c.invoice_email,
                residents.c.news_email,
            )
            .where(residents.c.id > last)
            .order_by(residents.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            residents.update().where(residents.c.id == sa.bindparam("p_id")),
            [{"p_id": row[0], "search_key": search_key(*row[1:])} for row in rows],
        )
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("residents") as batch:
        batch.drop_column("search_key")
    op.drop_index("ix_messages_request", table_name="messages")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("request_id")
