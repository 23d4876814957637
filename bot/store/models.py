"""SQLAlchemy 2 models. The schema is made and changed only by Alembic migrations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints so migrations can be written and reversed on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BigInteger ids on PostgreSQL; SQLite only makes INTEGER PRIMARY KEY auto-increment.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A person on one platform."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    # True once the person chose a language ("english please"): then their
    # words no longer switch it.
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Chat(Base):
    """One place a conversation happens (a private chat, a Slack thread).

    Its row is what ``handle`` locks, so two events of one chat run one after
    the other even when the chat has no conversation yet.
    """

    __tablename__ = "chats"
    __table_args__ = (UniqueConstraint("platform", "chat_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    chat_key: Mapped[str] = mapped_column(String(200))
    current_conversation_id: Mapped[int | None] = mapped_column(Id)


class Conversation(Base):
    """One attempt to fix one person's problem, from first message to its end."""

    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_status_started", "status", "started_at"),
        Index("ix_conversations_intent_started", "intent", "started_at"),
        Index("ix_conversations_started", "started_at"),
        # Covers the review site's insights aggregates (migration 0002).
        Index(
            "ix_conversations_review_stats",
            "intent",
            "status",
            "language",
            "platform",
            "started_at",
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(32))
    # active | resolved | handed_off | abandoned | ended
    status: Mapped[str] = mapped_column(String(16), default="active")
    intent: Mapped[str | None] = mapped_column(String(80))
    step_index: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    # The dialog's own state (bot.dialog.machine.DialogState as JSON); the columns
    # above repeat what the review site filters on.
    state: Mapped[dict[str, object]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the person wrote, redacted and normalised for the review site's text
    # search (bot.store.search), kept up to date per message (migration 0003).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")


class Message(Base):
    """One message in a transcript, in order of ``id`` (not of the timestamp)."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
        Index("ix_messages_decision_id", "decision", "id"),  # missed messages (0002)
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(8))  # "in" | "out"
    text: Mapped[str] = mapped_column(Text, default="")  # redacted before it gets here
    payload: Mapped[str | None] = mapped_column(String(64))  # the button pressed
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # What the bot understood of an inbound message.
    intent: Mapped[str | None] = mapped_column(String(80))
    confidence: Mapped[float | None] = mapped_column(Float)
    decision: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StepOutcome(Base):
    """What happened to one step shown: worked, not_helped, skipped or back."""

    __tablename__ = "step_outcomes"
    __table_args__ = (
        Index("ix_step_outcomes_problem_step", "problem", "step_id"),
        # Covers the review site's per-step and median aggregates (migration 0002).
        Index(
            "ix_step_outcomes_review_stats",
            "problem",
            "step_id",
            "outcome",
            "step_number",
            "created_at",
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    problem: Mapped[str] = mapped_column(String(80))
    step_id: Mapped[str] = mapped_column(String(80))
    step_number: Mapped[int] = mapped_column(Integer)  # 1-based position in the flow
    outcome: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Handoff(Base):
    """A case handed to a person, with everything they need to pick it up."""

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(32))  # steps_exhausted | asked | everyone_affected
    problem: Mapped[str | None] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(Text)  # readable, in the staff's language (nb)
    details: Mapped[dict[str, object]] = mapped_column(JSON)  # steps tried and outcomes
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | claimed | closed
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Where the notice was posted (Slack channel + ts, Telegram chat + message id), so
    # what the person adds later is posted as a reply in that thread.
    thread_destination: Mapped[str | None] = mapped_column(String(400))
    thread_message: Mapped[str | None] = mapped_column(String(100))


class HandoffNote(Base):
    """A note support staff added to a handoff."""

    __tablename__ = "handoff_notes"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Rating(Base):
    """The one-tap rating after a fix (1..5)."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProcessedEvent(Base):
    """An event id already handled: its unique key is what de-duplicates redeliveries."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    # "<bot>/<user>": the Slack team and app or the Telegram bot, then the person (0005).
    scope: Mapped[str] = mapped_column(String(200), primary_key=True, server_default="")
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class StaffAccount(Base):
    """A support staff login for the review site."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The session version: every session cookie carries it; logout, a password
    # change and removal replace it, ending every session at once (0004).
    session_key: Mapped[str | None] = mapped_column(String(64))


class LoginThrottle(Base):
    """Failed logins per key ("account:<name>", "address:<ip>"), known name or not (0004)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxReply(Base):
    """One reply waiting to be (or already) delivered, written in the turn's transaction.

    The delivery worker of each serving process claims due rows (a lease: a dead
    process's rows are taken over when it runs out), sends them in ``id`` order
    per chat, and records the platform's message id. ``state``: pending | sent |
    failed (retries ran out, or the platform refused it for good).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        # Two indexes only: each costs every turn an index write (bench chat). A
        # redelivery and the review page find their rows through the chat.
        Index("ix_outbox_state_next", "state", "next_attempt_at"),
        Index("ix_outbox_chat", "platform", "chat_key", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    chat_key: Mapped[str] = mapped_column(String(200))
    event_id: Mapped[str] = mapped_column(String(200))
    conversation_id: Mapped[int | None] = mapped_column(Id)
    destination: Mapped[str] = mapped_column(String(400))  # the adapter's own address
    body: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    edits: Mapped[str | None] = mapped_column(String(200))  # a message this reply replaces
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)  # of a reply split in parts
    uncertain: Mapped[int] = mapped_column(Integer, default=0)  # attempts that may have arrived
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deadline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_id: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
