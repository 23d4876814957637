"""The review site's handoff queue: open cases first, with their notes.

One query for the handoffs of a page and one for all their notes, never one
per handoff. Rows are frozen dataclasses, so the web adapter never sees SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, select

from bot.store.models import Conversation, Handoff, HandoffNote, User
from bot.store.records import as_utc

HANDOFF_STATUSES: tuple[str, ...] = ("open", "claimed", "closed")


@dataclass(frozen=True, slots=True)
class NoteRow:
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class HandoffRow:
    id: int
    conversation_id: int
    status: str
    reason: str
    problem: str | None
    summary: str
    details: dict[str, Any]
    created_at: datetime
    claimed_by: str | None
    claimed_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None
    platform: str | None = None
    language: str | None = None
    user_name: str | None = None
    notes: tuple[NoteRow, ...] = field(default=())


def handoff_queue(connection: Connection, *, closed_limit: int = 50) -> list[HandoffRow]:
    """Open handoffs (oldest first), then claimed ones, then the latest closed ones."""
    waiting = handoff_rows(
        connection, [Handoff.status.in_(("open", "claimed"))], None, oldest_first=True
    )
    waiting.sort(key=lambda row: 0 if row.status == "open" else 1)
    closed = handoff_rows(connection, [Handoff.status == "closed"], closed_limit)
    return waiting + closed


def handoff_rows(
    connection: Connection,
    conditions: list[ColumnElement[bool]],
    limit: int | None,
    *,
    oldest_first: bool = False,
) -> list[HandoffRow]:
    """Handoffs matching ``conditions`` (newest first unless ``oldest_first``), with notes."""
    order = Handoff.created_at.asc() if oldest_first else Handoff.created_at.desc()
    query = (
        select(Handoff.__table__, Conversation.platform, Conversation.language, User.display_name)
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .join(User, User.id == Conversation.user_id)
        .where(and_(*conditions))
        .order_by(order, Handoff.id)
    )
    if limit is not None:
        query = query.limit(limit)
    found = connection.execute(query).all()
    ids = [values[0] for values in found]
    notes: dict[int, list[NoteRow]] = {}
    if ids:
        for handoff_id, author, text, created in connection.execute(
            select(
                HandoffNote.handoff_id, HandoffNote.author, HandoffNote.text, HandoffNote.created_at
            )
            .where(HandoffNote.handoff_id.in_(ids))
            .order_by(HandoffNote.id)
        ).all():
            notes.setdefault(handoff_id, []).append(NoteRow(author, text, as_utc(created)))
    return [_handoff(values, tuple(notes.get(values[0], ()))) for values in found]


def _handoff(values: Row[Any], notes: tuple[NoteRow, ...]) -> HandoffRow:
    m = values._mapping
    return HandoffRow(
        id=m["id"],
        conversation_id=m["conversation_id"],
        status=m["status"],
        reason=m["reason"],
        problem=m["problem"],
        summary=m["summary"],
        details=dict(m["details"] or {}),
        created_at=as_utc(m["created_at"]),
        claimed_by=m["claimed_by"],
        claimed_at=as_utc(m["claimed_at"]) if m["claimed_at"] else None,
        closed_by=m["closed_by"],
        closed_at=as_utc(m["closed_at"]) if m["closed_at"] else None,
        platform=m["platform"],
        language=m["language"],
        user_name=m["display_name"],
        notes=notes,
    )
