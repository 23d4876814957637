"""SIGTERM in the other serving modes: Telegram long polling and Slack Socket Mode, as
real subprocesses on PostgreSQL against the fakes with slow sends. Every event taken
in before the signal is answered before the process exits, within the drain time.

Telegram sends one message at a time per process
(``DeliverySettings.telegram_sends_in_flight``), so its scenarios use a sendMessage
of 50 ms (as real ones answer): 40 replies then take 2-3 s, within the 10 s drain. SIGKILL
while Telegram sends: at most one reply is doubled (the one in flight)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bot.service import Service
from tests.adapters.slack.conftest import APP_TOKEN, SECRET, TOKEN, dm, event_body
from tests.adapters.slack.fake_server import FakeSlack
from tests.adapters.telegram.fake_person import Person
from tests.adapters.telegram.fake_server import FakeBotAPI
from tests.faults.conftest import Tally, outbox_rows, settled
from tests.faults.test_api_faults import (
    MAIL,
    slack_arrived,
    slack_expected,
    telegram_arrived,
    telegram_expected,
    until,
)
from tests.faults.test_process_faults import DRAIN_SECONDS, acknowledged_without_reply
from tests.paths import ROOT

pytestmark = pytest.mark.postgres

WEBHOOK_SECRET = "fault-suite-webhook-secret"
# One Telegram send at a time, each answered in 50 ms as a real sendMessage might be.
TELEGRAM_SEND_SECONDS = 0.05


@contextmanager
def process(
    argv: list[str], env: dict[str, str], log: Path, ready: str
) -> Iterator[subprocess.Popen[bytes]]:
    """A ``fixbot`` subprocess, once its log says ``ready``; killed if still running."""
    full = {
        **os.environ,
        **env,
        "PYTHONPATH": str(ROOT),
        "FIXBOT_DRAIN_SECONDS": str(DRAIN_SECONDS),
        "FIXBOT_DELIVERY_POLL_SECONDS": "0.1",
    }
    with log.open("w") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli.main", *argv],
            cwd=log.parent,
            env=full,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while ready not in log.read_text():
            assert child.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        yield child
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


async def stop(child: subprocess.Popen[bytes]) -> tuple[int, float]:
    """SIGTERM; the exit status and the seconds it took."""
    child.send_signal(signal.SIGTERM)
    started = time.monotonic()
    code = await asyncio.to_thread(child.wait, DRAIN_SECONDS + 20)
    return code, time.monotonic() - started


def telegram_env(fake: FakeBotAPI, pg_service: Service, **extra: str) -> dict[str, str]:
    """The environment of a ``fixbot serve telegram`` child against ``fake``."""
    return {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "FIXBOT_TELEGRAM_BASE_URL": fake.base_url,
        "FIXBOT_DATABASE_URL": pg_service.settings.database_url or "",
        **extra,
    }


async def test_sigterm_in_telegram_polling_answers_every_update_taken(
    pg_service: Service, report: Callable[[Tally], None], tmp_path: Path
) -> None:
    tally = Tally("telegram polling: SIGTERM mid-delivery (sendMessage 0.05 s)")
    fake = FakeBotAPI().start()
    try:
        env = telegram_env(fake, pg_service)
        log = tmp_path / "telegram.log"
        with process(["serve", "telegram"], env, log, "Application started") as child:
            fake.slow_next("sendMessage", seconds=TELEGRAM_SEND_SECONDS, times=200)
            chats = [9300 + n for n in range(20)]
            for chat in chats:
                Person(fake, chat, f"P{chat}", "nb").says(MAIL)
            tally.events_sent = len(chats)
            await until(lambda: len(fake.calls_of("sendMessage")) >= 5, "delivery under way")
            code, took = await stop(child)
        tally.count(telegram_expected(pg_service), telegram_arrived(fake, chats))
        events = {row["destination"] for row in outbox_rows(pg_service.store, "telegram")}
        tally.extra.update(
            updates_handled=len(events),
            exit_seconds=round(took, 2),
            unanswered_events=acknowledged_without_reply(pg_service),
        )
    finally:
        fake.stop()
    report(tally)
    assert code == 0, log.read_text()[-2000:]
    assert tally.extra["updates_handled"] == len(chats)
    assert tally.extra["unanswered_events"] == 0
    assert (tally.lost, tally.duplicates, tally.out_of_order_chats) == (0, 0, 0)
    assert took < DRAIN_SECONDS + 2


async def test_sigterm_in_slack_socket_mode_answers_every_acknowledged_event(
    pg_service: Service, report: Callable[[Tally], None], tmp_path: Path
) -> None:
    tally = Tally("slack socket mode: SIGTERM mid-delivery (postMessage 0.3 s)")
    with FakeSlack(latency={"chat.postMessage": 0.3}) as fake:
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "FIXBOT_SLACK_API_URL": fake.api_url,
            "FIXBOT_DATABASE_URL": pg_service.settings.database_url or "",
        }
        log = tmp_path / "socket.log"
        with process(["serve", "slack"], env, log, "(Socket Mode)") as child:
            for n in range(20):
                user = f"U0S{n:04d}"
                event = dm(MAIL, f"1700000600.{n:06d}", user=user, channel=f"D{user}")
                fake.send_envelope(
                    {
                        "envelope_id": f"env-{n}",
                        "type": "events_api",
                        "accepts_response_payload": False,
                        "payload": event_body(event, f"Ev0SOCK{n}"),
                    }
                )
            tally.events_sent = 20
            await until(lambda: len(fake.acks) >= 20, "every envelope acknowledged")
            await until(lambda: len(fake.posts()) >= 5, "delivery under way")
            code, took = await stop(child)
        tally.count(slack_expected(pg_service), slack_arrived(fake))
        tally.extra.update(
            acknowledged=len(fake.acks),
            exit_seconds=round(took, 2),
            unanswered_events=acknowledged_without_reply(pg_service),
        )
    report(tally)
    assert code == 0, log.read_text()[-2000:]
    assert tally.extra["unanswered_events"] == 0
    assert len({row["destination"] for row in outbox_rows(pg_service.store, "slack")}) == 20
    assert (tally.lost, tally.duplicates, tally.out_of_order_chats) == (0, 0, 0)
    assert took < DRAIN_SECONDS + 2


async def test_sigkill_in_telegram_polling_then_restart_loses_nothing(
    pg_service: Service, report: Callable[[Tally], None], tmp_path: Path
) -> None:
    """Telegram has no way to ask whether a message arrived: a send in flight when the
    process is killed is sent again by the next process. One send at a time per process
    (``telegram_sends_in_flight``) makes that at most one duplicate per killed process,
    however many chats had replies waiting."""
    tally = Tally("telegram polling: SIGKILL mid-delivery (sendMessage 0.5 s), then a new process")
    fake = FakeBotAPI().start()
    try:
        env = telegram_env(fake, pg_service, FIXBOT_DELIVERY_LEASE_SECONDS="2")
        chats = [9400 + n for n in range(10)]
        with process(["serve", "telegram"], env, tmp_path / "a.log", "Application started") as a:
            fake.slow_next("sendMessage", seconds=0.5, times=200)
            for chat in chats:
                Person(fake, chat, f"P{chat}", "nb").says(MAIL)
            tally.events_sent = len(chats)
            # one send at a time: the second call in flight, the other 18 replies waiting
            await until(lambda: len(fake.calls_of("sendMessage")) >= 2, "delivery under way")
            a.kill()
            a.wait()
            with fake._lock:  # calls Telegram acted on but had not answered
                in_flight = len(fake.calls) - fake.answered
            rows = outbox_rows(pg_service.store, "telegram")
            waiting = len({r["destination"] for r in rows if r["state"] == "pending"})
        with fake._lock:
            fake._slow.clear()
        with process(["serve", "telegram"], env, tmp_path / "b.log", "Application started") as b:
            await until(lambda: settled(pg_service.store, "telegram"), "the new process caught up")
            await stop(b)
        tally.count(telegram_expected(pg_service), telegram_arrived(fake, chats))
        tally.extra["calls_in_flight_at_kill"] = in_flight
        tally.extra["chats_waiting_at_kill"] = waiting
    finally:
        fake.stop()
    report(tally)
    assert waiting > 1  # more chats than the bound had replies to send
    assert tally.lost == 0
    assert tally.duplicates <= 1  # one killed process
    assert tally.out_of_order_chats == 0


async def test_sigterm_in_telegram_webhook_mode_answers_every_update_taken(
    pg_service: Service, report: Callable[[Tally], None], tmp_path: Path
) -> None:
    tally = Tally("telegram webhook: SIGTERM mid-delivery (sendMessage 0.05 s)")
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # the child binds it again at once
    fake = FakeBotAPI().start()
    try:
        env = telegram_env(fake, pg_service, FIXBOT_TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET)
        hook = f"http://127.0.0.1:{port}/hook"
        argv = ["serve", "telegram", "--webhook-url", hook, "--port", str(port)]
        with process(argv, env, tmp_path / "hook.log", "webhook serving on port") as child:
            fake.slow_next("sendMessage", seconds=TELEGRAM_SEND_SECONDS, times=200)
            chats = [9500 + n for n in range(20)]
            headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
            async with httpx.AsyncClient(timeout=10) as client:
                for chat in chats:
                    update = Person(fake, chat, f"P{chat}", "nb").text_update(MAIL)
                    response = await client.post(hook, json=update, headers=headers)
                    assert response.status_code == 200
            tally.events_sent = len(chats)
            await until(lambda: len(fake.calls_of("sendMessage")) >= 5, "delivery under way")
            code, took = await stop(child)
        tally.count(telegram_expected(pg_service), telegram_arrived(fake, chats))
        tally.extra.update(
            exit_seconds=round(took, 2),
            unanswered_events=acknowledged_without_reply(pg_service),
        )
    finally:
        fake.stop()
    report(tally)
    assert code == 0, (tmp_path / "hook.log").read_text()[-2000:]
    assert tally.extra["unanswered_events"] == 0
    assert len({row["destination"] for row in outbox_rows(pg_service.store, "telegram")}) == 20
    assert (tally.lost, tally.duplicates, tally.out_of_order_chats) == (0, 0, 0)
    assert took < DRAIN_SECONDS + 2
