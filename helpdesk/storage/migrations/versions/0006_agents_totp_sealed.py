"""agents: room for the encrypted TOTP secret, and the last accepted time step (replay check)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

No data step: the secrets are sealed by the console at each agent's next sign-in, with the key the
console has (a migration may run without HELPDESK_SECRET_KEY, or with another one).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("agents", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    # SQLite does not enforce VARCHAR lengths, and altering a column there rebuilds the table
    # (which other tables reference): only PostgreSQL needs the wider type.
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "agents", "totp_secret", type_=sa.String(200), existing_type=sa.String(64), existing_nullable=True
        )


def downgrade() -> None:
    # 0005's code reads the column as a bare base32 secret: with encrypted ones it would fail at
    # every such sign-in, and dropping them would switch those agents' second factor off unseen.
    sealed = op.get_bind().execute(sa.text("SELECT count(*) FROM agents WHERE totp_secret LIKE 'v1:%'"))
    count = sealed.scalar_one()
    if count:
        raise RuntimeError(
            f"{count} agent(s) have an encrypted TOTP secret that revision 0005 cannot read: restore "
            "the backup taken before 0006, or turn their second factor off first "
            "(helpdesk agents totp NAME --off)"
        )
    with op.batch_alter_table("agents") as batch_op:
        if op.get_bind().dialect.name != "sqlite":
            batch_op.alter_column(
                "totp_secret", type_=sa.String(64), existing_type=sa.String(200), existing_nullable=True
            )
        batch_op.drop_column("totp_last_step")
