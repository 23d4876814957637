"""Lean delivery on Slack: one HTTP session, one users.info per person, a bounded intake.

The real slack-bolt and slack_sdk against the fake Slack; waits are on
conditions with deadlines.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import build_bot, socket_mode, start_http
from adapters.slack.channel import SlackBot
from adapters.slack.people import People
from bot.settings import IntakeSettings
from tests.adapters.slack.conftest import (
    APP_TOKEN,
    NORA,
    TOKEN,
    HttpSlack,
    ObservedService,
    dm,
    event_body,
    slack_settings,
)
from tests.adapters.slack.fake_server import FakeSlack

DEADLINE = 15.0


@pytest.fixture
def fake() -> Any:
    with FakeSlack(locales={NORA: "nb-NO"}) as slack:
        yield slack


@pytest.fixture
def core(service: Any, fake: FakeSlack) -> ObservedService:
    return ObservedService(service, fake)


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (checked on every turn of the loop), failing after the deadline."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


async def drain_pending() -> None:
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
    if pending:
        await asyncio.wait(pending, timeout=DEADLINE)


@asynccontextmanager
async def serve_http(
    fake: FakeSlack, core: ObservedService, limit: int = 64
) -> AsyncIterator[tuple[SlackBot, HttpSlack]]:
    bot = build_bot(slack_settings(fake, intake=IntakeSettings(max_in_flight=limit)), core)
    runner, port = await start_http(bot, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            yield bot, HttpSlack(fake, core, f"http://127.0.0.1:{port}", session)
    finally:
        core.gate.set()
        await runner.cleanup()
        await drain_pending()
        await bot.aclose()


async def test_concurrent_lookups_of_one_person_make_one_users_info_call(fake: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=TOKEN, base_url=fake.api_url, session=session)
        people = People(client)
        found = await asyncio.gather(*(people.get(NORA) for _ in range(20)))
        again = await people.get(NORA)
    assert {person.language for person in found} == {"nb"}
    assert again == found[0]
    assert len(fake.calls_to("users.info")) == 1


async def test_a_burst_from_one_new_person_reuses_connections_and_asks_slack_once(
    fake: FakeSlack, core: ObservedService
) -> None:
    async with serve_http(fake, core) as (_bot, slack):
        events = [
            slack.event(
                dm(f"mailen virker ikke {i}", f"1700000100.{i:06d}", channel=f"D{i}"), f"Ev{i}"
            )
            for i in range(8)
        ]
        assert [status for status, _ in await asyncio.gather(*events)] == [200] * 8
        await until(lambda: len(core.outcomes) == 8, "eight turns")
        replies = sum(len(outcome.replies) for outcome in core.outcomes)
        await until(lambda: len(fake.posts()) >= replies, "the replies")
        assert len(fake.calls_to("users.info")) == 1
        # One session: later calls ride the connections it keeps, none is opened anew.
        connections, calls = fake.connections, len(fake.calls)
        for i in range(5):
            await slack.event(dm("hei", f"1700000101.{i:06d}", channel="D0"), f"EvSeq{i}")
            turns = 9 + i
            await until(lambda: len(core.outcomes) == turns, "the next turn")  # noqa: B023
        await until(lambda: len(fake.calls) >= calls + 5, "the replies")
    assert fake.connections == connections


async def test_a_full_process_answers_slack_late_instead_of_queueing(
    fake: FakeSlack, core: ObservedService
) -> None:
    async with serve_http(fake, core, limit=2) as (bot, slack):
        core.gate.clear()  # the core holds every event it is given
        first = [
            asyncio.ensure_future(
                slack.event(dm("hei", f"1700000200.{i:06d}", channel=f"D{i}"), f"EvF{i}")
            )
            for i in range(2)
        ]
        await until(lambda: len(core.entered) == 2, "two events in the core")
        third = asyncio.ensure_future(
            slack.event(dm("hei", "1700000200.000009", channel="D9"), "EvF9")
        )
        await until(lambda: bot.intake.waiting_peak == 1, "the third waiting for a slot")
        assert [status for status, _ in await asyncio.gather(*first)] == [200, 200]
        assert not third.done()  # not acknowledged: Slack sees a late answer
        assert len(core.entered) == 2
        core.gate.set()
        status, _ = await third
        assert status == 200
        await until(lambda: len(core.outcomes) == 3, "all three handled")
    assert bot.intake.in_flight == 0


async def test_a_full_process_stops_reading_the_socket_mode_websocket(
    fake: FakeSlack, core: ObservedService
) -> None:
    settings = slack_settings(
        fake,
        slack_app_token=APP_TOKEN,
        slack_signing_secret=None,
        intake=IntakeSettings(max_in_flight=1),
    )
    bot = build_bot(settings, core)
    handler = socket_mode(bot)
    core.gate.clear()
    await handler.connect_async()
    try:
        await until(lambda: fake.socket_connections == 1, "the websocket")
        for i in range(4):
            fake.send_envelope(
                {
                    "envelope_id": f"env-{i}",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                    "retry_reason": "",
                    "payload": event_body(
                        dm("hei", f"1700000300.{i:06d}", channel=f"D{i}"), f"EvS{i}"
                    ),
                }
            )
        await until(lambda: len(core.entered) == 1, "the first event in the core")
        await until(lambda: bot.intake.waiting_peak == 1, "the next envelope waiting")
        await until(lambda: len(fake.acks) == 1, "the first envelope acknowledged")
        # One in the core, one read ahead, the rest not taken: not acknowledged either.
        assert [ack["envelope_id"] for ack in fake.acks] == ["env-0"]
        assert len(core.entered) == 1
        core.gate.set()
        await until(lambda: len(fake.acks) == 4, "every envelope acknowledged")
        await until(lambda: len(core.outcomes) == 4, "every event handled")
    finally:
        core.gate.set()
        await handler.close_async()
        await drain_pending()
        await bot.aclose()
    assert json.dumps(fake.acks).count("env-") == 4
