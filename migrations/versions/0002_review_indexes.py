"""Indexes for the review site at 100,000 conversations.

Covering indexes let the insights page aggregate from the index alone (one
pass over conversations, one over step outcomes), and the missed-messages page
read the newest "none"/"ambiguous" messages without scanning the transcript.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    (
        "ix_conversations_review_stats",
        "conversations",
        ["intent", "status", "language", "platform", "started_at"],
    ),
    (
        "ix_step_outcomes_review_stats",
        "step_outcomes",
        ["problem", "step_id", "outcome", "step_number", "created_at"],
    ),
    ("ix_messages_decision_id", "messages", ["decision", "id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
