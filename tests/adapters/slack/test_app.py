"""fixbot on Slack: the real slack-bolt and slack_sdk against a fake Slack, the real Service.

HTTP mode gets correctly signed requests on a server bound to port 0; Socket
Mode talks to the fake's websocket. Every wait is on a condition with a
deadline (``FakeSlack.wait_for``), never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
import yaml
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text as sql

from adapters.cli import main as cli
from adapters.slack.app import build_bot, socket_mode, start_http
from adapters.slack.blocks import render_reply
from adapters.slack.channel import FALLBACK_TEXTS, PLATFORM
from bot.dialog import payloads
from bot.events import ConversationView, Inbound, Outcome
from bot.settings import Settings
from tests.adapters.slack.fake_server import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, Call, FakeSlack
from tests.paths import ROOT

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


async def _drain() -> None:
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
        await _drain()
        await bot.aclose()


def no_conversation(core: ObservedService, chat_key: str) -> bool:
    probe = Inbound(PLATFORM, NORA, chat_key, "probe", datetime.now(UTC), text="probe")
    return core.view(probe).conversation_id is None


# -- HTTP mode basics ------------------------------------------------------------------


async def test_healthz_and_url_verification(http: HttpSlack) -> None:
    async with http.session.get(f"{http.url}/healthz") as response:
        assert response.status == 200
        assert await response.text() == "ok"
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "x", "challenge": challenge, "type": "url_verification"})
    status, text = await http.post(body, "application/json")
    assert status == 200
    assert challenge in text


async def test_bad_signature_and_stale_timestamp_get_401_and_store_nothing(
    http: HttpSlack,
) -> None:
    body = json.dumps(event_body(dm("hei", "1700000001.000100"), "Ev0BADSIG"))
    status, _ = await http.post(body, "application/json", secret="not-the-secret")
    assert status == 401
    old = int(time.time()) - 6 * 60
    status, _ = await http.post(body, "application/json", timestamp=old)
    assert status == 401
    # Nothing reached the core: the chat has no conversation and nobody was answered.
    assert http.core.entered == []
    assert no_conversation(http.core, NORA_DM)
    assert http.fake.posts() == []


async def test_retried_and_concurrent_deliveries_give_exactly_one_reply(http: HttpSlack) -> None:
    event = dm("mailen på iPhonen oppdateres ikke", "1700000002.000100")
    results = await asyncio.gather(
        http.event(event, "Ev0RETRY"),
        http.event(event, "Ev0RETRY", retry=1),
        http.event(event, "Ev0RETRY", retry=1),
    )
    assert [status for status, _ in results] == [200, 200, 200]
    await http.fake.wait_for(lambda: len(http.core.outcomes) == 3, "three runs of the core")
    assert await http.event(event, "Ev0RETRY", retry=2) == (200, "")
    await http.fake.wait_for(lambda: len(http.core.outcomes) == 4, "the late retry")
    fresh = http.core.fresh()
    assert len(fresh) == 1 and fresh[0].replies
    await http.fake.wait_for(lambda: len(http.fake.posts()) >= messages_for(fresh[0]), "replies")
    assert len(http.fake.posts(NORA_DM)) == messages_for(fresh[0])


async def test_the_ack_does_not_wait_for_a_slow_core(http: HttpSlack) -> None:
    http.core.gate.clear()
    status, _ = await http.event(dm("mailen virker ikke", "1700000003.000100"), "Ev0SLOW")
    assert status == 200
    # The response came back while the core was still holding the event.
    await http.fake.wait_for(lambda: len(http.core.entered) == 1, "the core to start")
    assert http.core.outcomes == []
    assert http.fake.posts() == []
    http.core.gate.set()
    await http.fake.wait_for(lambda: len(http.fake.posts(NORA_DM)) >= 1, "the reply")


async def test_bot_messages_edits_and_deletions_are_ignored(http: HttpSlack) -> None:
    quiet = "D0QUIET"
    ignored = [
        dm(
            "I am a bot",
            "1700000004.000100",
            channel=quiet,
            bot_id="B0OTHER",
            subtype="bot_message",
        ),
        dm("echo", "1700000004.000200", channel=quiet, user=BOT_USER_ID, bot_id=BOT_ID),
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": quiet,
            "channel_type": "im",
            "hidden": True,
            "ts": "1700000004.000300",
            "message": {
                "type": "message",
                "user": NORA,
                "text": "edited",
                "ts": "1700000004.000100",
            },
            "previous_message": {"type": "message", "user": NORA, "text": "old"},
        },
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": quiet,
            "channel_type": "im",
            "hidden": True,
            "ts": "1700000004.000400",
            "deleted_ts": "1700000004.000100",
        },
    ]
    for number, event in enumerate(ignored):
        assert (await http.event(event, f"Ev0IGNORED{number}"))[0] == 200
    # A real message afterwards is answered; the ignored ones never reached the core.
    await http.event(dm("hei", "1700000004.000500"), "Ev0AFTER")
    await http.fake.wait_for(lambda: len(http.fake.posts(NORA_DM)) >= 1, "the reply to Nora")
    assert [event.event_id for event in http.core.entered] == ["Ev0AFTER"]
    assert http.fake.posts(quiet) == []
    assert no_conversation(http.core, quiet)


async def test_a_mention_is_answered_in_its_thread_and_continued_there(http: HttpSlack) -> None:
    mention_ts = "1700000005.000100"
    text = f"<@{BOT_USER_ID}> mailen på iPhonen oppdateres ikke"
    # Slack sends the mention twice: as app_mention and as a plain channel message.
    mention = {
        "type": "app_mention",
        "channel": CHANNEL,
        "user": NORA,
        "text": text,
        "ts": mention_ts,
        "event_ts": mention_ts,
    }
    as_message = {
        "type": "message",
        "channel": CHANNEL,
        "channel_type": "channel",
        "user": NORA,
        "text": text,
        "ts": mention_ts,
        "event_ts": mention_ts,
    }
    await http.event(mention, "Ev0MENTION")
    await http.event(as_message, "Ev0MENTIONMSG")
    await http.fake.wait_for(lambda: len(http.core.outcomes) == 1, "the mention handled")
    first = http.core.outcomes[0]
    await http.fake.wait_for(lambda: len(http.fake.posts()) == messages_for(first), "answers")
    assert all(call.args["thread_ts"] == mention_ts for call in http.fake.posts(CHANNEL))
    assert http.core.entered[0].chat_key == f"{CHANNEL}:{mention_ts}"
    assert http.core.entered[0].text == "mailen på iPhonen oppdateres ikke"

    # A reply in the thread continues the conversation; a message in another thread does not.
    elsewhere = {
        "type": "message",
        "channel": CHANNEL,
        "channel_type": "channel",
        "user": ERIK,
        "text": "lunsj?",
        "ts": "1700000005.000300",
        "thread_ts": "1700000000.999999",
    }
    await http.event(elsewhere, "Ev0ELSEWHERE")
    reply = {
        "type": "message",
        "channel": CHANNEL,
        "channel_type": "channel",
        "user": NORA,
        "text": "nei, fortsatt ikke",
        "ts": "1700000005.000200",
        "thread_ts": mention_ts,
    }
    await http.event(reply, "Ev0THREAD")
    await http.fake.wait_for(lambda: len(http.core.outcomes) == 2, "the thread reply handled")
    second = http.core.outcomes[1]
    assert http.core.entered[-1].event_id == "Ev0THREAD"
    assert second.conversation.conversation_id == first.conversation.conversation_id
    total = messages_for(first) + messages_for(second)
    await http.fake.wait_for(lambda: len(http.fake.posts()) == total, "the thread answers")
    assert all(call.args["thread_ts"] == mention_ts for call in http.fake.posts(CHANNEL))
    assert [event.event_id for event in http.core.entered] == ["Ev0MENTION", "Ev0THREAD"]


async def test_a_failing_core_apologises_in_norwegian_without_leaking_secrets(
    http: HttpSlack, caplog: pytest.LogCaptureFixture
) -> None:
    http.core.failing = True
    with caplog.at_level(logging.INFO):
        await http.event(dm("mailen virker ikke", "1700000006.000100"), "Ev0FAIL")
        await http.fake.wait_for(lambda: len(http.fake.posts(NORA_DM)) == 1, "the apology")
    apology = http.fake.posts(NORA_DM)[0]
    assert apology.args["text"] == http.core.knowledge.text("error_apology", "nb")
    assert NORA_DM in caplog.text and "Ev0FAIL" in caplog.text
    assert TOKEN not in caplog.text and SECRET not in caplog.text


async def test_a_rate_limited_post_is_retried(http: HttpSlack) -> None:
    http.fake.fail_next("chat.postMessage", status=429, retry_after=0)
    await http.event(dm("hei", "1700000007.000100"), "Ev0RATE")
    await http.fake.wait_for(lambda: len(http.core.outcomes) == 1, "the core")
    expected = messages_for(http.core.outcomes[0])
    # One refused call, then every message of the reply.
    await http.fake.wait_for(lambda: len(http.fake.posts()) == expected + 1, "the retried post")


async def test_slash_command_and_home_tab_show_the_problem_menu(http: HttpSlack) -> None:
    status, _ = await http.command(NORA)
    assert status == 200
    await http.fake.wait_for(lambda: len(http.core.outcomes) == 1, "the command")
    assert http.core.entered[0].payload == payloads.MENU
    dm_channel = http.fake.calls_to("conversations.open")[0]
    assert dm_channel.args["users"] == NORA
    await http.fake.wait_for(
        lambda: len(http.fake.posts()) == messages_for(http.core.outcomes[0]), "the menu"
    )
    home = {
        "type": "app_home_opened",
        "user": NORA,
        "channel": NORA_DM,
        "tab": "home",
        "event_ts": "1700000008.000100",
    }
    await http.event(home, "Ev0HOME")
    await http.fake.wait_for(lambda: len(http.fake.calls_to("views.publish")) == 1, "the home tab")
    view = http.fake.calls_to("views.publish")[0].args
    assert view["user_id"] == NORA
    values = [
        element["value"]
        for block in view["view"]["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    problems = http.core.knowledge.problems
    assert values == [payloads.pick(problem) for problem in problems]
    titles = {problems[p].title.nb for p in problems}
    labels = {
        element["text"]["text"]
        for block in view["view"]["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }
    assert labels == titles  # Nora's Slack speaks Norwegian


def is_step(verb: str) -> Callable[[str], bool]:
    def matches(value: str) -> bool:
        action = payloads.parse(value)
        return action.kind == "step" and action.verb == verb

    return matches


async def test_a_norwegian_dm_from_first_message_to_that_worked(http: HttpSlack) -> None:
    fake, core = http.fake, http.core
    knowledge = core.knowledge
    problem = knowledge.problems["mail-not-updating"]
    step1, step2 = (knowledge.steps[step_id] for step_id in problem.steps[:2])

    await http.event(dm("mailen på iPhonen oppdateres ikke", "1700000010.000100"), "Ev0NORA1")
    await fake.wait_for(lambda: len(core.outcomes) == 1, "the first message handled")
    first = core.outcomes[0]
    await fake.wait_for(lambda: len(fake.posts()) == messages_for(first), "the first answer")
    assert core.entered[0].language_hint == "nb"  # from Nora's Slack locale
    assert core.entered[0].display_name == "Nora"
    assert first.conversation.intent == "mail-not-updating"

    posts = fake.posts(NORA_DM)
    assert all(call.args.get("thread_ts") is None for call in posts)
    step_post = posts[-1]
    # fixbot markup as mrkdwn: **bold** -> *bold*, settings paths stay code, ">" escaped.
    assert text_of(step_post).startswith("*") and f"{step1.title.nb}*" in text_of(step_post)
    assert "**" not in text_of(posts[0]) and "&gt;" in text_of(posts[0])
    assert "`" in text_of(posts[0])
    assert step_post.args["text"]  # a plain fallback for notifications
    labels = [button["text"]["text"] for button in buttons_of(step_post)]
    assert knowledge.text("button_worked", "nb") in labels
    assert knowledge.text("button_not_helped", "nb") in labels

    # "Hjalp ikke" on step 1: its buttons are replaced by the choice, then step 2 comes.
    step_message = list(fake.posted_messages(NORA_DM))[-1]
    assert step_message["blocks"] == step_post.args["blocks"]
    status, _ = await http.action(block_actions(step_message, NORA_DM, NORA, is_step("no")))
    assert status == 200
    await fake.wait_for(lambda: len(core.outcomes) == 2, "the first press handled")
    second = core.outcomes[1]
    expected = messages_for(first) + messages_for(second)
    await fake.wait_for(lambda: len(fake.posts()) == expected, "step 2")
    update = fake.calls_to("chat.update")
    assert len(update) == 1
    assert update[0].args["ts"] == step_message["ts"]
    assert [b["type"] for b in update[0].args["blocks"]].count("actions") == 0
    assert knowledge.text("button_not_helped", "nb") in json.dumps(
        update[0].args["blocks"][-1], ensure_ascii=False
    )
    step2_post = fake.posts(NORA_DM)[-1]
    assert f"{step2.title.nb}*" in text_of(step2_post)

    # Step 2 checks the service ("is it up?"): "Ja, tjenesten er oppe" goes on to step 3.
    step2_message = list(fake.posted_messages(NORA_DM))[-1]
    await http.action(block_actions(step2_message, NORA_DM, NORA, is_step("fine")))
    await fake.wait_for(lambda: len(core.outcomes) == 3, "the check answered")
    expected += messages_for(core.outcomes[2])
    await fake.wait_for(lambda: len(fake.posts()) == expected, "step 3")

    # "Det fungerte" on step 3: resolved, and the rating buttons follow.
    step3_message = list(fake.posted_messages(NORA_DM))[-1]
    await http.action(block_actions(step3_message, NORA_DM, NORA, is_step("ok")))
    await fake.wait_for(lambda: len(core.outcomes) == 4, "the third press handled")
    third = core.outcomes[3]
    expected += messages_for(third)
    await fake.wait_for(lambda: len(fake.posts()) == expected, "the closing")
    assert third.conversation.status == "resolved"
    assert len(fake.calls_to("chat.update")) == 3
    assert [event.payload for event in core.entered[1:]] == [
        payloads.step("no", problem.id, 1),
        payloads.step("fine", problem.id, 2),
        payloads.step("ok", problem.id, 3),
    ]
    rating = fake.posts(NORA_DM)[-1]
    assert [b["value"] for b in buttons_of(rating)] == [payloads.rate(n) for n in range(1, 6)]
    # One users.info for the whole conversation: the locale is cached.
    assert len(fake.calls_to("users.info")) == 1


async def test_a_press_the_core_failed_on_keeps_its_buttons(http: HttpSlack) -> None:
    fake, core = http.fake, http.core
    await http.event(dm("mailen på iPhonen oppdateres ikke", "1700000011.000100"), "Ev0KEEP")
    await fake.wait_for(lambda: len(core.outcomes) == 1, "the first message handled")
    first = messages_for(core.outcomes[0])
    await fake.wait_for(lambda: len(fake.posts()) == first, "the first answer")
    step_message = list(fake.posted_messages(NORA_DM))[-1]

    core.failing = True
    status, _ = await http.action(block_actions(step_message, NORA_DM, NORA, is_step("no")))
    assert status == 200
    await fake.wait_for(lambda: len(fake.posts()) == first + 1, "the apology")
    assert fake.posts(NORA_DM)[-1].args["text"] == core.knowledge.text("error_apology", "nb")
    assert fake.calls_to("chat.update") == []  # the buttons stay, to be pressed again

    core.failing = False
    await http.action(block_actions(step_message, NORA_DM, NORA, is_step("no")))
    await fake.wait_for(lambda: len(core.outcomes) == 2, "the second press handled")
    await fake.wait_for(lambda: len(fake.calls_to("chat.update")) == 1, "the choice shown")
    update = fake.calls_to("chat.update")[0]
    assert update.args["ts"] == step_message["ts"]
    assert not [b for b in update.args["blocks"] if b["type"] == "actions"]
    expected = first + 1 + messages_for(core.outcomes[1])
    await fake.wait_for(lambda: len(fake.posts()) == expected, "step 2")


async def test_the_fallback_apology_when_even_the_wording_is_gone(fake: FakeSlack) -> None:
    class Broken:
        knowledge = None  # no knowledge either: ``knowledge.text`` raises

        def handle(self, event: Inbound) -> Outcome:
            raise RuntimeError("boom")

        def view(self, event: Inbound) -> ConversationView:
            raise RuntimeError("boom")

    bot = build_bot(slack_settings(fake), Broken())
    runner, port = await start_http(bot, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            slack = HttpSlack(
                fake, ObservedService(Broken(), fake), f"http://127.0.0.1:{port}", session
            )
            await slack.event(dm("hei", "1700000012.000100"), "Ev0BROKEN")
            await fake.wait_for(lambda: len(fake.posts(NORA_DM)) == 1, "the fallback apology")
    finally:
        await runner.cleanup()
        await _drain()
        await bot.aclose()
    [apology] = fake.posts(NORA_DM)
    assert apology.args["text"] == FALLBACK_TEXTS["error_apology"]
    assert "Beklager" in apology.args["text"] and "Sorry" in apology.args["text"]


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


async def test_a_handoff_is_announced_in_the_support_channel(
    fake: FakeSlack, core: ObservedService
) -> None:
    async with serving(fake, core, slack_support_channel=SUPPORT) as slack:
        handed = await ask_for_a_person(slack)
        await fake.wait_for(lambda: fake.posts(SUPPORT), "the support notice")
        await fake.wait_for(lambda: all(delivered_at(core)), "the handoff marked delivered")
        # The person got every reply as well, in their DM.
        expected = sum(messages_for(o) for o in core.outcomes)
        await fake.wait_for(lambda: len(fake.posts(NORA_DM)) == expected, "the replies")
    [notice] = handed.handoffs
    [post] = fake.posts(SUPPORT)
    text = post.args["text"]
    summary = notice.summary.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert summary in text
    assert f"<@{NORA}>" in text
    assert f"/conversations/{handed.conversation.conversation_id}" in text
    assert "Slack" in text
    assert len(delivered_at(core)) == 1


async def test_without_a_support_channel_nothing_is_announced(
    fake: FakeSlack, core: ObservedService
) -> None:
    async with serving(fake, core) as slack:
        handed = await ask_for_a_person(slack)
        expected = sum(messages_for(o) for o in core.outcomes)
        await fake.wait_for(lambda: len(fake.posts()) == expected, "the replies")
    # Served and drained: every listener has finished, and none posted elsewhere.
    assert handed.handoffs
    assert {post.args["channel"] for post in fake.posts()} == {NORA_DM}
    assert delivered_at(core) == [None]


async def test_a_refused_notice_is_logged_and_leaves_the_handoff_undelivered(
    fake: FakeSlack, core: ObservedService, caplog: pytest.LogCaptureFixture
) -> None:
    fake.refused_channels.add(SUPPORT)
    with caplog.at_level(logging.ERROR):
        async with serving(fake, core, slack_support_channel=SUPPORT) as slack:
            await ask_for_a_person(slack)
            await fake.wait_for(lambda: fake.posts(SUPPORT), "the refused notice")
            expected = sum(messages_for(o) for o in core.outcomes)
            await fake.wait_for(lambda: len(fake.posts(NORA_DM)) == expected, "the replies")
    assert "handoff" in caplog.text and "not_in_channel" in caplog.text
    assert TOKEN not in caplog.text
    assert delivered_at(core) == [None]


# -- Socket Mode ---------------------------------------------------------------------


async def test_socket_mode_acks_each_envelope_and_answers_through_the_web_api(
    fake: FakeSlack, core: ObservedService
) -> None:
    bot = build_bot(
        slack_settings(fake, slack_app_token=APP_TOKEN, slack_signing_secret=None), core
    )
    handler = socket_mode(bot)
    await handler.connect_async()
    try:
        await fake.wait_for(lambda: fake.socket_connections == 1, "the websocket")
        opened = fake.calls_to("apps.connections.open")
        assert [call.token for call in opened] == [APP_TOKEN]

        fake.send_envelope(
            {
                "envelope_id": "env-event-1",
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": 0,
                "retry_reason": "",
                "payload": event_body(dm("mailen virker ikke", "1700000009.000100"), "Ev0SOCKET"),
            }
        )
        await fake.wait_for(lambda: len(core.outcomes) == 1, "the event handled")
        first = core.outcomes[0]
        await fake.wait_for(lambda: len(fake.posts()) == messages_for(first), "the answer")
        assert any(ack.get("envelope_id") == "env-event-1" for ack in fake.acks)

        # Press a button on the last message fixbot posted.
        last = list(fake.posted_messages(NORA_DM))[-1]
        press = block_actions(last, NORA_DM, NORA, lambda value: True)
        fake.send_envelope(
            {
                "envelope_id": "env-action-1",
                "type": "interactive",
                "accepts_response_payload": False,
                "payload": press,
            }
        )
        await fake.wait_for(
            lambda: any(ack.get("envelope_id") == "env-action-1" for ack in fake.acks),
            "the action's ack",
        )
        await fake.wait_for(lambda: len(core.outcomes) == 2, "the press handled")
        total = messages_for(first) + messages_for(core.outcomes[1])
        await fake.wait_for(lambda: len(fake.posts()) == total, "the answer to the press")
        assert core.entered[1].payload == press["actions"][0]["value"]
        assert core.entered[1].event_id == f"{last['ts']}:{press['actions'][0]['action_ts']}"
        update = fake.calls_to("chat.update")
        assert len(update) == 1 and update[0].args["ts"] == last["ts"]
        assert not [b for b in update[0].args["blocks"] if b["type"] == "actions"]
    finally:
        await handler.close_async()
        await _drain()
        await bot.aclose()
        await _drain()


# -- start-up: one line for what is wrong -------------------------------------------------


def closed_port() -> int:
    """A local port nothing listens on: bound, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_slack(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    database_url: str,
    api_url: str,
    *,
    app_token: str | None = None,
) -> int:
    monkeypatch.chdir(tmp_path)  # no .env from the working tree
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("FIXBOT_SLACK_API_URL", api_url)
    monkeypatch.setenv("FIXBOT_DATABASE_URL", database_url)
    if app_token:
        monkeypatch.setenv("SLACK_APP_TOKEN", app_token)
    else:
        monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    return cli.main(["serve", "slack", "--port", "0"])


def one_line_without_secrets(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("fixbot: "), err
    assert TOKEN not in err and SECRET not in err and APP_TOKEN not in err
    return err


def test_an_unreachable_web_api_is_one_line_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    api_url = f"http://127.0.0.1:{closed_port()}/api/"
    assert serve_slack(monkeypatch, tmp_path, database_url, api_url) == 2
    err = one_line_without_secrets(capsys.readouterr().err)
    assert f"cannot reach the Slack Web API at {api_url}" in err
    assert "FIXBOT_SLACK_API_URL" in err


def test_a_rejected_bot_token_is_one_line_at_start_up(
    fake: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    fake.fail_next("auth.test", status=200, retry_after=None, error="invalid_auth")
    assert serve_slack(monkeypatch, tmp_path, database_url, fake.api_url) == 2
    err = one_line_without_secrets(capsys.readouterr().err)
    assert "Slack rejected SLACK_BOT_TOKEN (invalid_auth)" in err


def test_a_rejected_app_token_is_one_line_at_start_up(
    fake: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> None:
    fake.fail_next("apps.connections.open", status=200, retry_after=None, error="invalid_auth")
    assert serve_slack(monkeypatch, tmp_path, database_url, fake.api_url, app_token=APP_TOKEN) == 2
    err = one_line_without_secrets(capsys.readouterr().err)
    assert "Slack rejected SLACK_APP_TOKEN (invalid_auth)" in err
    assert fake.socket_connections == 0


# -- the app manifest ------------------------------------------------------------------


def test_the_manifest_asks_for_what_the_adapter_uses_and_the_readme_shows_it() -> None:
    root = ROOT
    manifest_text = (root / "docs" / "slack-app-manifest.yaml").read_text()
    manifest = yaml.safe_load(manifest_text)
    readme = (root / "README.md").read_text()
    shown = re.search(r"## Slack\n.*?```yaml\n(.*?)```", readme, re.DOTALL)
    assert shown is not None and yaml.safe_load(shown.group(1)) == manifest
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert {"message.im", "app_mention", "message.channels", "app_home_opened"} <= set(
        settings["event_subscriptions"]["bot_events"]
    )
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "chat:write",
        "im:history",
        "app_mentions:read",
        "channels:history",
        "groups:history",
        "users:read",
        "commands",
        "im:write",
    } == scopes
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/fixbot"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
