"""Test support for the dialog: the fixture knowledge, a fake classifier and a chat driver."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from bot.dialog.conversation import DialogState, Effect, Transition, Turn
from bot.dialog.machine import Dialog
from bot.events import Reply
from bot.knowledge import Knowledge, load_knowledge
from bot.settings import Settings
from bot.understanding.intents import Candidate, Classifier, MatchResult
from tests.paths import FIXTURES

FIXTURE_DIR = FIXTURES / "dialog_knowledge"
AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@lru_cache(maxsize=1)
def fixture_knowledge() -> Knowledge:
    return load_knowledge(FIXTURE_DIR)


def match(intent: str, language: str = "nb", confidence: float = 0.9) -> MatchResult:
    return MatchResult("match", intent, confidence, language)


def ambiguous(*intents: str, language: str = "nb") -> MatchResult:
    candidates = tuple(Candidate(intent, 0.5 - i * 0.01) for i, intent in enumerate(intents))
    return MatchResult("ambiguous", intents[0], 0.5, language, candidates)


def none(language: str = "nb") -> MatchResult:
    return MatchResult("none", "none", 0.1, language)


class FakeClassifier:
    """Answers from a dict of text -> MatchResult; anything else is "none"."""

    def __init__(self, answers: Mapping[str, MatchResult]) -> None:
        self.answers = dict(answers)
        self.seen: list[str] = []

    def read_reply(self, text: str, *, rating: bool = False) -> None:
        return None  # only the real matcher reads replies; fakes leave it to the lexicon

    def classify(
        self, text: str, prior_language: str | None = None, *, in_topic: bool = False
    ) -> MatchResult:
        self.seen.append(text)
        language = "en" if text.isascii() and " the " in f" {text} " else "nb"
        return self.answers.get(text, none(language))


# Typed texts the fake classifier knows, in both languages.
ANSWERS: dict[str, MatchResult] = {
    "innboksen min oppdateres ikke": match("mail-not-updating"),
    "my inbox is not updating": match("mail-not-updating", "en"),
    "jeg får ikke sendt e-post": match("cannot-send"),
    "i cannot send any mail": match("cannot-send", "en"),
    "alle kollegene mine har samme feil": match("everyone-affected"),
    "everyone in the office has the same problem": match("everyone-affected", "en"),
    "hvor mye lagring trenger mail": match("faq-storage"),
    "how much storage does mail need": match("faq-storage", "en"),
    "jeg vil snakke med et menneske": match("human"),
    "i want to talk to a person": match("human", "en"),
    "mailen er rar": ambiguous("mail-not-updating", "cannot-send"),
    "mail is acting weird": ambiguous("mail-not-updating", "cannot-send", language="en"),
    "skriveren min virker ikke i det hele tatt": none(),
    "what is the weather like today": none("en"),
}


@dataclass
class Chat:
    """Drives one conversation through the dialog and keeps what came back."""

    classifier: Classifier = field(default_factory=lambda: FakeClassifier(ANSWERS))
    settings: Settings = field(default_factory=Settings)
    state: DialogState = field(default_factory=DialogState)
    language_hint: str | None = None
    language_chosen: bool = False
    case_status: str | None = None  # the open case's status as staff left it (Turn.case_status)
    knowledge: Knowledge = field(default_factory=lambda: fixture_knowledge())
    transitions: list[Transition] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.dialog = Dialog(self.knowledge, self.classifier, self.settings)

    def say(self, text: str) -> Transition:
        return self._turn(Turn(text=text, language_hint=self.language_hint, at=AT))

    def press(self, payload: str) -> Transition:
        return self._turn(Turn(payload=payload, language_hint=self.language_hint, at=AT))

    def tap(self, label: str) -> Transition:
        """Press the button labelled ``label`` in the last transition's replies."""
        for reply in reversed(self.last.replies):
            for button in reply.buttons:
                if button.label == label:
                    return self.press(button.payload)
        raise AssertionError(f"no button {label!r} in {self.labels}")

    def _turn(self, turn: Turn) -> Transition:
        turn = Turn(
            text=turn.text,
            payload=turn.payload,
            language_hint=turn.language_hint,
            language_chosen=self.language_chosen,
            at=turn.at,
            case_status=self.case_status,
        )
        transition = self.dialog.advance(self.state, turn)
        self.transitions.append(transition)
        self.state = transition.state
        return transition

    @property
    def last(self) -> Transition:
        return self.transitions[-1]

    @property
    def text(self) -> str:
        return "\n\n".join(reply.text for reply in self.last.replies)

    @property
    def labels(self) -> list[str]:
        return [b.label for reply in self.last.replies for b in reply.buttons]

    @property
    def payloads(self) -> list[str]:
        return [b.payload for reply in self.last.replies for b in reply.buttons]

    def effects(self, kind: type) -> list[Effect]:
        return [e for e in self.last.effects if isinstance(e, kind)]


def all_replies(transitions: list[Transition]) -> list[Reply]:
    return [reply for t in transitions for reply in t.replies]
