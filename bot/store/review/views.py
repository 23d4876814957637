"""The review site's conversation list: one page of filtered, sorted conversations.

Plain functions over a SQLAlchemy connection that return frozen dataclasses, so
the web adapter never sees SQLAlchemy. A page is one bounded query plus one
query per kind of detail (never one per row). Filters are in
``bot.store.review.filters``, one conversation and the export in
``bot.store.review.transcripts``, the handoff queue in ``bot.store.review.handoffs``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, func, select

from bot.store.models import Conversation, Handoff, Message, Rating, User
from bot.store.records import as_utc
from bot.store.review.filters import ConversationFilter, filter_conditions, ordered

MAX_PAGE_SIZE = 200
FEW_MATCHES = 2000  # a text search matching at most this many is paged from its ids


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


def select_rows() -> Select[Any, Any, Any, Any, Any, Any, Any, Any]:
    """The columns of a ``ConversationRow``, joined to the person; add WHERE and ORDER BY."""
    return select(
        Conversation.id,
        Conversation.platform,
        Conversation.status,
        Conversation.intent,
        Conversation.language,
        User.display_name,
        Conversation.started_at,
        Conversation.updated_at,
    ).join(User, User.id == Conversation.user_id)


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
    query = select_rows().where(*conditions).limit(page_size).offset((page - 1) * page_size)
    found = connection.execute(ordered(query, sort, descending)).all()
    rows = with_details(connection, [conversation_row(values) for values in found])
    return ConversationPage(tuple(rows), total, page, page_size)


def _few_matches(
    connection: Connection, filters: ConversationFilter, conditions: list[ColumnElement[bool]]
) -> list[int] | None:
    """Every matching id when a text search matches at most ``FEW_MATCHES``, else None.

    No index serves the text search, so a database walking the sort order's
    index for the page would look up every row to find a rare word (0.2 s at
    100,000 on SQLite). One scan for the ids instead is also the count, and the
    page is then sorted from those ids alone. Common words take the usual path,
    where the sort index finds a page of matches quickly.
    """
    if not filters.search:
        return None
    ids = connection.execute(
        select(Conversation.id).where(*conditions).limit(FEW_MATCHES + 1)
    ).scalars()
    found = list(ids)
    return found if len(found) <= FEW_MATCHES else None


def conversation_row(values: Row[Any, Any, Any, Any, Any, Any, Any, Any]) -> ConversationRow:
    """A row of ``select_rows()`` as a ``ConversationRow`` (details not yet filled)."""
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


def with_details(connection: Connection, rows: list[ConversationRow]) -> list[ConversationRow]:
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
