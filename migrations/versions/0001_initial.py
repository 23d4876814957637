"""The first schema: users, chats, conversations, transcripts, outcomes, handoffs, staff.

Every table and index is created explicitly (never ``create_all``) so later
migrations have a fixed starting point; ``downgrade`` drops it all again.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine[int]:
    # BigInteger on PostgreSQL; SQLite auto-increments only INTEGER PRIMARY KEY.
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _pk() -> sa.Column[int]:
    return sa.Column("id", _id(), autoincrement=True, nullable=False)


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _conversation_fk(table: str) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    return (
        sa.Column("conversation_id", _id(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=f"fk_{table}_conversation_id_conversations",
            ondelete="CASCADE",
        ),
    )


def upgrade() -> None:
    op.create_table(
        "chats",
        _pk(),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("chat_key", sa.String(200), nullable=False),
        sa.Column("current_conversation_id", _id(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_chats"),
        sa.UniqueConstraint("platform", "chat_key", name="uq_chats_platform"),
    )
    op.create_table(
        "processed_events",
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("platform", "event_id", name="pk_processed_events"),
    )
    op.create_index("ix_processed_events_created_at", "processed_events", ["created_at"])
    op.create_table(
        "staff_accounts",
        _pk(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _when("locked_until", nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_accounts"),
        sa.UniqueConstraint("name", name="uq_staff_accounts_name"),
    )
    op.create_table(
        "users",
        _pk(),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("language_chosen", sa.Boolean(), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("platform", "external_id", name="uq_users_platform"),
    )
    op.create_table(
        "conversations",
        _pk(),
        sa.Column("chat_id", _id(), nullable=False),
        sa.Column("user_id", _id(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("intent", sa.String(80), nullable=True),
        sa.Column("step_index", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        _when("started_at"),
        _when("updated_at"),
        _when("ended_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chats.id"], name="fk_conversations_chat_id_chats", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_conversations_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
    )
    op.create_index("ix_conversations_chat_id", "conversations", ["chat_id"])
    op.create_index("ix_conversations_user_id", "conversations", ["user_id"])
    op.create_index("ix_conversations_started", "conversations", ["started_at"])
    op.create_index("ix_conversations_status_started", "conversations", ["status", "started_at"])
    op.create_index("ix_conversations_intent_started", "conversations", ["intent", "started_at"])
    op.create_table(
        "handoffs",
        _pk(),
        *_conversation_fk("handoffs"),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("problem", sa.String(80), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        _when("claimed_at", nullable=True),
        sa.Column("closed_by", sa.String(100), nullable=True),
        _when("closed_at", nullable=True),
        _when("delivered_at", nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
    )
    op.create_index("ix_handoffs_conversation_id", "handoffs", ["conversation_id"])
    op.create_index("ix_handoffs_status_created", "handoffs", ["status", "created_at"])
    op.create_table(
        "messages",
        _pk(),
        *_conversation_fk("messages"),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("payload", sa.String(64), nullable=True),
        sa.Column("buttons", sa.JSON(), nullable=True),
        sa.Column("intent", sa.String(80), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
    )
    op.create_index("ix_messages_conversation_id_id", "messages", ["conversation_id", "id"])
    op.create_table(
        "ratings",
        _pk(),
        *_conversation_fk("ratings"),
        sa.Column("score", sa.Integer(), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_ratings"),
    )
    op.create_index("ix_ratings_conversation_id", "ratings", ["conversation_id"])
    op.create_table(
        "step_outcomes",
        _pk(),
        *_conversation_fk("step_outcomes"),
        sa.Column("problem", sa.String(80), nullable=False),
        sa.Column("step_id", sa.String(80), nullable=False),
        sa.Column("step_number", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_step_outcomes"),
    )
    op.create_index("ix_step_outcomes_conversation_id", "step_outcomes", ["conversation_id"])
    op.create_index("ix_step_outcomes_problem_step", "step_outcomes", ["problem", "step_id"])
    op.create_table(
        "handoff_notes",
        _pk(),
        sa.Column("handoff_id", _id(), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(
            ["handoff_id"],
            ["handoffs.id"],
            name="fk_handoff_notes_handoff_id_handoffs",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_handoff_notes"),
    )
    op.create_index("ix_handoff_notes_handoff_id", "handoff_notes", ["handoff_id"])


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes with it.
    for table in (
        "handoff_notes",
        "step_outcomes",
        "ratings",
        "messages",
        "handoffs",
        "conversations",
        "users",
        "staff_accounts",
        "processed_events",
        "chats",
    ):
        op.drop_table(table)
