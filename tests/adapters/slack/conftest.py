"""What the Slack adapter tests share: a fake Slack, the real service observed, signed
requests to the adapter's HTTP server, and the adapter started against them."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text as sql

from adapters.slack.app import build_bot, start_http
from adapters.slack.blocks import render_reply
from adapters.slack.channel import PLATFORM
from bot.events import ConversationView, Inbound, Outcome
from bot.settings import Settings
from tests.adapters.slack.fake_server import APP_ID, BOT_USER_ID, TEAM_ID, Call, FakeSlack

TOKEN = "xoxb-0000-test-bot-token"
APP_TOKEN = "xapp-1-test-app-token"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
NORA, ERIK = "U0NORA", "U0ERIK"  # Nora's Slack is in Norwegian, Erik's in English
NORA_DM = "D0NORA"
CHANNEL = "C0GENERAL"


class ObservedService:
    """The real Service, observed: counts and records each ``handle``, can hold or fail it."""

    def __init__(self, inner: Any, fake: FakeSlack) -> None:
        self.inner = inner
        self.fake = fake
        self.gate = threading.Event()
        self.gate.set()
        self.failing = False
        self.outage = False  # the database is gone: ServiceUnavailable, as the service raises
        self.entered: list[Inbound] = []
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()

    @property
    def knowledge(self) -> Any:
        return self.inner.knowledge

    def view(self, event: Inbound) -> ConversationView:
        return self.inner.view(event)

    def handle(self, event: Inbound) -> Outcome:
        with self._lock:
            self.entered.append(event)
        self.fake.notify()
        assert self.gate.wait(30), "the test never released the core"
        if self.failing:
            raise RuntimeError(f"the core broke (token {TOKEN}, secret {SECRET})")
        if self.outage:
            from bot.service import ServiceUnavailable

            raise ServiceUnavailable("database is gone")
        outcome = self.inner.handle(event)
        with self._lock:
            self.outcomes.append(outcome)
        self.fake.notify()
        return outcome

    def mark_handoff_delivered(self, handoff_id: int, *, thread: Any = None) -> None:
        self.inner.mark_handoff_delivered(handoff_id, thread=thread)
        self.fake.notify()

    def fresh(self) -> list[Outcome]:
        """The outcomes that were not duplicates."""
        return [outcome for outcome in self.outcomes if not outcome.duplicate]


def messages_for(outcome: Outcome) -> int:
    """How many chat.postMessage calls an outcome's replies take."""
    return sum(len(render_reply(reply)) for reply in outcome.replies)


def event_body(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }


def dm(
    text: str, ts: str, user: str = NORA, channel: str = NORA_DM, **extra: Any
) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": channel,
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }


def block_actions(
    message: dict[str, Any], channel: str, user: str, pick: Callable[[str], bool]
) -> dict[str, Any]:
    """The block_actions payload Slack sends when ``user`` presses the first matching button."""
    for block in message["blocks"]:
        if block["type"] != "actions":
            continue
        for element in block["elements"]:
            if pick(element["value"]):
                return {
                    "type": "block_actions",
                    "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
                    "api_app_id": APP_ID,
                    "token": "legacy-verification-token",
                    "team": {"id": TEAM_ID, "domain": "fixbot-test"},
                    "container": {
                        "type": "message",
                        "message_ts": message["ts"],
                        "channel_id": channel,
                        "is_ephemeral": False,
                    },
                    "trigger_id": f"trigger-{time.monotonic_ns()}",
                    "channel": {"id": channel, "name": "directmessage"},
                    "message": message,
                    "response_url": "https://hooks.slack.invalid/actions/1",
                    "actions": [
                        {
                            "type": "button",
                            "action_id": element["action_id"],
                            "block_id": block["block_id"],
                            "text": element["text"],
                            "value": element["value"],
                            "action_ts": f"{time.time():.6f}",
                        }
                    ],
                }
    raise AssertionError(f"no matching button in {message['blocks']}")


def buttons_of(call: Call) -> list[dict[str, Any]]:
    return [
        element
        for block in call.args.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def text_of(call: Call) -> str:
    return "\n".join(
        block["text"]["text"]
        for block in call.args.get("blocks") or []
        if block["type"] == "section"
    )


@dataclass
class HttpSlack:
    """fixbot in HTTP mode on port 0, and a client that signs requests like Slack does."""

    fake: FakeSlack
    core: ObservedService
    url: str
    session: aiohttp.ClientSession
    sent: list[str] = field(default_factory=list)

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        retry: int | None = None,
        timestamp: int | None = None,
        secret: str = SECRET,
    ) -> tuple[int, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(
                timestamp=ts, body=body
            ),
        }
        if retry is not None:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        async with self.session.post(f"{self.url}/slack/events", data=body, headers=headers) as r:
            return r.status, await r.text()

    async def event(self, event: dict[str, Any], event_id: str, **options: Any) -> tuple[int, str]:
        body = json.dumps(event_body(event, event_id))
        return await self.post(body, "application/json", **options)

    async def action(self, payload: dict[str, Any]) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def command(self, user: str, text: str = "") -> tuple[int, str]:
        form = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "channel_id": CHANNEL,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/fixbot",
            "text": text,
            "api_app_id": APP_ID,
            "response_url": "https://hooks.slack.invalid/commands/1",
            "trigger_id": f"trigger-{time.monotonic_ns()}",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")


@pytest.fixture
def fake() -> Any:
    with FakeSlack(locales={NORA: "nb-NO", ERIK: "en-GB"}, names={NORA: "Nora"}) as slack:
        yield slack


@pytest.fixture
def core(service: Any, fake: FakeSlack) -> ObservedService:
    return ObservedService(service, fake)


def slack_settings(fake: FakeSlack, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.api_url,
    }
    values.update(changes)
    return Settings(**values)


async def drain_pending() -> None:
    """Let listener tasks Bolt started finish before the loop closes."""
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
    if pending:
        await asyncio.wait(pending, timeout=15)


@pytest.fixture
async def http(fake: FakeSlack, core: ObservedService) -> AsyncIterator[HttpSlack]:
    async with serving(fake, core) as slack:
        yield slack


@asynccontextmanager
async def serving(
    fake: FakeSlack, core: ObservedService, **changes: Any
) -> AsyncIterator[HttpSlack]:
    """fixbot in HTTP mode with ``changes`` to the test settings."""
    bot = build_bot(slack_settings(fake, **changes), core)
    runner, port = await start_http(bot, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            yield HttpSlack(fake, core, f"http://127.0.0.1:{port}", session)
    finally:
        core.gate.set()
        await runner.cleanup()
        await drain_pending()
        await bot.aclose()


def no_conversation(core: ObservedService, chat_key: str) -> bool:
    probe = Inbound(PLATFORM, NORA, chat_key, "probe", datetime.now(UTC), text="probe")
    return core.view(probe).conversation_id is None


# -- handoffs to the support channel ---------------------------------------------------

SUPPORT = "C0SUPPORT"


def delivered_at(core: ObservedService) -> list[Any]:
    with core.inner.store.reading() as connection:
        return [row[0] for row in connection.execute(sql("SELECT delivered_at FROM handoffs"))]


async def ask_for_a_person(slack: HttpSlack) -> Outcome:
    # One after the other: Slack acks at once, so two events sent back to back
    # may reach the core in either order.
    await slack.event(dm("mailen virker ikke", "1700000020.000100"), "Ev0HAND1")
    await slack.fake.wait_for(lambda: len(slack.core.outcomes) == 1, "the first turn")
    await slack.event(dm("jeg vil snakke med et menneske", "1700000020.000200"), "Ev0HAND2")
    await slack.fake.wait_for(lambda: len(slack.core.outcomes) == 2, "both turns")
    handed = slack.core.outcomes[1]
    assert handed.conversation.status == "handed_off"
    return handed
