"""Where a handoff's notice was posted, so later additions go to its thread.

Revision ID: 0008_case_thread
Revises: 0007_i14_outbox
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_case_thread"
down_revision: str | None = "0007_i14_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("thread_destination", sa.String(400), nullable=True))
        batch.add_column(sa.Column("thread_message", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("thread_message")
        batch.drop_column("thread_destination")
