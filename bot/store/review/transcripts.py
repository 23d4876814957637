"""One conversation for the review site: its transcript, steps, ratings and handoffs;
and the export, which walks every matching conversation with its transcript.

A pressed button is shown by the label the bot offered it under, resolved
against the buttons of the earlier bot messages of the same transcript.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, RowMapping, select

from bot.store.models import Conversation, Handoff, Message, Rating, StepOutcome
from bot.store.records import as_utc
from bot.store.review.filters import ConversationFilter, filter_conditions
from bot.store.review.handoffs import HandoffRow, handoff_rows
from bot.store.review.views import ConversationRow, conversation_row, select_rows, with_details
from bot.store.views import UndeliveredReply, undelivered_replies


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
class ConversationDetail:
    conversation: ConversationRow
    messages: tuple[TranscriptMessage, ...]
    steps: tuple[StepOutcomeRow, ...]
    ratings: tuple[int, ...]
    handoffs: tuple[HandoffRow, ...]
    # Replies that have not reached the person (pending or failed in the outbox).
    undelivered: tuple[UndeliveredReply, ...] = ()


def get_conversation(connection: Connection, conversation_id: int) -> ConversationDetail | None:
    """One conversation with its transcript, step outcomes, ratings and handoffs."""
    values = connection.execute(select_rows().where(Conversation.id == conversation_id)).first()
    if values is None:
        return None
    row = with_details(connection, [conversation_row(values)])[0]
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
    handoffs = handoff_rows(connection, [Handoff.conversation_id == conversation_id], None)
    messages = messages_for(connection, [conversation_id]).get(conversation_id, ())
    undelivered = undelivered_replies(connection, conversation_id)
    return ConversationDetail(row, messages, steps, ratings, tuple(handoffs), undelivered)


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
            select_rows()
            .where(Conversation.id > last_id, *conditions)
            .order_by(Conversation.id)
            .limit(batch)
        )
        found = connection.execute(query).all()
        rows = with_details(connection, [conversation_row(values) for values in found])
        if not rows:
            return
        transcripts = messages_for(connection, [row.id for row in rows])
        for row in rows:
            yield row, transcripts.get(row.id, ())
        last_id = rows[-1].id


def messages_for(
    connection: Connection, ids: Sequence[int]
) -> dict[int, tuple[TranscriptMessage, ...]]:
    """The transcripts of the conversations ``ids``, in order, by conversation id."""
    found: dict[int, list[TranscriptMessage]] = {}
    offered: dict[int, dict[str, str]] = {}  # per conversation: payload -> latest label
    for values in connection.execute(
        select(Message.__table__).where(Message.conversation_id.in_(ids)).order_by(Message.id)
    ).mappings():
        conversation_id = values["conversation_id"]
        message = _message(values, offered.setdefault(conversation_id, {}))
        found.setdefault(conversation_id, []).append(message)
    return {key: tuple(value) for key, value in found.items()}


def _message(values: RowMapping, offered: dict[str, str]) -> TranscriptMessage:
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
