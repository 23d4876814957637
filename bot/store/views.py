"""Read-side queries for ``fixbot transcripts``: plain functions returning frozen dataclasses.

They take a SQLAlchemy ``Connection`` (from ``Store.reading()``) and never the
dialog's objects, so scripts and the command line see transcripts as stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, func, select

from bot.store.models import Chat, Conversation, Handoff, Message, OutboxReply, Rating, User
from bot.store.records import as_utc


@dataclass(frozen=True, slots=True)
class TranscriptFilter:
    """Narrow a listing; ``None`` means any."""

    status: str | None = None
    intent: str | None = None
    platform: str | None = None
    since: datetime | None = None  # started at or after


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    id: int
    platform: str
    user: str
    display_name: str | None
    status: str
    intent: str | None
    language: str
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    messages: int


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    id: int
    direction: str
    text: str
    payload: str | None
    buttons: tuple[tuple[str, str], ...]  # (label, payload)
    intent: str | None
    confidence: float | None
    decision: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Transcript:
    conversation: ConversationSummary
    lines: tuple[TranscriptLine, ...]
    rating: int | None = None  # the latest rating the person gave, 1-5
    handoff_summary: str | None = None  # the latest handoff's summary, for staff


def _extras(connection: Connection, ids: list[int]) -> dict[int, tuple[int | None, str | None]]:
    """Each conversation's latest rating and handoff summary (later rows win)."""
    found: dict[int, tuple[int | None, str | None]] = {}
    for conversation_id, score in connection.execute(
        select(Rating.conversation_id, Rating.score)
        .where(Rating.conversation_id.in_(ids))
        .order_by(Rating.id)
    ):
        found[conversation_id] = (score, found.get(conversation_id, (None, None))[1])
    for conversation_id, summary in connection.execute(
        select(Handoff.conversation_id, Handoff.summary)
        .where(Handoff.conversation_id.in_(ids))
        .order_by(Handoff.id)
    ):
        found[conversation_id] = (found.get(conversation_id, (None, None))[0], summary)
    return found


def _summaries(filters: TranscriptFilter) -> Select[Any]:
    counts = (
        select(Message.conversation_id, func.count().label("n"))
        .group_by(Message.conversation_id)
        .subquery()
    )
    query: Any = (
        select(
            Conversation.id,
            Conversation.platform,
            User.external_id,
            User.display_name,
            Conversation.status,
            Conversation.intent,
            Conversation.language,
            Conversation.started_at,
            Conversation.updated_at,
            Conversation.ended_at,
            func.coalesce(counts.c.n, 0),
        )
        .join(User, User.id == Conversation.user_id)
        .outerjoin(counts, counts.c.conversation_id == Conversation.id)
    )
    if filters.status:
        query = query.where(Conversation.status == filters.status)
    if filters.intent:
        query = query.where(Conversation.intent == filters.intent)
    if filters.platform:
        query = query.where(Conversation.platform == filters.platform)
    if filters.since:
        query = query.where(Conversation.started_at >= as_utc(filters.since))
    return query


def _summary(row: Any) -> ConversationSummary:
    return ConversationSummary(
        id=row[0],
        platform=row[1],
        user=row[2],
        display_name=row[3],
        status=row[4],
        intent=row[5],
        language=row[6],
        started_at=as_utc(row[7]),
        updated_at=as_utc(row[8]),
        ended_at=None if row[9] is None else as_utc(row[9]),
        messages=int(row[10]),
    )


def list_conversations(
    connection: Connection, filters: TranscriptFilter, *, limit: int | None = 100
) -> list[ConversationSummary]:
    """Newest first."""
    query = _summaries(filters).order_by(Conversation.started_at.desc(), Conversation.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_summary(row) for row in connection.execute(query)]


@dataclass(frozen=True, slots=True)
class UndeliveredReply:
    """A reply of a conversation that has not reached the person: ``state`` pending (still
    being tried) or failed (given up), with the attempts made and the last error."""

    id: int
    state: str
    text: str
    attempts: int
    last_error: str | None
    created_at: datetime


def undelivered_replies(
    connection: Connection, conversation_id: int
) -> tuple[UndeliveredReply, ...]:
    """The conversation's replies still in the outbox or given up there, in order."""
    query = (
        select(
            OutboxReply.id,
            OutboxReply.state,
            OutboxReply.body,
            OutboxReply.attempts,
            OutboxReply.last_error,
            OutboxReply.created_at,
        )
        .join(
            Chat, (Chat.platform == OutboxReply.platform) & (Chat.chat_key == OutboxReply.chat_key)
        )
        .join(Conversation, Conversation.chat_id == Chat.id)
        .where(
            Conversation.id == conversation_id,  # through the chat: the outbox's index
            OutboxReply.conversation_id == conversation_id,
            OutboxReply.state != "sent",
        )
        .order_by(OutboxReply.id)
    )
    return tuple(
        UndeliveredReply(row[0], row[1], row[2], row[3], row[4], as_utc(row[5]))
        for row in connection.execute(query)
    )


def get_transcript(connection: Connection, conversation_id: int) -> Transcript | None:
    """One conversation with its messages in the order they happened (by id)."""
    row = connection.execute(
        _summaries(TranscriptFilter()).where(Conversation.id == conversation_id)
    ).first()
    if row is None:
        return None
    rating, summary = _extras(connection, [conversation_id]).get(conversation_id, (None, None))
    lines = tuple(_lines(connection, [conversation_id])[conversation_id])
    return Transcript(_summary(row), lines, rating, summary)


def iter_transcripts(
    connection: Connection, filters: TranscriptFilter, *, batch: int = 200
) -> Iterator[Transcript]:
    """Every matching conversation, oldest first, fetched ``batch`` at a time for export."""
    last_id = 0
    while True:
        query = (
            _summaries(filters)
            .where(Conversation.id > last_id)
            .order_by(Conversation.id)
            .limit(batch)
        )
        summaries = [_summary(row) for row in connection.execute(query)]
        if not summaries:
            return
        ids = [s.id for s in summaries]
        lines, extras = _lines(connection, ids), _extras(connection, ids)
        for summary in summaries:
            rating, handoff = extras.get(summary.id, (None, None))
            yield Transcript(summary, tuple(lines.get(summary.id, ())), rating, handoff)
        last_id = summaries[-1].id


def _lines(connection: Connection, ids: list[int]) -> dict[int, list[TranscriptLine]]:
    found: dict[int, list[TranscriptLine]] = {i: [] for i in ids}
    query = (
        select(
            Message.conversation_id,
            Message.id,
            Message.direction,
            Message.text,
            Message.payload,
            Message.buttons,
            Message.intent,
            Message.confidence,
            Message.decision,
            Message.created_at,
        )
        .where(Message.conversation_id.in_(ids))
        .order_by(Message.conversation_id, Message.id)
    )
    for row in connection.execute(query):
        buttons = tuple((b.get("label", ""), b.get("payload", "")) for b in row[5] or ())
        found[row[0]].append(
            TranscriptLine(
                id=row[1],
                direction=row[2],
                text=row[3],
                payload=row[4],
                buttons=buttons,
                intent=row[6],
                confidence=row[7],
                decision=row[8],
                created_at=as_utc(row[9]),
            )
        )
    return found
