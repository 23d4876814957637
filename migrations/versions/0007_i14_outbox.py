"""The reply outbox: replies written in the turn's transaction, delivered by a worker.

Revision ID: 0007_i14_outbox
Revises: 0005_i11_dedup_scope
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_i14_outbox"
down_revision: str | None = "0005_i11_dedup_scope"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("chat_key", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("conversation_id", Id, nullable=True),
        sa.Column("destination", sa.String(400), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=True),
        sa.Column("edits", sa.String(200), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("parts_sent", sa.Integer(), nullable=False),
        sa.Column("uncertain", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", When, nullable=False),
        sa.Column("deadline_at", When, nullable=False),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", When, nullable=True),
        sa.Column("sent_id", sa.String(200), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("sent_at", When, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_state_next", "outbox", ["state", "next_attempt_at"])
    op.create_index("ix_outbox_chat", "outbox", ["platform", "chat_key", "id"])


def downgrade() -> None:
    op.drop_table("outbox")
