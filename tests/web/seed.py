"""Realistic review-site data, made by talking to the real ``Service`` as people would.

Buttons are pressed by what they do (their payload kind), read from the
replies the bot actually sent, so the seed follows the dialog as it changes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.events import Inbound, Outcome
from bot.knowledge import Knowledge
from bot.service import Service
from bot.settings import Settings
from bot.store.database import open_database
from bot.store.unit_of_work import Store
from bot.understanding.intents import Classifier, MatchResult

XSS_TEXT = "<script>alert('xss')</script><b>fet</b> mailen virker ikke"
MISSED_TEXTS = (
    "skriveren på kontoret skriver ikke ut",
    "skriveren på kontoret vil ikke skrive ut",
    "printeren skriver ikke ut",
)


# What the seed's people mean, pinned so the stories do not move with matcher tuning.
PINNED: dict[str, str] = {
    "mailen på iPhonen oppdaterer ikke": "mail-not-updating",
    "I can't send email from my iPhone": "cannot-send",
    "e-posten kommer bare når jeg åpner Mail-appen": "only-when-open",
    "my inbox is not updating": "mail-not-updating",
}


class PinnedMatcher:
    """The shipped matcher, except for the seed's own texts: ``PINNED`` ones are
    understood as their intent and ``MISSED_TEXTS`` are never understood.

    The matcher is tuned elsewhere; the review site needs stable stories.
    """

    def __init__(self, inner: Classifier) -> None:
        self.inner = inner

    def read_reply(self, text: str, *, rating: bool = False) -> None:
        return None  # only the real matcher reads replies; fakes leave it to the lexicon

    def classify(
        self, text: str, prior_language: str | None = None, *, in_topic: bool = False
    ) -> MatchResult:
        if text in MISSED_TEXTS:
            return MatchResult(decision="none", intent="none", confidence=0.9, language="nb")
        if text in PINNED:
            language = "en" if text.isascii() and " my " in f" {text} " else "nb"
            return MatchResult(
                decision="match", intent=PINNED[text], confidence=0.9, language=language
            )
        return self.inner.classify(text)


def build_service(settings: Settings, knowledge: Knowledge, classifier: Classifier) -> Service:
    """A real ``Service`` on ``settings.database_url`` for seeding."""
    return Service(Store(open_database(settings)), knowledge, PinnedMatcher(classifier), settings)


@dataclass
class Seeded:
    """Conversation ids by the story they tell."""

    resolved: int = 0
    handed_off: int = 0
    exhausted: int = 0
    xss: int = 0
    abandoned: int = 0
    missed: list[int] = field(default_factory=list)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


class Person:
    """One person in one chat, pressing buttons by their payload."""

    _events = itertools.count(1)

    def __init__(self, service: Service, platform: str, name: str, at: datetime) -> None:
        self.service = service
        self.platform = platform
        self.name = name
        self.chat = f"{platform}-{name.lower().replace(' ', '-')}"
        self.at = at
        self.last: Outcome | None = None

    def _send(self, text: str | None = None, payload: str | None = None) -> Outcome:
        self.at += timedelta(minutes=1)
        self.last = self.service.handle(
            Inbound(
                platform=self.platform,
                user_id=self.chat,
                chat_key=self.chat,
                event_id=f"seed-{next(self._events)}",
                received_at=self.at,
                text=text,
                payload=payload,
                display_name=self.name,
            )
        )
        return self.last

    def says(self, text: str) -> Outcome:
        return self._send(text=text)

    def presses(self, prefix: str) -> Outcome:
        """Press the first button whose payload starts with ``prefix``."""
        assert self.last is not None
        for reply in self.last.replies:
            for button in reply.buttons:
                if button.payload.startswith(prefix):
                    return self._send(payload=button.payload)
        offered = [b.payload for r in self.last.replies for b in r.buttons]
        raise AssertionError(f"no button {prefix!r} among {offered}")

    def conversation_id(self) -> int:
        assert self.last is not None and self.last.conversation.conversation_id is not None
        return self.last.conversation.conversation_id


def seed(service: Service, now: datetime | None = None) -> Seeded:
    """Stories: resolved, asked for IT, steps ran out, HTML pasted, abandoned, not understood."""
    now = now or datetime.now(UTC)
    seeded = Seeded(now=now)
    kari = Person(service, "telegram", "Kari Nordmann", now - timedelta(days=6))
    kari.says("mailen på iPhonen oppdaterer ikke")
    kari.presses("step:no:")
    kari.presses("step:fine:")  # step 2 checks the service: it is up
    kari.presses("step:ok:")
    kari.presses("rate:5")
    seeded.resolved = kari.conversation_id()

    john = Person(service, "slack", "John Smith", now - timedelta(days=5))
    john.says("I can't send email from my iPhone")
    john.presses("human")
    seeded.handed_off = john.conversation_id()

    per = Person(service, "telegram", "Per Hansen", now - timedelta(days=4))
    per.says("e-posten kommer bare når jeg åpner Mail-appen")
    for _ in range(20):
        if per.conversation_id() and per.last and per.last.conversation.status != "active":
            break
        per.presses("step:no:")
    seeded.exhausted = per.conversation_id()

    ola = Person(service, "telegram", "Ola <b>Bold</b>", now - timedelta(days=3))
    ola.says(XSS_TEXT)
    seeded.xss = ola.conversation_id()

    lise = Person(service, "slack", "Lise", now - timedelta(days=3))
    lise.says("my inbox is not updating")
    lise.presses("step:skip:")
    seeded.abandoned = lise.conversation_id()
    lise.at += timedelta(days=2)  # idle past the timeout: the next message starts afresh
    lise.says("hello")

    for index, text in enumerate(MISSED_TEXTS):
        person = Person(service, "telegram", f"Kollega {index}", now - timedelta(days=2 - index))
        person.says(text)
        seeded.missed.append(person.conversation_id())
    return seeded
