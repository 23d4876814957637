"""Which language a message is in: Norwegian ("nb", any written form or dialect) or English.

Two views vote. py3langid, a maintained character n-gram identifier, limited
to English and the Scandinavian languages (Danish, Swedish and Nynorsk
messages are Norwegian people writing casually), and the word lists of
``bot/understanding/data`` (``text.word_votes``), which know chat words and
dialect that a general identifier has rarely seen ("funka", "ikkje", "tlf").
Clear word votes win; otherwise the identifier's probability decides. When it
is unsure, a third view breaks the tie: how much more often wordfreq sees each
word in general Norwegian than in English ("pappa", "bildene" against "banana",
"settings"), which knows far more words than the lists and needs no context.
Whatever the text alone cannot settle, the caller's prior (the conversation's
language) keeps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from bot.understanding.frequency import word_frequencies
from bot.understanding.identifier import CompactIdentifier, compact_identifier
from bot.understanding.text import word_votes, words

SCANDINAVIAN = ("no", "nn", "da", "sv")
IDENTIFIER_LANGUAGES = ("en", *SCANDINAVIAN)
# Word votes that differ by this much decide alone.
CLEAR_VOTE_MARGIN = 2
# The identifier must be at least this sure to overrule a prior.
MIN_CONFIDENCE = 0.9
DEFAULT_LANGUAGE = "nb"
# General-language view: words rarer than this in both languages are typos or
# keyboard mash and say nothing; one word counts at most this many log10 units,
# and the sum must reach this to settle what the identifier left open.
GENERAL_MIN_FREQUENCY = 1e-7
GENERAL_WORD_CAP = 2.0
GENERAL_CLEAR = 1.0
# a word's own general-language vote this far from 0 leans one way (``_words_agree``)
WORD_CLEAR = 0.5
GENERAL_SMOOTHING = 1e-8


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    language: str  # "nb" or "en"
    confident: bool  # False: the text alone does not tell; keep what the conversation has


class LanguageIdentifier:
    """``identify(text, prior)``; py3langid's model, in the compact form of
    ``bot.understanding.identifier``, is read from ``cache_dir`` (or built there) on
    first use."""

    def __init__(self, default: str = DEFAULT_LANGUAGE, cache_dir: Path | None = None) -> None:
        self.default = default  # FIXBOT_DEFAULT_LANGUAGE: for text with no clue at all
        self.cache_dir = cache_dir
        self._model: CompactIdentifier | None = None
        self._lock = Lock()

    def identify(self, text: str, prior: str | None = None) -> LanguageGuess:
        """The language of ``text``. When neither view is sure: ``prior`` (the
        conversation's language) if there is one, else the identifier's best guess,
        else "nb"."""
        votes = word_votes(text)
        margin = votes["nb"] - votes["en"]
        if abs(margin) >= CLEAR_VOTE_MARGIN:
            return LanguageGuess("nb" if margin > 0 else "en", True)
        if not any(ch.isalpha() for ch in text):
            return LanguageGuess(prior or self.default, False)
        label, probability = self._loaded().classify(text)
        language = "en" if label == "en" else "nb"
        if margin and (language == "nb") != (margin > 0) and probability < MIN_CONFIDENCE:
            # the two views disagree and neither is sure: the conversation's, else the vote
            return LanguageGuess(prior or ("nb" if margin > 0 else "en"), False)
        if probability < MIN_CONFIDENCE:
            general = general_language_vote(text)
            if abs(general) >= GENERAL_CLEAR and prior is None and _words_agree(text, general):
                # nothing else to go on, and the words are clearly one language's:
                # "outbox stuck", "password loop" as a first message (not "utboks stuck")
                return LanguageGuess("nb" if general > 0 else "en", True)
            if abs(general) >= GENERAL_CLEAR:
                language = "nb" if general > 0 else "en"
            return LanguageGuess(prior or language, False)
        return LanguageGuess(language, True)

    def warm(self) -> None:
        """Load the model now (the chat calls this in the background at start-up)."""
        self._loaded()

    def _loaded(self) -> CompactIdentifier:
        with self._lock:
            if self._model is None:
                self._model = compact_identifier(IDENTIFIER_LANGUAGES, self.cache_dir)
            return self._model


def _words_agree(text: str, general: float) -> bool:
    """At least two words of ``text`` lean clearly the way the whole does (``general``)
    and none leans the other way: "password loop", not "utboks stuck" (wordfreq does
    not know "utboks") nor "inbox tom"."""
    votes = [general_language_vote(word) for word in text.split()]
    clear = [vote for vote in votes if abs(vote) >= WORD_CLEAR]
    return len(clear) >= 2 and all(vote * general > 0 for vote in clear)


def general_language_vote(text: str) -> float:
    """Positive for Norwegian, negative for English: the sum over the words of
    ``log10(frequency in nb / frequency in en)`` in wordfreq's lists, each word capped
    so that one rare word does not outvote the rest."""
    tables = word_frequencies()  # shared with the matcher, which reads them anyway
    total = 0.0
    for word in words(text):
        if not word.isalpha():
            continue
        nb = tables.frequency(word, "nb")
        en = tables.frequency(word, "en")
        if max(nb, en) < GENERAL_MIN_FREQUENCY:
            continue
        ratio = math.log10((nb + GENERAL_SMOOTHING) / (en + GENERAL_SMOOTHING))
        total += max(-GENERAL_WORD_CAP, min(GENERAL_WORD_CAP, ratio))
    return total
