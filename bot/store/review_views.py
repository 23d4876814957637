"""The review site's read side: conversation lists, one transcript, the handoff queue.

Plain functions over a SQLAlchemy connection that return frozen dataclasses, so
the web adapter never sees SQLAlchemy. Every list is one bounded query for the
page plus one query per kind of detail (never one per row).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, select

from bot.store.models import (
    Conversation,
    Handoff,
    HandoffNote,
    Message,
    Rating,
    StepOutcome,
    User,
)
from bot.store.records import as_utc
from bot.store.search import normalise

STATUSES: tuple[str, ...] = ("active", "resolved", "handed_off", "abandoned", "ended")
HANDOFF_STATUSES: tuple[str, ...] = ("open", "claimed", "closed")
SORTS: dict[str, Any] = {
    "started": Conversation.started_at,
    "updated": Conversation.updated_at,
    "status": Conversation.status,
    "problem": Conversation.intent,
    "platform": Conversation.platform,
    "language": Conversation.language,
    "id": Conversation.id,
}
MAX_PAGE_SIZE = 200
FEW_MATCHES = 2000  # a text search matching at most this many is paged from its ids


@dataclass(frozen=True, slots=True)
class ConversationFilter:
    """What the staff narrowed the list to; empty values mean "any"."""

    platform: str | None = None
    status: str | None = None
    problem: str | None = None
    language: str | None = None
    date_from: date | None = None  # inclusive, UTC days
    date_to: date | None = None  # inclusive
    text: str | None = None  # substring of what the person wrote, case- and space-insensitive


@dataclass(frozen=True, slots=True)
class ConversationRow:
    id: int
    platform: str
    status: str
    problem: str | None
    language: str
    user_name: str | None
    started_at: datetime
    updated_at: datetime
    first_text: str | None = None
    message_count: int = 0
    rating: int | None = None
    handoff_status: str | None = None


@dataclass(frozen=True, slots=True)
class ConversationPage:
    rows: tuple[ConversationRow, ...]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class TranscriptMessage:
    id: int
    direction: str
    text: str
    payload: str | None
    buttons: tuple[str, ...]
    intent: str | None
    confidence: float | None
    decision: str | None
    language: str | None
    created_at: datetime
    # The label of the button pressed (``payload``), as the bot showed it; the
    # payload itself when no earlier bot message in the transcript offered it.
    pressed: str | None = None


@dataclass(frozen=True, slots=True)
class StepOutcomeRow:
    problem: str
    step_id: str
    step_number: int
    outcome: str
    created_at: datetime


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


@dataclass(frozen=True, slots=True)
class ConversationDetail:
    conversation: ConversationRow
    messages: tuple[TranscriptMessage, ...]
    steps: tuple[StepOutcomeRow, ...]
    ratings: tuple[int, ...]
    handoffs: tuple[HandoffRow, ...]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filter_conditions(filters: ConversationFilter) -> list[Any]:
    """The WHERE clauses for ``filters``; every value is a bound parameter."""
    conditions: list[Any] = []
    if filters.platform:
        conditions.append(Conversation.platform == filters.platform)
    if filters.status:
        conditions.append(Conversation.status == filters.status)
    if filters.problem:
        conditions.append(Conversation.intent == filters.problem)
    if filters.language:
        conditions.append(Conversation.language == filters.language)
    if filters.date_from:
        conditions.append(Conversation.started_at >= _day_start(filters.date_from))
    if filters.date_to:
        conditions.append(Conversation.started_at < _day_start(filters.date_to + timedelta(days=1)))
    wanted = normalise(filters.text or "")
    if wanted:
        # What people wrote is kept normalised on the conversation (bot.store.search):
        # one LIKE over one column, with %, _ and the escape character taken literally.
        conditions.append(Conversation.search_text.contains(wanted, autoescape=True))
    return conditions


def _ordered(query: Any, sort: str, descending: bool) -> Any:
    column = SORTS.get(sort, Conversation.started_at)
    if descending:
        return query.order_by(column.desc(), Conversation.id.desc())
    return query.order_by(column.asc(), Conversation.id.asc())


_ROW_COLUMNS = (
    Conversation.id,
    Conversation.platform,
    Conversation.status,
    Conversation.intent,
    Conversation.language,
    User.display_name,
    Conversation.started_at,
    Conversation.updated_at,
)


def list_conversations(
    connection: Connection,
    filters: ConversationFilter,
    *,
    sort: str = "started",
    descending: bool = True,
    page: int = 1,
    page_size: int = 50,
) -> ConversationPage:
    """One page of conversations matching ``filters``, with first message, counts and rating."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    conditions = filter_conditions(filters)
    few = _few_matches(connection, filters, conditions)
    if few is None:
        total = connection.execute(
            select(func.count()).select_from(Conversation).where(*conditions)
        ).scalar_one()
    elif not few:
        return ConversationPage((), 0, page, page_size)
    else:
        total, conditions = len(few), [Conversation.id.in_(few)]
    query = (
        select(*_ROW_COLUMNS)
        .join(User, User.id == Conversation.user_id)
        .where(*conditions)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    base = [_row(values) for values in connection.execute(_ordered(query, sort, descending)).all()]
    return ConversationPage(tuple(_with_details(connection, base)), total, page, page_size)


def _few_matches(
    connection: Connection, filters: ConversationFilter, conditions: list[Any]
) -> list[int] | None:
    """Every matching id when a text search matches at most ``FEW_MATCHES``, else None.

    No index serves the text search, so a database walking the sort order's
    index for the page would look up every row to find a rare word (0.2 s at
    100,000 on SQLite). One scan for the ids instead is also the count, and the
    page is then sorted from those ids alone. Common words take the usual path,
    where the sort index finds a page of matches quickly.
    """
    if not normalise(filters.text or ""):
        return None
    ids = connection.execute(
        select(Conversation.id).where(*conditions).limit(FEW_MATCHES + 1)
    ).scalars()
    found = list(ids)
    return found if len(found) <= FEW_MATCHES else None


def iter_conversations(
    connection: Connection, filters: ConversationFilter, *, batch: int = 500
) -> Iterator[tuple[ConversationRow, tuple[TranscriptMessage, ...]]]:
    """Every matching conversation, oldest first, with its transcript (for export).

    Walks the table by id in batches so memory stays flat on any size.
    """
    conditions = filter_conditions(filters)
    last_id = 0
    while True:
        query = (
            select(*_ROW_COLUMNS)
            .join(User, User.id == Conversation.user_id)
            .where(Conversation.id > last_id, *conditions)
            .order_by(Conversation.id)
            .limit(batch)
        )
        rows = _with_details(connection, [_row(v) for v in connection.execute(query).all()])
        if not rows:
            return
        transcripts = _messages_for(connection, [row.id for row in rows])
        for row in rows:
            yield row, transcripts.get(row.id, ())
        last_id = rows[-1].id


def _row(values: Sequence[Any]) -> ConversationRow:
    return ConversationRow(
        id=values[0],
        platform=values[1],
        status=values[2],
        problem=values[3],
        language=values[4],
        user_name=values[5],
        started_at=as_utc(values[6]),
        updated_at=as_utc(values[7]),
    )


def _with_details(connection: Connection, rows: list[ConversationRow]) -> list[ConversationRow]:
    """``rows`` with first user message, message count, latest rating and handoff status."""
    if not rows:
        return rows
    ids = [row.id for row in rows]
    counts = connection.execute(
        select(Message.conversation_id, func.count(), func.min(Message.id))
        .where(Message.conversation_id.in_(ids))
        .group_by(Message.conversation_id)
    ).all()
    count_by_id = {cid: n for cid, n, _ in counts}
    first_in = (
        select(func.min(Message.id))
        .where(Message.conversation_id.in_(ids), Message.direction == "in", Message.text != "")
        .group_by(Message.conversation_id)
    )
    first_text = dict(
        connection.execute(
            select(Message.conversation_id, Message.text).where(Message.id.in_(first_in))
        ).all()
    )
    ratings = dict(
        connection.execute(
            select(Rating.conversation_id, Rating.score)
            .where(Rating.conversation_id.in_(ids))
            .order_by(Rating.id)
        ).all()
    )
    handoffs = dict(
        connection.execute(
            select(Handoff.conversation_id, Handoff.status)
            .where(Handoff.conversation_id.in_(ids))
            .order_by(Handoff.id)
        ).all()
    )
    return [
        replace(
            row,
            first_text=first_text.get(row.id),
            message_count=count_by_id.get(row.id, 0),
            rating=ratings.get(row.id),
            handoff_status=handoffs.get(row.id),
        )
        for row in rows
    ]


def _messages_for(
    connection: Connection, ids: Sequence[int]
) -> dict[int, tuple[TranscriptMessage, ...]]:
    found: dict[int, list[TranscriptMessage]] = {}
    offered: dict[int, dict[str, str]] = {}  # per conversation: payload -> latest label
    for values in connection.execute(
        select(Message.__table__).where(Message.conversation_id.in_(ids)).order_by(Message.id)
    ).mappings():
        conversation_id = values["conversation_id"]
        message = _message(values, offered.setdefault(conversation_id, {}))
        found.setdefault(conversation_id, []).append(message)
    return {key: tuple(value) for key, value in found.items()}


def _message(values: Any, offered: dict[str, str]) -> TranscriptMessage:
    """One transcript line; ``offered`` maps the payloads of the buttons shown so far
    to their labels, and learns this message's buttons (a later label wins)."""
    buttons = [button for button in values["buttons"] or [] if isinstance(button, dict)]
    payload = values["payload"]
    pressed = offered.get(payload, payload) if payload else None
    for button in buttons:
        if button.get("payload"):
            offered[str(button["payload"])] = str(button.get("label") or button["payload"])
    return TranscriptMessage(
        id=values["id"],
        direction=values["direction"],
        text=values["text"] or "",
        payload=payload,
        pressed=pressed,
        buttons=tuple(str(button.get("label", "")) for button in buttons),
        intent=values["intent"],
        confidence=values["confidence"],
        decision=values["decision"],
        language=values["language"],
        created_at=as_utc(values["created_at"]),
    )


def get_conversation(connection: Connection, conversation_id: int) -> ConversationDetail | None:
    """One conversation with its transcript, step outcomes, ratings and handoffs."""
    values = connection.execute(
        select(*_ROW_COLUMNS)
        .join(User, User.id == Conversation.user_id)
        .where(Conversation.id == conversation_id)
    ).first()
    if values is None:
        return None
    row = _with_details(connection, [_row(values)])[0]
    steps = tuple(
        StepOutcomeRow(problem, step_id, number, outcome, as_utc(created))
        for problem, step_id, number, outcome, created in connection.execute(
            select(
                StepOutcome.problem,
                StepOutcome.step_id,
                StepOutcome.step_number,
                StepOutcome.outcome,
                StepOutcome.created_at,
            )
            .where(StepOutcome.conversation_id == conversation_id)
            .order_by(StepOutcome.id)
        ).all()
    )
    ratings = tuple(
        connection.execute(
            select(Rating.score)
            .where(Rating.conversation_id == conversation_id)
            .order_by(Rating.id)
        ).scalars()
    )
    handoffs = _handoff_rows(connection, [Handoff.conversation_id == conversation_id], None)
    messages = _messages_for(connection, [conversation_id]).get(conversation_id, ())
    return ConversationDetail(row, messages, steps, ratings, tuple(handoffs))


def handoff_queue(connection: Connection, *, closed_limit: int = 50) -> list[HandoffRow]:
    """Open handoffs (oldest first), then claimed ones, then the latest closed ones."""
    waiting = _handoff_rows(
        connection, [Handoff.status.in_(("open", "claimed"))], None, oldest_first=True
    )
    waiting.sort(key=lambda row: 0 if row.status == "open" else 1)
    closed = _handoff_rows(connection, [Handoff.status == "closed"], closed_limit)
    return waiting + closed


def _handoff_rows(
    connection: Connection, conditions: list[Any], limit: int | None, *, oldest_first: bool = False
) -> list[HandoffRow]:
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


def _handoff(values: Any, notes: tuple[NoteRow, ...]) -> HandoffRow:
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
