"""The matcher's index: phrase terms, intent-level weights and an inverted index, built once.

A message is turned into terms (``bot.text``), unknown words are mapped onto
the knowledge's vocabulary (Norwegian compounds split into known parts, typos
corrected with rapidfuzz), and the inverted index yields, for every intent
that shares a term with the message, a phrase-level and an intent-level
cosine similarity. Only those intents' phrases are ever looked at.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.text import generic_terms, normalize, splittable, term, tokens

MIN_SPLIT_LEFT = 4  # shortest first part as written: "jobb|mailen", not "com|puter"
# shortest last part as written, and shortest last term unless the phrases use that part as
# a word of its own ("epost|appen"): "melding|er", "ligg|ende" are endings, not words
MIN_SPLIT_RIGHT = 4
LINKING_LETTERS = ("s", "e")  # Norwegian compounds join with -s- or -e-: "nettverk-s-innstilling"
TYPO_MIN_LENGTH = 5  # shorter words are too easily "corrected" into another word
TYPO_CUTOFF = 84.0  # rapidfuzz ratio a typo must reach to count as the known word


@dataclass
class PhraseEntry:
    """One knowledge phrase, ready to score."""

    intent: str
    language: str
    text: str
    terms: frozenset[str]
    term_string: str  # its terms, space-joined, for rapidfuzz
    norm: float = 0.0  # length of its weighted term vector


@dataclass
class QueryTerms:
    """A message's terms as the index understands them."""

    terms: frozenset[str]
    term_string: str
    known: int  # how many of its words the knowledge knows (after compounds and typos)
    words: int  # how many words it had, stopwords excluded
    guessed: frozenset[str] = frozenset()  # terms only a typo correction found


@dataclass
class MatchIndex:
    """Inverted index from term to phrases and to intents, with weights."""

    phrases: list[PhraseEntry]
    weights: dict[str, float]
    intent_phrases: dict[str, list[int]]  # intent -> its phrase numbers
    intent_vectors: dict[str, dict[str, float]]  # intent -> normalised centroid
    intent_postings: dict[str, list[tuple[str, float]]]
    # naive Bayes over term presence: log P(term | intent) = base[intent] + bonus
    nb_postings: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    nb_base: dict[str, float] = field(default_factory=dict)
    nb_background: dict[str, float] = field(default_factory=dict)
    offtopic_only: frozenset[str] = frozenset()  # terms only off-topic phrases use
    # term -> share of its use that is off-topic, per phrase of each side (0..1), for
    # non-generic terms at least two off-topic phrases use ("Teams", "laptop")
    offtopic_share: dict[str, float] = field(default_factory=dict)
    domain_terms: frozenset[str] = frozenset()  # intent terms that are not generic words
    nb_factor: dict[str, float] = field(default_factory=dict)  # term -> IDF weight of its vote
    vocabulary: list[str] = field(default_factory=list)
    normal_forms: list[str] = field(default_factory=list)  # each phrase, bot.text.normalize'd
    intent_terms: dict[str, frozenset[str]] = field(default_factory=dict)
    _known: frozenset[str] = frozenset()
    _words: frozenset[str] = frozenset()  # every word the phrases use, as written (folded)
    _word_cache: dict[str, tuple[tuple[str, ...], bool]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        entries: Iterable[tuple[str, str, str]],
        smoothing: float = 0.3,
        offtopic_intent: str = "",
        idf_floor: float = 1.0,
        prior_weight: float = 0.0,
    ) -> MatchIndex:
        """Index (intent, language, phrase) triples; ``smoothing`` is naive Bayes' alpha.

        ``idf_floor`` in 0..1: how much of its naive Bayes vote a term shared by
        every intent keeps (1.0: every term votes fully; lower: a term's vote
        grows with its intent-level IDF, so symptom words outweigh "mail").
        ``prior_weight`` > 0: Dirichlet smoothing towards each term's overall
        frequency instead of a flat ``smoothing``, so a small intent does not
        beat the large off-topic set on a word only the off-topic set uses.
        """
        raw = [(intent, lang, text, _phrase_words(text)) for intent, lang, text in entries]
        known = frozenset(t for *_, words in raw for _, t in words if t)
        index = cls(
            phrases=[],
            weights={},
            intent_phrases={},
            intent_vectors={},
            intent_postings={},
            vocabulary=sorted(known),
            _known=known,
            _words=frozenset(w for *_, words in raw for w, _ in words),
        )
        for intent, language, text, words in raw:
            expanded = index._expand(words)
            index.phrases.append(
                PhraseEntry(intent, language, text, frozenset(expanded), " ".join(expanded))
            )
        index.normal_forms = [normalize(entry.text) for entry in index.phrases]
        terms_by_intent: dict[str, set[str]] = defaultdict(set)
        for entry in index.phrases:
            terms_by_intent[entry.intent] |= entry.terms
        index.intent_terms = {intent: frozenset(t) for intent, t in terms_by_intent.items()}
        index._weigh()
        index._count(smoothing, prior_weight)
        index.offtopic_only = frozenset(
            t
            for t, postings in index.nb_postings.items()
            if all(intent == offtopic_intent for intent, _ in postings)
        )
        generic = generic_terms()
        off: dict[str, int] = defaultdict(int)
        on: dict[str, int] = defaultdict(int)
        for entry in index.phrases:
            side = off if entry.intent == offtopic_intent else on
            for t in entry.terms:
                side[t] += 1
        n_off = sum(1 for e in index.phrases if e.intent == offtopic_intent) or 1
        n_on = (len(index.phrases) - n_off) or 1
        index.offtopic_share = {
            t: (c / n_off) / (c / n_off + on.get(t, 0) / n_on)
            for t, c in off.items()
            if c >= 2 and t not in generic
        }
        index.domain_terms = frozenset(
            t
            for entry in index.phrases
            if entry.intent != offtopic_intent
            for t in entry.terms
            if t not in generic
        )
        top = max(index.weights.values(), default=1.0) or 1.0
        index.nb_factor = {
            t: idf_floor + (1.0 - idf_floor) * max(w, 0.0) / top for t, w in index.weights.items()
        }
        return index

    def _count(self, smoothing: float, prior_weight: float = 0.0) -> None:
        """Naive Bayes tables: how often each term occurs in each intent's phrases."""
        per_intent: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        phrases_per_intent: dict[str, int] = defaultdict(int)
        overall: dict[str, int] = defaultdict(int)
        for entry in self.phrases:
            phrases_per_intent[entry.intent] += 1
            for t in entry.terms:
                per_intent[entry.intent][t] += 1
                overall[t] += 1
        total = len(self.phrases)
        self.nb_base = {
            intent: math.log(smoothing / (n + 2 * smoothing))
            for intent, n in phrases_per_intent.items()
        }
        self.nb_background = {
            t: math.log((n + smoothing) / (total + 2 * smoothing)) for t, n in overall.items()
        }
        if prior_weight > 0.0:
            # log P(t|intent) - log P(t) = base (the term unseen in the intent) + bonus
            mu = prior_weight
            self.nb_base = {
                intent: math.log(mu / (n + mu)) for intent, n in phrases_per_intent.items()
            }
            self.nb_background = {t: 0.0 for t in overall}
            for intent, counts in per_intent.items():
                for t, n in counts.items():
                    prior = mu * overall[t] / total
                    self.nb_postings.setdefault(t, []).append(
                        (intent, math.log((n + prior) / prior))
                    )
            return
        for intent, counts in per_intent.items():
            for t, n in counts.items():
                bonus = math.log((n + smoothing) / smoothing)
                self.nb_postings.setdefault(t, []).append((intent, bonus))

    def near_copy(self, text: str, cutoff: float) -> str | None:
        """The intent of a phrase ``text`` is nearly word for word (ratio >= ``cutoff``), if any."""
        if cutoff > 1.0:  # switched off
            return None
        found = process.extractOne(
            normalize(text), self.normal_forms, scorer=fuzz.ratio, score_cutoff=cutoff * 100
        )
        return None if found is None else self.phrases[found[2]].intent

    def evidence(self, query: QueryTerms, intent: str) -> float:
        """The IDF weight of the non-generic terms ``query`` shares with ``intent``'s phrases."""
        generic = generic_terms()
        shared = self.intent_terms.get(intent, frozenset())
        return sum(
            self.weights.get(t, 0.0) for t in query.terms if t in shared and t not in generic
        )

    def naive_bayes(self, query: QueryTerms) -> dict[str, float]:
        """Log-likelihood ratio of each intent sharing a term with ``query`` against all text."""
        known = [t for t in query.terms if t in self.nb_background]
        if not known:
            return {}
        scores: dict[str, float] = defaultdict(float)
        factor = self.nb_factor
        for t in known:
            f = factor[t]
            for intent, bonus in self.nb_postings[t]:
                scores[intent] += f * bonus
        votes = sum(factor[t] for t in known)
        background = sum(factor[t] * self.nb_background[t] for t in known)
        return {
            intent: bonus + votes * self.nb_base[intent] - background
            for intent, bonus in scores.items()
        }

    def _weigh(self) -> None:
        """Intent-level IDF: a term shared by every intent weighs nothing."""
        intents_by_term: dict[str, set[str]] = defaultdict(set)
        for entry in self.phrases:
            for t in entry.terms:
                intents_by_term[t].add(entry.intent)
        intent_count = len({entry.intent for entry in self.phrases}) or 1
        self.weights = {
            t: math.log((intent_count + 1) / len(owners)) for t, owners in intents_by_term.items()
        }
        centroids: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for number, entry in enumerate(self.phrases):
            entry.norm = math.sqrt(sum(self.weights[t] ** 2 for t in entry.terms)) or 1.0
            self.intent_phrases.setdefault(entry.intent, []).append(number)
            for t in entry.terms:
                centroids[entry.intent][t] += self.weights[t] / entry.norm
        for intent, vector in centroids.items():
            length = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            self.intent_vectors[intent] = {t: v / length for t, v in vector.items()}
            for t, v in self.intent_vectors[intent].items():
                self.intent_postings.setdefault(t, []).append((intent, v))

    # -- words to terms --------------------------------------------------------

    def _expand(self, words: Sequence[tuple[str, str | None]]) -> list[str]:
        """Terms of ``words``, each compound word also contributing its known parts."""
        result: list[str] = []
        for word, word_term in words:
            if word_term is None:
                continue
            result.append(word_term)
            result.extend(p for p in self._split(word) if p != word_term)
        return result

    def _split(self, word: str) -> tuple[str, ...]:
        """The known terms a compound word is made of ("jobbmailen" -> work, mail), or ().

        Only a word that could be a Norwegian compound is split: not a word of a
        synonym group ("passord", "nullstille" mean one thing as a whole), not
        a generic word ("fortsatt") and not a known English word. Both parts
        must be known terms that are not generic, the first at least
        ``MIN_SPLIT_LEFT`` letters as written, the last ``MIN_SPLIT_RIGHT``:
        "computer" is not com + put, "meldingen" not meld + ingen.
        """
        if len(word) < MIN_SPLIT_LEFT + MIN_SPLIT_RIGHT or not splittable(word):
            return ()
        generic = generic_terms()
        for cut in range(len(word) - MIN_SPLIT_RIGHT, MIN_SPLIT_LEFT - 1, -1):
            right_word = word[cut:]
            right = term(right_word)
            if right is None or right not in self._known or right in generic:
                continue
            if len(right) < MIN_SPLIT_RIGHT and right_word not in self._words:
                continue  # an ending ("melding|er", "ligg|ende"), not a word
            left_word = word[:cut]
            for left in (
                left_word,
                *(left_word[:-1] for c in LINKING_LETTERS if left_word.endswith(c)),
            ):
                left_term = term(left) if len(left) >= MIN_SPLIT_LEFT - 1 else None
                if left_term is not None and left_term in self._known and left_term not in generic:
                    return (left_term, right)
        return ()

    def _resolve(self, word: str, word_term: str) -> tuple[tuple[str, ...], bool]:
        """A message word's terms: itself if known, else its compound parts, else a typo fix.

        The flag says the terms are a typo correction's guess.
        """
        if word_term in self._known:
            return (word_term, *(p for p in self._split(word) if p != word_term)), False
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        found: tuple[str, ...] = self._split(word)
        guessed = False
        if not found and len(word) >= TYPO_MIN_LENGTH:
            best = process.extractOne(
                word_term, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
            )
            found, guessed = ((best[0],), True) if best else ((), False)
        if len(self._word_cache) < 50_000:
            self._word_cache[word] = (found, guessed)
        return found, guessed

    def query(self, text: str) -> QueryTerms:
        """The terms of a message, mapped onto the knowledge's vocabulary where possible."""
        found: list[str] = []
        guesses: list[str] = []
        exact: list[str] = []
        words = known = 0
        for word, word_term in _phrase_words(text):
            if word_term is None:
                continue
            words += 1
            resolved, guessed = self._resolve(word, word_term)
            if resolved:
                known += 1
                found.extend(resolved)
                (guesses if guessed else exact).extend(resolved)
            else:
                found.append(word_term)
        only_guessed = frozenset(guesses).difference(exact)
        return QueryTerms(frozenset(found), " ".join(found), known, words, only_guessed)

    # -- scoring ---------------------------------------------------------------

    def scores(
        self, query: QueryTerms, intents: Iterable[str]
    ) -> tuple[dict[str, float], list[tuple[float, int]]]:
        """For ``intents`` only: centroid cosine per intent and (cosine, number) per phrase."""
        weighted = {t: self.weights[t] for t in query.terms if self.weights.get(t, 0.0) > 0.0}
        length = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
        intent_scores: dict[str, float] = {}
        phrase_scores: list[tuple[float, int]] = []
        for intent in intents:
            vector = self.intent_vectors.get(intent, {})
            intent_scores[intent] = (
                sum(w * vector.get(t, 0.0) for t, w in weighted.items()) / length
            )
            for number in self.intent_phrases.get(intent, ()):
                entry = self.phrases[number]
                shared = sum(w * w for t, w in weighted.items() if t in entry.terms)
                if shared:
                    phrase_scores.append((shared / (length * entry.norm), number))
        return intent_scores, phrase_scores


def _phrase_words(text: str) -> list[tuple[str, str | None]]:
    """Each folded word of ``text`` with its term (None for a stopword)."""
    return [(word, term(word)) for word in tokens(text)]
