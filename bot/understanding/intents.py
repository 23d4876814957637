"""What the matcher answers: a decision, the best intent and the candidates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Decision = Literal["match", "ambiguous", "none"]
NONE_INTENT = "none"


@dataclass(frozen=True, slots=True)
class Candidate:
    intent: str
    score: float  # 0..1


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The matcher's answer for one message.

    ``decision`` is "match" (``intent`` is confident), "ambiguous" (ask which of
    ``candidates``) or "none" (``intent`` is "none"). ``language`` is the
    detected language of the text ("nb" or "en").
    """

    decision: Decision
    intent: str
    confidence: float
    language: str
    candidates: tuple[Candidate, ...] = ()


class Classifier(Protocol):
    """Anything that classifies a message: the real ``bot.understanding.matcher.Matcher`` or a test fake."""

    def classify(self, text: str) -> MatchResult: ...
