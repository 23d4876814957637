"""The matcher: which problem, question or request a message is about, or honestly none.

Four signals, each for what it is best at (docs/matching.md has the figures):

- a linear SVM over TF-IDF character and lemma n-grams, fitted on the
  knowledge's phrases with the off-topic phrases as the label "none"
  (``model``): which intent, and how sure;
- the scope evidence against general language (``scope``): whether the
  message is about this knowledge at all;
- rapidfuzz for near copies of a phrase (a phrase typed almost word for word
  takes its intent) and, inside ``scope``, for mistyped knowledge words;
- the language identifier (``language``).

The decision: out of scope or beaten by "none" is "none"; a clear winner is a
match; in scope but without a clear winner is "ambiguous", and the dialog
asks which of the candidates it is.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bot.knowledge import Knowledge, Phrases
from bot.settings import Limits, MatcherSettings
from bot.understanding.acts import ReplyReader
from bot.understanding.analysis import Analysis, analyse
from bot.understanding.intents import (
    LOOKALIKE_PREFIX,
    NONE_INTENT,
    VAGUE_INTENT,
    Candidate,
    MatchResult,
    ReadAct,
    is_none,
    lookalike_id,
)
from bot.understanding.language import LanguageIdentifier
from bot.understanding.lemmas import Lemmatizer
from bot.understanding.memo import Memo, digest
from bot.understanding.model import LinearModel, ModelCache
from bot.understanding.scope import (
    UNKNOWN_WORD_FREQUENCY,
    Evidence,
    GeneralFrequency,
    Scope,
    TopicWords,
)
from bot.understanding.text import (
    asks_for_a_task,
    asks_for_someone,
    doubts_a_mail,
    fold_word,
    generic_terms,
    holds,
    names_app_account,
    names_suspicion,
    opens_how_to,
    own_clauses,
    reads_as_a_question,
    rules,
    says_all_but_one_sender,
    says_app_hacked,
    says_broken,
    says_by_mistake,
    says_clicked_nothing,
    says_fault,
    says_forged_from_me,
    says_junk_arrives,
    says_kept_safe,
    says_mail_in_their_junk,
    says_many_affected,
    says_no_mail_app,
    says_nothing_changed,
    says_only_clicked,
    says_only_me,
    says_others_account,
    says_own_account_used,
    says_sender_sent,
    says_someone_else_hacked,
    term,
    tokens,
    working_positions,
)

# A question this short with a word for hacked ("er jeg hacket?") only fears a break-in:
# beside spam that arrived, no sign of one (``Matcher._alarm_of_own``).
CLAIM_MAX_WORDS = 5
# Messages shorter than this many words are near copies only when identical.
NEAR_COPY_MIN_WORDS = 3
# How far an urgent problem raised by ``_urgent_first`` leads the label it beat.
URGENT_LEAD = 1e-6


@dataclass
class Matcher:
    """Classifies messages against one knowledge base; build once, call ``classify`` often."""

    model: LinearModel
    scope: Scope
    phrases: tuple[str, ...]  # folded, for near copies
    phrase_intents: tuple[str, ...]
    settings: MatcherSettings
    lemmatizer: Lemmatizer
    frequency: GeneralFrequency
    language_identifier: LanguageIdentifier
    default_language: str = "nb"
    max_chars: int = Limits().max_inbound_chars
    problems: frozenset[str] = frozenset()
    vague: tuple[str, ...] = ()
    replies: ReplyReader | None = None
    urgent: frozenset[str] = frozenset()  # problems that alarm (a hacked account)
    # questions about a topic's subject ("sletter det bildene mine?"), not about fixbot
    topical_questions: frozenset[str] = frozenset()
    # each problem's alerts, folded as messages are: (alert, problem id)
    alerts: tuple[tuple[str, str], ...] = ()
    # each look-alike's words, folded: "glemt" is a word of other things ("glemt passordet
    # til Vipps") and of the forgotten-password look-alike's own phrases
    lookalike_words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # the problems of many people at once ("everyone-affected"): what a group has
    shared: frozenset[str] = frozenset()
    # problems whose phrases all but always name the topic's subject ("mail", "innboksen"):
    # a message naming none is hardly one ("my wifi keeps dropping on my iPhone")
    subject_bound: frozenset[str] = frozenset()
    # the requests (a person, "human"): asked for, never told
    requests: frozenset[str] = frozenset()
    # the problems of one sender's mail ("one-sender-missing")
    one_sender: frozenset[str] = frozenset()
    # what, named beside another device, still means a problem: the Sent folder shows on
    # the computer too (problem id -> folded phrases)
    seen_elsewhere: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # look-alikes none of whose phrases names the topic ("hvem er du?"): not the answer to
    # a message that does ("kan du fikse mailen?" is about the mail, not about fixbot)
    untopical_lookalikes: frozenset[str] = frozenset()
    # recent readings by a digest of their inputs (a text typed again is not read again)
    _classified: Memo[MatchResult] = field(init=False, repr=False, compare=False)
    _read: Memo[ReadAct | None] = field(init=False, repr=False, compare=False)
    # the phrases' indices by length, their lengths and the phrases in that order: a near
    # copy is about as long as its phrase (``_near_copy``)
    _by_length: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _lengths: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _sorted_phrases: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._classified = Memo(self.settings.memo_size)
        self._read = Memo(self.settings.memo_size)
        order = sorted(range(len(self.phrases)), key=lambda i: len(self.phrases[i]))
        self._by_length = tuple(order)
        self._lengths = tuple(len(self.phrases[i]) for i in order)
        self._sorted_phrases = tuple(self.phrases[i] for i in order)

    @classmethod
    def build(
        cls,
        knowledge: Knowledge,
        settings: MatcherSettings,
        *,
        default_language: str = "nb",
        max_chars: int = Limits().max_inbound_chars,
        cache_dir: Path | None = None,
    ) -> Matcher:
        """Fit (or load from ``cache_dir``) the model for every phrase of ``knowledge``."""
        vague = tuple(dict.fromkeys(p for topic in knowledge.topics.values() for p in topic.vague))
        matcher = cls.from_phrases(
            _knowledge_entries(knowledge),
            settings,
            default_language=default_language,
            max_chars=max_chars,
            cache_dir=cache_dir,
            problems=frozenset(knowledge.problems),
            vague=vague,
            topic=_topic_words(knowledge),
        )
        matcher.urgent = frozenset(p.id for p in knowledge.problems.values() if p.urgent)
        matcher.shared = frozenset(p.id for p in knowledge.problems.values() if p.shared)
        matcher.requests = frozenset(knowledge.requests)
        matcher.subject_bound = frozenset(
            problem.id
            for problem in knowledge.problems.values()
            if _share_naming_subject(problem.phrases, matcher.scope) >= settings.subject_bound_share
        )
        matcher.one_sender = frozenset(p.id for p in knowledge.problems.values() if p.one_sender)
        matcher.seen_elsewhere = {
            problem.id: tuple(
                place for phrase in problem.seen_elsewhere if (place := tuple(tokens(phrase)))
            )
            for problem in knowledge.problems.values()
            if problem.seen_elsewhere
        }
        matcher.topical_questions = frozenset(q.id for q in knowledge.questions.values() if q.topic)
        matcher.alerts = tuple(
            (" ".join(folded), problem.id)
            for problem in knowledge.problems.values()
            for _, alert in problem.alerts.items()
            if (folded := tokens(alert))
        )
        matcher.lookalike_words = {
            lookalike.id: frozenset(
                token for _, phrase in lookalike.phrases.items() for token in tokens(phrase)
            )
            for lookalike in knowledge.lookalikes.values()
        }
        matcher.untopical_lookalikes = frozenset(
            lookalike.id
            for lookalike in knowledge.lookalikes.values()
            if not any(
                matcher.scope.names_topic(tokens(phrase)) for _, phrase in lookalike.phrases.items()
            )
        )
        matcher.replies = ReplyReader.build(
            knowledge, matcher.lemmatizer, ModelCache(cache_dir), matcher.frequency
        )
        return matcher

    @classmethod
    def from_phrases(
        cls,
        entries: Iterable[tuple[str, str, str]],
        settings: MatcherSettings,
        *,
        default_language: str = "nb",
        max_chars: int = Limits().max_inbound_chars,
        cache_dir: Path | None = None,
        problems: frozenset[str] = frozenset(),
        vague: tuple[str, ...] = (),
        topic: TopicWords | None = None,
    ) -> Matcher:
        """From (intent, language, phrase) triples; intent "none" marks off-topic text.

        ``problems``: the intents that are fix flows (only a message naming the
        topic can be one); ``vague``: the problems to ask between when a message
        names nothing but the topic. Without knowledge there is no lexicon, so a
        matcher built here reads no replies (``read_reply`` answers None); ``build``
        adds the reply reader.
        """
        lemmatizer = Lemmatizer(cache_dir=cache_dir)
        frequency = GeneralFrequency()
        rows = list(entries)
        texts = [phrase for _, _, phrase in rows]
        labels = [intent for intent, _, _ in rows]
        cache = ModelCache(cache_dir)
        words = topic or TopicWords()
        analysed: dict[str, Analysis] = {}

        def analyse_phrase(text: str) -> Analysis:
            if text not in analysed:
                analysed[text] = analyse(text, lemmatizer)
            return analysed[text]

        model = cache.fit("intents", texts, labels, settings.svm_c, analyse_phrase)
        scope = cache.scope(
            texts,
            labels,
            [*sorted(problems), "|", *words.key()],
            lambda: Scope.fit(
                (
                    (NONE_INTENT if is_none(label) else label, analyse_phrase(text))
                    for text, label in zip(texts, labels, strict=True)
                ),
                frequency,
                problems,
                words,
                NONE_INTENT,
            ),
        )
        folded = tuple(" ".join(tokens(text)) for text in texts)
        return cls(
            model,
            scope,
            folded,
            tuple(labels),
            settings,
            lemmatizer,
            frequency,
            LanguageIdentifier(default_language, cache_dir),
            default_language,
            max_chars,
            problems,
            vague,
        )

    def read_reply(self, text: str, *, rating: bool = False) -> ReadAct | None:
        """What a reply means mid-flow (or at the rating prompt); None without a reader."""
        replies = self.replies
        if replies is None:
            return None
        text = text[: self.max_chars]
        key = digest("read_reply", text, rating)
        return self._read.get(key, lambda: replies.read(text, rating=rating))

    def warm(self) -> None:
        """Load the lazily loaded data now (in the background at start-up): simplemma's
        dictionaries, wordfreq's lists and the language model."""
        self.lemmatizer.lemma("kontoene")
        self.frequency("kontoene")
        self.language_identifier.warm()

    def classify(
        self, text: str, prior_language: str | None = None, *, in_topic: bool = False
    ) -> MatchResult:
        """The decision for one message (never raises on odd input; long text is cut).

        ``in_topic``: the conversation is already about the topic (a fix is under way),
        so "the whole team has it too" or "på PC-en ser jeg dem" need not name the
        topic or its device again.
        """
        text = text[: self.max_chars]
        key = digest("classify", text, prior_language, in_topic)
        return self._classified.get(key, lambda: self._classify(text, prior_language, in_topic))

    def _classify(self, text: str, prior_language: str | None, in_topic: bool) -> MatchResult:
        guess = self.language_identifier.identify(text, prior_language)
        result = self._understand(text, guess.language, in_topic)
        return result if guess.confident else replace(result, language_told=False)

    def _understand(self, text: str, language: str, in_topic: bool) -> MatchResult:
        analysis = analyse(text, self.lemmatizer)
        if not analysis.tokens:
            return MatchResult("none", NONE_INTENT, 1.0, language, ())
        near = self._near_copy(analysis)
        if near is not None:
            if is_none(near):  # a copy of an off-topic example
                return MatchResult(
                    "none",
                    NONE_INTENT,
                    1.0,
                    language,
                    (),
                    outside=True,
                    lookalike=lookalike_id(near),
                )
            if near == VAGUE_INTENT:  # a copy of a vague phrase: ask (the model decides
                # how, and between which)
                return self._decide(analysis, language, in_topic, asks=reads_as_a_question(text))
            return MatchResult("match", near, 1.0, language, (Candidate(near, 1.0),))
        # the parts are split out of the text only when a phrase of working is in it
        working = (
            working_positions(text, len(analysis.tokens))
            if holds(analysis.tokens, rules().working)
            else frozenset()
        )
        evidence = self.scope.evidence(analysis, self.frequency, working)
        if says_no_mail_app(analysis.tokens):
            # "i dont have a Mail app, I only use outlook": another app's matter (playtest
            # 23: "new mail only when Mail is open" at 0.44); mid-flow an aside
            return MatchResult(
                "none", NONE_INTENT, 1.0, language, (), outside=True, elsewhere=in_topic
            )
        result = self._decide(
            analysis, language, in_topic, asks=reads_as_a_question(text), evidence=evidence
        )
        if in_topic:
            # mid-flow "printeren virker ikke heller" is an aside: another thing, a fault, and
            # no problem of the topic ("glem det" and "sitter i møte" name words the
            # off-topic phrases use, and no fault; "Google keeps sending me 'sign-in
            # blocked' alerts" is a problem)
            # (a mail service's own app is no aside: "outlook-appen virker heller ikke" tells
            # where else the mail fails)
            named = evidence.elsewhere and not evidence.about
            aside = named and result.decision == "none" and says_fault(analysis.tokens)
            result = replace(result, elsewhere=aside)
        return result

    def _vague_candidates(
        self, labels: Sequence[str], probabilities: np.ndarray
    ) -> tuple[Candidate, ...]:
        """The problems to ask between for a message naming only the topic."""
        return tuple(
            Candidate(p, round(float(probabilities[labels.index(p)]), 4))
            for p in self.vague
            if p in labels
        )

    def _ask_which(
        self, labels: Sequence[str], probabilities: np.ndarray, language: str
    ) -> MatchResult | None:
        """An "ambiguous" answer asking between the topic's vague problems, if it has any."""
        which = self._vague_candidates(labels, probabilities)
        if not which:
            return None
        return MatchResult("ambiguous", which[0].intent, which[0].score, language, which)

    def _question_first(self, scores: np.ndarray, labels: Sequence[str]) -> bool:
        """The best label is one of the topic's questions ("must I delete the account?")."""
        return labels[int(np.argmax(scores))] in self.topical_questions

    def _alerted(self, analysis: Analysis) -> frozenset[str]:
        """The problems one of whose alerts the message quotes, whole or nearly: an alert
        inside a longer message ("det står «Kan ikke hente e-post» hele tiden") counts,
        a message that is only part of one ("kan ikke") does not."""
        cutoff = self.settings.alert_match * 100.0
        found = set()
        for folded in filter(None, (analysis.folded, analysis.folded_without_hosts)):
            for alert, problem in self.alerts:
                # partial_ratio finds the shorter string in the longer: the alert must be it
                scorer = fuzz.partial_ratio if len(alert) <= len(folded) else fuzz.ratio
                if scorer(alert, folded, score_cutoff=cutoff):
                    found.add(problem)
        return frozenset(found)

    def _near_copy(self, analysis: Analysis) -> str | None:
        """The intent of a phrase the message copies nearly word for word, if any."""
        folded = analysis.folded
        short = len(analysis.tokens) < NEAR_COPY_MIN_WORDS
        ratio = 1.0 if short else self.settings.near_copy
        # rapidfuzz's ratio is 2 x common / (both lengths): at ``ratio`` or more, the
        # phrase is between these lengths (give or take one for rounding), and only those
        # are compared: a fifth of the phrases, or fewer
        shortest = math.ceil(len(folded) * ratio / (2.0 - ratio)) - 1
        longest = math.floor(len(folded) * (2.0 - ratio) / ratio) + 1
        low = bisect_left(self._lengths, shortest)
        high = bisect_right(self._lengths, longest)
        found = process.extractOne(
            folded, self._sorted_phrases[low:high], scorer=fuzz.ratio, score_cutoff=ratio * 100.0
        )
        return self.phrase_intents[self._by_length[low + found[2]]] if found is not None else None

    def _lookalike_fits(self, lookalike: str, evidence: Evidence) -> bool:
        """The look-alike's answer fits: no other device or service app named, and no
        word of other things but its own ("jeg har glemt passordet mitt" is the forgotten
        password's; "glemt passordet til Vipps" is not)."""
        if (evidence.foreign and not evidence.home) or evidence.service_app:
            return False
        if not evidence.elsewhere or evidence.about:
            return True
        return evidence.elsewhere_words <= self.lookalike_words.get(lookalike, frozenset())

    def _names_own_mail(self, folded_tokens: Sequence[str], working: Collection[int]) -> bool:
        """A word naming the mail with one of the writer's beside it ("mailen min", "my
        email", "e-postkontoen min"), not "en mail" or "kontoen min" alone, and not in a
        part that says it works ("E-posten min virker helt fint")."""
        own = rules().own_words
        for i, token in enumerate(folded_tokens):
            if i not in working and self.scope.names_subject(token):
                beside = [*folded_tokens[max(0, i - 1) : i], *folded_tokens[i + 1 : i + 2]]
                if own.intersection(beside):
                    return True
        return False

    def _alarm_of_own(self, analysis: Analysis) -> bool:
        """A clause naming the writer, with no sign that the alarm is not theirs, reads as
        the alarm by itself: "fikk en phishing-mail, trykket ikke på noe, men nå har noen
        logget inn på kontoen min fra Russland", "jeg får masse spam og tror jeg er hacket"."""
        tokens = analysis.tokens
        hacked = rules().hacked
        for start, end in own_clauses(tokens, analysis.sentence_starts):
            clause = tokens[start:end]
            if _not_theirs(clause):
                continue
            if (
                len(clause) <= CLAIM_MAX_WORDS
                and reads_as_a_question(" ".join(clause))
                and any(t.startswith(hacked) for t in clause)
            ):
                continue  # "er jeg hacket?", "am I hacked now": a fear asked, no sign of one

            part = Analysis(analysis.words[start:end], clause, analysis.lemmas[start:end])
            scores = self.model.scores(part)
            best = max(
                (i for i, label in enumerate(self.model.labels) if not is_none(label)),
                key=lambda i: scores[i],
            )
            if self.model.labels[best] in self.urgent and scores[best] >= self.settings.match_score:
                return True
        return False

    def _plain_language(self, analysis: Analysis) -> bool:
        """Most of the message's words are words of general Norwegian or English: it says
        something, about something else ("hva er saldoen på kontoen min?"), where
        "asdfgh qwerty" says nothing."""
        known = sum(self.frequency(word) > UNKNOWN_WORD_FREQUENCY for word in analysis.words)
        if known < self.settings.plain_language_share * len(analysis.words):
            return False
        # "funker ikke", "it doesn't work", "hjelp": nothing but generic words names no
        # other subject; such a message is only not understood
        generic = generic_terms()
        return any(t is not None and t not in generic for t in map(term, analysis.tokens))

    def _decide(
        self,
        analysis: Analysis,
        language: str,
        in_topic: bool = False,
        *,
        asks: bool = False,
        evidence: Evidence | None = None,
    ) -> MatchResult:
        s = self.settings
        if evidence is None:
            evidence = self.scope.evidence(analysis, self.frequency)
        # "untatt" is read as the knowledge's "unntatt": the model's n-grams would share
        # only part of a mistyped word
        scores = self.model.scores(_corrected(analysis, evidence.typos, self.lemmatizer))
        only_me = bool(self.shared) and says_only_me(analysis.tokens)
        if only_me:
            # "kollegaene mine får mail helt fint, det er bare meg": the group named works;
            # the writer alone has it (playtest 23: "others have it too" at 0.85); before
            # the alarm's close calls, which weigh it against the best label
            # ... and the alarm, which no word of a break-in asks for then ("det er bare meg
            # som ikke får mail, kollegaene får" read it next best)
            calm = set() if names_suspicion(analysis.tokens) else self.urgent
            scores = _lowered(scores, self.model.labels, {*self.shared, *calm}, s.foreign_penalty)
        if self.requests and not asks_for_someone(analysis.tokens):
            # "IT-avdelinga sier kontoen min har sendt ut 500 mailer": IT is a party in
            # what is told; a request for a person asks for one (before the alarm's close
            # calls, which weigh the alarm against the best label)
            scores = _lowered(scores, self.model.labels, self.requests, s.unanchored_penalty)
        # a story says more than the topic, and a hacked account told as one ("kona fikk en
        # rar lenke fra meg, er jeg hacka?") need not name mail or the iPhone: the topic
        # rules below spare the alarm then, when the model reads it best of the problems
        # or the writer's own account did what they did not ("det har jeg ikke gjort");
        # sparing it always made "hmm jeg har ikke noe som heter avansert. det er
        # jobbkontoen (exchange tror jeg)" an alarm once the rest fell (playtest 22)
        story = len(analysis.tokens) >= s.story_min_words
        from_me = says_own_account_used(analysis.tokens)
        leads = _leads(scores, self.model.labels, self.urgent, self.problems)
        # the topic's vague phrases fall with the problems: "outlook på pc-en funker ikke"
        # names no iPhone problem to ask between
        spared = self.urgent if story and (leads or from_me) else frozenset()
        guarded = (self.problems - spared) | {VAGUE_INTENT}
        labels = self.model.labels
        # "det står «Tilkoblingen til tjeneren mislyktes»": what the phone says names the
        # problem, and the topic, without a word for either
        alerted = self._alerted(analysis)
        if alerted:
            scores = _alert_first(scores, labels, alerted, s.match_score)
        # mail "fra meg", or a phishing page given the password ("trykket på lenken og
        # logget inn"): the writer's own account, which no look-alike is about (not
        # phishing that arrived and did no harm, not a colleague's account)
        # a click alone is no password given away ("trykket på lenken men lukket den med en
        # gang"): the look-alike's answer asks whether anything was typed in
        elsewhere = (
            (evidence.foreign and not evidence.home)
            or (evidence.elsewhere and not evidence.about)
            or evidence.service_app
        )
        if elsewhere and not in_topic:
            # "outlook på macen", "the Gmail app on my Pixel": another device's problem;
            # "får ikke sendt sms fra iphonen": another app's, even on the iPhone;
            # "Gmail-appen viser ikke nye mailer": mail, but in another app. A story of a
            # hacked account is spared, unless it names the other app ("Netflix-kontoen"),
            # and so is a question about the topic: "iCloud-lagringen er full" asks
            # nothing about the storage Mail needs
            named = evidence.named_app and not evidence.about
            # (a question asked of the topic keeps its answer when it names other apps as
            # what it fears for: "I have years of photos and WhatsApp chats on this phone,
            # does a reset delete any of that?")
            questions = frozenset() if asks and evidence.home else self.topical_questions
            lowered = self.problems | questions | {VAGUE_INTENT} if named else guarded
            if not (evidence.elsewhere or evidence.service_app):
                # "sent mail doesn't show on my laptop": another device, where a problem of
                # the topic shows (Sent on the computer)
                lowered = lowered.difference(
                    problem
                    for problem, places in self.seen_elsewhere.items()
                    if holds(analysis.tokens, places)
                )
            channels = rules().channels
            if (
                from_me
                and evidence.elsewhere_words <= channels
                # "WhatsApp-kontoen min er kapret": the chat app's own account
                and not names_app_account(analysis.tokens, channels)
            ):
                # "fikk en kode på SMS som jeg ikke ba om, så en pålogging fra en Windows-PC":
                # the SMS brought the alarm, the PC is the intruder's: a break-in disowned
                lowered = lowered - self.urgent
            scores = _lowered(scores, labels, lowered, s.foreign_penalty)
        if (
            not (evidence.anchored or evidence.about or alerted)
            and evidence.symptoms < s.unanchored_symptoms
            and not in_topic
        ):
            # every problem is about the topic ("mail", "iphone") or its subject ("utboksen"):
            # "wifien funker ikke" or "Teams spør om passord" must be very clearly one to
            # start a fix flow
            # ... but "jeg er hacket" is said of the mail account more often than of
            # anything this bot cannot help with: a strong word spares the alarm
            strong = evidence.specific >= s.alarm_min_evidence and (leads or from_me)
            unanchored = guarded - self.urgent if strong else guarded
            scores = _lowered(scores, labels, unanchored, s.unanchored_penalty)
        if self.subject_bound and not (evidence.about or alerted or in_topic):
            # "my iphone wont connect to wifi at all", "iphonen lader ikke lenger": the
            # phone and a fault, but not the mail, where these problems' phrases name it
            scores = _lowered(scores, labels, self.subject_bound, s.subject_penalty)
        if opens_how_to(analysis.tokens) and not alerted:
            if (evidence.anchored or evidence.about) and says_fault(analysis.tokens):
                # "hvordan fikser jeg at mailen ikke oppdateres", "how do I stop Mail asking
                # for my password": how to end a fault it names, where "hvordan" fills the
                # how-tos of other things
                scores = _lowered(
                    scores, labels, [x for x in labels if is_none(x)], s.unanchored_penalty
                )
            elif evidence.specific < s.specific_min:
                # "hvordan sletter jeg mange mailer på en gang?": how to do something with
                # the topic, in no word of a problem: a how-to the knowledge does not have
                scores = _lowered(scores, labels, self.problems, s.unanchored_penalty)
        fault = says_fault(analysis.tokens)
        if asks_for_a_task(analysis.tokens) and not fault:
            # "translate this email to norwegian please", "kan du oppsummere mailen?": a
            # task done with a mail, which no problem, question or person here is about
            # (not "the email with the translated contract is stuck in my outbox")
            scores = _lowered(
                scores, labels, [x for x in labels if not is_none(x)], s.unanchored_penalty
            )
        if not asks and fault:
            # "mailen kommer ikke inn, tror det er nettverket på jobb" tells a fault and asks
            # nothing: "nettverket" is the reset-network question's word, not a question
            scores = _lowered(scores, labels, self.topical_questions, s.unanchored_penalty)
        if evidence.specific < s.specific_min and not (
            asks and (evidence.anchored or evidence.about)
        ):
            # a question about the topic needs the topic or a word of its own: "the account
            # is locked" shares only "account" with "must I delete the account?"; and
            # naming the topic, it must ask: "mailen krangler" got the storage answer
            scores = _lowered(scores, labels, self.topical_questions, s.unanchored_penalty)
        # names the topic and nothing more: no symptom word, no word of its own either
        vague = (
            evidence.anchored
            and evidence.specific < s.specific_min
            and not evidence.unknown
            and not story
            and not alerted
        )
        # "can't login mail", "innloggingen feiler på mailen": a sign-in that fails, told in
        # a few words with no word for hacked, is a fault of the mail, not a break-in
        # ... not beside a word of suspicion ("noen har logget inn, nå feiler innloggingen",
        # "sperret etter mistenkelig aktivitet")
        failing = not story and fault and not names_suspicion(analysis.tokens)
        if (
            self.urgent
            and (evidence.specific < s.alarm_min_evidence or failing)
            and not from_me
            and (
                not story or opens_how_to(analysis.tokens) or says_nothing_changed(analysis.tokens)
            )
        ):
            # an alarm ("your account may be hacked") needs a strong word for it ("hacket",
            # "spam", "phishing") or a whole story: "e-posten min er død" shares only "min"
            # with its phrases, and "mailen er rar" only "rar". Asking how to do something
            # is no story: "hvordan setter jeg opp videresending av mailen min?"
            scores = _lowered(scores, labels, self.urgent, s.vague_urgent_penalty)
        if from_me:
            scores = _lowered(
                scores, labels, [x for x in labels if lookalike_id(x)], s.unanchored_penalty
            )
        # a close call between an alarm and anything else is an alarm in a story, or when
        # mail came "from me"; a few words ("får ikke logget inn på mailen") must make the
        # alarm themselves. A story asked as a question is no close call: one asks how
        # to do something ("hvordan endrer jeg signaturen i e-posten min på iPhone?") or
        # whether to ("skal jeg trykke på lenken?"), where a break-in is told; mail "from
        # me" stays one unless the knowledge answers the question ("må eg gjere det att?")
        # "kollegaen min er hacket": another person's account, which the look-alike answers,
        # unless the writer's own account is in it too; "jeg får masse spam", "fikk en
        # falsk lenke, har ikke trykket på den": what arrives. Spam that arrives is no
        # problem of mail's either ("får masse spam på jobbmailen, kan dere stoppe det?")
        junk = says_junk_arrives(analysis.tokens)
        their_junk = not from_me and says_mail_in_their_junk(analysis.tokens)
        if their_junk:
            # "kunden sier mailen min havnet i spam hos dem": the mail went out and arrived,
            # and the other end's spam filter sorted it: no break-in (playtest 18: the
            # urgent handoff, at 0.41), no fault of the phone's mail, and no look-alike's
            # (not someone else's hacked account)
            scores = _lowered(
                scores, labels, [x for x in labels if x != NONE_INTENT], s.foreign_penalty
            )
        apps = evidence.elsewhere_words - rules().channels - rules().mail_services
        if (
            self.urgent
            and not from_me
            and apps
            and (says_app_hacked(analysis.tokens, apps) or evidence.mail_works)
            # "noen har hacket mailen min, og nå er Facebook hacket også": the writer's
            # own mail named outside what is said to work is the alarm's all the same
            and not self._names_own_mail(analysis.tokens, evidence.working)
        ):
            # "my Instagram got hacked and they changed the email address on it", "Netflix
            # sendte meg en mail om at noen har logget inn ... E-posten min virker fint":
            # the other app's account, whatever the mail has to do with it
            scores = _lowered(scores, labels, self.urgent, s.foreign_penalty)
        if (
            self.urgent
            and not from_me
            and _not_theirs(analysis.tokens)
            and not self._alarm_of_own(analysis)
        ):
            # another person's account said to be hacked, with nothing of the writer's own
            # alarmed, is that person's: "my friend's email got hacked" weighs "hacked"
            # too much to be only nudged
            other = says_someone_else_hacked(analysis.tokens)
            penalty = s.foreign_penalty if other else s.unanchored_penalty
            scores = _lowered(scores, labels, self.urgent, penalty)
            if (junk or doubts_a_mail(analysis.tokens)) and not alerted:
                # what arrives is the look-alike's to answer, not a plain "about something
                # else" ("I'm getting tons of spam lately, how do I make it stop?"), and so
                # is a mail doubted ("a mail that claims to be from the IT helpdesk but the
                # domain is wrong" is no request for a person either)
                scores = _lowered(
                    scores,
                    labels,
                    [*self.problems, *self.requests, NONE_INTENT],
                    s.unanchored_penalty,
                )
        elif self.urgent and (
            (story and not asks)
            or (from_me and not (asks and self._question_first(scores, labels)))
        ):
            margin = s.own_account_margin if from_me else s.urgent_margin
            scores = _urgent_first(scores, labels, self.urgent, margin, over_lookalikes=from_me)
            if from_me:
                # the writer's own account in it, and the alarm on top: a match, not a
                # question between it and the rest ("det kommer svindelmail fra adressa mi")
                scores = _urgent_floor(scores, labels, self.urgent, s.match_score)
        if self.shared and not only_me and not from_me and says_many_affected(analysis.tokens):
            # "ingen på kontoret får e-post på iphonen": what one phone would have, told of
            # a group, is the problem of many; the model weighs "kontoret" as one word of many
            # ("Telenor-eposten virker ikke for noen i familien" names no problem: it is this)
            ordinary = (self.problems - self.urgent) | {VAGUE_INTENT}
            if (evidence.anchored or evidence.about) and not (elsewhere or evidence.mail_works):
                # "hele kontoret får ikke mail i dag": the mail named, a group's fault, and
                # the plain "none" on top is no reading of it either
                ordinary |= {NONE_INTENT}
            scores = _shared_first(scores, labels, self.shared, ordinary)
        topical = evidence.anchored or evidence.about
        if (
            self.one_sender
            and not (from_me or elsewhere or junk)
            and (
                # "alt kommer inn unntatt fra kollegaen min": mail, by what comes in
                (says_all_but_one_sender(analysis.tokens) and (topical or evidence.symptoms))
                # "kunden sier han har sendt flere mailer, men jeg har ikke fått noen"; a
                # shop that says the order was sent is no mail
                or (says_sender_sent(analysis.tokens) and topical)
            )
        ):
            # one sender's mail, whatever else the words share with other problems
            scores = _first_of_all(
                scores,
                labels,
                self.one_sender,
                s.match_score,
                over=self.problems - self.one_sender,
                margin=s.one_sender_margin,
            )
        probabilities = _softmax(scores * s.confidence_scale)
        order = [int(i) for i in np.argsort(-scores) if np.isfinite(scores[i])]
        real = [i for i in order if not is_none(labels[i]) and labels[i] != VAGUE_INTENT]
        vague_score = max(
            (float(scores[i]) for i in order if labels[i] == VAGUE_INTENT), default=-np.inf
        )
        none_score = max((float(scores[i]) for i in order if is_none(labels[i])), default=-np.inf)
        # the look-alike the message is, when its label beats every other (spam that
        # arrives, a colleague's hacked account): answered as such, still "none"; not
        # when it names another device or app ("glemt passordet til Vipps", "outlook på
        # macen"): the answers are about mail
        lookalike = lookalike_id(labels[order[0]]) if order else None
        # "kan du hjelpe meg med mailen?" reads as asking fixbot for help, and names the
        # mail: about the mail, so no look-alike that never names it, and which problem
        # is asked (as for a fault in no words)
        # ("kan du oversette denne mailen?" asks fixbot for another task: text rule tasks)
        asks_about_topic = (
            lookalike in self.untopical_lookalikes
            and (evidence.anchored or evidence.about)
            and not any(token.startswith(rules().tasks) for token in analysis.tokens)
        )
        if lookalike is not None and (
            asks_about_topic or not self._lookalike_fits(lookalike, evidence)
        ):
            lookalike = None

        def candidate(i: int) -> Candidate:
            return Candidate(labels[i], round(float(probabilities[i]), 4))

        candidates = tuple(candidate(i) for i in real[: s.max_candidates])
        top_score = float(scores[real[0]]) if real else -np.inf

        def none(confidence: float = 1.0) -> MatchResult:
            # about something else: another device or app named, or plain language that
            # does not name the mail ("mailen er så rar i dag" is ours, only not understood),
            # or mail in the other end's junk folder; weighed only for a "none"
            outside = (
                elsewhere or their_junk or (not evidence.about and self._plain_language(analysis))
            )
            return MatchResult(
                "none",
                NONE_INTENT,
                confidence,
                language,
                candidates,
                outside or bool(lookalike),
                lookalike,
            )

        if (evidence.best < s.scope_min and not alerted) or not real:
            return none()
        top = real[0]
        if none_score + s.none_margin >= max(top_score, vague_score):
            # "mailen virker ikke etter oppdateringen": the mail and a fault, in words no
            # problem knows; asked which, rather than told it is not understood
            if (
                evidence.about
                and not elsewhere
                and lookalike is None
                and (says_broken(analysis.tokens) or asks_about_topic)
            ):
                which = self._ask_which(labels, probabilities, language)
                if which is not None:
                    return which
            return none()
        asked: tuple[Candidate, ...] = ()
        # one word of the topic and nothing else ("Mail", "e-posten"): no model score
        # makes that a problem
        bare = vague and len({t for t in map(term, analysis.tokens) if t is not None}) <= 1
        if (vague and (bare or top_score < s.vague_match_score)) or vague_score > top_score:
            # "mailen min funker ikke": the topic and nothing more, by its words or as
            # the topic's vague phrases read; ask which problem
            asked = self._vague_candidates(labels, probabilities)
        if asked:
            return MatchResult("ambiguous", asked[0].intent, asked[0].score, language, asked)
        if labels[top] in self.topical_questions and not asks and says_broken(analysis.tokens):
            # "slettet kontoen og lagt den til igjen, men får fortsatt ikke mail" has the
            # words of "must I delete the account?" and asks nothing: a fault told, which
            # problem is asked rather than a question answered that nobody asked
            which = self._ask_which(labels, probabilities, language)
            if which is not None:
                return which
        confidence = round(float(probabilities[top]), 4)
        if top_score < s.ask_score:
            return none(round(1.0 - confidence, 4))
        second = float(scores[real[1]]) if len(real) > 1 else -np.inf
        if top_score >= s.match_score and top_score - second >= s.margin:
            return MatchResult("match", labels[top], confidence, language, candidates)
        if (evidence.specific < s.specific_min and says_broken(analysis.tokens)) or only_me:
            # "email broken pls help": a fault in no word of a problem; asked between the
            # main problems, not between whichever happen to score close (and so is "it's
            # only me", which tells whose fault, not which)
            which = self._ask_which(labels, probabilities, language)
            if which is not None:
                return which
        close = tuple(
            candidate(i)
            for i in real[: s.max_candidates]
            if top_score - float(scores[i]) <= s.ambiguous_window
        )
        return MatchResult(
            "ambiguous",
            labels[top],
            confidence,
            language,
            close if len(close) > 1 else candidates[:2],
        )


def _not_theirs(folded_tokens: Sequence[str]) -> bool:
    """A sign that the alarm is not the writer's: spam that arrives, a link not clicked
    or only clicked ("trykket på en lenke, men skrev ikke inn noe": the look-alike's
    answer asks whether anything was typed in),
    another person's hacked account, a forged sender, something the writer did by mistake,
    a mail whose truth is asked."""
    return (
        says_junk_arrives(folded_tokens)
        or says_someone_else_hacked(folded_tokens)
        or says_others_account(folded_tokens)
        or says_clicked_nothing(folded_tokens)
        or _clicked_and_typed_nothing(folded_tokens)
        or says_forged_from_me(folded_tokens)
        or says_by_mistake(folded_tokens)
        or doubts_a_mail(folded_tokens)
    )


def _clicked_and_typed_nothing(folded_tokens: Sequence[str]) -> bool:
    """A link clicked and typing denied in words ("trykket på en lenke, men skrev ikke inn
    noe"), and no word for hacked: "I think I got hacked after clicking a link" tells a
    break-in, which the click does not undo."""
    found = rules()
    return (
        says_only_clicked(folded_tokens)
        and says_kept_safe(folded_tokens, found.typing) is True
        and not any(token.startswith(found.hacked) for token in folded_tokens)
    )


def _corrected(
    analysis: Analysis, typos: Sequence[tuple[int, str]], lemmatizer: Lemmatizer
) -> Analysis:
    """``analysis`` with each mistyped word's token the knowledge word it is, and its
    lemma that word's."""
    if not typos:
        return analysis
    tokens, lemmas = list(analysis.tokens), list(analysis.lemmas)
    for i, word in typos:
        tokens[i] = word
        lemmas[i] = fold_word(lemmatizer.lemma(word))
    return Analysis(analysis.words, tuple(tokens), tuple(lemmas), analysis.sentence_starts)


def _lowered(
    scores: np.ndarray, labels: Sequence[str], which: Collection[str], penalty: float
) -> np.ndarray:
    """``scores`` with ``penalty`` taken off the labels in ``which``."""
    return scores - np.asarray([penalty if label in which else 0.0 for label in labels])


def _alert_first(
    scores: np.ndarray, labels: Sequence[str], alerted: Collection[str], floor: float
) -> np.ndarray:
    """``scores`` with the problems whose alert the message quotes raised just above the
    best label, and to at least ``floor``: what the phone says is the surest sign of the
    problem there is. The rules after this one still apply (another device named, an
    alarm in a story)."""
    scores = scores.copy()
    lead = max(float(scores.max()), floor) + URGENT_LEAD
    for i, label in enumerate(labels):
        if label in alerted:
            scores[i] = max(float(scores[i]), lead)
    return scores


def _shared_first(
    scores: np.ndarray, labels: Sequence[str], shared: Collection[str], problems: Collection[str]
) -> np.ndarray:
    """``scores`` with the best of the ``shared`` problems raised just above the best label
    when that is another of ``problems``: a group having it settles which problem, not
    whether the message is one (a "none" or an alarm on top stays)."""
    top = int(np.argmax(scores))
    if labels[top] not in problems or labels[top] in shared:
        return scores
    best = max((i for i, label in enumerate(labels) if label in shared), key=lambda i: scores[i])
    scores = scores.copy()
    scores[best] = scores[top] + URGENT_LEAD
    return scores


def _leads(
    scores: np.ndarray, labels: Sequence[str], chosen: Collection[str], among: Collection[str]
) -> bool:
    """One of ``chosen`` scores best of ``among`` (and of itself)."""
    best = max(
        (i for i, label in enumerate(labels) if label in among or label in chosen),
        key=lambda i: scores[i],
        default=None,
    )
    return best is not None and labels[best] in chosen


def _urgent_first(
    scores: np.ndarray,
    labels: Sequence[str],
    urgent: Collection[str],
    margin: float,
    *,
    over_lookalikes: bool,
) -> np.ndarray:
    """``scores`` with the best urgent label raised just above the best other label,
    "none" included, when it is within ``margin`` of it.

    A look-alike on top is the one close call the alarm loses, unless
    ``over_lookalikes``: the look-alikes are the stories that sound like a hacked
    account and are not (phishing that arrives, a colleague's account), and their
    answers say how to raise the alarm after all. ``over_lookalikes`` is for a message
    saying the mail came from the writer's own account, which no look-alike can be.

    The two mistakes cost differently: a hacked account walked through a fix flow keeps
    sending spam for as long as the flow takes; a false alarm costs someone in IT a look
    at a case they would have got anyway. So a close call goes to the alarm.
    """
    best_urgent = max(
        (i for i, label in enumerate(labels) if label in urgent), key=lambda i: scores[i]
    )
    top = max((i for i, label in enumerate(labels) if label not in urgent), key=lambda i: scores[i])
    if lookalike_id(labels[top]) and not over_lookalikes:
        return scores
    if scores[top] - margin <= scores[best_urgent] < scores[top]:
        scores = scores.copy()
        scores[best_urgent] = scores[top] + URGENT_LEAD
    return scores


def _first_of_all(
    scores: np.ndarray,
    labels: Sequence[str],
    chosen: Collection[str],
    floor: float,
    *,
    over: Collection[str] = (),
    margin: float = math.inf,
) -> np.ndarray:
    """``scores`` with the best of ``chosen`` raised just above every other label and to
    at least ``floor``: the words settle what the message is; but not over one of
    ``over`` that leads it by more than ``margin`` (another problem the words tell
    better: "han sendte den, men den kom ikke før jeg åpnet Mail")."""
    best = max((i for i, label in enumerate(labels) if label in chosen), key=lambda i: scores[i])
    rival = max((float(scores[i]) for i, label in enumerate(labels) if label in over), default=None)
    if rival is not None and rival - float(scores[best]) > margin:
        return scores
    others = [float(scores[i]) for i in range(len(labels)) if i != best]
    scores = scores.copy()
    scores[best] = max(scores[best], floor, max(others, default=floor) + URGENT_LEAD)
    return scores


def _urgent_floor(
    scores: np.ndarray, labels: Sequence[str], urgent: Collection[str], floor: float
) -> np.ndarray:
    """``scores`` with the best label raised to at least ``floor`` when it is urgent."""
    best = int(np.argmax(scores))
    if labels[best] not in urgent or scores[best] >= floor:
        return scores
    scores = scores.copy()
    scores[best] = floor
    return scores


def _softmax(values: np.ndarray) -> np.ndarray:
    shifted = np.exp(values - values.max())
    return shifted / shifted.sum()


def _topic_words(knowledge: Knowledge) -> TopicWords:
    topics = list(knowledge.topics.values())
    return TopicWords(
        devices=tuple(word for topic in topics for word in topic.devices),
        other_devices=tuple(word for topic in topics for word in topic.other_devices),
        subject=tuple(word for topic in topics for word in topic.subject),
        other_apps=tuple(word for topic in topics for word in topic.other_apps),
        other_things=tuple(word for topic in topics for word in topic.other_things),
        service_apps=tuple(word for topic in topics for word in topic.service_apps),
    )


def _share_naming_subject(phrases: Phrases, scope: Scope) -> float:
    """The share of ``phrases`` with a word naming the topic's subject ("mail" in
    "mailen")."""
    written = [tokens(phrase) for _, phrase in phrases.items()]
    named = sum(any(map(scope.names_subject, words)) for words in written)
    return named / len(written) if written else 0.0


def _knowledge_entries(knowledge: Knowledge) -> Iterable[tuple[str, str, str]]:
    yield from knowledge.intent_phrases()
    for topic in knowledge.topics.values():
        for language, phrase in topic.vague_phrases.items():
            yield VAGUE_INTENT, language, phrase
    lookalike_of = knowledge.lookalike_of()
    for language, phrase in knowledge.offtopic.items():
        found = lookalike_of.get(phrase)
        yield (NONE_INTENT if found is None else LOOKALIKE_PREFIX + found), language, phrase
