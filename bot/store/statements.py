"""The SQL of one inbound event, built once per dialect and reused (the hot path).

Core statements with named bind parameters: building and compiling a statement
costs more than running it on SQLite, so each is made once and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Insert, Select, Update, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.models import (
    Chat,
    Conversation,
    Handoff,
    Message,
    ProcessedEvent,
    Rating,
    StepOutcome,
    User,
)

chats = Chat.__table__
users = User.__table__
conversations = Conversation.__table__
messages = Message.__table__
step_outcomes = StepOutcome.__table__
handoffs = Handoff.__table__
ratings = Rating.__table__
processed_events = ProcessedEvent.__table__


@dataclass(frozen=True, slots=True)
class Statements:
    claim_event: Insert
    select_chat: Select[tuple[int, int | None]]
    insert_chat: Insert
    set_current: Update
    select_user: Select[tuple[int, str | None, bool, str | None]]
    insert_user: Insert
    update_user: Update
    select_conversation: Select[tuple[object, ...]]
    insert_conversation: Insert
    update_conversation: Update
    insert_message: Insert
    insert_step_outcome: Insert
    insert_handoff: Insert
    insert_rating: Insert


def _insert_ignoring_conflicts(dialect: str, table: object) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING where the dialect has it, else a plain INSERT."""
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()  # type: ignore[arg-type]
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()  # type: ignore[arg-type]
    return insert(table)  # type: ignore[arg-type]


@cache
def statements_for(dialect: str) -> Statements:
    """The statements for ``dialect`` (``engine.dialect.name``), made on first use."""
    return Statements(
        claim_event=insert(processed_events),
        select_chat=select(chats.c.id, chats.c.current_conversation_id)
        .where(chats.c.platform == bindparam("platform"))
        .where(chats.c.chat_key == bindparam("chat_key"))
        .with_for_update(),  # ignored by SQLite, whose transaction already holds the write lock
        insert_chat=_insert_ignoring_conflicts(dialect, chats),
        set_current=update(chats)
        .where(chats.c.id == bindparam("chat_id"))
        .values(current_conversation_id=bindparam("conversation_id")),
        select_user=select(
            users.c.id, users.c.language, users.c.language_chosen, users.c.display_name
        )
        .where(users.c.platform == bindparam("platform"))
        .where(users.c.external_id == bindparam("external_id")),
        insert_user=_insert_ignoring_conflicts(dialect, users),
        update_user=update(users).where(users.c.id == bindparam("user_id")),
        select_conversation=select(
            conversations.c.id,
            conversations.c.user_id,
            conversations.c.status,
            conversations.c.intent,
            conversations.c.step_index,
            conversations.c.language,
            conversations.c.state,
            conversations.c.started_at,
            conversations.c.updated_at,
            conversations.c.ended_at,
        ).where(conversations.c.id == bindparam("conversation_id")),
        insert_conversation=insert(conversations),
        update_conversation=update(conversations).where(
            conversations.c.id == bindparam("conversation_id")
        ),
        insert_message=insert(messages),
        insert_step_outcome=insert(step_outcomes),
        insert_handoff=insert(handoffs),
        insert_rating=insert(ratings),
    )
