"""What understanding answers, and the port the dialog reads it through.

``MatchResult``: the matcher's decision, best intent and candidates. ``ReadAct``:
what a reply means mid-flow. ``Classifier``: the protocol the dialog uses (the
real ``Matcher`` or a test fake).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Protocol

Decision = Literal["match", "ambiguous", "none"]
NONE_INTENT = "none"
# the label of the phrases that name only a topic ("mailen funker ikke"): never an answer,
# a reason to ask which problem
VAGUE_INTENT = "vague"
# the model's label for a look-alike's phrases ("none:phishing-received"): a kind of none
LOOKALIKE_PREFIX = "none:"


def is_none(label: str) -> bool:
    """``label`` is off-topic: plain "none" or a look-alike's."""
    return label == NONE_INTENT or label.startswith(LOOKALIKE_PREFIX)


def lookalike_id(label: str) -> str | None:
    """The look-alike a model label stands for, if it is one."""
    return label.removeprefix(LOOKALIKE_PREFIX) if label.startswith(LOOKALIKE_PREFIX) else None


@dataclass(frozen=True, slots=True)
class Candidate:
    intent: str
    score: float  # 0..1


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The matcher's answer for one message.

    ``decision`` is "match" (``intent`` is confident), "ambiguous" (ask which of
    ``candidates``) or "none" (``intent`` is "none"). ``language`` is the
    detected language of the text ("nb" or "en"). ``outside``, with "none": the
    message reads as plain language about something else ("wifien funker ikke",
    "hva er saldoen min?"), not as gibberish, so the answer can say so.
    ``lookalike``, with "none": the knowledge's look-alike the message is (spam that
    arrives, a colleague's hacked account), whose answer the reply gives.
    ``elsewhere``: the message tells a fault of another app or thing and names not
    the mail ("printeren virker ikke heller", "Teams krasjer også"); set when read
    ``in_topic`` (mid-flow), where such a reply is an aside, not a step's answer.
    """

    decision: Decision
    intent: str
    confidence: float
    language: str
    candidates: tuple[Candidate, ...] = ()
    outside: bool = False
    lookalike: str | None = None
    elsewhere: bool = False
    # False: the words alone did not tell the language ("mail"); ``language`` is the
    # prior or the default then
    language_told: bool = True


@dataclass(frozen=True, slots=True)
class ReadAct:
    """What a reply means in the middle of a fix (``bot.understanding.acts``)."""

    act: str  # worked, not_helped, skip, back, stop, question, cannot_find, later,
    # human, smalltalk, new_problem or rating_1..rating_5
    score: float  # the act model's decision value
    exact: bool = False  # read by rule (a typed digit, stars, an emoji), not by the model

    @property
    def confidence(self) -> float:
        """The decision value squashed to 0..1, for the transcript."""
        return 1.0 if self.exact else round(1.0 / (1.0 + math.exp(-self.score)), 4)


class Classifier(Protocol):
    """Anything that classifies a message: the real ``Matcher`` or a test fake."""

    def classify(
        self, text: str, prior_language: str | None = None, *, in_topic: bool = False
    ) -> MatchResult:
        """What ``text`` is about; ``prior_language``: the conversation's language, kept
        when the text alone does not tell; ``in_topic``: the conversation is already
        about the topic (mid-flow), so the message need not name it or its device."""
        ...

    def read_reply(self, text: str, *, rating: bool = False) -> ReadAct | None:
        """The act of a reply mid-flow (or at the rating prompt); None when unread."""
        ...
