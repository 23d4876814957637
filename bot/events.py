"""The core's boundary: the inbound event every adapter builds and the replies it renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Language(StrEnum):
    """The languages fixbot speaks."""

    NB = "nb"
    EN = "en"


@dataclass(frozen=True, slots=True)
class Button:
    """One button under a reply. ``payload`` is what comes back when it is pressed.

    Payloads stay within Telegram's 64 bytes of callback data.
    """

    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message from the bot: text in fixbot's small markup, and optional buttons."""

    text: str
    buttons: tuple[Button, ...] = ()


# The longest identifier each field may carry (the store's column sizes).
IDENTIFIER_LIMITS = {"platform": 32, "user_id": 128, "chat_key": 200, "event_id": 200}


class InvalidIdentifier(ValueError):
    """An inbound event's identifier is empty, too long or unprintable; ``field`` names it."""

    def __init__(self, field: str, limit: int) -> None:
        self.field = field
        super().__init__(f"{field} must be 1 to {limit} printable characters")


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing a person did: typed ``text`` or pressed a button (``payload``).

    ``chat_key`` identifies the conversation on the platform (a private chat, a
    Slack thread); ``user_id`` the person. ``event_id`` is the platform's own id
    for the delivery, so a redelivered event is handled once. ``language_hint``
    is the platform's guess (Telegram ``language_code``, Slack locale), used
    only until the person's own words say otherwise.
    """

    platform: str
    user_id: str
    chat_key: str
    event_id: str
    received_at: datetime
    text: str | None = None
    payload: str | None = None
    language_hint: str | None = None
    display_name: str | None = None
    # Which bot on the platform received it (Slack team and bot, Telegram bot id):
    # event ids are unique per bot, so de-duplication is scoped to it.
    bot: str = ""
    # Where the replies go, in the adapter's own terms (a Slack channel and thread, a
    # Telegram chat and the message answered): when set, the replies are written to
    # the outbox with the turn and the adapter's delivery worker sends them; None:
    # the caller shows the returned replies itself (the terminal chat).
    reply_to: str | None = None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.payload is None):
            raise ValueError("an inbound event carries either text or a button payload")
        for name, limit in IDENTIFIER_LIMITS.items():
            value = getattr(self, name)
            if not valid_identifier(value, limit):
                raise InvalidIdentifier(name, limit)


def review_path(conversation_id: int) -> str:
    """The review site's page of a conversation (notices to support staff link to it)."""
    return f"/conversations/{conversation_id}"


def valid_identifier(value: str, limit: int) -> bool:
    """An id or name the store can keep: 1 to ``limit`` printable characters."""
    return bool(value) and len(value) <= limit and value.isprintable()


@dataclass(frozen=True, slots=True)
class ConversationView:
    """Where a conversation stands after an event, for adapters and scripts."""

    conversation_id: int | None
    status: str
    intent: str | None
    step: int | None
    language: str


@dataclass(frozen=True, slots=True)
class HandoffNotice:
    """A handoff this event created, for the adapter to announce to its support destination.

    ``summary`` is the stored summary: Norwegian, already redacted, plain text.
    """

    handoff_id: int
    conversation_id: int
    summary: str
    platform: str
    user_id: str


@dataclass(frozen=True, slots=True)
class HandoffThread:
    """Where a handoff's notice was posted: a Slack channel and the notice's ts, or a
    Telegram chat and the notice's message id (both as text)."""

    destination: str
    message: str


@dataclass(frozen=True, slots=True)
class CaseNoteNotice:
    """What the person added to their open case, for the adapter to post in the notice's
    thread. ``text`` is redacted like everything stored; ``thread`` is None when the
    notice was never posted (no support destination, or it failed)."""

    handoff_id: int
    conversation_id: int
    person: str  # the person's name as the platform gave it, else their id
    text: str
    platform: str
    user_id: str
    thread: HandoffThread | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What ``Service.handle`` returns: the replies (empty for a duplicate), the state, and
    the handoffs this event created (none for a duplicate)."""

    replies: tuple[Reply, ...]
    conversation: ConversationView
    duplicate: bool = False
    handoffs: tuple[HandoffNotice, ...] = ()
    # What the person added to an open case this event (posted in the notice's thread).
    case_notes: tuple[CaseNoteNotice, ...] = ()
    # Outbox rows this call made due (the turn's replies, or a redelivery's unsent ones):
    # the adapter wakes its delivery worker when there are any.
    queued: int = 0
