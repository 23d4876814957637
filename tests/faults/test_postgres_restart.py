"""A PostgreSQL restart under load: ``fixbot serve slack`` (HTTP, a real subprocess) gets
a steady stream of events while the real PostgreSQL is restarted (fast shutdown), and
keeps getting them after.

Every event is acknowledged at once (Slack HTTP), so an event whose turn could not be
stored while the database was away gets the "service unavailable" apology instead of
its replies. Slack redelivers only an event it did not get a 2xx for; here the test
redelivers the apologised ones (``X-Slack-Retry-Num``, the same event id) once the
database is back, as it does in ``test_database_faults``. Then: every stored turn's
replies arrived once, in order, and every event was answered.

Restarts the cluster in ``/etc/postgresql`` with ``pg_ctlcluster`` (root, a local
PostgreSQL); skipped where that is not possible. PostgreSQL is started again at the
end whatever happened.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import psycopg
import pytest
from sqlalchemy.engine import make_url

from adapters.slack.blocks import render_reply
from bot.events import Reply
from bot.service import Service
from tests.adapters.slack.conftest import HttpSlack, dm
from tests.adapters.slack.fake_server import FakeSlack
from tests.faults.conftest import Tally, outbox_rows, settled
from tests.faults.test_api_faults import MAIL, slack_arrived, slack_expected, until
from tests.faults.test_process_faults import DRAIN_SECONDS, serving

pytestmark = pytest.mark.postgres

RATE = 25  # events a second, each from a person of their own
SECONDS = 3.0  # of load
RESTART_AFTER = 0.75  # seconds into the load
WARM_UP = 5  # events answered before the load starts
READY_WITHIN = 30.0  # seconds PostgreSQL gets to accept connections again


@dataclass
class Restart:
    """One restart of the local cluster, as a client saw it (time.monotonic() each):
    the last connection that worked before, the first that failed, the first that
    worked again."""

    asked: float = 0.0
    first_refused: float = 0.0
    ready: float = 0.0

    @property
    def down_seconds(self) -> float:
        return self.ready - self.first_refused


def _cluster() -> list[str] | None:
    """``[version, name]`` of the local cluster, or None where it cannot be restarted."""
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster") or not shutil.which("pg_isready"):
        return None
    try:
        versions = sorted(os.listdir("/etc/postgresql"))
    except OSError:
        return None
    return [versions[-1], "main"] if versions else None


def _connects(conninfo: str) -> bool:
    """Whether a new connection gets an answer to a query (not just a listening port)."""
    try:
        with psycopg.connect(conninfo, connect_timeout=1) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _ready(host: str, port: int) -> bool:
    probe = ["pg_isready", "-q", "-h", host, "-p", str(port), "-t", "1"]
    return subprocess.run(probe, check=False).returncode == 0


def _wait_ready(host: str, port: int) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while not _ready(host, port):
        assert time.monotonic() < deadline, "PostgreSQL did not come back"
        time.sleep(0.05)


@pytest.fixture
def restart_postgres(postgres_url: str) -> Iterator[Callable[[], Restart]]:
    """``restart()``: restart the real PostgreSQL (fast shutdown), wait until it accepts
    connections, and tell when a client could not connect (probed every 10 ms). The
    finaliser starts it again if it is down, even after a failure."""
    cluster = _cluster()
    parsed = make_url(postgres_url)
    host, port = parsed.host or "127.0.0.1", parsed.port or 5432
    if cluster is None or host not in ("127.0.0.1", "localhost"):
        pytest.skip("needs root and a local PostgreSQL cluster run by pg_ctlcluster")
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster]
    conninfo = f"host={host} port={port} user={parsed.username or 'postgres'} dbname=postgres"

    def restart() -> Restart:
        done = Restart(asked=time.monotonic())
        restarting = subprocess.Popen([*command, "restart", "-m", "fast"])
        deadline = done.asked + READY_WITHIN
        while not done.ready:
            assert time.monotonic() < deadline, "PostgreSQL did not come back"
            at = time.monotonic()
            if not _connects(conninfo):
                done.first_refused = done.first_refused or at
            elif done.first_refused or restarting.poll() is not None:
                done.first_refused = done.first_refused or at  # too quick to see
                done.ready = at
            time.sleep(0.01)
        assert restarting.wait(READY_WITHIN) == 0
        return done

    try:
        yield restart
    finally:
        if not _ready(host, port):
            subprocess.run([*command, "start"], check=False, capture_output=True)
            _wait_ready(host, port)


@dataclass
class Sent:
    """One event the test posted, and Slack's view of the answer (the HTTP status)."""

    channel: str
    event: dict[str, object]
    event_id: str
    at: float  # time.monotonic() when it was posted
    status: int = 0


async def test_postgresql_restart_under_load_loses_and_doubles_nothing(
    pg_service: Service,
    restart_postgres: Callable[[], Restart],
    report: Callable[[Tally], None],
    tmp_path: Path,
) -> None:
    tally = Tally(f"postgresql: restarted under {RATE} events/s (slack http), then redelivered")
    apology = {
        render_reply(Reply(pg_service.knowledge.text("error_apology", language)))[0].text
        for language in ("nb", "en")
    }
    database_url = pg_service.settings.database_url or ""
    with FakeSlack(latency={"chat.postMessage": 0.02}) as fake:
        with serving(fake, database_url, tmp_path / "serve.log") as served:
            async with aiohttp.ClientSession() as session:
                slack = HttpSlack(fake, None, served.url, session)  # type: ignore[arg-type]
                sent: list[Sent] = []

                async def one(item: Sent) -> None:
                    item.status, _ = await slack.event(item.event, item.event_id)

                # A warm process first (its first turns load the models): the load is steady.
                for n in range(WARM_UP):
                    user = f"U0PW{n:04d}"
                    event = dm(MAIL, f"1700000699.{n:06d}", user=user, channel=f"D{user}")
                    item = Sent(f"D{user}", event, f"Ev0PGWARM{n}", time.monotonic())
                    sent.append(item)
                    await one(item)
                await until(lambda: settled(pg_service.store, "slack"), "warmed up")
                start = time.monotonic()
                restart: asyncio.Task[Restart] | None = None
                tasks = []
                total = round(RATE * SECONDS)
                for n in range(total):
                    if restart is None and time.monotonic() - start >= RESTART_AFTER:
                        restart = asyncio.create_task(asyncio.to_thread(restart_postgres))
                    user = f"U0PG{n:04d}"
                    event = dm(MAIL, f"1700000700.{n:06d}", user=user, channel=f"D{user}")
                    item = Sent(f"D{user}", event, f"Ev0PGRS{n}", time.monotonic())
                    sent.append(item)
                    tasks.append(asyncio.create_task(one(item)))
                    await asyncio.sleep(max(0.0, start + (n + 1) / RATE - time.monotonic()))
                await asyncio.gather(*tasks)
                assert restart is not None
                outage = await restart
                pg_service.store.engine.dispose()  # this process's connections died too
                tally.events_sent = len(sent)

                def apologised(item: Sent) -> bool:
                    posts = fake.posts(item.channel)
                    return any(post.args.get("text") in apology for post in posts)

                def destinations() -> set[str]:
                    """Chats with a stored turn (its replies in the outbox)."""
                    rows = outbox_rows(pg_service.store, "slack")
                    return {row["destination"].split("|")[0] for row in rows}

                def all_answered() -> bool:
                    """Each event has its turn stored or got the apology."""
                    stored = destinations()
                    return all(item.channel in stored or apologised(item) for item in sent)

                def all_stored() -> bool:
                    return destinations() >= {item.channel for item in sent}

                await until(all_answered, "every event answered")
                sorry = [item for item in sent if apologised(item)]
                for item in sorry:  # Slack's retry of the same event
                    status, _ = await slack.event(item.event, item.event_id, retry=1)
                    assert status == 200
                await until(all_stored, "every event's turn stored")
                await until(lambda: settled(pg_service.store, "slack"), "every reply settled")
            served.process.terminate()
            code = await asyncio.to_thread(served.process.wait, DRAIN_SECONDS + 20)
        tally.count(slack_expected(pg_service), slack_arrived(fake))
        late = [item.at - outage.ready for item in sorry]
        tally.extra.update(
            acknowledged=sum(item.status == 200 for item in sent),
            postgres_down_seconds=round(outage.down_seconds, 2),
            apologies=len(sorry),
            apologies_after_ready=sum(t > 0 for t in late),
            served_again_after_ready_seconds=round(max([0.0, *late]), 2),
            failed_rows=sum(r["state"] == "failed" for r in outbox_rows(pg_service.store, "slack")),
        )
    report(tally)
    assert code == 0, served.log.read_text()[-3000:]
    assert tally.extra["acknowledged"] == tally.events_sent
    assert tally.extra["failed_rows"] == 0
    assert tally.replies_expected >= 2 * tally.events_sent
    assert (tally.lost, tally.duplicates, tally.out_of_order_chats) == (0, 0, 0)
