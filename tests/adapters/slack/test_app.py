"""fixbot on Slack: the real slack-bolt and slack_sdk against a fake Slack, the real Service.

HTTP mode gets correctly signed requests on a server bound to port 0; Socket
Mode talks to the fake's websocket. Every wait is on a condition with a
deadline (``FakeSlack.wait_for``), never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest

from bot.dialog import payloads
from tests.adapters.slack.conftest import (
    CHANNEL,
    ERIK,
    NORA,
    NORA_DM,
    SECRET,
    TOKEN,
    HttpSlack,
    dm,
    event_body,
    messages_for,
    no_conversation,
)
from tests.adapters.slack.fake_server import BOT_ID, BOT_USER_ID

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


async def test_a_database_outage_apologises_and_logs_one_line_without_a_traceback(
    http: HttpSlack, caplog: pytest.LogCaptureFixture
) -> None:
    http.core.outage = True
    with caplog.at_level(logging.INFO):
        await http.event(dm("mailen virker ikke", "1700000006.000200"), "Ev0GONE")
        await http.fake.wait_for(lambda: len(http.fake.posts(NORA_DM)) == 1, "the apology")
    assert http.fake.posts(NORA_DM)[0].args["text"] == http.core.knowledge.text(
        "error_apology", "nb"
    )
    lines = [r for r in caplog.records if "Ev0GONE" in r.getMessage()]
    assert [r.levelno for r in lines] == [logging.WARNING]
    assert lines[0].exc_info is None and "database is gone" in lines[0].getMessage()


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
