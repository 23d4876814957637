"""Reading short free-text answers ("ja", "det funka!", "still broken") against the lexicon.

The lexicon (``knowledge.lexicon``) lists, per key and language, the words and
short phrases people use for yes, no, "that worked", "stop" and so on. A
message is read as a lexicon answer only when lexicon phrases cover most of it:
"ja det funka!" is *worked*, but "jeg kan ikke sende mail" is left to the
matcher. Matching is on text normalised by ``bot.understanding.text.normalize`` (the same form
the matcher uses) and tolerates small typos.

A phrase of *worked* followed or preceded by a negating word ("det funka
ikke") is read as *not_helped*. The negating words are not listed in code:
they are the words of the ``not_helped`` and ``no`` phrases that occur in no
other key's phrases ("ikke", "fortsatt", "still", "not").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge import LANGUAGES, Phrases
from bot.understanding.memo import Memo, digest
from bot.understanding.text import normalize

# Share of the message's words that lexicon phrases must cover to read it as
# a lexicon answer; below that the message says more and goes to the matcher.
MIN_COVERAGE = 0.6
# Two words of at least this many letters match despite a small typo.
FUZZY_WORD_MIN_LENGTH = 4
FUZZY_WORD_RATIO = 80.0
SIMILAR_CACHE_SIZE = 10_000
# When several keys cover the message, the first in this order decides:
# explicit commands beat answers, and "not helped" beats "worked" because a
# complaint usually contains the positive words too.
PRIORITY: tuple[str, ...] = (
    "to_en",
    "to_nb",
    "stop",
    "restart",
    "help",
    "not_helped",
    "worked",
    "skip",
    "back",
    "no",
    "yes",
    # "takk. hvor lang tid tar det?": the question about the case, not the thanks
    "case_status",
    # "thanks, bye", "takk for nå, ha det": leaving, with thanks
    "bye",
    "thanks",
    # "hei, hvordan går det?": asked after, with the greeting
    "how_are_you",
    "greeting",
)

# The lexicon key listing the negating words ("ikke", "not"): read by no one as an answer.
NEGATIONS_KEY = "negations"
# The commands among them: a near spelling of one ("restarta") does not outrank an answer.
COMMAND_KEYS = frozenset(("to_en", "to_nb", "stop", "restart", "help"))
# The keys this reader reads: commands and short answers. The lexicon's other keys
# (question, cannot_find, later, smalltalk, rating_N) are examples for the act model
# (``bot.understanding.acts``), which reads whole sentences.
# skin tones (U+1F3FB-U+1F3FF) and the emoji and text variation selectors
_SYMBOL_MODIFIERS = frozenset({*map(chr, range(0x1F3FB, 0x1F400)), "\ufe0f", "\ufe0e"})
SHORT_FORM_KEYS = frozenset(
    (
        *PRIORITY,
        "ack",
        "bye",
        "praise",
        "password_changed",
        "change_password",
        "case_status",
        "mistake",
        "other_problem",
    )
)


# Keys whose phrases are looked for anywhere in a message (``Lexicon.mentions``).
MENTIONED_KEYS = frozenset(
    (
        "frustration",
        "call_me",
        "judgement",
        "urgency",
        "mistake",
        "worse",
        "how_long",
        "progress",
        "error_named",
        "case_named",
        "meaning",
        "password_how",
        "password_changed",
        "person",
        "bot_itself",
        "same_here",
        "done",
        "meanwhile",
        "not_knowing",
        "losing",
        "losing_what",
        "case_asked",
        "rating_scale",
        "it_phone",
        "cause_asked",
        "was_me",
        "locked_out",
        "no_call",
        "own_sign_in",
    )
)


def symbols(text: str) -> str:
    """The distinct symbols of ``text`` in order, without spaces, skin tones or variation
    selectors: "👍🏽 👍" and "👍" are one answer."""
    kept = (ch for ch in text if not ch.isspace() and ch not in _SYMBOL_MODIFIERS)
    return "".join(dict.fromkeys(kept))


@dataclass(frozen=True, slots=True)
class LexiconHit:
    """A message read as a lexicon answer.

    ``language`` is the language of the phrases that matched, or None when the
    words exist in both languages ("ok") and so tell nothing.
    """

    key: str
    score: float  # share of the message covered, 0..1
    language: str | None


_Span = tuple[frozenset[int], tuple[str, ...]]  # word positions, the phrase's words
# a text's words and where each key matched; a key for symbols only; None
_Reading = tuple[tuple[str, ...], Mapping[str, list[_Span]]] | str | None


@dataclass(frozen=True, slots=True)
class _Phrase:
    key: str
    language: str
    words: tuple[str, ...]


class Lexicon:
    """The lexicon, normalised once, ready to read messages."""

    def __init__(self, lexicon: Mapping[str, Phrases], memo_size: int = 0) -> None:
        """``memo_size``: how many recent readings to remember (``bot.understanding.memo``)."""
        self._memo: Memo[LexiconHit | None] = Memo(memo_size)
        self._readings: Memo[_Reading] = Memo(memo_size)
        self._phrases: list[_Phrase] = []
        self._symbols: dict[str, str] = {}
        owners: dict[tuple[str, ...], set[str]] = {}
        for key, phrases in lexicon.items():
            if key not in SHORT_FORM_KEYS:
                continue  # the act examples (question, later, ratings...) are the act model's
            for language in LANGUAGES:
                for written in phrases.get(language):
                    words = tuple(normalize(written).split())
                    if words:
                        self._phrases.append(_Phrase(key, language, words))
                        owners.setdefault(words, set()).add(language)
                    elif shown := symbols(written):  # "👍", "❌": no words, yet an answer
                        self._symbols[shown] = key
        # phrases looked for anywhere in a message, not read as its whole meaning
        self._mentioned: dict[str, list[tuple[str, ...]]] = {
            key: [
                words
                for _, written in lexicon[key].items()
                if (words := tuple(normalize(written).split()))
            ]
            for key in MENTIONED_KEYS
            if key in lexicon
        }
        # longest first, so "det virker ikke" claims its words before "det virker"
        self._phrases.sort(key=lambda p: -len(p.words))
        self._owners = {words: frozenset(langs) for words, langs in owners.items()}
        # the listed negating words ("ikke", "not"), and for turning a "worked" phrase
        # around also the words only the not_helped and no phrases use ("fortsatt")
        listed = lexicon.get(NEGATIONS_KEY, Phrases((), ()))
        self._listed_negations = frozenset(
            word for _, written in listed.items() for word in normalize(written).split()
        )
        self._negations = self._negating_words() | self._listed_negations
        # phrases by their first word, each with its rank in the longest-first order
        self._by_first: dict[str, list[tuple[int, _Phrase]]] = {}
        for rank, entry in enumerate(self._phrases):
            self._by_first.setdefault(entry.words[0], []).append((rank, entry))
        vocabulary = {word for entry in self._phrases for word in entry.words}
        self._fuzzy_vocabulary = sorted(w for w in vocabulary if len(w) >= FUZZY_WORD_MIN_LENGTH)
        self._similar_cache: dict[str, frozenset[str]] = {}

    def mentions(self, text: str, key: str) -> bool:
        """``text`` has one of ``key``'s phrases anywhere in it, word for word ("dette er
        helt ubrukelig, har ikke tid" mentions "ubrukelig"), however much else it says."""
        words = normalize(text).split()
        for phrase in self._mentioned.get(key, ()):
            size = len(phrase)
            if any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1)):
                return True
        return False

    def negated(self, text: str) -> bool:
        """``text`` has one of the lexicon's listed negating words ("ikke", "not",
        "ingen"): "har ikke byttet passordet ennå" is no news that it has been changed."""
        return any(word in self._listed_negations for word in normalize(text).split())

    def _negating_words(self) -> frozenset[str]:
        negative = ("not_helped", "no")
        words = {w for p in self._phrases if p.key in negative for w in p.words}
        elsewhere = {w for p in self._phrases if p.key not in negative for w in p.words}
        return frozenset(words - elsewhere)

    def read(self, text: str, keys: Collection[str] | None = None) -> LexiconHit | None:
        """Read ``text`` as one of ``keys`` (all keys when None), or None if it says more."""
        chosen = None if keys is None else tuple(sorted(keys))
        return self._memo.get(digest("lexicon", text, chosen), lambda: self._read(text, keys))

    def _read(self, text: str, keys: Collection[str] | None) -> LexiconHit | None:
        # the dialog asks about one message with several sets of keys: where each key
        # matched is found once (issue 14: the lexicon was a sixth of handling a turn)
        reading = self._readings.get(digest("spans", text), lambda: self._reading(text))
        if isinstance(reading, str):
            # a reply of symbols only: the key of a listed one ("👍", "👍🏽 👍"), no language
            wanted = keys is None or reading in keys
            return LexiconHit(key=reading, score=1.0, language=None) if wanted else None
        if reading is None:
            return None
        words, all_spans = reading
        spans = (
            dict(all_spans)
            if keys is None
            else {key: found for key, found in all_spans.items() if key in keys}
        )
        if not spans:
            return None
        covered = {i for found in spans.values() for span, _ in found for i in span}
        coverage = len(covered) / len(words)
        if coverage < MIN_COVERAGE:
            return None
        key = min(spans, key=lambda k: self._rank(k, spans[k], words))
        return LexiconHit(key=key, score=round(coverage, 3), language=self._language(spans))

    def _reading(self, text: str) -> _Reading:
        """Where each key matched in ``text``, for every key; for a text of symbols only,
        the key of a listed one; None when neither."""
        words = tuple(normalize(text).split())
        if not words:
            return self._symbols.get(symbols(text)) or None
        spans = self._spans(words)
        negated = {i for i, word in enumerate(words) if word in self._negations}
        if "worked" in spans and negated:
            # "det funka ikke": the negation turns "worked" into "not helped"
            worked = spans.pop("worked")
            spans.setdefault("not_helped", []).extend(worked)
            spans["not_helped"].append((frozenset(negated), ()))
        return words, spans

    def _rank(self, key: str, found: list[_Span], words: tuple[str, ...]) -> tuple[bool, int]:
        """The order keys decide in: ``PRIORITY``, except that a command matched only by a
        near spelling comes after the rest: "æ har restarta, hjalp ikkje" is "not helped"
        ("restarta" is what was done), not "restart"."""
        typo_command = key in COMMAND_KEYS and not any(
            all(words[i] in phrase for i in span) for span, phrase in found
        )
        return typo_command, PRIORITY.index(key) if key in PRIORITY else len(PRIORITY)

    def _spans(self, words: tuple[str, ...]) -> dict[str, list[_Span]]:
        """Where each key matched; a word belongs to one phrase, exact before fuzzy."""
        claimed: set[int] = set()
        spans: dict[str, list[_Span]] = {}
        exact = [frozenset((word,)) for word in words]
        fuzzy = [options | self._similar(word) for options, word in zip(exact, words, strict=True)]
        for options in (exact, fuzzy):  # exact spellings first: "hello" is not "hallo"
            for _, start, phrase in sorted(self._occurrences(options)):
                span = frozenset(range(start, start + len(phrase.words)))
                if not span & claimed:
                    claimed |= span
                    spans.setdefault(phrase.key, []).append((span, phrase.words))
        return spans

    def _occurrences(self, options: list[frozenset[str]]) -> list[tuple[int, int, _Phrase]]:
        """(rank, start, phrase) for every phrase found, word by word, among ``options``."""
        found = []
        for start, firsts in enumerate(options):
            for first in firsts:
                for rank, phrase in self._by_first.get(first, ()):
                    rest = phrase.words[1:]
                    if start + len(phrase.words) <= len(options) and all(
                        word in options[start + 1 + i] for i, word in enumerate(rest)
                    ):
                        found.append((rank, start, phrase))
        return found

    def _similar(self, word: str) -> frozenset[str]:
        """Lexicon words within a small typo of ``word`` (remembered per lexicon)."""
        if len(word) < FUZZY_WORD_MIN_LENGTH:
            return frozenset()
        if word not in self._similar_cache:
            if len(self._similar_cache) >= SIMILAR_CACHE_SIZE:
                self._similar_cache.clear()  # people's words are unbounded; stay small
            matches = process.extract(
                word,
                self._fuzzy_vocabulary,
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_WORD_RATIO,
                limit=None,
            )
            similar = frozenset(match for match, _, _ in matches)
            # kept in a local: another serving thread may clear the cache meanwhile
            self._similar_cache[word] = similar
            return similar
        return self._similar_cache.get(word, frozenset())

    def _language(self, spans: Mapping[str, list[_Span]]) -> str | None:
        """The language when every telling phrase matched belongs to that one language."""
        languages: set[str] = set()
        for found in spans.values():
            for _, phrase in found:
                owners = self._owners.get(phrase, frozenset())
                if len(owners) == 1:
                    languages |= owners
        return next(iter(languages)) if len(languages) == 1 else None
