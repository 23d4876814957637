"""Text normalisation: folding, tokens, light nb/en stemming and language word votes.

Messages and knowledge phrases go through the same functions, so both sides
meet in one normal form: NFKC, casefolded, æ/ø/å and their ASCII spellings
unified ("få"/"faa"/"fa" -> "fa"), "e-post"/"epost"/"email"/"mail" one term,
punctuation, emoji and control characters gone. The word lists and rules are
data (``bot/understanding/data/*.yaml``), loaded once on first use, never at import time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("nb", "en")
_APOSTROPHES = re.compile(r"['’`´]")
_NON_WORD = re.compile(r"[\W_]+")
_LETTER_FOLDS = str.maketrans({"æ": "ae", "ø": "o", "ö": "o", "ä": "ae"})
_NORWEGIAN_LETTERS = frozenset("æøå")
# Folded words kept (``_fold_word``): far more than the words people use.
FOLD_CACHE_SIZE = 65_536
# "IT" in capitals is the IT department ("kontakt IT", "someone from IT"), not the English
# stopword "it"; it is read before casefolding turns the two into one word
_IT_DEPARTMENT = re.compile(r"(?<![^\W\d_])IT(?![^\W\d_])")


@dataclass(frozen=True)
class TextRules:
    """The data that drives normalisation, stemming and language detection."""

    joins: Mapping[str, str]
    join_pattern: re.Pattern[str] | None
    suffixes: tuple[str, ...]
    min_stem: int
    synonyms: Mapping[str, str]
    stopwords: frozenset[str]
    words: Mapping[str, frozenset[str]]  # language -> casefolded words, æøå kept
    folded_words: Mapping[str, frozenset[str]]  # language -> folded words unique to it
    generic: frozenset[str] = frozenset()  # terms that say nothing about the subject
    # words whose usual folding is another word ("før" -> "for"): ø written "oe" ("foer")
    long_folds: Mapping[str, str] = field(default_factory=dict)
    # "på it", "ring it": a lowercase "it" after a Norwegian word that takes the department
    department_pattern: re.Pattern[str] | None = None
    late_pattern: re.Pattern[str] | None = None  # "for sent": late, not the Sent folder
    apps: frozenset[str] = frozenset()  # words for an app, folded ("appen", "application")
    question_openers: frozenset[str] = frozenset()  # "hvor", "how": folded
    # "må jeg", "mister jeg": a verb before its subject, first in a message: folded tokens
    question_inversions: tuple[tuple[str, ...], ...] = ()
    asking: tuple[tuple[str, ...], ...] = ()  # "lurer på", "do i": anywhere: folded tokens
    from_me: tuple[tuple[str, ...], ...] = ()  # "fra meg", "from my email": folded tokens
    gave_away: tuple[tuple[str, ...], ...] = ()  # "trykket på lenken": folded tokens
    password_typed: tuple[tuple[str, ...], ...] = ()  # "skrev inn passordet": folded tokens
    phishing_places: tuple[str, ...] = ()  # "lenk", "page": folded word beginnings
    disowned: tuple[tuple[str, ...], ...] = ()  # "det var ikke meg": folded tokens
    broken: tuple[tuple[str, ...], ...] = ()  # "virker ikke": folded tokens
    how_to_openers: frozenset[str] = frozenset()  # "hvordan": folded words
    sending: tuple[str, ...] = ()  # "send": folded word beginnings
    gave_away_verbs: tuple[str, ...] = ()  # "klikk": folded word beginnings
    other_people: frozenset[str] = frozenset()  # "kollegaen", "dads": folded words
    hacked: tuple[str, ...] = ()  # "hack": folded word beginnings
    first_person: frozenset[str] = frozenset()  # "jeg", "i": folded words
    changed: tuple[tuple[str, ...], ...] = ()  # "passordet ble endret"
    denied_change: tuple[tuple[str, ...], ...] = ()  # "har ikke endret"
    changed_by_it: tuple[tuple[str, ...], ...] = ()  # "endret av IT"
    password_stopped: tuple[tuple[str, ...], ...] = ()  # "passordet virker ikke lenger"
    negations: frozenset[str] = frozenset()  # "ikke", "didnt": folded
    definition_openers: tuple[tuple[str, ...], ...] = ()  # "hva er", "whats": folded tokens
    receiving: frozenset[str] = frozenset()  # "får", "getting": folded words
    many: frozenset[str] = frozenset()  # "ingen", "everyone": folded words
    groups: frozenset[str] = frozenset()  # "kontoret", "office": folded words
    not_people: tuple[str, ...] = ()  # "mail", "tiden": what "alle" may count instead
    all_or_none: frozenset[str] = frozenset()  # "alle", "nobody": folded words
    others: frozenset[str] = frozenset()  # "andre", "else": folded words
    likewise: frozenset[str] = frozenset()  # "heller", "either": folded words
    either: frozenset[str] = frozenset()  # "heller", "either" (not "too"): folded words
    only_me: tuple[tuple[str, ...], ...] = ()  # "bare meg", "only me": folded tokens
    step_words: tuple[str, ...] = ()  # "steg", "step": lowercase words, matched whole
    done_before: frozenset[str] = frozenset()  # "allerede", "prøvd": folded words
    networks: frozenset[str] = frozenset()  # "4g", "wifi": folded words, of conditions
    back_then: tuple[tuple[str, ...], ...] = ()  # "i går", "last time": folded tokens
    going: frozenset[str] = frozenset()  # "gå", "hopp", "back": folded words
    times: tuple[str, ...] = ()  # "ganger", "times": lowercase words after a count
    when_openers: frozenset[str] = frozenset()  # "når", "when": folded words
    offering: frozenset[str] = frozenset()  # "gi", "give": folded words
    not_finding: tuple[tuple[str, ...], ...] = ()  # "finner ikke": folded tokens
    press_verbs: tuple[str, ...] = ()  # "trykk", "tap": folded word beginnings
    grades: Mapping[str, int] = field(default_factory=dict)  # "femmer" -> 5: folded words
    counts: Mapping[str, int] = field(default_factory=dict)  # "four" -> 4: folded words
    scales: frozenset[str] = frozenset()  # "five", "fem": folded words
    out_of: tuple[tuple[str, ...], ...] = ()  # "out of", "av": folded tokens
    stars: frozenset[str] = frozenset()  # "star", "stjerner": folded words
    no_mail_app: tuple[tuple[str, ...], ...] = ()  # "not apple mail": folded tokens
    empty: frozenset[str] = frozenset()  # "tom", "nobody": folded words
    trouble: frozenset[str] = frozenset()  # "problemer", "issues": folded words
    helping: frozenset[str] = frozenset()  # "hjelpe", "help": folded words
    correcting: tuple[tuple[str, ...], ...] = ()  # "nå ser jeg", "actually": phrases
    no_change: tuple[tuple[str, ...], ...] = ()  # "ingen endring", "same shit": phrases
    setting_right: tuple[tuple[str, ...], ...] = ()  # "ser riktig ut", "already on": phrases
    setting_on: tuple[tuple[str, ...], ...] = ()  # "already on", "den var på": phrases
    setting_on_after: frozenset[str] = frozenset()  # "allerede", "for": folded words
    turning_off: frozenset[str] = frozenset()  # "av", "off": folded words
    status_fault: tuple[str, ...] = ()  # "incident", "driftsforstyr": folded word beginnings
    status_nouns: tuple[str, ...] = ()  # "status", "dashboard": folded word beginnings
    status_over: frozenset[str] = frozenset()  # "løst", "planned": folded words
    status_messages: tuple[str, ...] = ()  # "driftsmeld": folded word beginnings
    status_up: frozenset[str] = frozenset()  # "grønt", "operational": folded words
    status_down: frozenset[str] = frozenset()  # "rødt", "red": folded words
    lacking: frozenset[str] = frozenset()  # "mangler", "nobody": folded words
    towards: frozenset[str] = frozenset()  # "til", "to": folded words
    contrast: frozenset[str] = frozenset()  # "bare", "but": folded words
    but: frozenset[str] = frozenset()  # "men", "however": folded words
    arriving: frozenset[str] = frozenset()  # "havner", "lands": folded words
    folders: tuple[str, ...] = ()  # "mappe", "folder": parts of a word naming a folder
    junk: tuple[str, ...] = ()  # "spam", "søppel": folded word beginnings
    recipients: frozenset[str] = frozenset()  # "kontaktene", "everyone": folded words
    into: frozenset[str] = frozenset()  # "i", "in": folded words
    their_side: frozenset[str] = frozenset()  # "dem", "their", "mottakeren": folded words
    unchanged: tuple[tuple[str, ...], ...] = ()  # "har ikke endret noe": folded tokens
    unwanted: tuple[tuple[str, ...], ...] = ()  # "slutte å", "keeps": folded tokens
    clause_breaks: frozenset[str] = frozenset()  # "men", "but": folded words
    giving: frozenset[str] = frozenset()  # "ga", "gi": folded words
    declines: tuple[tuple[str, ...], ...] = ()  # "none of those": folded tokens
    answers: tuple[str, ...] = ()  # "svar", "bounce": folded word beginnings
    by_mistake: tuple[tuple[str, ...], ...] = ()  # "ved en feil": folded tokens
    doubting: tuple[tuple[str, ...], ...] = ()  # "er den ekte": folded tokens
    approving: tuple[tuple[str, ...], ...] = ()  # "trykket godkjenn": folded tokens
    unasked: tuple[tuple[str, ...], ...] = ()  # "uten å tenke": folded tokens
    approving_verbs: tuple[str, ...] = ()  # "godkjen": folded word beginnings
    sources: frozenset[str] = frozenset()  # "fra", "from": folded words
    # apps that only carry word of an account ("sms"): folded words
    channels: frozenset[str] = frozenset()
    # "unntatt", "except": folded words (``says_all_but_one_sender``)
    exceptions: frozenset[str] = frozenset()
    saying: frozenset[str] = frozenset()  # "sier", "says" (``says_sender_sent``)
    sent: tuple[str, ...] = ()  # "sendt", "sent": word beginnings
    not_senders: frozenset[str] = frozenset()  # "meg", "at": folded words
    not_sayers: frozenset[str] = frozenset()  # "people", "it": folded words
    requesting: frozenset[str] = frozenset()  # "kan", "ring", "talk": folded words
    fault_nouns: tuple[str, ...] = ()  # "feilmelding", "error": folded word beginnings
    none_of: tuple[tuple[str, ...], ...] = ()  # "uten", "no more": folded tokens
    gone: tuple[tuple[str, ...], ...] = ()  # "borte", "anymore": folded tokens
    lasting: frozenset[str] = frozenset()  # "fortsatt", "still": folded words
    now_before: frozenset[str] = frozenset()  # "har", "kjem" after Nynorsk "no": folded
    same: frozenset[str] = frozenset()  # "samme", "same": folded words
    getting_mail: tuple[tuple[str, ...], ...] = ()  # "får mail", "gets email": folded
    went_out: tuple[tuple[str, ...], ...] = ()  # "kom fram", "went through": folded tokens
    delivered_objects: frozenset[str] = frozenset()  # "mailen", "it": folded words
    code_asked: tuple[tuple[str, ...], ...] = ()  # "ba om koden": folded phrases
    accounts: tuple[str, ...] = ()  # "konto", "account": word beginnings
    exception_phrases: frozenset[str] = frozenset()  # "bortsett" (fra), "apart" (from)
    through: frozenset[str] = frozenset()  # "through", "fram": folded words
    code_words: frozenset[str] = frozenset()  # "den", "koden", "it": folded words
    suspicion: tuple[str, ...] = ()  # "mistenkelig", "someone": word beginnings
    own_adjectives: frozenset[str] = frozenset()  # "egen", "own": folded words
    working: tuple[tuple[str, ...], ...] = ()  # "virker fint", "works": folded phrases
    taken_over: tuple[tuple[str, ...], ...] = ()  # "tatt over": folded phrases
    unsure: tuple[tuple[str, ...], ...] = ()  # "vet ikke": folded phrases
    mail_services: frozenset[str] = frozenset()  # "icloud": folded words
    account_kinds: frozenset[str] = frozenset()  # "exchange", "jobbmail": folded words
    hedges: frozenset[str] = frozenset()  # "tror", "actually": folded words
    conditional: frozenset[str] = frozenset()  # "når", "only": folded words
    conditions: frozenset[str] = frozenset()  # "4g", "hjemme": folded words
    now: frozenset[str] = frozenset()  # "nå", "now": folded words
    done_verbs: tuple[str, ...] = ()  # "gjort", "done": folded words
    tasks: tuple[str, ...] = ()  # "oversett", "translat": word beginnings
    until: frozenset[str] = frozenset()  # "før", "until": folded words
    gave: frozenset[str] = frozenset()  # "gave", "told": folded words
    mine: frozenset[str] = frozenset()  # "jeg", "eg": the writer after a verb, folded
    ordinals: Mapping[tuple[str, ...], int] = field(default_factory=dict)  # "den første": 1
    seeming: tuple[tuple[str, ...], ...] = ()  # "ser ut som", "looks like": folded tokens
    own_words: frozenset[str] = frozenset()  # "jeg", "min", "my": folded words
    clicking: tuple[str, ...] = ()  # "klikk": folded word beginnings
    typing: tuple[str, ...] = ()  # "skrev", "logged": folded word beginnings
    typed_past: frozenset[str] = frozenset()  # "skrev", "entered": folded words
    typed_objects: tuple[str, ...] = ()  # "inn", "passord": folded word beginnings


def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"bot/understanding/data/{name} must be a mapping")
    for key, value in data.items():
        # YAML reads a bare no, yes, on or off as a boolean: "no" was the word "false"
        odd = (
            [item for item in value if not isinstance(item, str)] if isinstance(value, list) else []
        )
        if odd:
            raise ValueError(
                f"bot/understanding/data/{name}: {key}: {odd[0]!r} is not text (quote it)"
            )
    return data


# how many words before a sign a negation undoes it: "har ikke trykket", "I did not click"
NEGATION_REACH = 3
# a task asked for follows a word of asking this closely ("kan du oversette")
TASK_REACH = 3
# a word that the group has it too is this near after the word for the group
LIKEWISE_REACH = 4
# what was typed in follows the verb within this many words ("skrev passordet mitt inn")
TYPED_OBJECT_REACH = 3
# how far before a word for hacked the person it is said of may stand ("my dad's yahoo
# account is hacked")
OTHER_REACH = 5
# "ingen på kontoret", "fleire andre på jobb": a group word this near a word for many
GROUP_REACH = 3
# "unntatt fra sjefen", "except for mails from": the word for from this near the exception
SENDER_REACH = 3
# "helpdesk", "IT-support takk", "support please now": a request in this few words needs
# no word of asking
REQUEST_MAX_BARE_WORDS = 3
# "kunden sier han har sendt": the word for sending this near the word for saying
SAID_REACH = 4
# parts of a message, for ``working_positions``: punctuation and a word of contrast
# (kept in the split: a word of contrast is one of the message's words)
_WORKING_PARTS = re.compile(r"([,.;:!?]|\b(?:men|but|however)\b)", re.IGNORECASE)
# how many words before "fra meg" a word for seeming makes it a forged sender: "så ut som
# den var fra meg"
SEEMING_REACH = 6
# where a negation's reach ends: "oppdaterer seg ikke, har restartet telefonen"
_CLAUSES = re.compile(r"[,.;:!?]|\b(?:men|but|og|and)\b", re.IGNORECASE)


@lru_cache(maxsize=FOLD_CACHE_SIZE)
def _fold_word(word: str) -> str:
    """Fold one already casefolded word: æ/ø/å and accents to ASCII, "aa" to "a".
    (Kept per word: each word of a message is folded for its token and its lemma, and
    most words are ones seen before.)"""
    word = word.translate(_LETTER_FOLDS)
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return word.replace("aa", "a")


@lru_cache(maxsize=1)
def spoken_lemmas() -> Mapping[str, str]:
    """Dialect and Nynorsk forms as typed ("æ", "nån", "kjem") -> the Bokmål lemma they
    stand for ("jeg", "noen", "komme"): ``data/dialect_lemmas.yaml``."""
    table: dict[str, str] = {}
    for lemma, forms in _read("dialect_lemmas.yaml").items():
        if not isinstance(forms, list):
            raise ValueError(f"dialect_lemmas.yaml: {lemma} must list forms")
        for form in forms:
            if table.setdefault(str(form), str(lemma)) != str(lemma):
                raise ValueError(f"dialect_lemmas.yaml: {form} is listed under two lemmas")
    return table


@lru_cache(maxsize=1)
def rules() -> TextRules:
    """The normalisation rules from ``bot/understanding/data``, read once."""
    text_rules = _read("text_rules.yaml")
    language_words = _read("language_words.yaml")
    joins = {str(k).casefold(): str(k).casefold().replace("-", "") for k in text_rules["joins"]}
    pattern = (
        re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(joins, key=len)[::-1]) + r")")
        if joins
        else None
    )
    suffixes = tuple(sorted((str(s) for s in text_rules["suffixes"]), key=len, reverse=True))
    min_stem = int(text_rules["min_stem"])
    long_folds = {
        str(w).casefold(): _fold_word(str(w).casefold().replace("ø", "oe").replace("æ", "ae"))
        for w in text_rules.get("long_folds") or ()
    }
    before_department = sorted(
        (str(w).casefold() for w in text_rules.get("before_department") or ()), key=len
    )[::-1]
    department = (
        re.compile(
            r"(?<![^\W\d_])(" + "|".join(map(re.escape, before_department)) + r")\s+it(?![^\W\d_])"
        )
        if before_department
        else None
    )
    before_late = sorted((str(w).casefold() for w in text_rules.get("before_late") or ()), key=len)
    not_after = [str(w).casefold() for w in text_rules.get("late_not_before") or ()]
    late = (
        re.compile(
            r"(?<![^\W\d_])(" + "|".join(map(re.escape, before_late[::-1])) + r")\s+(for\s+)?sent"
            r"(?![^\W\d_])(?!\s*-?(?:" + "|".join(map(re.escape, not_after)) + r")(?![^\W\d_]))"
        )
        if before_late
        else None
    )
    base = TextRules(
        joins,
        pattern,
        suffixes,
        min_stem,
        {},
        frozenset(),
        {},
        {},
        long_folds=long_folds,
        department_pattern=department,
        late_pattern=late,
    )
    stopwords = frozenset(t for word in text_rules["stopwords"] for t in tokens(str(word), base))
    synonyms: dict[str, str] = {}
    for canonical, variants in dict(text_rules["synonyms"]).items():
        for variant in variants:
            for token in tokens(str(variant), base):
                synonyms.setdefault(token, str(canonical))
    # a stemmed variant maps too, unless another group already claimed that form
    for variant, canonical in list(synonyms.items()):
        synonyms.setdefault(_stem(variant, suffixes, min_stem), canonical)
    words = {lang: frozenset(str(w).casefold() for w in language_words[lang]) for lang in LANGUAGES}
    folded = {lang: {_fold_word(w) for w in words[lang]} for lang in LANGUAGES}
    folded_unique = {
        lang: frozenset(folded[lang] - folded[other])
        for lang, other in (("nb", "en"), ("en", "nb"))
    }
    rule_set = replace(
        base, synonyms=synonyms, stopwords=stopwords, words=words, folded_words=folded_unique
    )
    generic = frozenset(
        t
        for word in text_rules.get("generic") or ()
        for t in (_term(token, rule_set) for token in tokens(str(word), rule_set))
        if t is not None
    )
    apps = frozenset(_fold_word(str(word).casefold()) for word in text_rules.get("apps") or ())
    openers = frozenset(
        _fold_word(str(word).casefold()) for word in text_rules.get("question_openers") or ()
    )

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(tokens(str(p), rule_set)) for p in text_rules.get(key) or ())

    def word_set(key: str) -> frozenset[str]:  # folded words, matched whole
        return frozenset(t for p in phrases(key) for t in p)

    def beginnings(key: str) -> tuple[str, ...]:  # folded word beginnings (str.startswith)
        return tuple(t for p in phrases(key) for t in p)

    return replace(
        rule_set,
        generic=generic,
        apps=apps,
        question_openers=openers,
        question_inversions=phrases("question_inversions"),
        asking=phrases("asking"),
        from_me=phrases("from_me"),
        gave_away=phrases("gave_away"),
        password_typed=phrases("password_typed"),
        phishing_places=beginnings("phishing_places"),
        disowned=phrases("disowned"),
        broken=phrases("broken"),
        how_to_openers=word_set("how_to_openers"),
        sending=beginnings("sending"),
        gave_away_verbs=beginnings("gave_away_verbs"),
        other_people=word_set("other_people"),
        hacked=beginnings("hacked"),
        first_person=word_set("first_person"),
        changed=phrases("changed"),
        denied_change=phrases("denied_change"),
        changed_by_it=phrases("changed_by_it"),
        password_stopped=phrases("password_stopped"),
        negations=word_set("negations"),
        definition_openers=phrases("definition_openers"),
        receiving=word_set("receiving"),
        many=word_set("many"),
        groups=word_set("groups"),
        not_people=beginnings("not_people"),
        all_or_none=word_set("all_or_none"),
        others=word_set("others"),
        likewise=word_set("likewise"),
        either=word_set("either"),
        only_me=phrases("only_me"),
        step_words=tuple(str(w).casefold() for w in text_rules.get("step_words") or ()),
        done_before=word_set("done_before"),
        networks=word_set("networks"),
        back_then=phrases("back_then"),
        going=word_set("going"),
        times=tuple(str(w).casefold() for w in text_rules.get("times") or ()),
        when_openers=word_set("when_openers"),
        offering=word_set("offering"),
        not_finding=phrases("not_finding"),
        press_verbs=beginnings("press_verbs"),
        grades={
            _fold_word(str(word).casefold()): int(score)
            for score, words_of in dict(text_rules.get("grades") or {}).items()
            for word in words_of
        },
        counts={
            _fold_word(str(word).casefold()): int(score)
            for score, words_of in dict(text_rules.get("counts") or {}).items()
            for word in words_of
        },
        scales=word_set("scales"),
        out_of=phrases("out_of"),
        stars=word_set("stars"),
        no_mail_app=phrases("no_mail_app"),
        empty=word_set("empty"),
        trouble=word_set("trouble"),
        helping=word_set("helping"),
        correcting=phrases("correcting"),
        no_change=phrases("no_change"),
        setting_right=phrases("setting_right"),
        setting_on=phrases("setting_on"),
        setting_on_after=word_set("setting_on_after"),
        turning_off=word_set("turning_off"),
        status_fault=beginnings("status_fault"),
        status_nouns=beginnings("status_nouns"),
        status_over=word_set("status_over"),
        status_messages=beginnings("status_messages"),
        status_up=word_set("status_up"),
        status_down=word_set("status_down"),
        lacking=word_set("lacking"),
        towards=word_set("towards"),
        contrast=word_set("contrast"),
        but=word_set("but"),
        fault_nouns=beginnings("fault_nouns"),
        none_of=phrases("none_of"),
        gone=phrases("gone"),
        lasting=word_set("lasting"),
        now_before=word_set("now_before"),
        same=word_set("same"),
        getting_mail=phrases("getting_mail"),
        went_out=phrases("went_out"),
        delivered_objects=word_set("delivered_objects"),
        arriving=word_set("arriving"),
        folders=beginnings("folders"),
        junk=beginnings("junk"),
        recipients=word_set("recipients"),
        their_side=word_set("their_side"),
        into=word_set("into"),
        unchanged=phrases("unchanged"),
        unwanted=phrases("unwanted"),
        clause_breaks=word_set("clause_breaks"),
        giving=word_set("giving"),
        declines=tuple(sorted(phrases("declines"), key=len, reverse=True)),
        answers=beginnings("answers"),
        by_mistake=phrases("by_mistake"),
        doubting=phrases("doubting"),
        approving=phrases("approving"),
        unasked=phrases("unasked"),
        approving_verbs=beginnings("approving_verbs"),
        sources=word_set("sources"),
        channels=word_set("channels"),
        exceptions=word_set("exceptions"),
        saying=word_set("saying"),
        sent=beginnings("sent"),
        not_senders=word_set("not_senders") | word_set("first_person"),
        not_sayers=word_set("not_sayers") | word_set("many") | word_set("groups"),
        requesting=word_set("requesting"),
        code_asked=phrases("code_asked"),
        accounts=beginnings("accounts"),
        exception_phrases=word_set("exception_phrases"),
        through=word_set("through"),
        code_words=word_set("code_words"),
        suspicion=beginnings("suspicion"),
        own_adjectives=word_set("own_adjectives"),
        working=phrases("working"),
        taken_over=phrases("taken_over"),
        unsure=phrases("unsure"),
        mail_services=word_set("mail_services"),
        account_kinds=word_set("account_kinds"),
        hedges=word_set("hedges"),
        conditional=word_set("conditional"),
        conditions=word_set("conditions"),
        now=word_set("now"),
        done_verbs=tuple(sorted(word_set("done_verbs"))),
        tasks=beginnings("tasks"),
        until=word_set("until"),
        gave=word_set("gave"),
        mine=word_set("subject_after_verb"),
        ordinals={
            tuple(tokens(str(phrase), rule_set)): int(place)
            for place, phrases_of in dict(text_rules.get("ordinals") or {}).items()
            for phrase in phrases_of
        },
        seeming=phrases("seeming"),
        own_words=word_set("own_words"),
        clicking=beginnings("clicking"),
        typing=beginnings("typing"),
        typed_past=word_set("typed_past"),
        typed_objects=beginnings("typed_objects"),
    )


def _prepare(text: str, rule_set: TextRules) -> str:
    """NFKC, casefold, apostrophes dropped, hyphenated spellings joined."""
    text = _IT_DEPARTMENT.sub(" itdept ", unicodedata.normalize("NFKC", text)).casefold()
    # casefolding can undo NFKC ("İ" -> "i" + a combining dot): normalise once more
    text = unicodedata.normalize("NFKC", text)
    if rule_set.department_pattern is not None:
        text = rule_set.department_pattern.sub(r"\1 itdept", text)
    text = _APOSTROPHES.sub("", text)
    if rule_set.late_pattern is not None:
        text = rule_set.late_pattern.sub(r"\1 \2forsinket", text)
    if rule_set.join_pattern is not None:
        text = rule_set.join_pattern.sub(lambda m: rule_set.joins[m.group(1)], text)
    return text


def tokens(text: str, rule_set: TextRules | None = None) -> list[str]:
    """The folded words of ``text``: ASCII-folded Norwegian letters, no punctuation or emoji."""
    rule_set = rule_set or rules()
    long = rule_set.long_folds
    return [
        long.get(word) or _fold_word(word)
        for word in _NON_WORD.split(_prepare(text, rule_set))
        if word
    ]


def words(text: str) -> list[str]:
    """The casefolded words of ``text`` as typed (æøå kept), hyphenated spellings joined."""
    return [word for word in _NON_WORD.split(_prepare(text, rules())) if word]


def fold_word(word: str) -> str:
    """One casefolded word in folded form, as ``tokens`` folds it."""
    return rules().long_folds.get(word) or _fold_word(word)


def normalize(text: str) -> str:
    """``text`` in normal form: folded tokens joined by single spaces."""
    return " ".join(tokens(text))


def _stem(token: str, suffixes: Iterable[str], min_stem: int) -> str:
    if token.isdigit():
        return token
    for suffix in suffixes:
        if token.endswith(suffix) and len(token) - len(suffix) >= min_stem:
            return token[: -len(suffix)]
    return token


def stem(token: str) -> str:
    """A light nb/en stem: the longest known ending removed ("innstillingene" -> "innstilling")."""
    rule_set = rules()
    return _stem(token, rule_set.suffixes, rule_set.min_stem)


@lru_cache(maxsize=200_000)
def term(token: str) -> str | None:
    """The matching term of one folded token: its synonym group or stem; None for a stopword."""
    return _term(token, rules())


def _term(token: str, rule_set: TextRules) -> str | None:
    if token in rule_set.stopwords:
        return None
    canonical = rule_set.synonyms.get(token)
    if canonical is not None:
        return canonical
    if token.isdigit() and len(token) < 3:
        return None  # "3 times", "2. etasje": a small number says nothing ("365" does)
    stemmed = _stem(token, rule_set.suffixes, rule_set.min_stem)
    return rule_set.synonyms.get(stemmed, stemmed)


def generic_terms() -> frozenset[str]:
    """Terms that say nothing about what a message is about ("phone", "today", "help")."""
    return rules().generic


def opens_a_question(text: str) -> bool:
    """``text`` starts with a word that opens a question ("hvor mye ...", "how do I ...")."""
    return _opens_with(text, rules().question_openers)


def _opens_with(text: str, openers: Collection[str]) -> bool:
    """The first word of ``text``, folded, is one of ``openers``."""
    first = next(iter(words(text)), None)
    return first is not None and fold_word(first) in openers


def opens_asking_when(text: str) -> bool:
    """``text`` opens by asking when ("når svarer de?", "when will they call?")."""
    return _opens_with(text, rules().when_openers)


def opens_how_to(folded_tokens: Sequence[str]) -> bool:
    """The message opens by asking how to do something ("hvordan setter jeg opp ...")."""
    return bool(folded_tokens) and folded_tokens[0] in rules().how_to_openers


def reads_as_a_question(text: str) -> bool:
    """``text`` asks by its form: a question mark, a question word or a verb before its
    subject first ("må jeg slette kontoen"), or words that ask anywhere ("lurer på om",
    "if I reset it do I lose")."""
    return "?" in text or asks_by_words(text)


# a message this long in letters, nearly all of them capitals, shouts
SHOUT_MIN_LETTERS = 12
SHOUT_SHARE = 0.8


def shouts(text: str) -> bool:
    """The message is written in capitals and exclaims or asks ("FÅR DU IKKE MED DEG AT
    INGENTING FUNKER???"); an error or settings pasted in capitals ("CANNOT GET MAIL",
    "IMAP, SSL PÅ, PORT 993") does neither."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < SHOUT_MIN_LETTERS or not ("!" in text or "?" in text):
        return False
    return sum(ch.isupper() for ch in letters) >= SHOUT_SHARE * len(letters)


def names_offering(folded_tokens: Sequence[str]) -> bool:
    """The message gives something ("kan jeg gi deg 5 stjerner?", "I'll give it a 4")."""
    return not rules().offering.isdisjoint(folded_tokens)


def is_press_word(word: str) -> bool:
    """``word`` (as typed) is a word of pressing ("trykke", "tap"): what follows it is a
    button on the phone, whose name may be a command word of the chat."""
    return fold_word(word).startswith(rules().press_verbs)


def asks_by_words(text: str) -> bool:
    """``text`` asks by its words alone, whatever its marks: a question word or a verb
    before its subject first, or words that ask anywhere ("4?" asks nothing so)."""
    if opens_a_question(text):
        return True
    found = [fold_word(word) for word in words(text)]
    inverted = rules().question_inversions
    if any(tuple(found[: len(phrase)]) == phrase for phrase in inverted):
        return True
    return _holds(found, rules().asking, frozenset())


def says_from_me(folded_tokens: Sequence[str]) -> bool:
    """The message says a mail came from the writer's own account ("fra meg", "from my
    email"): ``folded_tokens`` hold one of ``from_me`` as words in a row. ("Den var ikke
    fra meg" says it too: no negation undoes it.) Not when it is sending that fails
    ("får ikke sendt mail fra kontoen min", "can't send from my account"): a word
    for sending after a negation in the few words before. Nor when it is given away
    ("ga fra meg koden") or forged (``says_forged_from_me``)."""
    found = rules()
    for i in places(folded_tokens, found.from_me):
        before = folded_tokens[max(0, i - NEGATION_REACH - 1) : i]
        negated = [j for j, token in enumerate(before) if token in found.negations]
        if negated and any(t.startswith(found.sending) for t in before[negated[0] :]):
            continue
        if before and before[-1] in found.giving:
            continue  # "ga fra meg koden": gave it away, which ``gave_away`` reads
        if not _forged_at(folded_tokens, i):
            return True
    return False


def says_forged_from_me(folded_tokens: Sequence[str]) -> bool:
    """The message says a mail only seems to come from the writer ("mailer som ser ut til
    å komme fra min egen adresse", "looked like it was from me"), or the writer received
    it ("jeg fikk en mail fra meg selv"): a forged sender, which spam and phishing do
    without any break-in."""
    return any(_forged_at(folded_tokens, i) for i in places(folded_tokens, rules().from_me))


def _forged_at(folded_tokens: Sequence[str], at: int) -> bool:
    """The "fra meg" at ``at`` only seems so, or the writer received the mail."""
    return _seems_before(folded_tokens, at) or _received_by_me(folded_tokens, at)


def _received_by_me(folded_tokens: Sequence[str], at: int) -> bool:
    """A word of ``receiving`` in the ``SEEMING_REACH`` words before ``at`` whose subject
    is the writer: "jeg" just before it, or no subject at all, first in the message
    ("fikk en mail fra meg selv"); not "kundene fikk en mail fra meg"."""
    found = rules()
    start = max(0, at - SEEMING_REACH)
    for j in range(start, at):
        if folded_tokens[j] not in found.receiving:
            continue
        if any(word.startswith(found.answers) for word in folded_tokens[j:at]):
            continue  # "jeg får svar på mailer fra meg": replies to mail sent in my name
        before = folded_tokens[max(0, j - 3) : j]
        if found.recipients.intersection(before) or found.other_people.intersection(before):
            continue  # "alle i firmaet fikk en mail fra meg": others received it
        after = folded_tokens[j + 1 : j + 2]
        if j == 0 or folded_tokens[j - 1] in found.first_person or found.mine.intersection(after):
            return True  # "jeg fikk", "I got", "fikk jeg", or no subject at all
    return False


def _seems_before(folded_tokens: Sequence[str], at: int) -> bool:
    """One of ``seeming`` is in the ``SEEMING_REACH`` words before ``at``, with no word of
    sending after it ("det ser ut som noen sender spam fra kontoen min" is a break-in)."""
    found = rules()
    before = folded_tokens[max(0, at - SEEMING_REACH) : at]
    return any(
        not any(word.startswith(found.sending) for word in before[i:])
        for i in places(before, found.seeming)
    )


def says_gave_away(folded_tokens: Sequence[str]) -> bool:
    """The message says the writer gave a phishing page what it asked for ("trykket på
    lenken og logget inn"), not after a negation ("har ikke trykket på lenken") and not
    another person ("kona trykket på lenken"); or a code someone asked for, given ("ba om
    koden jeg fikk på SMS, jeg ga den til ham")."""
    found = rules()
    # the password typed in counts where a phishing page is named ("trykket på en lenke og
    # skrev inn passordet"); typed again in Settings it is a step of the fix
    page = any(token.startswith(found.phishing_places) for token in folded_tokens)
    return (
        _done_here(folded_tokens, found.gave_away)
        or (page and says_password_typed(folded_tokens))
        or _code_given(folded_tokens)
    )


def says_password_typed(folded_tokens: Sequence[str]) -> bool:
    """The writer typed the password in ("skrev inn passordet", "entered my password"),
    not negated and not someone else: given away after the phishing answer asked, or
    where a page is named; else the fix's own step."""
    return _done_here(folded_tokens, rules().password_typed)


def _done_here(folded_tokens: Sequence[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """One of ``phrases``, not after a negation and not said of someone else."""
    negations = rules().negations
    return any(
        not negations.intersection(folded_tokens[max(0, i - NEGATION_REACH) : i])
        and not _someone_else_before(folded_tokens, i)
        for i in places(folded_tokens, phrases)
    )


def _code_given(folded_tokens: Sequence[str]) -> bool:
    """One of ``code_asked``, then a word of ``giving`` or ``gave`` not negated."""
    found = rules()
    for i in places(folded_tokens, found.code_asked):
        for j in range(i + 1, len(folded_tokens)):
            word = folded_tokens[j]
            if word not in found.giving and word not in found.gave:
                continue
            # "jeg ga den til ham", "I told him the code": the code given, not "kan du gi
            # meg råd" or "I told him to call the helpdesk"
            if not found.code_words.intersection(folded_tokens[j + 1 : j + 4]):
                continue
            near = folded_tokens[max(0, j - NEGATION_REACH) : j + NEGATION_REACH + 1]
            if not found.negations.intersection(near):
                return True
    return False


def says_only_clicked(folded_tokens: Sequence[str]) -> bool:
    """The writer clicked and gave away nothing more ("I did click it actually", "trykket
    på lenken, men skrev ikke inn noe"): a word of ``clicking`` not negated, and every
    word of ``typing`` (typed, logged in, approved) negated or absent. A tap that approves
    ("trykket ja på en av dem", ``approving``) is more than a click."""
    found = rules()
    # a phrase of ``gave_away`` beyond a click ("la inn passordet mitt") gives more
    beyond = tuple(
        p for p in (*found.gave_away, *found.password_typed) if not p[0].startswith(found.clicking)
    )
    return (
        says_kept_safe(folded_tokens, found.clicking) is False
        and says_kept_safe(folded_tokens, found.typing) is not False
        and not _holds(folded_tokens, found.approving, frozenset())
        and not _holds(folded_tokens, beyond, found.negations)
    )


def says_approved_unasked(folded_tokens: Sequence[str]) -> bool:
    """The writer approved a sign-in request they did not start ("I accidentally hit
    Approve", "trykket godkjenn uten å tenke"): one of ``approving`` and one of
    ``unasked``, ``by_mistake`` or ``disowned``. Approving one's own sign-in, as the
    Google step asks, is not this."""
    found = rules()
    approved = _holds(folded_tokens, found.approving, frozenset()) or any(
        token.startswith(found.approving_verbs) for token in folded_tokens
    )
    if not approved:
        return False
    return (
        _holds(folded_tokens, found.unasked, frozenset())
        or says_by_mistake(folded_tokens)
        or says_disowned(folded_tokens)
    )


def _someone_else_before(folded_tokens: Sequence[str], at: int) -> bool:
    """The nearest person named in the ``OTHER_REACH`` words before ``at`` is one of
    ``other_people``, with no "jeg" or "I" nearer."""
    found = rules()
    start = max(0, at - OTHER_REACH)
    for j in range(at - 1, start - 1, -1):
        token = folded_tokens[j]
        if token in found.first_person:
            return False
        if token in found.other_people and not (j and folded_tokens[j - 1] in found.sources):
            return True  # not "fikk en lenke fra sjefen, trykket på lenken": the sender
    return False


@lru_cache(maxsize=1)
def fault_words() -> frozenset[str]:
    """The one-word phrases of ``broken`` ("broken", "død"), folded."""
    return frozenset(phrase[0] for phrase in rules().broken if len(phrase) == 1)


def unsure(text: str) -> bool:
    """The writer does not know ("vet ikke om den er nede", "not sure"): one of
    ``unsure``."""
    return _holds(tokens(text), rules().unsure, frozenset())


def working_positions(text: str, count: int) -> frozenset[int]:
    """The positions, among the ``count`` words of ``text``, of the words in parts (split
    at punctuation and "men"/"but") that say something works and no fault: "Receiving
    works fine, and I can send from my laptop with no problem", "mail og alt annet
    virker". Empty when the parts' words do not add up to ``count``."""
    found = rules()
    positions: list[int] = []
    at = 0
    for part in _WORKING_PARTS.split(text):
        words = tokens(part)
        if _says_works(words, found):
            positions.extend(range(at, at + len(words)))
        at += len(words)
    return frozenset(positions) if at == count else frozenset()


def _says_works(words: Sequence[str], found: TextRules) -> bool:
    """``words`` hold one of ``working``, and no negation or word of ``broken`` outside
    it ("no problem" is a working phrase, "not on wifi" is not)."""
    found_at = [(i, phrase) for phrase in found.working for i in places(words, (phrase,))]
    if not found_at:
        return False
    inside = {i + k for i, phrase in found_at for k in range(len(phrase))}
    rest = [w for i, w in enumerate(words) if i not in inside]
    return not found.negations.intersection(rest) and not says_broken(rest)


def says_broken(folded_tokens: Sequence[str]) -> bool:
    """The message says something does not work, and nothing more ("virker ikke",
    "stopped working"): ``folded_tokens`` hold one of ``broken``."""
    return _holds(folded_tokens, rules().broken, frozenset())


def says_fault(folded_tokens: Sequence[str]) -> bool:
    """The message says something is wrong: a negation ("oppdateres ikke", "won't send"),
    one of ``broken``, or one of ``unwanted`` ("slutte å spørre", "keeps asking")."""
    found = rules()
    return (
        bool(found.negations.intersection(folded_tokens))
        or says_broken(folded_tokens)
        or _holds(folded_tokens, found.unwanted, frozenset())
    )


def says_someone_else_hacked(folded_tokens: Sequence[str]) -> bool:
    """The message says another person's account is hacked ("kollegaen min er hacket",
    "my dad's email got hacked"): one of ``other_people`` at most ``OTHER_REACH`` words
    before a word for hacked, with no "jeg" or "I" between ("sjefen sier jeg er hacket")."""
    hacked = rules().hacked
    return any(
        token.startswith(hacked) and _someone_else_before(folded_tokens, i)
        for i, token in enumerate(folded_tokens)
    )


def says_others_account(folded_tokens: Sequence[str]) -> bool:
    """The message names another person's account or mail ("my manager's account is
    sending out spam", "sjefens konto sender spam"): one of ``other_people`` with a word
    beginning with one of ``accounts`` in the two words after it."""
    found = rules()
    if names_own_account(folded_tokens):
        return False  # "både min og sjefens konto sender spam": the writer's too
    return any(
        token in found.other_people
        and any(word.startswith(found.accounts) for word in folded_tokens[i + 1 : i + 3])
        # "sender spam til sjefens innboks": where the writer's mail goes
        and not found.towards.intersection(folded_tokens[max(0, i - 2) : i])
        for i, token in enumerate(folded_tokens)
    )


def names_own_account(folded_tokens: Sequence[str]) -> bool:
    """A word of ``accounts`` with one of ``own_words`` beside it ("kontoen min", "my
    account", "min egen konto"); not "my manager's account"."""
    found = rules()
    for i, token in enumerate(folded_tokens):
        if not token.startswith(found.accounts):
            continue
        before = [w for w in folded_tokens[max(0, i - 2) : i] if w not in found.own_adjectives]
        if found.own_words.intersection(before[-1:] + list(folded_tokens[i + 1 : i + 2])):
            return True
    return False


def says_app_hacked(folded_tokens: Sequence[str], apps: Collection[str]) -> bool:
    """Another app's account is said to be hacked ("my Instagram got hacked",
    "Netflix-kontoen min er hacket"): one of ``apps`` at most ``OTHER_REACH`` words
    before a word for hacked, with no "jeg"/"I" between, or its own account named."""
    found = rules()
    if not apps:
        return False
    broken_into = any(t.startswith(found.hacked) for t in folded_tokens) or _holds(
        folded_tokens, found.taken_over, frozenset()
    )
    if names_app_account(folded_tokens, apps) and broken_into:
        return True  # "noen har tatt over Netflix-kontoen min", not "a new bank account"
    for i, token in enumerate(folded_tokens):
        if not token.startswith(found.hacked):
            continue
        for j in range(i - 1, max(-1, i - OTHER_REACH - 1), -1):
            if folded_tokens[j] in found.first_person:
                break
            if folded_tokens[j] in apps:
                return True
    return False


def names_app_account(folded_tokens: Sequence[str], apps: Collection[str]) -> bool:
    """One of ``apps`` with a word of ``accounts`` right after it: the app's own account
    ("WhatsApp-kontoen min er kapret"), not an app that only carried word of one."""
    found = rules()
    return any(
        token in apps and any(w.startswith(found.accounts) for w in folded_tokens[i + 1 : i + 2])
        for i, token in enumerate(folded_tokens)
    )


def says_many_affected(folded_tokens: Sequence[str]) -> bool:
    """The message says a group of people has it ("ingen på kontoret får e-post", "hele
    avdelingen mangler e-post", "nobody in the office"): in a clause that tells a fault,
    one of ``many`` with one of ``groups`` at most ``GROUP_REACH`` words after it, and
    no word for mail or time between ("all of my work emails", "hele tiden på jobben").
    Not a group mail goes to or comes from ("sendt til noen på kontoret"), not when the
    writer's own is set apart ("men bare min mail") and not when what the group does not
    get is the writer's ("nobody gets my emails")."""
    found = rules()
    words = list(folded_tokens)
    if not any(
        _group_at_fault(words[start:end], _likewise(words, start, end))
        for start, end in clause_spans(words)
    ):
        return False
    for i, token in enumerate(words):
        if token in found.contrast and found.own_words.intersection(words[i + 1 : i + 3]):
            return False
        if token in found.receiving and found.own_words.intersection(words[i + 1 : i + 4]):
            return False
    return True


def names_suspicion(folded_tokens: Sequence[str]) -> bool:
    """A word for hacked or for suspicion ("hacket", "mistenkelig", "noen", "spam"): text
    rules ``hacked`` and ``suspicion``, as word beginnings."""
    found = rules()
    beginnings = (*found.hacked, *found.suspicion)
    return any(token.startswith(beginnings) for token in folded_tokens)


def says_only_me(folded_tokens: Sequence[str]) -> bool:
    """The writer says they alone have it ("kollegaene mine får mail helt fint, det er bare
    meg", "it's only me"), not negated ("det er ikke bare meg"): text rule ``only_me``."""
    found = rules()
    for at in places(folded_tokens, found.only_me):
        if found.negations.intersection(folded_tokens[max(0, at - NEGATION_REACH) : at]):
            continue
        end = at + next(
            len(p) for p in found.only_me if tuple(folded_tokens[at : at + len(p)]) == p
        )
        # "bare meg og to andre", "kun min avdeling": more than the writer
        following = folded_tokens[end : end + 1]
        if following and (following[0] in _AND_MORE or following[0] in found.groups):
            continue
        return True
    return False


# "bare meg og to andre på teamet": the writer and more
_AND_MORE = frozenset({"og", "and", "+", "&", "pluss", "plus"})


def says_no_mail_app(folded_tokens: Sequence[str]) -> bool:
    """The writer does not use the Mail app ("i dont have a Mail app, I only use outlook",
    "I use the Outlook app, not Apple Mail"): text rule ``no_mail_app``."""
    return holds(folded_tokens, rules().no_mail_app)


def _likewise(words: Sequence[str], start: int, end: int) -> bool:
    """A word of the group in ``words[start:end]`` has a word that they have it too in the
    ``LIKEWISE_REACH`` words after it, into the next clause if need be ("ingen andre på
    kontoret får noe heller", "ingen ainna på kontore får nå heller"); not a later part
    of its own ("ingen andre på kontoret har problemet, jeg har også restartet")."""
    found = rules()
    return any(
        found.likewise.intersection(words[i + 1 : i + 1 + LIKEWISE_REACH])
        for i in range(start, end)
        if words[i] in found.groups
    )


def _group_at_fault(clause: Sequence[str], likewise: bool = False) -> bool:
    """``clause`` names a group of people (``says_many_affected``) and tells a fault;
    ``likewise``: the message says the group has it too ("heller", "either")."""
    found = rules()
    for i, token in enumerate(clause):
        if token not in found.many or (i and clause[i - 1] in found.towards | found.sources):
            continue
        if (
            token in found.all_or_none
            and found.others.intersection(clause[i + 1 : i + 2])
            and not (likewise and not holds(clause, found.working))
        ):
            continue  # "alle andre på kontoret har det fint", "nobody else": the writer apart
        between: list[str] = []
        for word in clause[i + 1 : i + 1 + GROUP_REACH]:
            if word in found.groups:
                if not any(w.startswith(found.not_people) for w in between):
                    rest = [w for k, w in enumerate(clause) if k != i]
                    if says_fault(rest) or found.lacking.intersection(rest) or likewise:
                        # "... og ingen andre på kontoret får noe heller": the writer's
                        # fault, which the group has too
                        return True
                    # the word for many as the negation ("ingen på kontoret får e-post"): of
                    # mail's doing, not "none of us replied"
                    return token in found.negations | found.lacking and _of_mail(rest)
                break
            between.append(word)
    return False


def says_all_but_one_sender(folded_tokens: Sequence[str]) -> bool:
    """The message says all mail comes but one sender's ("alt kommer inn unntatt fra
    kollegaen min", "everything except emails from my bank"): one of ``exceptions``, then
    one of ``sources`` within ``SENDER_REACH`` words, not before one of ``not_senders``
    ("unntatt fra meg", "bortsett fra at den er treg")."""
    found = rules()
    words = list(folded_tokens)
    for i, token in enumerate(words):
        if token not in found.exceptions:
            continue
        start = i + 1
        if (
            token in found.exception_phrases
            and words[start : start + 1]
            and (words[start] in found.sources)
        ):
            start += 1  # "bortsett fra", "apart from": the phrase's own word for from
        for j in range(start, min(start + SENDER_REACH, len(words))):
            if words[j].startswith(found.sending):
                break  # "utenom sending fra jobbkontoen": sending, not a sender
            if words[j] in found.sources:
                if not found.not_senders.intersection(words[j + 1 : j + 2]):
                    return True
                break
    return False


def says_sender_sent(folded_tokens: Sequence[str]) -> bool:
    """The message says a sender says it was sent, with a fault told ("kunden sier han har
    sendt flere mailer, men jeg har ikke fått noen", "they say they've sent it"): one of
    ``saying`` not after one of ``not_sayers`` ("people say", "IT sier", "it says"), then
    a word beginning with one of ``sent`` within ``SAID_REACH`` words, with no negation and
    no word of the writer's before it ("sier han ikke har fått", "a vendor says I sent")."""
    found = rules()
    words = list(folded_tokens)
    for i, token in enumerate(words):
        if token not in found.saying or (i and words[i - 1] in found.not_sayers):
            continue
        for word in words[i + 1 : i + 1 + SAID_REACH]:
            if word in found.negations or word in found.own_words | found.first_person:
                break
            if word.startswith(found.sent):
                return _not_received(words)
    return False


def _not_received(words: Sequence[str]) -> bool:
    """A clause of ``words`` says mail does not come: a negation or a word of ``lacking``
    with a word of ``receiving`` or ``arriving`` ("men jeg har ikke fått noen", "ingen
    av dei har dukka opp", "nothing ... gets through"); not "nå funker ikke mailen"."""
    found = rules()
    came = found.receiving | found.arriving | found.through
    for start, end in clause_spans(words):
        clause = words[start:end]
        if any(a in found.negations and b in found.until for a, b in pairwise(clause)):
            continue  # "den kom ikke før jeg åpnet Mail", "not until": it came, later
        if (found.negations | found.lacking).intersection(clause) and came.intersection(clause):
            return True
    return False


def asks_for_someone(folded_tokens: Sequence[str]) -> bool:
    """The message can be a request for a person: it holds one of ``requesting`` ("kan
    noen fra IT se på det?", "ring meg", "talk to a human"), or it is only a few words
    ("helpdesk", "IT-support takk")."""
    return len(folded_tokens) <= REQUEST_MAX_BARE_WORDS or not rules().requesting.isdisjoint(
        folded_tokens
    )


def _of_mail(words: Sequence[str]) -> bool:
    """``words`` say what mail does: a word of ``receiving``, ``arriving`` or
    ``through``, or one beginning with one of ``sending``."""
    found = rules()
    came = found.receiving | found.arriving | found.through
    return bool(came.intersection(words)) or any(w.startswith(found.sending) for w in words)


def says_by_mistake(folded_tokens: Sequence[str]) -> bool:
    """The writer did it by mistake ("slettet en mappe ved en feil", "I accidentally
    deleted a folder"): one of ``by_mistake``. What one does oneself is no break-in."""
    return _holds(folded_tokens, rules().by_mistake, frozenset())


def doubts_a_mail(folded_tokens: Sequence[str]) -> bool:
    """The writer asks whether a mail they got is real ("er den ekte?", "is this legit?",
    "er dette svindel?"): one of ``doubting``. A mail doubted is one that arrived."""
    return _holds(folded_tokens, rules().doubting, frozenset())


def says_mail_in_their_junk(folded_tokens: Sequence[str]) -> bool:
    """The writer's mail went into someone else's junk folder ("kunden sier mailen min
    havnet i spam hos dem", "my emails go to his spam folder"): one of ``own_words``, then
    a word of ``junk`` at most three words after one of ``into``, with one of ``their_side`` or
    ``other_people`` in the two words before or the three after it. The recipient's
    spam filter, not a break-in (playtest 18: the urgent handoff)."""
    found = rules()
    others = found.their_side | found.other_people
    for i, token in enumerate(folded_tokens):
        if not token.startswith(found.junk) or found.into.isdisjoint(
            folded_tokens[max(0, i - 3) : i]
        ):
            continue  # "i spam", "to his spam", "in the recipients' junk"
        if found.own_words.isdisjoint(folded_tokens[:i]):
            continue
        near = [*folded_tokens[max(0, i - 2) : i], *folded_tokens[i + 1 : i + 4]]
        if not others.isdisjoint(near):
            return True
    return False


def says_junk_arrives(folded_tokens: Sequence[str]) -> bool:
    """The writer receives spam or scams ("jeg får masse spam", "getting lots of phishing"):
    a word of ``receiving`` at most ``NEGATION_REACH`` words before a word of ``junk``,
    no word of sending between ("got blocked for sending spam"), none of ``other_people``
    or ``recipients`` before the verb ("alle kontaktene mine får spam"), and not said to
    come from the writer (``says_from_me``). Or junk that arrives: a word of ``arriving``
    at most ``NEGATION_REACH`` words after it ("spammen havner i innboksen")."""
    found = rules()
    if says_from_me(folded_tokens):
        return False
    for i, token in enumerate(folded_tokens):
        if not token.startswith(found.junk) or (i and folded_tokens[i - 1] in found.into):
            continue  # "får mailen i søppelpost": the junk folder, not junk
        around = folded_tokens[max(0, i - NEGATION_REACH - 1) : i + NEGATION_REACH + 2]
        after = folded_tokens[i + 1 : i + NEGATION_REACH + 2]
        if (
            found.arriving.intersection(after)
            and not any(word.startswith(found.sending) for word in around)
            and not found.negations.intersection(after)  # "søppelmappen kom ikke med"
            and not any(folder in token for folder in found.folders)  # "søppelpostmappen"
        ):
            return True  # not "kontoen min sender spam som kommer til alle kundene"
        window = folded_tokens[max(0, i - NEGATION_REACH - 1) : i]
        verbs = [j for j, word in enumerate(window) if word in found.receiving]
        if not verbs:
            continue
        start = max(0, i - NEGATION_REACH - 1) + verbs[-1]
        if any(word.startswith(found.sending) for word in folded_tokens[start:i]):
            continue  # "got blocked for sending spam": sent, not received
        before = folded_tokens[max(0, start - OTHER_REACH) : start]
        if not (found.other_people.intersection(before) or found.recipients.intersection(before)):
            return True
    return False


def clause_spans(
    folded_tokens: Sequence[str], sentence_starts: Collection[int] = ()
) -> list[tuple[int, int]]:
    """The (start, end) of each clause, split at ``clause_breaks`` ("men", "og nå", "but"),
    which belong to no clause, and where a sentence begins."""
    found = rules()
    spans: list[tuple[int, int]] = []
    start = 0
    for i, token in enumerate([*folded_tokens, ""]):
        breaks = not token or token in found.clause_breaks  # the word is no clause's
        if not breaks and not (i in sentence_starts and i > start):
            continue
        if i > start:
            spans.append((start, i))
        start = i + 1 if breaks else i
    return spans


def own_clauses(
    folded_tokens: Sequence[str], sentence_starts: Collection[int] = ()
) -> list[tuple[int, int]]:
    """The ``clause_spans`` that name the writer or what is theirs (``own_words``: "jeg",
    "min", "my"); not the writer as the one mail is sent to ("is sending me weird links",
    "sender meg rare lenker")."""
    found = rules()

    def owner(i: int) -> bool:
        if folded_tokens[i] not in found.own_words:
            return False
        if i and folded_tokens[i - 1].startswith(found.sending):
            return False  # "sending me": the one it is sent to
        # "my manager's account", "sjefen min": the writer's word for another person
        beside = [*folded_tokens[i + 1 : i + 2], *folded_tokens[max(0, i - 1) : i]]
        return not found.other_people.intersection(beside)

    return [
        (start, end)
        for start, end in clause_spans(folded_tokens, sentence_starts)
        if any(owner(i) for i in range(start, end))
    ]


def says_changed_by_it(folded_tokens: Sequence[str]) -> bool:
    """IT changed something ("IT har byttet passordet mitt", "reset by IT"): one of
    ``changed_by_it``."""
    return _holds(folded_tokens, rules().changed_by_it, frozenset())


def says_disowned(folded_tokens: Sequence[str]) -> bool:
    """The writer disowns something done on their account ("det har jeg ikke gjort",
    "I wasn't logging in to anything"): ``folded_tokens`` hold one of ``disowned``, or
    deny a change they also say was made ("passordet ble endret, jeg har ikke endret noe"),
    not by IT."""
    found = rules()
    return (
        _holds(folded_tokens, found.disowned, frozenset())
        or (
            _holds(folded_tokens, found.changed, frozenset())
            and _holds(folded_tokens, found.denied_change, frozenset())
            and not _holds(folded_tokens, found.changed_by_it, frozenset())
        )
        or (
            _holds(folded_tokens, found.password_stopped, frozenset())
            and _holds(folded_tokens, found.denied_change, frozenset())
            # "I haven't changed anything": the preface to a fault, no change denied
            and not _holds(folded_tokens, found.unchanged, frozenset())
        )
    )


def says_clicked_nothing(folded_tokens: Sequence[str]) -> bool:
    """The writer says they did not click what came ("I didn't click it", "har ikke
    trykket på lenken"): every word of ``clicking`` is negated (``says_kept_safe``), and
    there is one."""
    return says_kept_safe(folded_tokens, rules().clicking) is True


def says_nothing_changed(folded_tokens: Sequence[str]) -> bool:
    """The writer says they changed nothing at all (one of ``unchanged``), and nothing says
    a change was made ("har ikke endret noen innstillinger, men nå får jeg ikke sendt
    mail"): the usual preface to a fault, not a change disowned ("har ikke endret det
    selv", ``says_disowned``)."""
    found = rules()
    return _holds(folded_tokens, found.unchanged, frozenset()) and not _holds(
        folded_tokens, found.changed, frozenset()
    )


def says_kept_safe(
    folded_tokens: Sequence[str], verbs: tuple[str, ...] | None = None
) -> bool | None:
    """Whether the reply to "did you click it and type your password?" denies it.

    True for "I did not click it", "har ikke trykket på noe", "jeg trykket ikke på den":
    each word of ``gave_away_verbs`` has a negation in the few words before it or up to
    two words after it, as Norwegian puts it. False for "I clicked it and logged in".
    None when it names none of those verbs. ``verbs``: other word beginnings to read."""
    found = rules()
    verbs = found.gave_away_verbs if verbs is None else verbs
    answer = None
    for i, token in enumerate(folded_tokens):
        if not token.startswith(verbs):
            continue
        # "jeg trykket ikke", "jeg åpnet den ikke": a negation up to two words after
        around = folded_tokens[max(0, i - NEGATION_REACH) : i + 3]
        if not found.negations.intersection(around):
            return False
        answer = True
    return answer


def says_empty(folded_tokens: Sequence[str]) -> bool:
    """The message says a list or folder held nothing ("listen var tom", "nobody is
    blocked"): one of ``empty``."""
    return bool(rules().empty.intersection(folded_tokens))


def asks_for_a_task(folded_tokens: Sequence[str]) -> bool:
    """The message asks fixbot to do a task with a mail ("translate this email", "kan du
    oppsummere mailen?"): a word beginning with one of ``tasks`` first, or within
    ``TASK_REACH`` words after one of ``requesting`` ("can you", "please"); not a task
    named in passing ("the email with the translated contract", "translation agency")."""
    found = rules()
    for i, token in enumerate(folded_tokens):
        if not token.startswith(found.tasks):
            continue
        if i == 0 or found.requesting.intersection(folded_tokens[max(0, i - TASK_REACH) : i]):
            return True
    return False


def says_typed_in(folded_tokens: Sequence[str]) -> bool:
    """The writer says they typed something in, in the past tense ("og jeg skrev det inn",
    "I entered it on the page"): one of ``typed_past`` with one of ``typed_objects`` in
    the few words after it, not negated nearby and not said of another person ("kona
    skrev inn passordet"). "ber meg skrive inn passordet" and "asking me to enter it" ask
    for it, which is no sign it was done; "skrev til IT" wrote, and typed nothing in."""
    found = rules()
    for i, token in enumerate(folded_tokens):
        if token not in found.typed_past:
            continue
        # what was typed, or where: "skrev det inn", "entered my password", not "skrev
        # til IT", "skrev tilbake", "typed up an email"
        after = list(folded_tokens[i + 1 : i + 1 + TYPED_OBJECT_REACH])
        # ... up to a word for towards: "skrev til IT" wrote to the IT department
        ends = [k for k, word in enumerate(after) if word in found.towards]
        if not any(
            word.startswith(found.typed_objects) for word in after[: min(ends, default=len(after))]
        ):
            continue
        around = folded_tokens[max(0, i - NEGATION_REACH) : i + 3]
        if not found.negations.intersection(around) and not _someone_else_before(folded_tokens, i):
            return True
    return False


def holds(folded_tokens: Sequence[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """One of ``phrases`` is in ``folded_tokens`` as words in a row."""
    return _holds(folded_tokens, phrases, frozenset())


def _holds(
    folded_tokens: Sequence[str], phrases: tuple[tuple[str, ...], ...], negations: frozenset[str]
) -> bool:
    """One of ``phrases`` is in ``folded_tokens`` as words in a row, with none of
    ``negations`` in the ``NEGATION_REACH`` words before it."""
    return any(
        not negations.intersection(folded_tokens[max(0, i - NEGATION_REACH) : i])
        for i in places(folded_tokens, phrases)
    )


def places(folded_tokens: Sequence[str], phrases: tuple[tuple[str, ...], ...]) -> Iterator[int]:
    """Where one of ``phrases`` starts in ``folded_tokens`` as words in a row."""
    row = tuple(folded_tokens)
    by_first = _by_first_word(phrases)
    for i, token in enumerate(row):
        for phrase in by_first.get(token, ()):
            if row[i : i + len(phrase)] == phrase:
                yield i


@lru_cache(maxsize=128)
def _by_first_word(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """``phrases`` by their first word: every rule is read on every message, and going
    through each rule's phrases at each word was a third of the matching time."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            index.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in index.items()}


def after_a_decline(text: str) -> str | None:
    """What ``text`` says after declining the choices it was offered ("none of those. I
    just don't get any new emails" -> "I just don't get any new emails"); None when it
    opens with no such words (``declines``) or says nothing after them."""
    typed = text.split()
    found = [fold_word(word.strip(".,!?:;-").casefold()) for word in typed]
    for phrase in rules().declines:
        if tuple(found[: len(phrase)]) == phrase and len(typed) > len(phrase):
            rest = " ".join(typed[len(phrase) :]).lstrip(".,!?:;- ")
            return rest or None
    return None


def ordinal(text: str) -> int | None:
    """The place a short reply names among offered choices ("den første", "the second
    one", "2", "nr 3"): 1-based, or None (text rules ``ordinals``)."""
    return rules().ordinals.get(tuple(tokens(text)))


def mentions_all(text: str, words: Iterable[str]) -> bool:
    """Every one of ``words`` (folded here) begins a word of ``text``: "har restartet
    telefonen" mentions "restart". A word written "!sjekk" must not follow a negation
    in its own clause: "har ikke sjekket søppelpost" does not mention it, "oppdaterer
    seg ikke, har restartet" does ("virker ikke på 4g" still names 4g). A word written
    "-4g" must be in a clause that says no ("men ikke på 4g", "mobildata funker ikke"),
    and one written "+fant" in a clause that does not ("fant den ikke" does not mention
    it: Norwegian puts the negation after the verb)."""
    negations = rules().negations
    clauses = [tokens(clause) for clause in _CLAUSES.split(text)]
    for word in words:
        negatable = word.startswith("!")
        denied = word.startswith("-")
        affirmed = word.startswith("+")
        wanted = "".join(tokens(word.lstrip("!-+")))
        if not wanted or not any(
            token.startswith(wanted)
            and not (negatable and negations.intersection(clause[max(0, i - NEGATION_REACH) : i]))
            and not (denied and not negations.intersection(clause))
            and not (affirmed and negations.intersection(clause))
            for clause in clauses
            for i, token in enumerate(clause)
        ):
            return False
    return True


def definition_openers() -> tuple[tuple[str, ...], ...]:
    """The first words of a question about what a word means ("hva er", "what's")."""
    return rules().definition_openers


@lru_cache(maxsize=1)
def trouble_terms() -> frozenset[str]:
    """The terms of words for trouble of any kind ("problemer", "issues", "feil"): denied
    ("no issues"), a check found nothing wrong (text rule ``trouble``)."""
    return frozenset(found for word in rules().trouble if (found := term(word)))


def app_words() -> frozenset[str]:
    """Words for an app ("app", "appen", "application"), folded."""
    return rules().apps


def terms(text: str) -> list[str]:
    """The matching terms of ``text`` in order (stopwords dropped)."""
    return [t for t in (term(token) for token in tokens(text)) if t is not None]


def word_votes(text: str) -> dict[str, int]:
    """Votes of known words per language: æøå count two for "nb"; each nb or en word one.

    Nynorsk and dialect count as "nb". Words are looked up as written (with
    æ/ø/å) and, for people typing without them, folded, where the folded form
    is not also a word of the other language ("for" is English, not "før").
    """
    rule_set = rules()
    prepared = _prepare(text, rule_set)
    votes = {"nb": 2 if _NORWEGIAN_LETTERS & set(prepared) else 0, "en": 0}
    for word in _NON_WORD.split(prepared):
        if not word:
            continue
        for language in LANGUAGES:
            if word in rule_set.words[language] or (
                _fold_word(word) in rule_set.folded_words[language]
            ):
                votes[language] += 1
    return votes


def says_used_by_another(folded_tokens: Sequence[str]) -> bool:
    """Someone else has used the writer's account: mail "fra meg" they did not send, the
    password given to a phishing page ("trykket på lenken og logget inn", not a click
    alone), or a sign-in approved unasked. The surest signs of a break-in, in the matcher
    and mid-fix alike (a denial alone, "det er ikke meg", also says "not my problem")."""
    return (
        says_from_me(folded_tokens)
        or (says_gave_away(folded_tokens) and not says_only_clicked(folded_tokens))
        or says_approved_unasked(folded_tokens)
    )


def says_own_account_used(folded_tokens: Sequence[str]) -> bool:
    """``says_used_by_another``, or a change on the account disowned ("det var ikke meg"):
    the writer's own account, which the matcher reads the alarm of first."""
    return says_used_by_another(folded_tokens) or says_disowned(folded_tokens)


def tells_account_kind(folded_tokens: Sequence[str]) -> bool:
    """The words say which kind of account the mail is, and nothing more: a mail service
    or account kind, with words for an account, hedges, negations and stopwords only
    ("det er jobbmail, trur det er exchange", "I don't have an Exchange account, it's
    gmail"). Text rules ``account_kinds``, ``mail_services``, ``accounts`` and ``hedges``."""
    found = rules()
    kinds = found.account_kinds | found.mail_services
    if not kinds.intersection(folded_tokens):
        return False
    return all(
        token in kinds
        or token in found.hedges
        or token in found.stopwords
        or token in found.negations
        or token.startswith(found.accounts)
        for token in folded_tokens
    )


def clauses(text: str) -> list[str]:
    """``text`` cut at punctuation and at "men"/"og" ("vet ikke, men det haster"): where a
    negation in one part says nothing of the next."""
    return [clause for clause in _CLAUSES.split(text) if clause and clause.strip()]


def fault_too_part(text: str) -> tuple[int, str] | None:
    """Where in ``text`` the clause that tells a fault "too" begins, and the text from
    there on without the word for "too" ("ja det va passordet. men no får æ ikkje motta
    heller, innboksen e tom" -> "no får æ ikkje motta, innboksen e tom"): the other
    problem, without the answer to the step before it."""
    found = rules()
    position = 0
    for clause in _CLAUSES.split(text):
        start = text.find(clause, position) if clause else -1
        folded = tokens(clause or "")
        if start >= 0 and not found.likewise.isdisjoint(folded) and says_fault(folded):
            # without the word for "too": told of oneself, "now I don't get any new mail
            # either" is the writer's second fault, not others having it as well
            kept: list[str] = []
            for word in text[start:].split():
                bare = word.rstrip(".,!?;:")
                if fold_word(bare.casefold()) in found.likewise:
                    word = word[len(bare) :]  # its comma or full stop stays
                    if word and kept:
                        kept[-1] += word
                        continue
                if word:
                    kept.append(word)
            return start, " ".join(kept)
        if start >= 0:
            position = start + len(clause)
    return None


def denies_done(text: str) -> bool:
    """A word for doing the step stands only after a negation ("jeg har ikke gjort det",
    "I haven't done it yet"): text rule ``done_verbs``."""
    return any(
        mentions_all(text, (verb,)) and not mentions_all(text, ("!" + verb,))
        for verb in rules().done_verbs
    )


def named_conditions(folded_tokens: Sequence[str]) -> frozenset[str]:
    """The networks and places the text names (text rule ``conditions``: "4g", "hjemme")."""
    return rules().conditions.intersection(folded_tokens)


def says_works_under_condition(folded_tokens: Sequence[str]) -> bool:
    """It works under a condition, a network or a place, and not now: "mailen kommer når
    jeg er på 4G", "only works on wifi" (text rules ``conditional``, ``conditions``,
    ``now``); not "det funker nå når jeg har skrudd på mobildata"."""
    found = rules()
    return (
        not found.conditional.isdisjoint(folded_tokens)
        and not found.conditions.isdisjoint(folded_tokens)
        and found.now.isdisjoint(folded_tokens)
    )
