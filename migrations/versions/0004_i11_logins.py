"""Logins that cannot be raced: a throttle table and a session key per staff account.

``login_throttle`` counts failed logins per key ("account:<name>",
"address:<ip>"), whether or not the account exists, so an unknown name costs
what a known one does. A login reserves its check with one conditional UPDATE
on its keys before the password is verified, so parallel attempts cannot all
be checked before the lockout.

``staff_accounts.session_key`` is the account's session version: a random
value every session cookie must carry. Logging out, a password change and
removing the account replace it (or delete it), so every session ends at
once; an account added again under the same name gets a new one. Accounts
stored before have none: their old cookies stop working and the next login
sets one.

Revision ID: 0004_i11_logins
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_i11_logins"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("staff_accounts") as batch:
        batch.add_column(sa.Column("session_key", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts") as batch:
        batch.drop_column("session_key")
    op.drop_table("login_throttle")
