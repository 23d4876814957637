"""Processes stopped mid-delivery: ``fixbot serve slack`` (HTTP) as a real subprocess on
PostgreSQL against the fake Slack, whose chat.postMessage answers late.

- SIGTERM under 50 events/s: intake stops, the turns in flight finish, the outbox
  drains; every acknowledged event is answered before the process exits, within
  the drain time.
- SIGKILL while calls are in flight, then a new process: it takes the dead one's
  rows over when their leases run out; nothing is lost. A call Slack had acted on
  but not yet answered when the process died is the one way to a duplicate.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text as sql

from bot.service import Service
from tests.adapters.slack.conftest import SECRET, TOKEN, HttpSlack, dm
from tests.adapters.slack.fake_server import FakeSlack
from tests.faults.conftest import Tally, outbox_rows, settled
from tests.faults.test_api_faults import MAIL, slack_arrived, slack_expected, until
from tests.paths import ROOT

pytestmark = pytest.mark.postgres

DRAIN_SECONDS = 10.0
LISTENING = re.compile(r"http://127\.0\.0\.1:(\d+)/slack/events")


class Served:
    """One ``fixbot serve slack`` process and where it listens."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path, url: str) -> None:
        self.process = process
        self.log = log
        self.url = url


@contextmanager
def serving(fake: FakeSlack, database_url: str, log: Path) -> Iterator[Served]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "FIXBOT_SLACK_API_URL": fake.api_url,
        "FIXBOT_DATABASE_URL": database_url,
        "FIXBOT_DRAIN_SECONDS": str(DRAIN_SECONDS),
        "FIXBOT_DELIVERY_LEASE_SECONDS": "2",
        "FIXBOT_DELIVERY_POLL_SECONDS": "0.1",
        "PYTHONPATH": str(ROOT),
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli.main", "serve", "slack", "--port", "0"],
            cwd=log.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not (found := LISTENING.search(log.read_text())):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        yield Served(process, log, f"http://127.0.0.1:{found.group(1)}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def acknowledged_without_reply(service: Service) -> int:
    """Events stored whose replies are not all sent."""
    with service.store.reading() as connection:
        return int(
            connection.execute(
                sql("SELECT count(DISTINCT event_id) FROM outbox WHERE state <> 'sent'")
            ).scalar_one()
        )


async def test_sigterm_under_50_events_a_second_answers_every_acknowledged_event(
    pg_service: Service, report: Callable[[Tally], None], tmp_path: Path
) -> None:
    tally = Tally("slack http: SIGTERM under 50 events/s (postMessage 0.2 s)")
    with FakeSlack(latency={"chat.postMessage": 0.2}) as fake:
        with serving(fake, pg_service.settings.database_url or "", tmp_path / "a.log") as served:
            async with aiohttp.ClientSession() as session:
                slack = HttpSlack(fake, None, served.url, session)  # type: ignore[arg-type]
                acked = 0

                async def one(n: int) -> None:
                    nonlocal acked
                    user = f"U0T{n:04d}"
                    event = dm(MAIL, f"1700000400.{n:06d}", user=user, channel=f"D{user}")
                    status, _ = await slack.event(event, f"Ev0TERM{n}")
                    acked += status == 200

                start = time.monotonic()
                tasks = []
                for n in range(100):  # 50 a second for 2 s
                    tasks.append(asyncio.create_task(one(n)))
                    await asyncio.sleep(max(0.0, start + (n + 1) / 50 - time.monotonic()))
                await asyncio.gather(*tasks)
                tally.events_sent = 100
                sent_before = len(fake.posts())
                served.process.send_signal(signal.SIGTERM)
                stopped = time.monotonic()
                code = await asyncio.to_thread(served.process.wait, DRAIN_SECONDS + 20)
                took = time.monotonic() - stopped
        tally.count(slack_expected(pg_service), slack_arrived(fake))
        tally.extra.update(
            acknowledged=acked,
            posts_at_sigterm=sent_before,
            exit_seconds=round(took, 2),
            drain_seconds=DRAIN_SECONDS,
            unanswered_events=acknowledged_without_reply(pg_service),
        )
    report(tally)
    assert code == 0, served.log.read_text()[-2000:]
    assert acked == 100
    assert tally.extra["unanswered_events"] == 0
    assert len({row["destination"] for row in outbox_rows(pg_service.store, "slack")}) == acked
    assert (tally.lost, tally.duplicates, tally.out_of_order_chats) == (0, 0, 0)
    assert took < DRAIN_SECONDS + 2


async def test_sigkill_mid_delivery_then_restart_loses_nothing(
    pg_service: Service, report: Callable[[Tally], None], tmp_path: Path
) -> None:
    tally = Tally("slack http: SIGKILL mid-delivery (postMessage 0.5 s), then a new process")
    with FakeSlack(latency={"chat.postMessage": 0.5}) as fake:
        with serving(fake, pg_service.settings.database_url or "", tmp_path / "a.log") as first:
            async with aiohttp.ClientSession() as session:
                slack = HttpSlack(fake, None, first.url, session)  # type: ignore[arg-type]
                for n in range(10):
                    user = f"U0K{n:04d}"
                    event = dm(MAIL, f"1700000500.{n:06d}", user=user, channel=f"D{user}")
                    status, _ = await slack.event(event, f"Ev0KILL{n}")
                    assert status == 200
                    tally.events_sent += 1
                await until(lambda: len(fake.posts()) >= 12, "delivery under way")
                first.process.send_signal(signal.SIGKILL)
                first.process.wait()
                with fake._lock:  # calls Slack received but had not answered yet
                    in_flight = len(fake.calls) - fake.answered
        with serving(fake, pg_service.settings.database_url or "", tmp_path / "b.log") as second:
            await until(lambda: settled(pg_service.store, "slack"), "the new process caught up")
            second.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(second.process.wait, DRAIN_SECONDS + 20)
        tally.count(slack_expected(pg_service), slack_arrived(fake))
        tally.extra["calls_in_flight_at_kill"] = in_flight
    report(tally)
    assert tally.lost == 0
    # Slack is asked before a taken-over row is sent again (message metadata): none doubled.
    assert tally.duplicates == 0
    assert tally.out_of_order_chats == 0
