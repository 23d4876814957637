"""The reply outbox in the store: written with the turn, claimed in order per chat under
leases, shared by workers without double claims, made due again by a redelivery, and
shown when undelivered. On the run's database, and on PostgreSQL (marked)."""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from adapters.cli.commands import transcripts
from adapters.delivery import DeliveryWorker, Result
from bot.service import Service
from bot.settings import DeliverySettings, Settings
from bot.store.outbox import Outbox, OutboxRow
from bot.store.review.store import ReviewStore
from bot.store.views import undelivered_replies
from tests.storage.conftest import ServiceFactory, inbound, rows

LEASE = timedelta(seconds=30)


@pytest.fixture
def now() -> datetime:
    """Rows are due from the wall clock of their turn; claims look a second later."""
    return datetime.now(UTC) + timedelta(seconds=1)


def turn(service: Service, text: str, chat: str = "c1", event_id: str | None = None) -> int:
    """One event whose replies go to the outbox; how many it queued."""
    event = replace(inbound(text, chat=chat, event_id=event_id), reply_to=f"{chat}|")
    return service.handle(event).queued


def test_a_turn_writes_its_replies_with_it(fake_service: Service) -> None:
    queued = turn(fake_service, "fix mail")
    assert queued >= 1
    stored = rows(fake_service, "SELECT state, destination, attempts FROM outbox ORDER BY id")
    assert stored == [("pending", "c1|", 0)] * queued
    # Without a destination (the terminal chat) nothing is queued.
    assert fake_service.handle(inbound("fix mail", chat="c2")).queued == 0
    assert len(rows(fake_service, "SELECT id FROM outbox")) == queued


def test_a_chat_is_claimed_whole_and_in_order_and_never_twice(
    fake_service: Service, now: datetime
) -> None:
    for n in range(3):
        turn(fake_service, f"fix m{n}", chat="a")
    turn(fake_service, "fix other", chat="b")
    mine = Outbox(fake_service.store, "test", "one")
    other = Outbox(fake_service.store, "test", "two")
    claimed = mine.claim(now, 10, LEASE)
    assert [r.id for r in claimed] == sorted(r.id for r in claimed)
    assert {r.chat_key for r in claimed} == {"a", "b"}
    assert other.claim(now, 10, LEASE) == []  # leased
    # After the lease ends, another worker takes the chats over, flagged as suspect.
    later = other.claim(now + LEASE + timedelta(seconds=1), 10, LEASE)
    assert [r.id for r in later] == [r.id for r in claimed]
    assert all(r.suspect for r in later)


def test_a_later_reply_never_overtakes_an_earlier_one(fake_service: Service, now: datetime) -> None:
    turn(fake_service, "fix one", chat="a")
    turn(fake_service, "fix two", chat="a")
    outbox = Outbox(fake_service.store, "test", "w")
    head, *rest = outbox.claim(now, 10, LEASE)
    outbox.retry(head.id, now + timedelta(seconds=60), "HTTP 503", 0)
    outbox.release_chat("a", head.id)
    # The head waits; the rows behind it are not due either, however long they wait.
    assert outbox.claim(now + timedelta(seconds=30), 10, LEASE) == []
    again = outbox.claim(now + timedelta(seconds=61), 10, LEASE)
    assert [r.id for r in again] == [head.id, *(r.id for r in rest)]
    assert again[0].attempts == 1


def test_failed_replies_are_shown_and_a_redelivery_makes_them_due(
    fake_service: Service, database_url: str, capsys: pytest.CaptureFixture[str], now: datetime
) -> None:
    turn(fake_service, "fix mail", chat="a", event_id="ev-1")
    outbox = Outbox(fake_service.store, "test", "w")
    claimed = outbox.claim(now, 10, LEASE)
    assert outbox.failed(claimed[0].id, "not_in_channel", 0)
    assert not outbox.failed(claimed[0].id, "not_in_channel", 0)  # once only
    conversation = rows(fake_service, "SELECT conversation_id FROM outbox")[0][0]
    with fake_service.store.reading() as connection:
        shown = undelivered_replies(connection, conversation)
    assert shown[0].state == "failed" and shown[0].last_error == "not_in_channel"
    detail = ReviewStore(fake_service.store.engine).conversation(conversation)
    assert detail is not None and detail.undelivered == shown  # the review site's page
    parser = argparse.ArgumentParser()
    transcripts.register(parser)
    args = parser.parse_args(["show", str(conversation)])
    assert transcripts.run(args, Settings(database_url=database_url)) == 0
    assert "FAILED after 1 attempts (not_in_channel)" in capsys.readouterr().out
    outbox.release_all()
    # The platform delivers the event again: a duplicate, but its replies are due once more.
    again = fake_service.handle(
        replace(inbound("fix mail", chat="a", event_id="ev-1"), reply_to="a|")
    )
    assert again.duplicate and again.queued == len(claimed)
    assert {s for (s,) in rows(fake_service, "SELECT state FROM outbox")} == {"pending"}


@pytest.mark.postgres
def test_two_workers_on_postgresql_share_chats_without_overlap(
    make_service: ServiceFactory, postgres_url: str, now: datetime
) -> None:
    service = make_service(postgres_url)
    for n in range(20):
        turn(service, f"fix m{n}", chat=f"chat{n}")
    first = Outbox(service.store, "test", "one").claim(now, 7, LEASE)
    second = Outbox(service.store, "test", "two").claim(now, 100, LEASE)
    assert len({r.chat_key for r in first}) == 7
    assert {r.chat_key for r in first}.isdisjoint({r.chat_key for r in second})
    assert len({r.chat_key for r in first} | {r.chat_key for r in second}) == 20


async def test_a_reply_still_failing_at_its_deadline_is_failed(
    make_service: ServiceFactory, database_url: str
) -> None:
    """Retries are bounded in time: past ``give_up_seconds`` the reply is marked failed."""
    quick = DeliverySettings(
        give_up_seconds=0.3, first_backoff_seconds=0.02, max_backoff_seconds=0.05, poll_seconds=0.02
    )
    service = make_service(database_url, delivery=quick)
    queued = turn(service, "fix mail")
    tries: list[int] = []

    async def always_503(row: OutboxRow) -> Result:
        tries.append(row.id)
        return Result("retry", 0, error="HTTP 503 service_unavailable")

    worker = DeliveryWorker(service.store, "test", always_503, quick)
    worker.start()
    deadline = asyncio.get_running_loop().time() + 10
    while {s for (s,) in rows(service, "SELECT state FROM outbox")} != {"failed"}:
        assert asyncio.get_running_loop().time() < deadline, "never given up"
        await asyncio.sleep(0.02)
    await worker.drain(1.0)
    assert len(tries) > queued  # the head was tried more than once first
    errors = {e for (e,) in rows(service, "SELECT last_error FROM outbox")}
    assert errors == {"HTTP 503 service_unavailable"}


async def test_sends_in_flight_are_bounded_and_each_chat_keeps_its_order(
    make_service: ServiceFactory, database_url: str
) -> None:
    """``sends_in_flight=1`` (Telegram): across many chats, never two sends between their
    start and their record at once; each chat's rows still go out in order."""
    quick = DeliverySettings(poll_seconds=0.02)
    service = make_service(database_url, delivery=quick)
    for n in range(12):
        turn(service, f"fix m{n}", chat=f"c{n % 4}")
    in_flight, most = 0, 0
    order: dict[str, list[int]] = {}

    async def slow(row: OutboxRow) -> Result:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        order.setdefault(row.chat_key, []).append(row.id)
        return Result("sent", 1, sent_id=str(row.id))

    worker = DeliveryWorker(service.store, "test", slow, quick, sends_in_flight=1)
    worker.start()
    worker.wake()
    deadline = asyncio.get_running_loop().time() + 10
    while {s for (s,) in rows(service, "SELECT state FROM outbox")} != {"sent"}:
        assert asyncio.get_running_loop().time() < deadline, "never all sent"
        await asyncio.sleep(0.02)
    await worker.drain(1.0)
    assert most == 1
    assert len(order) == 4
    assert all(ids == sorted(ids) for ids in order.values())


def test_a_bound_on_sends_in_flight_needs_each_send_recorded_at_once(
    fake_service: Service,
) -> None:
    with pytest.raises(ValueError):
        DeliveryWorker(
            fake_service.store,
            "test",
            None,  # type: ignore[arg-type]
            DeliverySettings(),
            record_per_round=True,
            sends_in_flight=1,
        )


def test_a_handoff_tells_its_case_number_in_the_reply_the_transcript_and_the_outbox(
    fake_service: Service,
) -> None:
    # playtest 27: a case number was never given, so nobody could name the case to IT
    outcome = fake_service.handle(replace(inbound("human"), reply_to="c1|"))
    [notice] = outcome.handoffs
    line = fake_service.knowledge.text("case_number", "nb", number=notice.handoff_id)
    assert outcome.replies[-1].text.endswith(line)
    assert sum(line in reply.text for reply in outcome.replies) == 1
    [(stored,)] = rows(fake_service, "SELECT text FROM messages WHERE direction = 'out'")[-1:]
    assert stored.endswith(line)
    bodies = rows(fake_service, "SELECT body FROM outbox ORDER BY id")
    assert line in bodies[-1][0]
    # a turn with no new case tells no number
    later = fake_service.handle(replace(inbound("hello"), reply_to="c1|"))
    assert not later.handoffs
    assert all("**" + str(notice.handoff_id) + "**" not in r.text for r in later.replies)
