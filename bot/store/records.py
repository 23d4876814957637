"""Plain rows the unit of work reads and writes, so the service never touches SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive value (SQLite hands these back) is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ChatRecord:
    id: int
    current_conversation_id: int | None


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    language: str | None
    language_chosen: bool


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    id: int
    user_id: int
    status: str
    intent: str | None
    step_index: int | None
    language: str
    state: dict[str, Any]
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    search_text: str = ""  # what the person wrote so far, normalised (bot.store.search)


@dataclass(frozen=True, slots=True)
class NewMessage:
    """One transcript line to store; ``text`` is already redacted."""

    direction: str  # "in" | "out"
    text: str
    payload: str | None = None
    buttons: list[dict[str, str]] | None = None
    intent: str | None = None
    confidence: float | None = None
    decision: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class NewStepOutcome:
    problem: str
    step_id: str
    step_number: int
    outcome: str


@dataclass(frozen=True, slots=True)
class NewHandoff:
    reason: str
    problem: str | None
    summary: str
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A conversation's newest handoff: its id, status, and where its notice was posted."""

    handoff_id: int
    status: str  # open | claimed | closed
    thread_destination: str | None = None
    thread_message: str | None = None
