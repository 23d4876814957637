"""Concurrent deliveries: a duplicate never replies twice, events of one chat never interleave.

Runs on the run's own database (SQLite, or PostgreSQL in CI) and, marked
``postgres``, on PostgreSQL with threads and with separate processes.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.events import Outcome
from bot.service import Service
from tests import fake_dialog
from tests.storage.conftest import inbound, rows

WORKERS = 6


def slow_advance(*args: Any) -> Any:
    """The fake dialog, slowed so concurrent events really overlap."""
    time.sleep(0.05)
    return fake_dialog.advance(*args)


def _run_together(service: Service, events: list[Any]) -> list[Outcome]:
    barrier = threading.Barrier(len(events))

    def deliver(event: Any) -> Outcome:
        barrier.wait(timeout=10)
        return service.handle(event)

    with ThreadPoolExecutor(len(events)) as pool:
        return list(pool.map(deliver, events))


def _duplicate_delivered_at_once(service: Service) -> None:
    event = inbound("hei", event_id="delivered-many-times")
    outcomes = _run_together(service, [event] * WORKERS)
    assert sum(1 for o in outcomes if not o.duplicate) == 1
    assert sum(len(o.replies) for o in outcomes) == 1
    assert rows(service, "SELECT count(*) FROM messages") == [(2,)]
    assert rows(service, "SELECT count(*) FROM conversations") == [(1,)]


def _one_chat_events_at_once(service: Service) -> None:
    events = [inbound(f"msg {n}") for n in range(WORKERS)]
    outcomes = _run_together(service, events)
    turns = sorted(int(o.replies[0].text.split(":")[0].split()[1]) for o in outcomes)
    assert turns == list(range(1, WORKERS + 1))  # each saw the one before: none lost
    assert rows(service, "SELECT count(*) FROM conversations") == [(1,)]
    assert rows(service, "SELECT count(*) FROM messages") == [(2 * WORKERS,)]
    # In and out of each event sit next to each other: never interleaved.
    directions = [d for (d,) in rows(service, "SELECT direction FROM messages ORDER BY id")]
    assert directions == ["in", "out"] * WORKERS


def test_duplicate_delivered_at_once_replies_once(make_service, database_url):
    _duplicate_delivered_at_once(make_service(database_url, slow_advance))


def test_events_of_one_chat_at_once_are_applied_one_after_the_other(make_service, database_url):
    _one_chat_events_at_once(make_service(database_url, slow_advance))


def test_new_user_in_many_chats_at_once(make_service, database_url):
    service = make_service(database_url, slow_advance)
    events = [inbound("hei", chat=f"chat-{n}") for n in range(WORKERS)]
    outcomes = _run_together(service, events)
    assert all(o.replies for o in outcomes)
    assert rows(service, "SELECT count(*) FROM users") == [(1,)]
    assert rows(service, "SELECT count(*) FROM chats") == [(WORKERS,)]


@pytest.mark.postgres
def test_postgres_duplicate_with_threads(make_service, postgres_url):
    _duplicate_delivered_at_once(make_service(postgres_url, slow_advance))


@pytest.mark.postgres
def test_postgres_one_chat_with_threads(make_service, postgres_url):
    _one_chat_events_at_once(make_service(postgres_url, slow_advance))


def _process_worker(url: str, text: str, event_id: str, start: Any, results: Any) -> None:
    """In a separate process: build a service on ``url`` and deliver one event."""
    from bot.settings import Settings
    from bot.store.database import create_engine_for
    from bot.store.unit_of_work import Store
    from tests.fake_dialog import NoClassifier

    service = Service(
        Store(create_engine_for(url)),
        None,  # type: ignore[arg-type]
        NoClassifier(),
        Settings(database_url=url),
        slow_advance,
    )
    try:
        start.wait(30)  # every process ready: deliver together
        outcome = service.handle(inbound(text, event_id=event_id))
        results.put((outcome.duplicate, [r.text for r in outcome.replies]))
    finally:
        service.close()


def _in_processes(url: str, deliveries: list[tuple[str, str]]) -> list[tuple[bool, list[str]]]:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(deliveries) + 1)
    results = context.Queue()
    workers = [
        context.Process(target=_process_worker, args=(url, text, event_id, start, results))
        for text, event_id in deliveries
    ]
    for worker in workers:
        worker.start()
    start.wait(60)
    found = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    return found


@pytest.mark.postgres
def test_postgres_duplicate_in_two_processes(postgres_url, make_service):
    found = _in_processes(postgres_url, [("hei", "same"), ("hei", "same")])
    assert sorted(duplicate for duplicate, _ in found) == [False, True]
    assert rows(make_service(postgres_url), "SELECT count(*) FROM messages") == [(2,)]


@pytest.mark.postgres
def test_postgres_one_chat_in_two_processes(postgres_url, make_service):
    found = _in_processes(postgres_url, [("a", "p1"), ("b", "p2")])
    turns = sorted(replies[0].split(":")[0] for _, replies in found)
    assert turns == ["turn 1", "turn 2"]
    assert rows(make_service(postgres_url), "SELECT count(*) FROM messages") == [(4,)]


@pytest.mark.postgres
def test_database_going_away_mid_request_is_service_unavailable(make_service, postgres_url):
    """The backend is killed while the dialog runs: a typed error, and nothing half-stored."""
    from sqlalchemy import text

    from bot.service import ServiceUnavailable
    from bot.store.database import create_engine_for

    admin = create_engine_for(postgres_url)
    kills = []
    # Only this service's own connection is killed, never another test's.
    victim = f"fixbot-victim-{uuid.uuid4().hex[:12]}"

    def killing_advance(*args: Any) -> Any:
        if kills:
            return fake_dialog.advance(*args)
        kills.append(1)
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :victim"
                ),
                {"victim": victim},
            )
        return fake_dialog.advance(*args)

    service = make_service(f"{postgres_url}&application_name={victim}", killing_advance)
    try:
        with pytest.raises(ServiceUnavailable):
            service.handle(inbound("hei", event_id="lost"))
    finally:
        admin.dispose()
    healthy = make_service(postgres_url)
    assert rows(healthy, "SELECT count(*) FROM messages") == [(0,)]
    assert rows(healthy, "SELECT count(*) FROM processed_events") == [(0,)]
    # The pool recovers: the same delivery succeeds on the next try.
    assert service.handle(inbound("hei", event_id="lost")).replies
