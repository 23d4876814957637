"""Platform API faults: 500/503/429 bursts, a refused chat, a Telegram send that timed out
after arriving. fixbot's real adapters and delivery worker against the fake servers,
the real Service on PostgreSQL; each scenario counts its replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text as sql
from telegram import Bot
from telegram.request import HTTPXRequest

from adapters.delivery import DeliveryWorker
from adapters.slack.app import build_bot, finish, start_delivery, start_http
from adapters.slack.blocks import render_reply
from adapters.telegram import render as telegram_render
from adapters.telegram.sending import TelegramSender, destination
from bot.events import Button, Inbound, Reply
from bot.service import Service
from tests.adapters.slack.conftest import SECRET, TOKEN, HttpSlack, dm
from tests.adapters.slack.fake_server import FakeSlack
from tests.adapters.telegram.fake_server import FakeBotAPI
from tests.faults.conftest import Tally, outbox_rows, settled

pytestmark = pytest.mark.postgres

WAIT = 20.0
MAIL = "mailen på iPhonen oppdateres ikke"


async def until(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    """Wait for ``condition`` (checked every 20 ms) or fail after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await asyncio.to_thread(condition):
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def slack_expected(service: Service) -> list[tuple[str, str]]:
    """Each outbox row's Slack messages (channel, fallback text), in send order."""
    expected = []
    for row in outbox_rows(service.store, "slack"):
        buttons = tuple(Button(b["label"], b["payload"]) for b in row["buttons"] or ())
        channel = row["destination"].split("|")[0]
        for message in render_reply(Reply(row["body"], buttons)):
            expected.append((channel, message.text))
    return expected


def slack_arrived(fake: FakeSlack) -> list[tuple[str, str]]:
    """What Slack accepted, in posting order (the fake's ts count up)."""
    with fake._lock:
        items = sorted(fake.messages.items(), key=lambda item: item[0][1])
    return [(channel, message["text"]) for (channel, _), message in items]


@asynccontextmanager
async def slack_serving(fake: FakeSlack, service: Service) -> AsyncIterator[HttpSlack]:
    """``fixbot serve slack`` in HTTP mode, in this process, with its delivery worker."""
    settings = replace(
        service.settings,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
    )
    bot = build_bot(settings, service)
    start_delivery(bot, service)
    runner, port = await start_http(bot, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            yield HttpSlack(fake, service, f"http://127.0.0.1:{port}", session)  # type: ignore[arg-type]
    finally:
        for site in list(runner.sites):
            await site.stop()
        await finish(bot)
        await runner.cleanup()


async def test_slack_500_503_and_429_bursts_lose_and_double_nothing(
    pg_service: Service, report: Callable[[Tally], None]
) -> None:
    tally = Tally("slack: 500, 503 and 429 bursts on chat.postMessage")
    with FakeSlack() as fake:
        for status, error in [(500, "internal_error")] * 2 + [(503, "service_unavailable")] * 2:
            fake.fail_next("chat.postMessage", status=status, retry_after=None, error=error)
        for _ in range(5):  # more than the client's own three 429 retries
            fake.fail_next("chat.postMessage", status=429, retry_after=0)
        async with slack_serving(fake, pg_service) as slack:
            users = [f"U0F{n:03d}" for n in range(6)]
            for n, user in enumerate(users):
                event = dm(MAIL, f"1700000100.{n:06d}", user=user, channel=f"D{user}")
                status, _ = await slack.event(event, f"Ev0BURST{n}")
                assert status == 200
                tally.events_sent += 1
            await until(lambda: settled(pg_service.store, "slack"), "every reply settled")
        tally.count(slack_expected(pg_service), slack_arrived(fake))
        tally.extra["failed_calls"] = 9
    report(tally)
    assert tally.replies_expected >= 2 * tally.events_sent
    assert (tally.lost, tally.duplicates, tally.out_of_order_chats) == (0, 0, 0)


async def test_a_failed_reply_is_marked_logged_once_and_sent_when_the_event_comes_again(
    pg_service: Service, report: Callable[[Tally], None], caplog: pytest.LogCaptureFixture
) -> None:
    tally = Tally("slack: refused for good, then the event redelivered")
    caplog.set_level(logging.ERROR, logger="fixbot.delivery")
    with FakeSlack(refused_channels={"DU0REF"}) as fake:
        async with slack_serving(fake, pg_service) as slack:
            event = dm(MAIL, "1700000200.000001", user="U0REF", channel="DU0REF")
            await slack.event(event, "Ev0REFUSED")
            tally.events_sent += 1
            await until(lambda: settled(pg_service.store, "slack"), "the replies failed")
            rows = outbox_rows(pg_service.store, "slack")
            assert {row["state"] for row in rows} == {"failed"}
            assert all(row["last_error"] == "not_in_channel" for row in rows)

            def failures() -> list[logging.LogRecord]:
                return [r for r in caplog.records if "failed after" in r.getMessage()]

            # the row is marked failed a moment before the worker logs it
            await until(lambda: len(failures()) >= len(rows), "each failure logged")
            await asyncio.sleep(0.2)  # and no second log of any of them
            assert len(failures()) == len(rows)  # once per reply
            fake.refused_channels.clear()
            await slack.event(event, "Ev0REFUSED", retry=1)  # Slack delivers it again
            await until(lambda: settled(pg_service.store, "slack"), "the replies sent")
        assert {row["state"] for row in outbox_rows(pg_service.store, "slack")} == {"sent"}
        tally.count(slack_expected(pg_service), slack_arrived(fake))
    report(tally)
    assert (tally.lost, tally.duplicates) == (0, 0)


def telegram_bot(fake: FakeBotAPI, read_timeout: float) -> Bot:
    request = HTTPXRequest(connect_timeout=2.0, read_timeout=read_timeout)
    return Bot(fake.token, base_url=fake.base_url, request=request)


def telegram_turns(service: Service, chats: list[int]) -> int:
    """One turn per chat through the real service, its replies into the outbox."""
    for chat in chats:
        event = Inbound(
            "telegram",
            str(chat),
            str(chat),
            f"u{chat}",
            datetime.now(UTC),
            text=MAIL,
            reply_to=destination(chat, None),
        )
        assert service.handle(event).queued >= 2
    return len(chats)


def telegram_expected(service: Service) -> list[tuple[str, str]]:
    expected = []
    for row in outbox_rows(service.store, "telegram"):
        chat = row["destination"].split("|")[0]
        for part in telegram_render.messages(row["body"]):
            expected.append((chat, part))
    return expected


def telegram_arrived(fake: FakeBotAPI, chats: list[int]) -> list[tuple[str, str]]:
    """Messages Telegram accepted, compared by their HTML as sent."""
    return [(str(chat), sent.params["text"]) for chat in chats for sent in fake.sent_to(chat)]


@pytest.fixture
def telegram_fake() -> Any:
    fake = FakeBotAPI().start()
    yield fake
    fake.stop()


async def test_telegram_429_burst_loses_and_doubles_nothing(
    pg_service: Service, telegram_fake: FakeBotAPI, report: Callable[[Tally], None]
) -> None:
    tally = Tally("telegram: 429 burst on sendMessage")
    chats = [9100 + n for n in range(4)]
    telegram_fake.fail_next("sendMessage", times=5, retry_after=0)
    tally.events_sent = telegram_turns(pg_service, chats)
    async with telegram_bot(telegram_fake, 5.0) as bot:
        worker = DeliveryWorker(
            pg_service.store, "telegram", TelegramSender(bot), pg_service.settings.delivery
        )
        worker.start()
        worker.wake()
        await until(lambda: settled(pg_service.store, "telegram"), "every reply settled")
        await worker.drain(1.0)
    tally.count(telegram_expected(pg_service), telegram_arrived(telegram_fake, chats))
    report(tally)
    assert (tally.lost, tally.duplicates, tally.out_of_order_chats) == (0, 0, 0)


@pytest.mark.parametrize("resend", [True, False], ids=["at-least-once", "at-most-once"])
async def test_a_telegram_send_that_timed_out_after_arriving(
    pg_service: Service,
    telegram_fake: FakeBotAPI,
    report: Callable[[Tally], None],
    resend: bool,
) -> None:
    """Telegram acts on the first send but answers after the read timeout: the worker
    records it as uncertain; it sends it once more only when told to (no blind loop)."""
    mode = "resend" if resend else "no resend"
    tally = Tally(f"telegram: answer lost after delivery (read timeout), {mode}")
    chats = [9200]
    tally.events_sent = telegram_turns(pg_service, chats)
    telegram_fake.slow_next("sendMessage", seconds=0.6)
    settings = replace(pg_service.settings.delivery, resend_uncertain=resend)
    async with telegram_bot(telegram_fake, 0.3) as bot:
        worker = DeliveryWorker(pg_service.store, "telegram", TelegramSender(bot), settings)
        worker.start()
        worker.wake()
        await until(lambda: settled(pg_service.store, "telegram"), "every reply settled")
        await worker.drain(1.0)
    rows = outbox_rows(pg_service.store, "telegram")
    tally.count(telegram_expected(pg_service), telegram_arrived(telegram_fake, chats))
    tally.extra["uncertain_attempts"] = sum(row["uncertain"] for row in rows)
    tally.extra["states"] = [row["state"] for row in rows]
    report(tally)
    assert tally.lost == 0
    if resend:
        assert tally.duplicates == 1  # the one send that timed out: the at-least-once window
        assert tally.extra["uncertain_attempts"] == 1
    else:
        assert tally.duplicates == 0
        assert rows[0]["state"] == "failed" and "unconfirmed" in rows[0]["last_error"]


async def test_a_telegram_send_under_way_at_the_drain_limit_is_finished_not_cut(
    pg_service: Service, telegram_fake: FakeBotAPI, report: Callable[[Tally], None]
) -> None:
    """SIGTERM with more replies than the drain can send: at the limit no new send starts,
    and the one under way is let finish and recorded. Cut mid-call instead, it may have
    arrived, and the next process would send it again."""
    tally = Tally("telegram: drain limit reached mid-send (sendMessage 0.3 s), then a new worker")
    chats = [9250 + n for n in range(5)]
    tally.events_sent = telegram_turns(pg_service, chats)
    telegram_fake.slow_next("sendMessage", seconds=0.3, times=200)
    settings = pg_service.settings.delivery

    def under_way() -> bool:
        with telegram_fake._lock:
            sends = [call for call in telegram_fake.calls if call.method == "sendMessage"]
            return len(sends) >= 2 and len(telegram_fake.calls) > telegram_fake.answered

    async with telegram_bot(telegram_fake, 5.0) as bot:
        first = DeliveryWorker(
            pg_service.store, "telegram", TelegramSender(bot), settings, sends_in_flight=1
        )
        first.start()
        first.wake()
        await until(under_way, "a send under way")
        left = await first.drain(0.05)  # the limit falls inside the 0.3 s call
        with telegram_fake._lock:
            telegram_fake._slow.clear()
        second = DeliveryWorker(
            pg_service.store, "telegram", TelegramSender(bot), settings, sends_in_flight=1
        )
        second.start()
        second.wake()
        await until(lambda: settled(pg_service.store, "telegram"), "the next worker caught up")
        await second.drain(1.0)
    tally.count(telegram_expected(pg_service), telegram_arrived(telegram_fake, chats))
    tally.extra["left_for_the_next_worker"] = left
    report(tally)
    assert left > 0  # the drain limit was reached
    assert (tally.lost, tally.duplicates, tally.out_of_order_chats) == (0, 0, 0)


async def test_a_long_telegram_reply_taken_over_between_its_parts_resumes_after_them(
    pg_service: Service, telegram_fake: FakeBotAPI, report: Callable[[Tally], None]
) -> None:
    """A reply of three messages; its worker stops dead (as if killed) while the second is
    in flight. The next worker takes the row over when its lease runs out and resumes at
    the second part: the first, recorded as it arrived, is not sent again."""
    tally = Tally("telegram: a long reply's worker killed between its parts, then a new worker")
    chats = [9260]
    tally.events_sent = telegram_turns(pg_service, chats)
    long_body = "\n\n".join(f"Avsnitt {n}: " + "ord " * 300 for n in range(8))
    with pg_service.store.writing() as connection:
        first_row = min(row["id"] for row in outbox_rows(pg_service.store, "telegram"))
        connection.execute(
            sql("UPDATE outbox SET body = :body WHERE id = :id"),
            {"body": long_body, "id": first_row},
        )
    assert len(telegram_render.messages(long_body)) >= 3
    telegram_fake.slow_next("sendMessage", seconds=0.3, times=2)
    settings = pg_service.settings.delivery

    def second_part_in_flight() -> bool:
        with telegram_fake._lock:
            sends = [call for call in telegram_fake.calls if call.method == "sendMessage"]
            return len(sends) == 2 and len(telegram_fake.calls) > telegram_fake.answered

    async with telegram_bot(telegram_fake, 5.0) as bot:
        sender = TelegramSender(bot)
        first = DeliveryWorker(pg_service.store, "telegram", sender, settings, sends_in_flight=1)
        sender.progress = first.record_progress
        first.start()
        first.wake()
        await until(second_part_in_flight, "the second part in flight")
        assert first._task is not None
        first._task.cancel()  # dead: nothing more recorded, its leases left to run out
        await asyncio.gather(first._task, return_exceptions=True)
        parts_recorded = outbox_rows(pg_service.store, "telegram")[0]["parts_sent"]
        with telegram_fake._lock:
            telegram_fake._slow.clear()
        second = DeliveryWorker(
            pg_service.store, "telegram", TelegramSender(bot), settings, sends_in_flight=1
        )
        second.start()
        await until(lambda: settled(pg_service.store, "telegram"), "the next worker caught up")
        await second.drain(1.0)
    tally.count(telegram_expected(pg_service), telegram_arrived(telegram_fake, chats))
    tally.extra["parts_recorded_at_the_stop"] = parts_recorded
    report(tally)
    assert parts_recorded == 1
    assert tally.lost == 0
    assert tally.duplicates <= 1  # the second part, in flight at the stop
    assert tally.out_of_order_chats == 0
