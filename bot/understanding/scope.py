"""What is in scope: words far more likely in the knowledge than in the language at large.

A message is about this knowledge base only when it carries evidence for it.
The evidence of one word is how much more often the phrases of some intent
use it than general text does: ``log10(share of the intent's phrases that use
it / the word's frequency in wordfreq's nb or en lists)``. "utboks", "innboks"
and "passord" score high; "slett", "hvordan" and "telefon" low, because
people write them about anything. A message's evidence is its best word's.
Words the knowledge never uses carry none, so an alarm, a recipe or a bank
card has nothing to stand on however many everyday words it shares with a
mail problem.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from bot.understanding.analysis import Analysis
from bot.understanding.frequency import word_frequencies
from bot.understanding.text import app_words, fault_words, fold_word, generic_terms, rules, term

# Frequency of a word wordfreq does not know ("utboks", "tlfn"): rarer than any it lists.
UNKNOWN_WORD_FREQUENCY = 1e-7
GENERAL_LANGUAGES = ("nb", "en")
# Endings Norwegian puts on any noun, English ones included: "outboxen", "appene".
INFLECTION_ENDINGS = ("ene", "ane", "en", "et", "er", "a", "n")
INFLECTION_MIN_STEM = 4
# A word counts for an intent only when at least this many of its phrases use it.
MIN_PHRASES = 2
# A typo ("innbokssen") borrows a known word's evidence when it is this long and
# at most this many edits away, and is no word of its own in general language.
TYPO_MIN_LENGTH = 5
TYPO_MAX_EDITS = 1
TYPO_MAX_GENERAL_FREQUENCY = 1e-6
# Words this common in general text ("du", "er", "you", "what") are evidence for nothing.
FUNCTION_WORD_FREQUENCY = 5e-3


# A topic word ("mail", "iphone") is used by the phrases of at least this share of problems.
ANCHOR_SPREAD = 0.5
ANCHOR_MIN_EVIDENCE = 2.5
# A word at least this share of problems use ("funker", "ikke", "mail") names no symptom.
SHARED_SPREAD = 0.3
UNKNOWN_MIN_LENGTH = 4
SYMPTOM_MIN_EVIDENCE = 2.5
# A word is foreign when at least this many off-topic examples use it, at this many
# times the rate of the knowledge's own phrases.
FOREIGN_MIN_PHRASES = 3
FOREIGN_RATIO = 8.0
# ... and is a content word: rarer in general text than "hvordan", "litt", "morgen"
FOREIGN_MAX_GENERAL_FREQUENCY = 1e-4
# Endings a device name takes in Norwegian and English ("macen", "telefonene", "phones").
DEVICE_ENDINGS = frozenset(("", "en", "n", "et", "a", "er", "ene", "ane", "ar", "s", "es", "ens"))
# Topic words inside other words: "jobbmailen", "epostkontoen", "iphonen".
ANCHOR_MIN_INSIDE = 4
# Words whose device and app flags are kept (``Scope.flags``), as GeneralFrequency's cache.
TOKEN_FLAGS_CACHE_SIZE = 200_000


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a message carries: its best word's evidence, whether it names the topic
    (a word most problems use: "mail", "iphone"), and its best word that is not such."""

    best: float
    anchored: bool
    specific: float
    unknown: int = 0  # words of four letters or more the knowledge never uses ("nettfilter")
    symptoms: int = 0  # words of its own with at least ``SYMPTOM_MIN_EVIDENCE``
    foreign: bool = False  # names another device ("PC-en", "macbooken", "android")
    home: bool = False  # names the topic's own device ("iphonen", "telefonen")
    elsewhere: bool = False  # names another app or thing ("sms", "kalenderen", "Teams")
    about: bool = False  # names the topic's subject ("mailen", "epostkontoen", "innboksen")
    service_app: bool = False  # names a service's own app ("Gmail-appen", "the Outlook app")
    named_app: bool = False  # names one of the topics' other apps ("sms", "Netflix")
    elsewhere_words: frozenset[str] = frozenset()  # the words that make ``elsewhere``, folded
    # the mail is named in a part that says it works ("E-posten min virker helt fint")
    mail_works: bool = False
    working: frozenset[int] = frozenset()  # positions of words in parts that say so
    # (position, knowledge word) of each mistyped word read as a knowledge word ("untatt")
    typos: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class TopicWords:
    """What the knowledge's topics say about themselves (see docs/knowledge-format.md)."""

    devices: tuple[str, ...] = ()  # the devices they are about ("iphone", "telefon")
    other_devices: tuple[str, ...] = ()  # devices they are not about ("pc", "mac")
    subject: tuple[str, ...] = ()  # what they are about ("mail", "e-post")
    other_apps: tuple[str, ...] = ()  # apps and services they are not about ("sms")
    service_apps: tuple[str, ...] = ()  # services whose own app they are not about ("gmail")
    other_things: tuple[str, ...] = ()  # other office IT ("skriveren", "scanner")

    def key(self) -> list[str]:
        """The words as a list for a cache key."""
        parts = (
            self.devices,
            self.other_devices,
            self.subject,
            self.other_apps,
            self.service_apps,
            self.other_things,
        )
        return [word for part in parts for word in (*part, "|")]


@dataclass(frozen=True, slots=True)
class TokenFlags:
    """What one folded word names: a topic device, another device, another app."""

    home: bool
    foreign: bool
    app: bool


@dataclass(frozen=True)
class Scope:
    """Per folded word (and lemma): its evidence for the knowledge, in log10 units;
    and the topic words every problem is about."""

    evidence_of: Mapping[str, float]
    anchors: frozenset[str] = frozenset()
    shared: frozenset[str] = frozenset()  # words many problems use: no symptom of their own
    # words off-topic examples use far more than the knowledge's phrases ("pc", "mac")
    foreign: frozenset[str] = frozenset()
    devices: frozenset[str] = frozenset()  # the topics' own devices, folded
    other_devices: frozenset[str] = frozenset()  # devices the topics are not about
    subject: frozenset[str] = frozenset()  # words naming what the topics are about, folded
    other_apps: frozenset[str] = frozenset()  # apps and services they are not about
    service_apps: frozenset[str] = frozenset()  # services whose own app they are not about
    # other office IT: another device to the topic rules and another thing to an aside
    # ("skriveren virker ikke heller" mid-fix), where "på PC-en ser jeg dem ikke" is news
    other_things: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Not a field: not saved with the table, not compared.
        object.__setattr__(self, "_flags", {})
        object.__setattr__(self, "_topic_keys", {})

    def flags(self, token: str) -> TokenFlags:
        """Which of the topics' devices, other devices and other apps ``token`` names.

        Kept per word: every word of every message was checked against every device
        and app name, about a fifth of matching a message (issue 14), and words repeat.
        """
        cache: dict[str, TokenFlags] = self._flags  # type: ignore[attr-defined]
        found = cache.get(token)
        if found is None:
            thing = any(_names(token, other) for other in self.other_things)
            found = TokenFlags(
                home=any(_names(token, device) for device in self.devices),
                foreign=thing or any(_names(token, device) for device in self.other_devices),
                app=thing
                or any(token.startswith(app) or _names(token, app) for app in self.other_apps),
            )
            if len(cache) < TOKEN_FLAGS_CACHE_SIZE:
                cache[token] = found
        return found

    def _flags_in(self, words: Sequence[str], at: int) -> TokenFlags:
        """``flags`` of the word at ``at``; other office IT named as where mail comes from
        ("mail fra kopimaskinen", "scans from the printer") is a sender, not another
        thing the message is about."""
        found = self.flags(words[at])
        sender = (
            found.foreign
            and found.app
            and self._is_thing(words[at])
            and bool(rules().sources.intersection(words[max(0, at - 2) : at]))
        )
        return TokenFlags(home=False, foreign=False, app=False) if sender else found

    def _is_thing(self, token: str) -> bool:
        return any(_names(token, thing) for thing in self.other_things)

    def to_json(self) -> dict[str, object]:
        """Every field as JSON (the model cache keeps the table between runs)."""
        return {
            f.name: (
                dict(value)
                if isinstance(value := getattr(self, f.name), Mapping)
                else sorted(value)
            )
            for f in fields(self)
        }

    @classmethod
    def from_json(cls, table: Mapping[str, Any]) -> Scope:
        """The table ``to_json`` wrote; KeyError or TypeError when it is not one."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = table[f.name]
            values[f.name] = (
                {str(k): float(v) for k, v in value.items()}
                if f.name == "evidence_of"
                else frozenset(str(v) for v in value)
            )
        return cls(**values)

    @classmethod
    def fit(
        cls,
        phrases: Iterable[tuple[str, Analysis]],
        frequency: GeneralFrequency,
        problems: Collection[str] = (),
        topic: TopicWords = TopicWords(),
        offtopic: str | None = None,
    ) -> Scope:
        """From (intent, analysed phrase) pairs, general word frequencies, which intents
        are problems (their shared words are the topic words), what the topics say about
        themselves and the label of off-topic examples (whose own words are foreign)."""
        used: dict[str, Counter[str]] = defaultdict(Counter)
        totals: Counter[str] = Counter()
        spellings: dict[str, set[str]] = defaultdict(set)
        elsewhere: Counter[str] = Counter()
        elsewhere_total = 0
        lemma_of: dict[str, set[str]] = defaultdict(set)  # folded word -> its lemmas
        for intent, analysis in phrases:
            keys: set[str] = set()
            for word, token, lemma in zip(
                analysis.words, analysis.tokens, analysis.lemmas, strict=True
            ):
                keys.update((token, lemma))
                lemma_of[token].add(lemma)
                spellings[token].add(word)
                spellings[lemma].add(word)
            if intent == offtopic:
                elsewhere.update(keys)
                elsewhere_total += 1
            else:
                totals[intent] += 1
                used[intent].update(keys)
        best: dict[str, float] = {}
        for intent, counts in used.items():
            for key, count in counts.items():
                if count < MIN_PHRASES:
                    continue
                general = max(frequency(word) for word in spellings[key])
                score = math.log10(count / totals[intent] / general)
                if general >= FUNCTION_WORD_FREQUENCY:
                    score = 0.0  # known, but evidence for nothing
                best[key] = max(best.get(key, -math.inf), score)
        spread: Counter[str] = Counter()  # how many problems use a word twice or more
        reach: Counter[str] = Counter()  # how many use it at all
        for intent in problems:
            spread.update(
                key for key, count in used.get(intent, {}).items() if count >= MIN_PHRASES
            )
            reach.update(used.get(intent, {}).keys())
        anchors = frozenset(
            key
            for key, count in spread.items()
            if count >= ANCHOR_SPREAD * len(problems) and best.get(key, 0.0) >= ANCHOR_MIN_EVIDENCE
        )
        shared = frozenset(k for k, n in reach.items() if n >= SHARED_SPREAD * len(problems))
        # ... and the words whose lemma is: a mistyped word read as one ("slettar" as
        # "sletter") is looked up without its lemma, and must count as the word typed right
        shared |= {token for token, lemmas in lemma_of.items() if lemmas & shared}
        # words the text rules call generic ("ikke", "today", "funker") name no symptom either
        generic = {key for key in best if term(key) in generic_terms()}
        ours: Counter[str] = Counter()
        for counts in used.values():
            ours.update(counts)
        phrases_total = sum(totals.values()) or 1
        foreign = frozenset(
            key
            for key, count in elsewhere.items()
            if count >= FOREIGN_MIN_PHRASES
            and key.isalpha()  # "30" in "30 minutter" names no other app
            and max(frequency(word) for word in spellings[key]) < FOREIGN_MAX_GENERAL_FREQUENCY
            and count / max(elsewhere_total, 1)
            >= FOREIGN_RATIO * (ours.get(key, 0) + 1) / phrases_total
        )
        shared_words = frozenset(shared | anchors | generic)
        return cls(
            best,
            anchors,
            shared_words,
            foreign,
            _folded(topic.devices),
            _folded(topic.other_devices),
            _folded(topic.subject),
            _folded(topic.other_apps),
            _folded(topic.service_apps),
            _folded(topic.other_things),
        )

    def evidence(
        self,
        analysis: Analysis,
        frequency: GeneralFrequency | None = None,
        working: Collection[int] = (),
    ) -> Evidence:
        """The message's evidence (0.0 when no word is the knowledge's). ``working``: the
        positions of words in parts that say something works ("on my laptop it works
        fine", "mail og alt annet virker"): the devices and apps named there are not
        where the fault is, nor is the mail named there when the fault is another app's."""
        best = specific = 0.0
        anchored = False
        unknown = symptoms = 0
        typos: list[tuple[int, str]] = []
        words = analysis.tokens
        flags = [self._flags_in(words, i) for i in range(len(words))]
        for i, (word, token, lemma) in enumerate(
            zip(analysis.words, analysis.tokens, analysis.lemmas, strict=True)
        ):
            keys: tuple[str, ...] = (token, lemma)
            if not any(key in self.evidence_of for key in keys):
                keys = self._inflected(token)
            if not keys and frequency is not None:
                keys = self._typo(word, token, frequency)
                # a device ("iPad", "jobbtelefonen") or a word for a fault ("broken") the
                # phrases never use is no word of another matter: "mail virker ikke på
                # iPad" names only the topic
                unknown += (
                    not keys
                    and len(token) >= UNKNOWN_MIN_LENGTH
                    and not (flags[i].home or flags[i].foreign or token in fault_words())
                )
                typos.extend((i, key) for key in keys)
            score = max((self.evidence_of.get(key, 0.0) for key in keys), default=0.0)
            best = max(best, score)
            if self._names_topic(keys):
                anchored = True
            elif not any(key in self.shared for key in keys):
                specific = max(specific, score)
                symptoms += score >= SYMPTOM_MIN_EVIDENCE
        if working:
            flags = [
                TokenFlags(home=False, foreign=False, app=False) if i in working else f
                for i, f in enumerate(flags)
            ]
        # "my android phone", "samsung-telefonen": the phone named is the other device
        flags = [
            replace(f, home=False) if f.home and i and flags[i - 1].foreign else f
            for i, f in enumerate(flags)
        ]
        foreign = any(f.foreign for f in flags)
        home = any(f.home for f in flags)
        elsewhere_words = frozenset(
            token
            for i, (token, lemma, f) in enumerate(zip(words, analysis.lemmas, flags, strict=True))
            # a learned foreign word that is a device ("laptop") follows the device rule
            if (
                (token in self.foreign or lemma in self.foreign)
                and not (f.home or f.foreign)
                and i not in working
            )
            or f.app
        )
        elsewhere = bool(elsewhere_words)
        named_subject = [self.names_subject(token) for token in words]
        about = any(named_subject)
        if about and working and (elsewhere or foreign):
            # "får ikke sendt SMS, mail og alt annet virker": the mail named only as working
            about = any(named for i, named in enumerate(named_subject) if i not in working)
        service_app = _names_service_app(words, self.service_apps)
        return Evidence(
            best,
            anchored,
            specific,
            unknown,
            symptoms,
            foreign,
            home,
            elsewhere,
            about,
            service_app,
            named_app=any(f.app for f in flags),
            elsewhere_words=elsewhere_words,
            mail_works=any(named_subject[i] for i in working if i < len(words)),
            working=frozenset(working),
            typos=tuple(typos),
        )

    def _names_topic(self, keys: Iterable[str]) -> bool:
        return any(self._topic_key(key) for key in keys)

    def names_topic(self, folded_tokens: Sequence[str]) -> bool:
        """The words name the topic or what it is about ("mailen", "innboksen"), read
        from the words alone (no lemmas, no general frequencies: cheap at start-up)."""
        return self._names_topic(folded_tokens) or any(map(self.names_subject, folded_tokens))

    def names_subject(self, token: str) -> bool:
        """``token`` names what the topics are about ("mail" in "jobbmailen")."""
        return any(word in token for word in self.subject)

    def _topic_key(self, key: str) -> bool:
        """``key`` is a topic word or has one inside ("jobbmailen"); kept per word, as
        ``flags``: every anchor was searched in every word of every message."""
        cache: dict[str, bool] = self._topic_keys  # type: ignore[attr-defined]
        found = cache.get(key)
        if found is None:
            found = key in self.anchors or any(
                len(a) >= ANCHOR_MIN_INSIDE and a in key for a in self.anchors
            )
            if len(cache) < TOKEN_FLAGS_CACHE_SIZE:
                cache[key] = found
        return found

    def _inflected(self, token: str) -> tuple[str, ...]:
        """The knowledge word an unknown one inflects the Norwegian way, if any: an
        English word with a Norwegian ending ("outboxen", "appene"), or the other form
        of a word the knowledge has only definite or indefinite ("utboks" -> "utboksen")."""
        stems = [token] + [token[: -len(e)] for e in INFLECTION_ENDINGS if token.endswith(e)]
        for stem in stems:
            if len(stem) < INFLECTION_MIN_STEM:
                continue
            for key in (stem, stem + "en", stem + "et"):
                if key != token and key in self.evidence_of:
                    return (key,)
        return ()

    def _typo(self, word: str, token: str, frequency: GeneralFrequency) -> tuple[str, ...]:
        """The knowledge word a mistyped one stands for ("pasord" -> "passord"), if any."""
        if len(token) < TYPO_MIN_LENGTH or frequency(word) > TYPO_MAX_GENERAL_FREQUENCY:
            return ()
        found = process.extract(
            token,
            self.evidence_of.keys(),
            scorer=Levenshtein.distance,
            score_cutoff=TYPO_MAX_EDITS,
            limit=None,
        )
        if not found:
            return ()
        # of words as near, the one that keeps the most of the word's beginning (Jaro-
        # Winkler: few mistype the first letters; "skreve" is "skrive", not "kreve"), then
        # the one with the most evidence, then the first in order; never whichever the
        # table's order puts first, which changes from run to run
        best = min(
            found,
            key=lambda f: (
                f[1],
                -JaroWinkler.similarity(token, f[0]),
                -self.evidence_of[f[0]],
                f[0],
            ),
        )
        return (best[0],)


class GeneralFrequency:
    """How often a word occurs in general Norwegian or English text (wordfreq), cached."""

    def __init__(self, languages: tuple[str, ...] = GENERAL_LANGUAGES) -> None:
        self.languages = languages
        self._cache: dict[str, float] = {}

    def __call__(self, word: str) -> float:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        tables = word_frequencies()  # read on first use: about 0.2 s a language
        value = max(tables.frequency(word, language) for language in self.languages)
        value = max(value, UNKNOWN_WORD_FREQUENCY)
        if len(self._cache) < 200_000:
            self._cache[word] = value
        return value


def _names_service_app(tokens: Sequence[str], services: Collection[str]) -> bool:
    """A service named as an app: "gmail appen", "the outlook app", "outlookappen"."""
    apps = app_words()
    for i, token in enumerate(tokens):
        for service in services:
            if token == service and i + 1 < len(tokens) and tokens[i + 1] in apps:
                return True
            if token.startswith(service) and token[len(service) :] in apps:
                return True
    return False


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold_word(word.casefold().replace("-", "")) for word in words)


def _names(token: str, device: str) -> bool:
    """``token`` is ``device``, inflected or at the end of a compound: "macen", "pc-en",
    "jobbtelefonen", "iphonen"; not "machine" or "macro"."""
    if device not in token:  # most words name no device: one substring search
        return False
    return any(
        token.startswith(device, start) and token[start + len(device) :] in DEVICE_ENDINGS
        for start in range(len(token) - len(device) + 1)
    )
