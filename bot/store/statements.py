"""The SQL of one inbound event, built once per dialect and reused (the hot path).

Core statements with named bind parameters: building and compiling a statement
costs more than running it on SQLite, so each is made once and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import cast

from sqlalchemy import Insert, Table, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import Executable

from bot.store.models import (
    Chat,
    Conversation,
    Handoff,
    HandoffNote,
    Message,
    ProcessedEvent,
    Rating,
    StepOutcome,
    User,
)

chats = cast(Table, Chat.__table__)
users = cast(Table, User.__table__)
conversations = cast(Table, Conversation.__table__)
messages = cast(Table, Message.__table__)
step_outcomes = cast(Table, StepOutcome.__table__)
handoffs = cast(Table, Handoff.__table__)
handoff_notes = cast(Table, HandoffNote.__table__)
ratings = cast(Table, Rating.__table__)
processed_events = cast(Table, ProcessedEvent.__table__)


@dataclass(frozen=True, slots=True)
class Statements:
    claim_event: Executable
    select_chat: Executable
    insert_chat: Executable
    set_current: Executable
    select_user: Executable
    insert_user: Executable
    update_user: Executable
    select_conversation: Executable
    insert_conversation: Executable
    update_conversation: Executable
    insert_message: Executable
    insert_step_outcome: Executable
    insert_handoff: Executable
    mark_handoff_delivered: Executable
    latest_handoff: Executable
    latest_chat_handoff: Executable
    insert_handoff_note: Executable
    insert_rating: Executable


def insert_ignoring_conflicts(dialect: str, table: Table) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING where the dialect has it, else a plain INSERT."""
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return insert(table)


@cache
def statements_for(dialect: str) -> Statements:
    """The statements for ``dialect`` (``engine.dialect.name``), made on first use."""
    return Statements(
        claim_event=insert(processed_events),
        select_chat=select(chats.c.id, chats.c.current_conversation_id)
        .where(chats.c.platform == bindparam("platform"))
        .where(chats.c.chat_key == bindparam("chat_key"))
        .with_for_update(),  # ignored by SQLite, whose transaction already holds the write lock
        # RETURNING the new row: it need not be read back (no row: another event made it)
        insert_chat=insert_ignoring_conflicts(dialect, chats).returning(
            chats.c.id, chats.c.current_conversation_id
        ),
        set_current=update(chats)
        .where(chats.c.id == bindparam("chat_id"))
        .values(current_conversation_id=bindparam("conversation_id")),
        select_user=select(
            users.c.id, users.c.language, users.c.language_chosen, users.c.display_name
        )
        .where(users.c.platform == bindparam("platform"))
        .where(users.c.external_id == bindparam("external_id")),
        insert_user=insert_ignoring_conflicts(dialect, users).returning(
            users.c.id, users.c.language, users.c.language_chosen, users.c.display_name
        ),
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
            conversations.c.search_text,
        ).where(conversations.c.id == bindparam("conversation_id")),
        insert_conversation=insert(conversations),
        update_conversation=update(conversations).where(
            conversations.c.id == bindparam("conversation_id")
        ),
        insert_message=insert(messages),
        insert_step_outcome=insert(step_outcomes),
        insert_handoff=insert(handoffs),
        # Only the first delivery counts: a second mark keeps the first time, and where
        # the notice was posted when the adapter knows (NULLs when it does not).
        mark_handoff_delivered=update(handoffs)
        .where(handoffs.c.id == bindparam("handoff_id"))
        .where(handoffs.c.delivered_at.is_(None))
        .values(
            delivered_at=bindparam("delivered_at"),
            thread_destination=bindparam("thread_destination"),
            thread_message=bindparam("thread_message"),
        ),
        latest_handoff=select(
            handoffs.c.id,
            handoffs.c.status,
            handoffs.c.thread_destination,
            handoffs.c.thread_message,
        )
        .where(handoffs.c.conversation_id == bindparam("conversation_id"))
        .order_by(handoffs.c.id.desc())
        .limit(1),
        # the chat's newest handoff, whichever conversation made it: a conversation begun
        # while a case was open adds to that case (DialogState.case_before)
        latest_chat_handoff=select(
            handoffs.c.id,
            handoffs.c.status,
            handoffs.c.thread_destination,
            handoffs.c.thread_message,
        )
        .join(conversations, conversations.c.id == handoffs.c.conversation_id)
        .where(conversations.c.chat_id == bindparam("chat_id"))
        .order_by(handoffs.c.id.desc())
        .limit(1),
        insert_handoff_note=insert(handoff_notes),
        insert_rating=insert(ratings),
    )
