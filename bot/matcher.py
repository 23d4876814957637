"""The matcher: which problem, question or request a message is about, or honestly none.

Scores blend three views of the same evidence (weights in ``MatcherSettings``):
the best single phrase (IDF-weighted cosine), the intent as a whole (cosine
with the centroid of its phrases, which generalises beyond any one phrase)
and rapidfuzz's ``token_sort_ratio`` over the shortlisted phrases' terms.
Off-topic phrases from the knowledge (``offtopic``) compete as a pseudo-intent,
so "Teams camera is black" is recognised as not ours instead of being forced
onto the nearest mail problem. See docs/matching.md for the tuning figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.intents import NONE_INTENT, Candidate, MatchResult
from bot.knowledge import Knowledge
from bot.matcher_index import MatchIndex, QueryTerms
from bot.settings import Limits, MatcherSettings
from bot.text import detect_language

OFFTOPIC = "__offtopic__"  # internal pseudo-intent; answered as "none"


@dataclass
class Matcher:
    """Classifies messages against one knowledge base; build once, call ``classify`` often."""

    index: MatchIndex
    settings: MatcherSettings
    default_language: str = "nb"
    max_chars: int = Limits().max_inbound_chars

    @classmethod
    def build(
        cls,
        knowledge: Knowledge,
        settings: MatcherSettings,
        *,
        default_language: str = "nb",
        max_chars: int = Limits().max_inbound_chars,
    ) -> Matcher:
        """Index every intent phrase (and the off-topic phrases) of ``knowledge``."""
        return cls.from_phrases(
            _knowledge_entries(knowledge),
            settings,
            default_language=default_language,
            max_chars=max_chars,
        )

    @classmethod
    def from_phrases(
        cls,
        entries: Iterable[tuple[str, str, str]],
        settings: MatcherSettings,
        *,
        default_language: str = "nb",
        max_chars: int = Limits().max_inbound_chars,
    ) -> Matcher:
        """Index (intent, language, phrase) triples; intent ``OFFTOPIC`` marks off-topic text."""
        return cls(
            MatchIndex.build(
                entries,
                settings.smoothing,
                OFFTOPIC,
                settings.idf_floor,
                settings.prior_weight,
            ),
            settings,
            default_language,
            max_chars,
        )

    def classify(self, text: str) -> MatchResult:
        """The decision for one message (never raises on odd input; long text is cut)."""
        text = text[: self.max_chars]
        language = detect_language(text, self.default_language)
        near = self.index.near_copy(text, self.settings.near_copy)
        if near is not None:
            # Nearly word for word a phrase of the knowledge: that phrase's intent.
            if near == OFFTOPIC:
                return MatchResult("none", NONE_INTENT, 1.0, language, ())
            return MatchResult("match", near, 1.0, language, (Candidate(near, 1.0),))
        query = self.index.query(text)
        if not (query.terms - query.guessed) & self.index.domain_terms:
            # nothing but words no intent uses, or generic ones ("today", "phone", "how"),
            # or a typo correction's guess alone ("banana phone" is no "banner")
            return MatchResult("none", NONE_INTENT, 1.0, language, ())
        ranked = self.rank(query)
        share = self.index.offtopic_share
        foreign = any(share.get(t, 0.0) >= self.settings.foreign_share for t in query.terms)
        result = self._decide(ranked, language, foreign)
        if (
            result.decision == "match"
            and self.index.evidence(query, result.intent) < self.settings.min_evidence
        ):
            # Matched on words every intent uses ("skriv", "finn"): not enough to act on.
            return MatchResult("none", NONE_INTENT, 1.0 - result.confidence, language, ())
        return result

    def rank(self, query: QueryTerms) -> list[tuple[str, float]]:
        """Every intent sharing a term with ``query``, best first, with its score in 0..1.

        The score is naive Bayes' posterior (against a background "no intent"
        option that words the knowledge never saw push up) blended with the
        cosine and rapidfuzz evidence of ``_evidence``.
        """
        s = self.settings
        likelihoods = self.index.naive_bayes(query)
        if not likelihoods:
            return []
        unknown = query.words - query.known
        logits = {intent: value / s.temperature for intent, value in likelihoods.items()}
        background = (s.background_bias + s.unknown_word_penalty * unknown) / s.temperature
        peak = max(max(logits.values()), background)
        weights = {intent: math.exp(value - peak) for intent, value in logits.items()}
        total = sum(weights.values()) + math.exp(background - peak)
        shortlist = sorted(likelihoods, key=likelihoods.__getitem__, reverse=True)
        evidence = self._evidence(query, shortlist[: s.shortlist_intents])
        blended = {
            intent: s.posterior_weight * weight / total
            + (1.0 - s.posterior_weight) * evidence.get(intent, 0.0)
            for intent, weight in weights.items()
            if intent in evidence
        }
        return sorted(blended.items(), key=lambda item: item[1], reverse=True)

    def _evidence(self, query: QueryTerms, intents: list[str]) -> dict[str, float]:
        """Per intent: best phrase cosine, centroid cosine and rapidfuzz ratio, weighted."""
        s = self.settings
        intent_scores, phrase_scores = self.index.scores(query, intents)
        phrase_scores.sort(reverse=True)
        best_phrase: dict[str, float] = {}
        best_fuzzy: dict[str, float] = {}
        for score, number in phrase_scores[: s.shortlist_size]:
            entry = self.index.phrases[number]
            best_phrase[entry.intent] = max(best_phrase.get(entry.intent, 0.0), score)
            ratio = fuzz.token_sort_ratio(query.term_string, entry.term_string) / 100.0
            best_fuzzy[entry.intent] = max(best_fuzzy.get(entry.intent, 0.0), ratio)
        total = (s.phrase_weight + s.intent_weight + s.fuzzy_weight) or 1.0
        return {
            intent: (
                s.phrase_weight * best_phrase.get(intent, 0.0)
                + s.intent_weight * intent_scores.get(intent, 0.0)
                + s.fuzzy_weight * best_fuzzy.get(intent, 0.0)
            )
            / total
            for intent in intents
        }

    def _decide(
        self, ranked: list[tuple[str, float]], language: str, foreign: bool = False
    ) -> MatchResult:
        """Match, ask or give up; ``foreign``: the message names what only off-topic text names."""
        s = self.settings
        real = [(intent, score) for intent, score in ranked if intent != OFFTOPIC]
        offtopic = next((score for intent, score in ranked if intent == OFFTOPIC), 0.0)
        candidates = tuple(
            Candidate(intent, round(min(max(score, 0.0), 1.0), 4))
            for intent, score in real[: s.max_candidates]
        )
        if not real:
            return MatchResult("none", NONE_INTENT, 1.0, language, ())
        top, top_score = real[0]
        second = real[1][1] if len(real) > 1 else 0.0
        confidence = round(min(max(top_score, 0.0), 1.0), 4)
        vetoed = foreign and top_score < s.foreign_veto
        if vetoed or offtopic >= top_score + s.offtopic_margin or top_score < s.ambiguous_threshold:
            none_confidence = round(min(1.0, max(offtopic, 1.0 - top_score)), 4)
            return MatchResult("none", NONE_INTENT, none_confidence, language, candidates)
        if top_score >= s.match_threshold and top_score - second >= s.margin:
            return MatchResult("match", top, confidence, language, candidates)
        close = tuple(c for c in candidates if top_score - c.score <= s.ambiguous_window)
        if len(close) < 2:
            close = candidates[:2]
        return MatchResult("ambiguous", top, confidence, language, close)


def _knowledge_entries(knowledge: Knowledge) -> Iterable[tuple[str, str, str]]:
    yield from knowledge.intent_phrases()
    for language, phrase in knowledge.offtopic.items():
        yield OFFTOPIC, language, phrase
