"""Reading Slack events: what fixbot answers, where, and what it ignores."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.slack.events import (
    Place,
    Said,
    read_command,
    read_mention,
    read_message,
    read_press,
)
from bot.dialog import payloads

BOT = "UFIXBOT"


def message(**fields: Any) -> dict[str, Any]:
    event = {
        "type": "message",
        "channel": "D1",
        "channel_type": "im",
        "user": "U1",
        "text": "hei",
        "ts": "1.1",
    }
    event.update(fields)
    return {key: value for key, value in event.items() if value is not None}


@pytest.mark.parametrize(
    "event",
    [
        message(subtype="bot_message", bot_id="B2"),
        message(bot_id="B2"),
        message(user=BOT),
        message(user=None),
        message(subtype="message_changed"),
        message(subtype="message_deleted"),
        message(subtype="channel_join"),
        message(subtype="thread_broadcast"),
        message(channel_type="channel"),  # top-level channel chatter
        message(channel_type="mpim"),
        message(channel_type="channel", thread_ts="1.0", text=f"<@{BOT}> hjelp"),  # app_mention
    ],
)
def test_messages_fixbot_ignores(event: dict[str, Any]) -> None:
    assert read_message(event, "Ev1", BOT) is None


def test_a_direct_message_is_keyed_by_its_channel() -> None:
    said = read_message(message(text="mailen &amp; kalenderen"), "Ev1", BOT)
    assert said == Said(Place("D1", "D1", None), "U1", "Ev1", text="mailen & kalenderen")


def test_a_thread_reply_in_a_channel_continues_only_a_started_conversation() -> None:
    event = message(channel="C1", channel_type="channel", thread_ts="1.0", text="nei")
    said = read_message(event, "Ev2", BOT)
    assert said == Said(Place("C1:1.0", "C1", "1.0"), "U1", "Ev2", text="nei", started_only=True)
    group = read_message({**event, "channel_type": "group"}, "Ev3", BOT)
    assert group is not None and group.started_only


def test_a_file_without_text_is_read_as_empty_text() -> None:
    said = read_message(message(subtype="file_share", text=""), "Ev1", BOT)
    assert said is not None and said.text == ""


def test_a_mention_starts_a_conversation_in_its_thread() -> None:
    mention = {
        "type": "app_mention",
        "channel": "C1",
        "user": "U1",
        "ts": "5.5",
        "text": f"<@{BOT}> mailen virker ikke",
    }
    said = read_mention(mention, "Ev1", BOT)
    assert said == Said(Place("C1:5.5", "C1", "5.5"), "U1", "Ev1", text="mailen virker ikke")
    in_thread = read_mention({**mention, "thread_ts": "4.4"}, "Ev2", BOT)
    assert in_thread is not None and in_thread.place.chat_key == "C1:4.4"
    bare = read_mention({**mention, "text": f"<@{BOT}>"}, "Ev3", BOT)
    assert bare is not None and bare.payload == payloads.MENU and bare.text is None
    assert read_mention({**mention, "bot_id": "B2"}, "Ev4", BOT) is None


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("", (None, payloads.MENU)),
        ("  ", (None, payloads.MENU)),
        ("reset", (None, payloads.RESTART)),
        ("Reset", (None, payloads.RESTART)),
        ("human", (None, payloads.HUMAN)),
        ("mailen virker ikke", ("mailen virker ikke", None)),
    ],
)
def test_the_slash_command(words: str, expected: tuple[str | None, str | None]) -> None:
    assert read_command(words) == expected


def test_a_press_on_a_message_in_a_thread_and_on_the_home_tab() -> None:
    action = {
        "action_id": "fixbot:0",
        "value": "step:ok:p:1",
        "action_ts": "9.9",
        "text": {"type": "plain_text", "text": "Det fungerte"},
    }
    body = {
        "user": {"id": "U1"},
        "container": {"type": "message", "message_ts": "7.7", "channel_id": "C1"},
        "message": {"ts": "7.7", "thread_ts": "5.5", "blocks": []},
    }
    press = read_press(body, action)
    assert press is not None
    assert press.place == Place("C1:5.5", "C1", "5.5")
    assert (press.event_id, press.payload, press.label, press.message_ts) == (
        "7.7:9.9",
        "step:ok:p:1",
        "Det fungerte",
        "7.7",
    )
    home = read_press(
        {
            "user": {"id": "U1"},
            "container": {"type": "view", "view_id": "V1"},
            "view": {"id": "V1"},
        },
        {**action, "value": "pick:p"},
    )
    assert home is not None and home.place is None and home.event_id == "V1:9.9"
    assert read_press({"user": {"id": "U1"}}, {"action_id": "fixbot:0"}) is None
