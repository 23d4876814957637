"""Store tests run ``Service`` with the scripted fake dialog, on SQLite or PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.events import Inbound
from bot.service import Advance, Service
from bot.settings import Settings
from bot.store.database import create_engine_for
from bot.store.unit_of_work import Store
from tests.fake_dialog import NoClassifier, advance
from tests.unit.dialog.dialog_support import fixture_knowledge

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
_ids = itertools.count(1)


def inbound(
    text: str | None = None,
    *,
    payload: str | None = None,
    user: str = "u1",
    chat: str = "c1",
    event_id: str | None = None,
    at: datetime = NOW,
    platform: str = "test",
) -> Inbound:
    """An inbound event with a unique id unless one is given."""
    return Inbound(
        platform=platform,
        user_id=user,
        chat_key=chat,
        event_id=event_id or f"e{next(_ids)}",
        received_at=at,
        text=text,
        payload=payload,
    )


ServiceFactory = Callable[..., Service]


@pytest.fixture
def make_service() -> Iterator[ServiceFactory]:
    """Build services on a URL with the fake dialog (or ``advance=``); closed after the test."""
    built: list[Service] = []
    knowledge = fixture_knowledge()  # its ui texts (the fake dialog reads no other part)

    def make(url: str, dialog: Advance = advance, **settings: Any) -> Service:
        engine = create_engine_for(url)
        service = Service(
            Store(engine), knowledge, NoClassifier(), Settings(database_url=url, **settings), dialog
        )
        built.append(service)
        return service

    yield make
    for service in built:
        service.close()


@pytest.fixture
def fake_service(make_service: ServiceFactory, database_url: str) -> Service:
    return make_service(database_url)


def rows(service: Service, sql: str) -> list[tuple[Any, ...]]:
    """Run a read query on the service's own database (tests only)."""
    with service.store.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]
