"""The knowledge base: YAML files loaded into typed, validated, immutable objects.

The format is described in ``docs/knowledge-format.md``. Loading never stops at
the first mistake: every problem found is collected as a ``KnowledgeIssue``
(file, line, what is wrong) so ``fixbot kb check`` can report them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LANGUAGES: tuple[str, ...] = ("nb", "en")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Telegram allows 1..64 bytes of callback data; these are the longest payload
# shapes the dialog builds around an id (see bot/dialog/payloads.py).
CALLBACK_DATA_LIMIT = 64
LONGEST_PROBLEM_PAYLOAD = "step:skip:{id}:99"
LONGEST_INTENT_PAYLOAD = "switch:{id}"
LEXICON_KEYS: tuple[str, ...] = (
    "yes",
    "no",
    "worked",
    "not_helped",
    "skip",
    "back",
    "stop",
    "restart",
    "greeting",
    "thanks",
    "help",
    "to_nb",
    "to_en",
)
# Lexicon keys a knowledge base may leave out (older ones predate them).
OPTIONAL_LEXICON_KEYS: tuple[str, ...] = (
    "ack",
    "bye",
    "praise",
    "case_status",
    "mistake",
    "other_problem",
    "person",
    "bot_itself",
    "same_here",
)


@dataclass(frozen=True, slots=True)
class Text:
    """A text in both languages."""

    nb: str
    en: str

    def get(self, language: str) -> str:
        """The text in ``language``; Norwegian for anything but English."""
        return self.en if language == "en" else self.nb


@dataclass(frozen=True, slots=True)
class Phrases:
    """Phrase lists per language."""

    nb: tuple[str, ...]
    en: tuple[str, ...]

    def get(self, language: str) -> tuple[str, ...]:
        return self.en if language == "en" else self.nb

    def items(self) -> Iterable[tuple[str, str]]:
        """Every phrase with its language."""
        for phrase in self.nb:
            yield "nb", phrase
        for phrase in self.en:
            yield "en", phrase


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: Text
    before_you_start: Phrases
    closing: Text
    # problems to ask between when a message names only the topic ("mailen funker ikke")
    vague: tuple[str, ...] = ()
    # what people write that names the topic and nothing more ("problem med mailen"): the
    # matcher learns them as their own label, so no problem owns the generic words
    vague_phrases: Phrases = Phrases((), ())
    devices: tuple[str, ...] = ()  # the devices the topic is about ("iPhone", "telefon")
    other_devices: tuple[str, ...] = ()  # devices it is not about ("PC", "Mac", "Android")
    subject: tuple[str, ...] = ()  # words naming what it is about ("mail", "e-post")
    other_apps: tuple[str, ...] = ()  # apps and services it is not about ("SMS", "iCloud")
    # other office IT, neither a device mail is read on nor an app ("skriveren", "scanner"):
    # named, the message is about it, whatever it says of mail
    other_things: tuple[str, ...] = ()
    # services the topic serves whose own app it is not about: "Gmail" in Mail is ours,
    # "the Gmail app" is another app
    service_apps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Check:
    """A step that checks rather than fixes: its question and its two answers."""

    question: Text  # "Is the mail service up?"
    fine: Text  # button: nothing wrong there, go on to the next step
    fault: Text  # button: found it; nothing to fix on the phone, IT takes over
    # the fault this check finds is an outage (the service is down): the topic's closing
    # advice ("more steps won't help") and IT following it up, as when others have it too
    outage: bool = False
    # words that, all in the description, say the fault is told already ("jobbmailen sier
    # at telefonen er blokkert"): the check then says so instead of asking it again
    told_if: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    title: Text
    text: Text
    why: Text
    minutes: int
    cost: Text | None = None
    # what to do once the step has fixed it, so it stays fixed ("mark the sender as safe",
    # "turn the VPN back on"): said with the thanks, before anyone asks
    after: Text | None = None
    check: Check | None = None  # a check-only step asks this instead of "did that fix it?"
    # questions whose answers people want at this step ("sletter dette noe?" at the
    # network reset): offered as buttons when a question about the step is asked
    questions: tuple[str, ...] = ()
    # words that, all in the description a fix starts from, say the step is done or
    # answered already ("virker på wifi men ikke 4g" for "try another network"):
    # each entry one set of words, matched as word beginnings, not after a negation
    done_if: tuple[tuple[str, ...], ...] = ()
    # words that, all in a reply at this step, say it found the fault ("den lå i
    # søppelpost" at the junk-folder step): the reply is read as "it worked"
    found_if: tuple[tuple[str, ...], ...] = ()
    # what the step looks at, as word lists ("utboks", "vedlegg"): a reply that names one
    # with a negation or a word for empty ("Utboksen var tom", "ingen vedlegg") found
    # nothing there, so the step did not help (as for ``found_if``'s words, verbs aside)
    looks_for: tuple[tuple[str, ...], ...] = ()
    # the problem a reply starts when it disowns what the step shows ("det var ikke meg"
    # at the step that checks Google's sign-in alert): a break-in, the step's own "tell
    # me here" (text rule ``disowned``)
    if_disowned: str | None = None
    # the problem a "that worked" at this step shows it is ("funka på 4g" at "try another
    # network": the network blocks the mail): no fix, but where the fault is; that
    # problem's steps follow
    shows: str | None = None
    # words of which one set must be in the description for the step to apply at all
    # ("-4g": mail fails on mobile data); none: it always applies. A problem picked from
    # buttons has no description: every step applies then
    only_if: tuple[tuple[str, ...], ...] = ()
    # words that, all in the description or in a reply at this step, say the step does not
    # apply to this person, though it fits the problem ("trenger VPN for jobbmailen" at
    # the VPN step, "too old for new iOS" at the update): passed over without a word at
    # the start (nobody did it); mid-fix, such a reply moves on as a skip
    skip_if: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    id: str
    topic: str
    title: Text
    understood: Text
    steps: tuple[str, ...]
    escalation: Text
    phrases: Phrases
    handoff: bool = False
    urgent: bool = False  # a handoff that cannot wait (a hacked account): IT is told at once
    # what the device shows for this problem, word for word ("Kan ikke hente e-post"):
    # a message quoting one is about this problem (see docs/knowledge-format.md)
    alerts: Phrases = Phrases((), ())
    # the topic's before-you-start checks come before the first step; false for a problem
    # they have no bearing on (a Sent folder mapped to the wrong server folder)
    checks: bool = True
    # the problem of many people at once (the provider or the office network is down):
    # a message saying a group has it ("ingen på kontoret får e-post") is this problem
    shared: bool = False
    # the problem of one sender's mail: a message saying all but one sender's mail comes
    # ("alt kommer inn unntatt fra sjefen") or that the sender says it was sent is this one
    one_sender: bool = False
    # the problem of mail that does not go out: a reply saying someone got the mail
    # ("sjefen fikk mailen nå", "my colleague got the email") is the fix, not a group that
    # has the problem too
    sending: bool = False
    # what, named beside another device, still means this problem (phrases, words in a
    # row): the Sent folder shows on the computer too ("sent emails don't show in the sent
    # folder on my laptop"), where another device's name otherwise means another device's
    # problem ("Mail på Macen synkroniserer ikke", "Outlook på PC-en sendte ikke mailen")
    seen_elsewhere: tuple[str, ...] = ()
    # beginnings of verbs that tell this problem's fault and nothing else ("spør" of the
    # password prompt, "krasj" of a broken mailbox): negated mid-fix ("den har ikkje spurt
    # på en halvtime"), the fault has stopped, and the fix worked
    fault_verbs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    topic: str
    title: Text
    answer: Text
    phrases: Phrases


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    phrases: Phrases


@dataclass(frozen=True, slots=True)
class Lookalike:
    """Off-topic messages that look like this knowledge's and have one useful answer:
    spam or phishing that arrives (not a hacked account), a colleague's hacked account,
    a forgotten password. Still "none" (no fix, not in scope), answered with ``answer``.
    Its phrases are off-topic phrases too (``Knowledge.offtopic`` holds them)."""

    id: str
    answer: Text
    phrases: Phrases
    # the problem a "yes" to the answer's last question leads to ("if you typed in your
    # password there, tell me": a hacked account); None: no such question
    escalates_to: str | None = None
    # what follows the answer, where ``ui.lookalike_more`` ("want IT to look at it?")
    # does not fit (the self-introduction ends by asking what is wrong); None: that text
    more: Text | None = None
    # False: what it answers says nothing of a case for IT ("er du en robot?"): a request
    # for a person after it is asked what is wrong first
    case: bool = True


@dataclass(frozen=True, slots=True)
class Term:
    """A word the steps use that people ask about ("hva er SMTP?", "what's push?"):
    the names it goes by in each language, and a short explanation."""

    id: str
    names: Phrases
    text: Text


@dataclass(frozen=True, slots=True)
class Tip:
    id: str
    problems: tuple[str, ...]
    text: Text


@dataclass(frozen=True, slots=True)
class KnowledgeIssue:
    """One thing wrong in a knowledge directory."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base is broken; ``issues`` lists every problem found."""

    def __init__(self, issues: list[KnowledgeIssue]) -> None:
        self.issues = issues
        first = issues[0] if issues else "no issues"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(f"knowledge base is invalid: {first}{more}")


@dataclass(frozen=True)
class Knowledge:
    """The whole knowledge base, validated and ready to match and talk with."""

    topics: Mapping[str, Topic]
    steps: Mapping[str, Step]
    problems: Mapping[str, Problem]
    questions: Mapping[str, Question]
    requests: Mapping[str, Request]
    tips: tuple[Tip, ...]
    lexicon: Mapping[str, Phrases]
    ui: Mapping[str, Text]
    files: tuple[str, ...] = field(default=())
    # messages that are about something else (other IT, small talk): the matcher
    # learns "none" from them; optional, see docs/knowledge-format.md
    offtopic: Phrases = field(default=Phrases((), ()))
    # off-topic messages with an answer of their own (their phrases are in ``offtopic``)
    lookalikes: Mapping[str, Lookalike] = field(default_factory=dict)
    # words of the steps explained when asked about ("hva er utboks?"); optional
    glossary: Mapping[str, Term] = field(default_factory=dict)

    def text(self, key: str, language: str, **values: object) -> str:
        """The UI string ``key`` in ``language`` with ``values`` filled in."""
        template = self.ui[key].get(language)
        return template.format(**values) if values else template

    def intent_phrases(self) -> Iterable[tuple[str, str, str]]:
        """Every (intent id, language, phrase) the matcher should know."""
        for group in (self.problems, self.questions, self.requests):
            for intent_id, item in group.items():
                for language, phrase in item.phrases.items():
                    yield intent_id, language, phrase

    def lookalike_of(self) -> dict[str, str]:
        """Each off-topic phrase that belongs to a look-alike -> the look-alike's id."""
        return {
            phrase: lookalike.id
            for lookalike in self.lookalikes.values()
            for _, phrase in lookalike.phrases.items()
        }

    def tips_for(self, problem_id: str) -> tuple[Tip, ...]:
        return tuple(tip for tip in self.tips if problem_id in tip.problems)


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings remember the line they start on."""


class _LineDict(dict[Any, Any]):
    line: int = 0


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def default_knowledge_dir() -> Path:
    """The knowledge base shipped inside the package."""
    import knowledge as shipped  # the data package beside bot/

    return Path(shipped.__file__).resolve().parent


def load_knowledge(directory: Path) -> Knowledge:
    """Load and validate every ``*.yaml`` below ``directory``.

    Raises ``KnowledgeError`` with every issue found when anything is wrong.
    """
    from bot.knowledge_validation import KnowledgeBuilder

    builder = KnowledgeBuilder(directory)
    files = sorted(directory.rglob("*.yaml"))
    if not files:
        raise KnowledgeError([KnowledgeIssue(str(directory), 0, "no *.yaml files found")])
    for path in files:
        try:
            with path.open(encoding="utf-8") as handle:
                document = yaml.load(handle, Loader=_LineLoader)  # a SafeLoader subclass
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            problem = getattr(error, "problem", None) or str(error)
            builder.issue(path, line, f"invalid YAML: {problem}")
            builder.unreadable = True
            continue
        except (OSError, UnicodeDecodeError) as error:
            builder.issue(path, 0, f"cannot read file: {error}")
            builder.unreadable = True
            continue
        builder.add_document(path, document)
    return builder.build()
