"""Scoring the matcher against labelled messages: the figures ``fixbot eval`` prints."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bot.understanding.intents import NONE_INTENT, MatchResult
from bot.understanding.matcher import Matcher


@dataclass(frozen=True, slots=True)
class LabelledMessage:
    text: str
    language: str
    intent: str


def is_right(result: MatchResult, label: str) -> bool:
    """The issue's rule: a confident match of the label, or "none" for a none label."""
    if label == NONE_INTENT:
        return result.decision == "none"
    return result.decision == "match" and result.intent == label


Tally = dict[str, list[int]]  # key -> [right, total]


def tally() -> Tally:
    """An empty right/total count per key."""
    return defaultdict(lambda: [0, 0])


def count(table: Tally, key: str, right: bool) -> None:
    table[key][0] += right
    table[key][1] += 1


def shares(table: Tally) -> dict[str, float]:
    """The share right per key, sorted by key (for JSON)."""
    return {k: round(v[0] / v[1], 4) if v[1] else 0.0 for k, v in sorted(table.items())}


def share_line(table: Tally) -> str:
    """ "en 93.0% (40/43), nb ..." """
    return ", ".join(f"{k} {v[0] / v[1]:.1%} ({v[0]}/{v[1]})" for k, v in sorted(table.items()))


def share_rows(table: Tally, width: int) -> list[str]:
    """One indented row per key: name, share, right/total."""
    return [f"  {k:<{width}} {v[0] / v[1]:6.1%} ({v[0]}/{v[1]})" for k, v in sorted(table.items())]


@dataclass
class Evaluation:
    """Every figure of one evaluation run."""

    total: int = 0
    right: int = 0
    language_right: int = 0
    asked_back: int = 0
    by_language: Tally = field(default_factory=tally)
    by_intent: Tally = field(default_factory=tally)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[tuple[LabelledMessage, MatchResult]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def language_accuracy(self) -> float:
        return self.language_right / self.total if self.total else 0.0

    def add(self, message: LabelledMessage, result: MatchResult) -> None:
        right = is_right(result, message.intent)
        self.total += 1
        self.right += right
        self.language_right += result.language == message.language
        count(self.by_language, message.language, right)
        count(self.by_intent, message.intent, right)
        if right:
            return
        self.errors.append((message, result))
        answered = result.intent if result.decision == "match" else result.decision
        if result.decision == "ambiguous" and any(
            c.intent == message.intent for c in result.candidates
        ):
            self.asked_back += 1
        self.confusions[(message.intent, answered)] += 1

    def as_json(self) -> dict[str, object]:
        return {
            "total": self.total,
            "accuracy": round(self.accuracy, 4),
            "by_language": shares(self.by_language),
            "by_intent": shares(self.by_intent),
            "asked_back": self.asked_back,
            "language_accuracy": round(self.language_accuracy, 4),
            "confusions": [
                {"label": label, "answered": answered, "count": count}
                for (label, answered), count in self.confusions.most_common(10)
            ],
        }

    def report(self, show_errors: bool = False) -> str:
        lines = [
            f"accuracy: {self.accuracy:.1%} ({self.right}/{self.total})",
            "per language: " + share_line(self.by_language),
            f"language detection: {self.language_accuracy:.1%}",
            f"asked back (ambiguous, right answer among candidates): {self.asked_back}",
            "per intent:",
        ]
        lines += share_rows(self.by_intent, 24)
        lines.append("worst confusions (label -> answer):")
        lines += [
            f"  {label} -> {answered}: {count}"
            for (label, answered), count in self.confusions.most_common(10)
        ] or ["  none"]
        if show_errors:
            lines.append("not right:")
            lines += [
                f"  [{m.intent} -> {r.intent if r.decision == 'match' else r.decision}] {m.text}"
                for m, r in self.errors
            ]
        return "\n".join(lines)


def evaluate(matcher: Matcher, messages: list[LabelledMessage]) -> Evaluation:
    """Classify every message and tally the figures."""
    evaluation = Evaluation()
    for message in messages:
        evaluation.add(message, matcher.classify(message.text))
    return evaluation
