"""Retention: delete conversations (and what hangs off them) older than a cut-off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, exists, func, select, update

from bot.store.models import Conversation, OutboxReply, ProcessedEvent, User
from bot.store.records import as_utc


@dataclass(frozen=True, slots=True)
class PurgeCount:
    conversations: int
    users: int
    events: int


def count_older_than(connection: Connection, cutoff: datetime) -> int:
    """How many conversations had their last activity before ``cutoff``."""
    query = select(func.count()).where(Conversation.updated_at < as_utc(cutoff))
    return int(connection.execute(query).scalar_one())


def close_idle(connection: Connection, cutoff: datetime, at: datetime) -> int:
    """Mark active conversations last touched before ``cutoff`` as abandoned.

    The service closes an idle conversation when its person writes again; this
    closes the ones whose person never came back, so the review site's
    abandoned figures and "active" filter are right.
    """
    result = connection.execute(
        update(Conversation)
        .where(Conversation.status == "active", Conversation.updated_at < as_utc(cutoff))
        .values(status="abandoned", ended_at=as_utc(at))
    )
    return int(result.rowcount)


def purge_older_than(connection: Connection, cutoff: datetime) -> PurgeCount:
    """Delete conversations last active before ``cutoff`` with their messages, outcomes,
    handoffs and ratings (foreign keys cascade), people left with no conversation, and
    de-duplication keys older than the cut-off (platforms stop retrying within minutes)."""
    when = as_utc(cutoff)
    conversations = connection.execute(
        delete(Conversation).where(Conversation.updated_at < when)
    ).rowcount
    users = connection.execute(
        delete(User).where(~exists().where(Conversation.user_id == User.id))
    ).rowcount
    events = connection.execute(
        delete(ProcessedEvent).where(ProcessedEvent.created_at < when)
    ).rowcount
    connection.execute(  # delivered or given-up replies; pending ones are still owed
        delete(OutboxReply).where(OutboxReply.created_at < when, OutboxReply.state != "pending")
    )
    return PurgeCount(conversations, users, events)


def purge_platform(connection: Connection, platform: str) -> int:
    """Delete everything recorded for ``platform`` (the benchmark's own synthetic one)."""
    from bot.store.models import Chat

    done = connection.execute(delete(Conversation).where(Conversation.platform == platform))
    connection.execute(delete(Chat).where(Chat.platform == platform))
    connection.execute(delete(User).where(User.platform == platform))
    connection.execute(delete(ProcessedEvent).where(ProcessedEvent.platform == platform))
    connection.execute(delete(OutboxReply).where(OutboxReply.platform == platform))
    return int(done.rowcount)
