"""Reading a reply in the middle of a fix: what the person means at this point.

The acts are learned from the knowledge, with the same model machinery as
symptom matching: the lexicon's labelled examples per act and language
(``worked``, ``not_helped``, ``skip``, ``back``, ``stop``, ``question``,
``cannot_find``, ``unable``, ``works_elsewhere``, ``done``, ``later``, ``ready``,
``smalltalk``, ``rating_1``..``rating_5``), the
request phrases (``human``) and the problems' symptom phrases
and the lexicon's mid-flow corrections (``new_problem``: a new or corrected
problem, which the matcher then reads).
So whole sentences, dialect, typos and mixed language are read, not only the
listed short forms; a reply that carries an act and more ("gjort det, men
samme feil") is read as the act.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import yaml
from rapidfuzz import fuzz, process

from bot.knowledge import Knowledge
from bot.understanding.analysis import Analysis, analyse
from bot.understanding.intents import ReadAct
from bot.understanding.lemmas import Lemmatizer
from bot.understanding.model import LinearModel, ModelCache
from bot.understanding.scope import FUNCTION_WORD_FREQUENCY, GeneralFrequency
from bot.understanding.text import DATA_DIR, fold_word, normalize, rules, says_fault, tokens
from bot.understanding.text import words as text_words

STEP_ACTS = (
    "worked",
    "not_helped",
    "skip",
    "back",
    "stop",
    "question",
    "cannot_find",
    "unable",
    "works_elsewhere",
    "done",
    "later",
    "ready",
)
RATING_ACTS = tuple(f"rating_{n}" for n in range(1, 6))
# lexicon keys read as small talk mid-flow
SMALLTALK_KEYS = ("smalltalk", "thanks", "greeting", "bye", "ack")
NEW_PROBLEM = "new_problem"
RATING_MAX_WORDS = 8  # a digit in a longer reply is not a score ("det tok 3 timer i går")
EXACT_SCORE = 9.0  # the decision value given to a rating read exactly (digits, stars, emoji)
RATING_EMOJI_MAX_LETTERS = 12  # "👍 takk" is a rating; a sentence with a smiley is not
_OUT_OF = re.compile(r"\b(\d{1,2})\s*(?:/|av|of|ut av|out of)\s*(5|10)\b", re.IGNORECASE)
_DIGIT = re.compile(r"(?<![\d.,])(\d+)(?![\d.,]\d)")
# "1 - alt for mye tekst", "3, men du burde spurt", "4: bra": a digit, a mark, a remark
# (not "2." : "2. steg hjalp ikke" is the second step)
_LEADING_DIGIT = re.compile(r"\s*([1-5])\s*[-–—,:)!]\s+\S")
# acts people often tell together with the symptom, in its words
WITH_SYMPTOM_ACTS = ("worked", "not_helped", "question", "cannot_find", "skip", "stop")
# acts people often say with thanks ("det funka, takk!"); read as the act, not small talk
WITH_THANKS_ACTS = ("worked", "not_helped", "stop", "later", "skip")
HUMAN = "human"
SMALLTALK = "smalltalk"
# Acts that move a fix for good need a word of their own: "det haster" and "det suger"
# shared only "det" with "det funka" and were read as worked (``ReplyReader._supported``)
SUPPORTED_ACTS = ("worked", "stop", "skip", "back")
# ... a word the model weighs for the act, or one this near it (rapidfuzz's ratio, 0-100;
# "tebake" is 77 from "tilbake")
SUPPORT_TYPO_RATIO = 75.0
SUPPORT_TYPO_MIN_LENGTH = 4


@dataclass
class ReplyReader:
    """The act model; ``read(text, rating=...)`` gives the best act."""

    model: LinearModel
    lemmatizer: Lemmatizer
    emoji: Mapping[str, int] = field(default_factory=dict)  # rating emoji -> score
    frequency: GeneralFrequency = field(default_factory=GeneralFrequency)
    # per act: the words the model weighs for it, and those long enough to be mistyped
    _words: dict[str, tuple[frozenset[str], list[str]]] = field(default_factory=dict, repr=False)
    # the lexicon's examples of ``SUPPORTED_ACTS``, normalised: said just so, they need no
    # word of their own ("det var det", "that was it")
    examples: frozenset[str] = frozenset()

    def _emoji(self, text: str) -> int:
        """The score of the first rating emoji in ``text`` (when it is mostly emoji), or 0."""
        if sum(ch.isalpha() for ch in text) > RATING_EMOJI_MAX_LETTERS:
            return 0
        found = [(text.find(e), score) for e, score in self.emoji.items() if e in text]
        return min(found)[1] if found else 0

    @classmethod
    def build(
        cls,
        knowledge: Knowledge,
        lemmatizer: Lemmatizer,
        cache: ModelCache,
        frequency: GeneralFrequency | None = None,
    ) -> ReplyReader:
        """Fit (or load) the act model from the knowledge's lexicon, requests and problems."""
        texts: list[str] = []
        labels: list[str] = []
        for key, phrases in knowledge.lexicon.items():
            act = SMALLTALK if key in SMALLTALK_KEYS else key
            if act not in (*STEP_ACTS, *RATING_ACTS, SMALLTALK, NEW_PROBLEM):
                continue
            for _language, phrase in phrases.items():
                texts.append(phrase)
                labels.append(act)
        for request in knowledge.requests.values():
            for _language, phrase in request.phrases.items():
                texts.append(phrase)
                labels.append(request.id if request.id == HUMAN else SMALLTALK)
        symptoms: dict[str, list[str]] = {}
        for problem in knowledge.problems.values():
            for language, phrase in problem.phrases.items():
                texts.append(phrase)
                labels.append(NEW_PROBLEM)
                symptoms.setdefault(language, []).append(phrase)
        for texts_with, labels_with in (
            _with_symptoms(knowledge, symptoms),
            _with_thanks(knowledge),
        ):
            texts += texts_with
            labels += labels_with
        model = cache.fit(
            "acts", texts, labels, 1.0, lambda t: analyse(t, lemmatizer), balanced=True
        )
        examples = frozenset(
            normalize(phrase)
            for act in SUPPORTED_ACTS
            if act in knowledge.lexicon
            for _language, phrase in knowledge.lexicon[act].items()
        )
        return cls(
            model, lemmatizer, _rating_emoji(), frequency or GeneralFrequency(), examples=examples
        )

    def read(self, text: str, *, rating: bool = False) -> ReadAct | None:
        """The best act for ``text``: among ratings when ``rating``, else among the rest.

        At the rating prompt, digits, stars and rating emoji are read exactly (``exact``);
        anything else goes to the model. A text that shares no feature with the
        training examples is not read at all.
        """
        if rating:
            exact = typed_score(text) or self._emoji(text)
            if exact:
                return ReadAct(f"rating_{exact}", EXACT_SCORE, exact=True)
        analysis = analyse(text, self.lemmatizer)
        scores = self.model.known_scores(analysis)
        if scores is None:
            return None
        labels = self.model.labels
        allowed = [
            i
            for i, label in enumerate(labels)
            if (label in RATING_ACTS) == rating or (rating and label == HUMAN)
        ]
        if not allowed:
            return None
        best = max(allowed, key=lambda i: scores[i])
        if (
            labels[best] in SUPPORTED_ACTS
            and not self._supported(analysis, labels[best])
            and " ".join(analysis.tokens) not in self.examples
        ):
            return None  # "det haster": read as nothing rather than as "det funka"
        return ReadAct(labels[best], float(scores[best]))

    def _supported(self, analysis: Analysis, act: str) -> bool:
        """A word of the reply that is not a function word ("det", "it") is one the model
        weighs for ``act``, or a typo of one."""
        own, long = self._act_words(act)
        for token, lemma in zip(analysis.tokens, analysis.lemmas, strict=True):
            if self.frequency(token) >= FUNCTION_WORD_FREQUENCY:
                continue
            if token in own or lemma in own:
                return True
            if len(token) >= SUPPORT_TYPO_MIN_LENGTH and process.extractOne(
                token, long, scorer=fuzz.ratio, score_cutoff=SUPPORT_TYPO_RATIO
            ):
                return True
        return False

    def _act_words(self, act: str) -> tuple[frozenset[str], list[str]]:
        """The single lemmas with a positive weight for ``act`` in the model (computed on
        first use, from the model, not the examples: a cached model has none)."""
        found = self._words.get(act)
        if found is None:
            column = self.model.labels.index(act)
            block = self.model.features.lemmas
            weights = self.model.weights[:, column]
            own = frozenset(
                gram
                for gram, index in block.vocabulary.items()
                if " " not in gram and weights[block.offset + index] > 0
            )
            found = self._words[act] = (
                own,
                sorted(w for w in own if len(w) >= SUPPORT_TYPO_MIN_LENGTH),
            )
        return found


def _with_symptoms(
    knowledge: Knowledge, symptoms: dict[str, list[str]]
) -> tuple[list[str], list[str]]:
    """Replies that carry an act and a symptom ("gjort, men mailen ligger fortsatt i
    utboksen"): each act example joined with one symptom phrase, labelled with the act.

    People tell what happened in the words of the problem; without these, any mail word
    would pull a reply towards "new problem".
    """
    return _joined(knowledge, WITH_SYMPTOM_ACTS, symptoms)


def _with_thanks(knowledge: Knowledge) -> tuple[list[str], list[str]]:
    """Replies that carry an act and thanks ("det hjalp, takk skal du ha", "sorted,
    cheers", "thanks for trying, but I'll stop here"): each example of an act that moves
    the fix joined with one thanks phrase of its language, labelled with the act.

    Thanks alone is small talk; said with an answer, the answer is what counts.
    """
    thanks = knowledge.lexicon.get("thanks")
    pool = {} if thanks is None else {"nb": list(thanks.nb), "en": list(thanks.en)}
    return _joined(knowledge, WITH_THANKS_ACTS, pool)


def _joined(
    knowledge: Knowledge, acts: tuple[str, ...], pool: dict[str, list[str]]
) -> tuple[list[str], list[str]]:
    """Each lexicon example of ``acts`` joined with one phrase of its language from
    ``pool`` (before or after it), labelled with the act.

    Each example takes the pool phrase that ranks highest for it by a hash of both
    (rendezvous hashing): the training data (and the cached model) is the same on every
    start, and a phrase added to the pool or the lexicon moves only the picks it wins,
    about one in the pool's size, where a pick by position moved nearly all of them."""
    texts: list[str] = []
    labels: list[str] = []
    hashes = {language: _hashes(picks) for language, picks in pool.items() if picks}
    for key in acts:
        phrases = knowledge.lexicon.get(key)
        if phrases is None:
            continue
        for language, phrase in phrases.items():
            picks = pool.get(language) or []
            if not picks:
                continue
            own = _hashes([f"{key}\t{phrase}"])[0]
            ranks = _mixed(hashes[language] ^ own)
            other = picks[int(np.argmax(ranks))].rstrip(".!?")
            first, second = (other, phrase) if own & 1 else (phrase, other)
            texts.append(f"{first.rstrip('.!?')}, {second[:1].lower()}{second[1:]}")
            labels.append(key)
    return texts, labels


def _hashes(texts: list[str]) -> np.ndarray:
    """A stable 64-bit hash of each text (not Python's ``hash``, which is salted per
    process)."""
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            for t in texts
        ],
        dtype=np.uint64,
    )


def _mixed(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: every bit of the input moves every bit of the output, so
    the ranks of one example's picks are independent of the next one's."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(30))
        values = values * np.uint64(0xBF58476D1CE4E5B9)
        values = values ^ (values >> np.uint64(27))
        values = values * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


def _rating_emoji() -> dict[str, int]:
    with (DATA_DIR / "rating_emoji.yaml").open(encoding="utf-8") as handle:
        table = yaml.safe_load(handle) or {}
    return {str(emoji): int(score) for emoji, score in table.items() if 1 <= int(score) <= 5}


def typed_score(text: str) -> int:
    """A rating typed as digits or stars ("4", "4 av 5", "8/10", "★★★★"), 1..5; 0 if none;
    also a digit that opens a remark ("1 - alt for mye tekst", "3, men du burde spurt")."""
    return _stars(text) or _digits(text) or _leading(text) or _grade(text) or _counted(text)


def _counted(text: str) -> int:
    """A score counted in words, with its stars right after it or its scale after "out
    of"/"av": "I would give it a four out of five", "fire av fem", "one star, didn't fix
    anything"; not "to kontoer og fem mapper"."""
    found = rules()
    folded = [fold_word(w) for w in text_words(text)]
    said = set()
    for at, word in enumerate(folded):
        score = found.counts.get(word)
        if score is None:
            continue
        rest = tuple(folded[at + 1 :])
        scaled = any(
            rest[: len(link)] == link and len(rest) > len(link) and rest[len(link)] in found.scales
            for link in found.out_of
        )
        if scaled or (rest[:1] and rest[0] in found.stars):
            said.add(score)
    return said.pop() if len(said) == 1 else 0


def _grade(text: str) -> int:
    """A grade said as a word in a short reply: "æ gir dæ en femmer", "en solid firer"."""
    found = text_words(text)
    if len(found) > RATING_MAX_WORDS:
        return 0
    grades = rules().grades
    said = {grades[w] for w in map(fold_word, found) if w in grades}
    return said.pop() if len(said) == 1 else 0


def _leading(text: str) -> int:
    """A digit 1..5 set off at the start of a longer reply: the rating, then a remark."""
    found = _LEADING_DIGIT.match(text)
    if found is None or says_fault(tokens(text[found.end(1) :])):
        return 0  # "1 - det sluttet å virke igjen": the fault back, not a rating
    return int(found.group(1))


def _digits(text: str) -> int:
    """A rating written with digits in a short reply: "4", "4 av 5", "8/10", "gir den en 4'er"."""
    if len(text.split()) > RATING_MAX_WORDS:
        return 0
    out_of = _OUT_OF.search(text)
    if out_of:
        score, scale = int(out_of.group(1)), int(out_of.group(2))
        return max(1, min(5, round(score * 5 / scale))) if 0 < score <= scale else 0
    digits = _DIGIT.findall(text)
    return int(digits[0]) if len(digits) == 1 and 1 <= int(digits[0]) <= 5 else 0


def _stars(text: str) -> int:
    """★★★★ -> 4 (1..5), else 0."""
    count = sum(1 for ch in text if ch in "★⭐*")
    return count if 1 <= count <= 5 and not any(ch.isalnum() for ch in text) else 0
