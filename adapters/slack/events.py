"""Reading what arrives from Slack: which conversation it belongs to and what the person did.

Pure functions over Slack's JSON, no I/O, so what fixbot answers and what it
ignores is decided in one place and tested without a server. A direct message
chat is keyed by its channel; a channel conversation by its thread
(``channel:thread_ts``), started by an ``@fixbot`` mention.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.slack.blocks import read_text
from bot.dialog import payloads

# Message subtypes that are a person writing; every other subtype (edits,
# deletions, joins, bot messages, ...) is ignored.
PERSON_SUBTYPES = (None, "file_share")
COMMAND_PAYLOADS = {
    "": payloads.MENU,
    "reset": payloads.RESTART,
    "restart": payloads.RESTART,
    "human": payloads.HUMAN,
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a conversation lives on Slack and where its replies go."""

    chat_key: str
    channel: str
    thread_ts: str | None = None

    @classmethod
    def direct(cls, channel: str) -> Place:
        return cls(channel, channel)

    @classmethod
    def thread(cls, channel: str, thread_ts: str) -> Place:
        return cls(f"{channel}:{thread_ts}", channel, thread_ts)


@dataclass(frozen=True, slots=True)
class Said:
    """A person's message for the core. ``text`` is "" for a message with no text (a file)."""

    place: Place
    user: str
    event_id: str
    text: str | None = None
    payload: str | None = None
    started_only: bool = False  # a channel-thread message: only if fixbot is in that thread


@dataclass(frozen=True, slots=True)
class Press:
    """A fixbot button pressed. ``message`` is None for a button on the App Home tab."""

    user: str
    event_id: str
    payload: str
    label: str
    place: Place | None
    message: dict[str, Any] | None
    message_ts: str | None = None


def event_key(body: dict[str, Any]) -> str:
    """The delivery's de-duplication key: Slack's ``event_id``; for an envelope without
    one, the message's own place and time (``channel`` and ``ts`` name one message)."""
    event_id = body.get("event_id")
    if isinstance(event_id, str) and event_id:
        return event_id
    event = body.get("event")
    if not isinstance(event, dict):
        event = {}
    return f"msg:{event.get('channel', '-')}:{event.get('event_ts') or event.get('ts', '-')}"


def read_message(event: dict[str, Any], event_id: str, bot_user_id: str | None) -> Said | None:
    """A ``message`` event: a DM, or a reply in a channel thread; None for anything to ignore."""
    user = event.get("user")
    if event.get("subtype") not in PERSON_SUBTYPES or event.get("bot_id") or not user:
        return None
    if user == bot_user_id:
        return None
    channel, raw = event.get("channel"), event.get("text") or ""
    if not channel:
        return None
    if event.get("channel_type") == "im":
        place, started_only = Place.direct(channel), False
    elif event.get("thread_ts") and event.get("channel_type") in ("channel", "group"):
        if bot_user_id and f"<@{bot_user_id}" in raw:
            return None  # the app_mention event for the same message carries it
        place, started_only = Place.thread(channel, event["thread_ts"]), True
    else:
        return None  # top-level channel chatter, group DMs
    return Said(place, user, event_id, text=read_text(raw, bot_user_id), started_only=started_only)


def read_mention(event: dict[str, Any], event_id: str, bot_user_id: str | None) -> Said | None:
    """An ``app_mention``: a conversation in the message's thread (a bare mention: the menu)."""
    user, channel = event.get("user"), event.get("channel")
    if event.get("bot_id") or not user or user == bot_user_id or not channel:
        return None
    thread_ts = event.get("thread_ts") or event.get("ts")
    if not thread_ts:
        return None
    place = Place.thread(channel, thread_ts)
    text = read_text(event.get("text") or "", bot_user_id)
    if not text:
        return Said(place, user, event_id, payload=payloads.MENU)
    return Said(place, user, event_id, text=text)


def read_command(words: str) -> tuple[str | None, str | None]:
    """``/fixbot`` text as (text, payload): nothing -> menu, reset -> restart, human -> human."""
    words = words.strip()
    payload = COMMAND_PAYLOADS.get(words.casefold())
    if payload is not None:
        return None, payload
    return read_text(words), None


def read_press(body: dict[str, Any], action: dict[str, Any]) -> Press | None:
    """A ``block_actions`` press of a fixbot button; event id: message ts + action ts."""
    user = (body.get("user") or {}).get("id")
    payload = action.get("value")
    if not user or not payload:
        return None
    action_ts = action.get("action_ts") or body.get("action_ts") or ""
    label = (action.get("text") or {}).get("text") or payload
    container = body.get("container") or {}
    message = body.get("message")
    if container.get("type") == "message" and message:
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        message_ts = container.get("message_ts") or message.get("ts")
        if not channel or not message_ts:
            return None
        thread_ts = message.get("thread_ts")
        place = Place.thread(channel, thread_ts) if thread_ts else Place.direct(channel)
        return Press(user, f"{message_ts}:{action_ts}", payload, label, place, message, message_ts)
    view_id = (body.get("view") or {}).get("id") or container.get("view_id") or user
    return Press(user, f"{view_id}:{action_ts}", payload, label, None, None)
