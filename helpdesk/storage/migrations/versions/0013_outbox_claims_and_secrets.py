"""outbox: claims (sending, by whom, since when), interrupted sends, one-time secrets; keyed codes

The senders now take messages by claiming them (``status = 'sending'`` with ``claimed_by`` and
``claimed_at``), so several connections send at once and two senders never send one message; a
send cut off mid-way is counted in ``interrupted``. ``secret`` is the confirmation code a message
carries until it is sent, then masked in the body.

Confirmation codes are now hashed with an HMAC keyed from HELPDESK_SECRET_KEY. The unkeyed hashes
of the codes still open cannot be re-keyed (the codes are not kept), so they are refused: open
codes expire now, and a resident who types one is told that it expired and may ask for another
(a code lives an hour by default, so this touches at most the last hour's requests). Code mails
already sent are masked like new ones; code mails not sent yet are dropped, since their codes no
longer work.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

import re
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import helpdesk.storage.models.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")  # the six-digit codes the consent handler mailed
_MASK = "[code]"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("claimed_at", helpdesk.storage.models.base.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("interrupted", sa.Integer(), nullable=False, server_default=sa.text("0")))
        batch.add_column(sa.Column("secret", sa.String(length=64), nullable=True))
    codes = sa.table(
        "confirmation_codes",
        sa.column("used_at", helpdesk.storage.models.base.UTCDateTime()),
        sa.column("expires_at", helpdesk.storage.models.base.UTCDateTime()),
    )
    now = datetime.now(UTC)
    op.execute(codes.update().where(codes.c.used_at.is_(None), codes.c.expires_at > now).values(expires_at=now))
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("dedupe_key", sa.String()),
        sa.column("body_text", sa.Text()),
        sa.column("body_html", sa.Text()),
    )
    connection = op.get_bind()
    code_mails = outbox.c.dedupe_key.like("consent-code:%")
    connection.execute(outbox.delete().where(code_mails, outbox.c.status != "sent"))
    rows = connection.execute(sa.select(outbox.c.id, outbox.c.body_text, outbox.c.body_html).where(code_mails))
    for row_id, text, html in rows.all():
        connection.execute(
            outbox.update()
            .where(outbox.c.id == row_id)
            .values(body_text=_CODE.sub(_MASK, text or ""), body_html=_CODE.sub(_MASK, html) if html else html)
        )


def downgrade() -> None:
    op.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("secret")
        batch.drop_column("interrupted")
        batch.drop_column("claimed_at")
        batch.drop_column("claimed_by")
