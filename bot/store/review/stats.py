"""The review site's aggregates: insights per problem, step and day, and what the bot missed.

Everything is computed in the database with GROUP BY (one pass per figure, no
rows per conversation come back), except the similarity grouping of missed
messages, which runs rapidfuzz over a bounded number of the newest ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process
from sqlalchemy import Connection, Date, cast, func, select

from bot.store.models import Conversation, Message, StepOutcome
from bot.store.records import as_utc
from bot.store.review.filters import ConversationFilter, filter_conditions

MISSED_DECISIONS: tuple[str, ...] = ("none", "ambiguous")


@dataclass(frozen=True, slots=True)
class ProblemStats:
    problem: str | None
    conversations: int
    resolved: int
    handed_off: int
    abandoned: int
    median_steps: float | None

    def percent(self, count: int) -> float:
        return 100.0 * count / self.conversations if self.conversations else 0.0


@dataclass(frozen=True, slots=True)
class StepStats:
    problem: str
    step_id: str
    step_number: int
    worked: int
    not_helped: int
    skipped: int
    back: int

    @property
    def shown(self) -> int:
        return self.worked + self.not_helped + self.skipped + self.back


@dataclass(frozen=True, slots=True)
class Insights:
    total: int
    problems: tuple[ProblemStats, ...]
    steps: tuple[StepStats, ...]
    languages: tuple[tuple[str, int], ...]
    platforms: tuple[tuple[str, int], ...]
    daily: tuple[tuple[date, int], ...]


def insights(connection: Connection, filters: ConversationFilter, *, today: date) -> Insights:
    """Aggregates over the conversations matching ``filters`` (the date range matters most).

    Two grouped passes, each answered from a covering index (migration 0002):
    conversations by (problem, status, language, platform) and step outcomes
    by (problem, step, outcome, position). Daily volume covers ``filters``'
    date range, or the 30 days up to ``today``.
    """
    where = filter_conditions(filters)
    by_status: dict[str | None, Counter[str]] = {}
    languages: Counter[str] = Counter()
    platforms: Counter[str] = Counter()
    columns = (
        Conversation.intent,
        Conversation.status,
        Conversation.language,
        Conversation.platform,
    )
    for intent, status, language, platform, count in connection.execute(
        select(*columns, func.count()).where(*where).group_by(*columns)
    ).all():
        by_status.setdefault(intent, Counter())[status] += count
        languages[language] += count
        platforms[platform] += count
    steps, medians = _step_stats(connection, _outcome_window(filters))
    problems = sorted(
        (
            ProblemStats(
                problem=intent,
                conversations=sum(counts.values()),
                resolved=counts["resolved"],
                handed_off=counts["handed_off"],
                abandoned=counts["abandoned"],
                median_steps=medians.get(intent) if intent else None,
            )
            for intent, counts in by_status.items()
        ),
        key=lambda stats: (-stats.conversations, stats.problem or ""),
    )
    return Insights(
        total=sum(stats.conversations for stats in problems),
        problems=tuple(problems),
        steps=tuple(steps),
        languages=tuple(languages.most_common()),
        platforms=tuple(platforms.most_common()),
        daily=_daily(connection, filters, where, today),
    )


def _outcome_window(filters: ConversationFilter) -> list[Any]:
    where: list[Any] = []
    if filters.date_from:
        where.append(StepOutcome.created_at >= _midnight(filters.date_from))
    if filters.date_to:
        where.append(StepOutcome.created_at < _midnight(filters.date_to + timedelta(days=1)))
    if filters.problem:
        where.append(StepOutcome.problem == filters.problem)
    return where


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _median(pairs: list[tuple[int, int]]) -> float:
    """The median of a sorted histogram of (value, count)."""
    total = sum(count for _, count in pairs)
    middle = [(total - 1) // 2, total // 2]
    found: list[float] = []
    seen = 0
    for value, count in pairs:
        for index in middle:
            if seen <= index < seen + count:
                found.append(value)
        seen += count
    return sum(found) / len(found)


def _step_stats(
    connection: Connection, where: list[Any]
) -> tuple[list[StepStats], dict[str, float]]:
    """Per (problem, step) outcome counts, and per problem the median position of the
    step that worked (steps to resolution), from one grouped pass."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    numbers: dict[tuple[str, str], int] = {}
    worked: dict[str, Counter[int]] = {}
    columns = (
        StepOutcome.problem,
        StepOutcome.step_id,
        StepOutcome.outcome,
        StepOutcome.step_number,
    )
    for problem, step_id, outcome, number, count in connection.execute(
        select(*columns, func.count()).where(*where).group_by(*columns)
    ).all():
        key = (problem, step_id)
        counts.setdefault(key, Counter())[outcome] += count
        numbers[key] = min(number, numbers.get(key, number))
        if outcome == "worked":
            worked.setdefault(problem, Counter())[number] += count
    stats = [
        StepStats(
            problem=problem,
            step_id=step_id,
            step_number=numbers[(problem, step_id)],
            worked=counter["worked"],
            not_helped=counter["not_helped"],
            skipped=counter["skipped"],
            back=counter["back"],
        )
        for (problem, step_id), counter in counts.items()
    ]
    stats.sort(key=lambda s: (s.problem, s.step_number, s.step_id))
    medians = {problem: _median(sorted(hist.items())) for problem, hist in worked.items()}
    return stats, medians


def _daily(
    connection: Connection, filters: ConversationFilter, where: list[Any], today: date
) -> tuple[tuple[date, int], ...]:
    last = filters.date_to or today
    first = filters.date_from or last - timedelta(days=29)
    if (last - first).days > 366:
        first = last - timedelta(days=366)
    if connection.dialect.name == "sqlite":
        day: Any = func.date(Conversation.started_at)
    else:
        day = cast(func.timezone("UTC", Conversation.started_at), Date)
    window = [
        *where,
        Conversation.started_at >= _midnight(first),
        Conversation.started_at < _midnight(last + timedelta(days=1)),
    ]
    found = {
        value if isinstance(value, date) else date.fromisoformat(str(value)): count
        for value, count in connection.execute(
            select(day, func.count()).where(*window).group_by(day)
        ).all()
    }
    days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return tuple((d, found.get(d, 0)) for d in days)


@dataclass(frozen=True, slots=True)
class MissedExample:
    message_id: int
    conversation_id: int
    text: str
    decision: str
    language: str | None
    created_at: datetime


@dataclass(slots=True)
class MissedGroup:
    """Similar messages the bot did not understand; ``examples`` are the newest few."""

    text: str
    count: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    examples: list[MissedExample] = field(default_factory=list)

    @property
    def latest_at(self) -> datetime:
        return self.examples[0].created_at


@dataclass(frozen=True, slots=True)
class MissedReport:
    groups: tuple[MissedGroup, ...]
    scanned: int


def missed_messages(
    connection: Connection,
    *,
    limit: int = 1000,
    similarity: float = 72.0,
    examples: int = 5,
    by_count: bool = False,
) -> MissedReport:
    """The newest ``limit`` user messages decided "none" or "ambiguous", grouped by similarity.

    Groups come newest first (by their latest message), or largest first with
    ``by_count``. A message joins the first group whose first text it resembles
    (rapidfuzz token_sort_ratio >= ``similarity``), else starts its own.
    """
    rows = connection.execute(
        select(
            Message.id,
            Message.conversation_id,
            Message.text,
            Message.decision,
            Message.language,
            Message.created_at,
        )
        .where(Message.direction == "in", Message.decision.in_(MISSED_DECISIONS))
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    groups: list[MissedGroup] = []
    keys: list[str] = []
    for message_id, conversation_id, text, decision, language, created in rows:
        if not text or not text.strip():
            continue
        key = default_process(text)
        best = process.extractOne(
            key, keys, scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=similarity
        )
        if best is None:
            groups.append(MissedGroup(text=text))
            keys.append(key)
            group = groups[-1]
        else:
            group = groups[best[2]]
        decision = decision or "none"
        group.count += 1
        group.decisions[decision] += 1
        if len(group.examples) < examples:
            group.examples.append(
                MissedExample(
                    message_id, conversation_id, text, decision, language, as_utc(created)
                )
            )
    if by_count:
        groups.sort(key=lambda group: -group.count)
    return MissedReport(tuple(groups), len(rows))
