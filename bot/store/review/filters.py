"""What the review site's staff narrow conversations to, as SQL conditions.

Shared by the conversation list, the export and the insights, so the same
filter always means the same rows. Every value is a bound parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select

from bot.store.models import Conversation
from bot.store.search import normalise

STATUSES: tuple[str, ...] = ("active", "resolved", "handed_off", "abandoned", "ended")
SORTS: dict[str, Any] = {
    "started": Conversation.started_at,
    "updated": Conversation.updated_at,
    "status": Conversation.status,
    "problem": Conversation.intent,
    "platform": Conversation.platform,
    "language": Conversation.language,
    "id": Conversation.id,
}


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

    @property
    def search(self) -> str:
        """The text search as stored (``bot.store.search``); empty for none."""
        return normalise(self.text or "")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filter_conditions(filters: ConversationFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses for ``filters``; every value is a bound parameter."""
    conditions: list[ColumnElement[bool]] = []
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
    if filters.search:
        # What people wrote is kept normalised on the conversation (bot.store.search):
        # one LIKE over one column, with %, _ and the escape character taken literally.
        conditions.append(Conversation.search_text.contains(filters.search, autoescape=True))
    return conditions


Row = TypeVarTuple("Row")


def ordered(query: Select[*Row], sort: str, descending: bool) -> Select[*Row]:
    """``query`` sorted by the column named ``sort`` (started by default), then by id."""
    column = SORTS.get(sort, Conversation.started_at)
    if descending:
        return query.order_by(column.desc(), Conversation.id.desc())
    return query.order_by(column.asc(), Conversation.id.asc())
