"""Conversations, handoffs and ratings on a real database, for the review store's tests (the
queries of ``bot/store/review``).

``Data`` writes rows the way the service does; the fixtures give each test a
fresh engine, a store whose clock the test moves, and the data writer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.store import models
from bot.store.database import create_engine_for
from bot.store.review.store import ReviewStore
from bot.store.search import searchable

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


class Data:
    """Adds rows straight through the models' tables, with exactly the values a test needs."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def conversation(
        self,
        *,
        status: str = "active",
        problem: str | None = "mail-not-updating",
        platform: str = "telegram",
        language: str = "nb",
        at: datetime = T0,
        texts: tuple[str, ...] = ("hei",),
        decision: str = "match",
        steps: tuple[tuple[str, int, str], ...] = (),
        rating: int | None = None,
        handoff: bool = False,
    ) -> int:
        n = next(_ids)
        with self.engine.begin() as c:
            user = c.execute(
                models.User.__table__.insert().values(
                    platform=platform,
                    external_id=f"u{n}",
                    display_name=f"P{n}",
                    language=language,
                    language_chosen=False,
                    created_at=at,
                )
            ).inserted_primary_key[0]
            chat = c.execute(
                models.Chat.__table__.insert().values(platform=platform, chat_key=f"c{n}")
            ).inserted_primary_key[0]
            cid = c.execute(
                models.Conversation.__table__.insert().values(
                    chat_id=chat,
                    user_id=user,
                    platform=platform,
                    status=status,
                    intent=problem,
                    language=language,
                    state={},
                    started_at=at,
                    updated_at=at,
                    search_text=searchable(texts),  # as the service keeps it
                )
            ).inserted_primary_key[0]
            for offset, text in enumerate(texts):
                c.execute(
                    models.Message.__table__.insert().values(
                        conversation_id=cid,
                        direction="in",
                        text=text,
                        decision=decision,
                        intent=problem,
                        confidence=0.9,
                        created_at=at + timedelta(seconds=offset),
                    )
                )
                c.execute(
                    models.Message.__table__.insert().values(
                        conversation_id=cid,
                        direction="out",
                        text=f"svar {offset}",
                        created_at=at + timedelta(seconds=offset),
                    )
                )
            for step_id, number, outcome in steps:
                c.execute(
                    models.StepOutcome.__table__.insert().values(
                        conversation_id=cid,
                        problem=problem,
                        step_id=step_id,
                        step_number=number,
                        outcome=outcome,
                        created_at=at,
                    )
                )
            if rating is not None:
                c.execute(
                    models.Rating.__table__.insert().values(
                        conversation_id=cid, score=rating, created_at=at
                    )
                )
            if handoff:
                c.execute(
                    models.Handoff.__table__.insert().values(
                        conversation_id=cid,
                        reason="asked",
                        problem=problem,
                        summary="hjelp",
                        details={},
                        status="open",
                        created_at=at,
                    )
                )
        return cid


class Clock:
    def __init__(self) -> None:
        self.now = T0 + timedelta(days=30)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def engine(database_url: str) -> Iterator[object]:
    built = create_engine_for(database_url)
    yield built
    built.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(engine, clock) -> ReviewStore:
    return ReviewStore(engine, clock=clock)


@pytest.fixture
def data(engine) -> Data:
    return Data(engine)
