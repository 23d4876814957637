"""Turns parsed YAML documents into a ``Knowledge``, collecting every issue on the way."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from bot.knowledge import (
    LANGUAGES,
    LEXICON_KEYS,
    LONGEST_INTENT_PAYLOAD,
    LONGEST_PROBLEM_PAYLOAD,
    Knowledge,
    KnowledgeError,
    Lookalike,
    Phrases,
    Problem,
    Question,
    Request,
    Step,
    Term,
    Text,
    Tip,
    Topic,
)
from bot.knowledge_fields import FieldReader, Holder, line_of

T = TypeVar("T")
SECTIONS = (
    "topics",
    "steps",
    "problems",
    "questions",
    "requests",
    "tips",
    "lexicon",
    "ui",
    "offtopic",
    "lookalikes",
    "glossary",
)


class KnowledgeBuilder(FieldReader):
    """Collects sections from many files, then validates references across them."""

    unreadable = False  # set when a file could not be parsed (see build)

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._files: list[str] = []
        self._topics: dict[str, Topic] = {}
        self._steps: dict[str, Step] = {}
        self._problems: dict[str, Problem] = {}
        self._questions: dict[str, Question] = {}
        self._requests: dict[str, Request] = {}
        self._tips: list[Tip] = []
        self._lexicon: dict[str, Phrases] = {}
        self._ui: dict[str, Text] = {}
        self._offtopic: dict[str, list[str]] = {language: [] for language in LANGUAGES}
        self._lookalikes: dict[str, Lookalike] = {}
        self._glossary: dict[str, Term] = {}
        self._references: list[tuple[str, int, str, str]] = []  # file, line, kind, id

    # -- documents ---------------------------------------------------------

    def add_document(self, path: Path, document: Any) -> None:
        file = self._name(path)
        self._files.append(file)
        if document is None:
            self.issue(file, 1, "file is empty")
            return
        if not isinstance(document, dict):
            self.issue(file, 1, "top level must be a mapping of sections")
            return
        for key, value in document.items():
            if key not in SECTIONS:
                self.issue(file, line_of(document), f"unknown section {key!r}")
                continue
            getattr(self, f"_add_{key}")(file, value, line_of(document))

    # -- sections ----------------------------------------------------------

    def _add_topics(self, file: str, value: Any, line: int) -> None:
        for item in self._items(file, value, line, "topics"):
            topic_id = self._id(file, item, "topic")
            vague = item.get("vague") or []
            if not isinstance(vague, list) or not all(isinstance(v, str) for v in vague):
                self.issue(
                    file, line_of(item), f"{topic_id}: 'vague' must be a list of problem ids"
                )
                vague = []
            for problem_id in vague:
                self._references.append((file, line_of(item), "problem", problem_id))
            topic = Topic(
                id=topic_id or "",
                title=self._text(file, item, "title"),
                before_you_start=self._phrases(file, item, "before_you_start", topic_id or "?"),
                closing=self._text(file, item, "closing"),
                vague=tuple(vague),
                vague_phrases=(
                    self._phrases(file, item, "vague_phrases", topic_id or "?")
                    if "vague_phrases" in item
                    else Phrases((), ())
                ),
                devices=self._words(file, item, "devices"),
                other_devices=self._words(file, item, "other_devices"),
                subject=self._words(file, item, "subject"),
                other_apps=self._words(file, item, "other_apps"),
                other_things=self._words(file, item, "other_things"),
                service_apps=self._words(file, item, "service_apps"),
            )
            if topic_id:
                self._topics[topic_id] = topic

    def _add_steps(self, file: str, value: Any, line: int) -> None:
        for item in self._items(file, value, line, "steps"):
            step_id = self._id(file, item, "step")
            minutes = item.get("minutes")
            if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
                self.issue(file, line_of(item), f"{step_id}: 'minutes' must be a whole number >= 0")
                minutes = 0
            step = Step(
                id=step_id or "",
                title=self._text(file, item, "title"),
                text=self._text(file, item, "text"),
                why=self._text(file, item, "why"),
                minutes=minutes,
                cost=self._text(file, item, "cost") if "cost" in item else None,
                after=self._text(file, item, "after") if "after" in item else None,
                check=self._check(file, item) if "check" in item else None,
                questions=self._question_ids(file, item, step_id),
                done_if=self._word_lists(file, item, step_id, "done_if"),
                only_if=self._word_lists(file, item, step_id, "only_if"),
                skip_if=self._word_lists(file, item, step_id, "skip_if"),
                found_if=self._word_lists(file, item, step_id, "found_if"),
                looks_for=self._word_lists(file, item, step_id, "looks_for"),
                if_disowned=self._problem_ref(file, item, step_id, "if_disowned"),
                shows=self._problem_ref(file, item, step_id, "shows"),
            )
            if step_id:
                self._steps[step_id] = step

    def _problem_ref(
        self, file: str, item: dict[str, Any], step_id: str | None, key: str
    ) -> str | None:
        """A step's reference to a problem by id (checked once all are read), or None."""
        problem_id = item.get(key)
        if problem_id is None:
            return None
        if not isinstance(problem_id, str) or not problem_id:
            self.issue(file, line_of(item), f"{step_id}: '{key}' must be a problem id")
            return None
        self._references.append((file, line_of(item), "problem", problem_id))
        return problem_id

    def _question_ids(
        self, file: str, item: dict[str, Any], step_id: str | None
    ) -> tuple[str, ...]:
        """A step's related questions: a list of question ids (checked once all are read)."""
        ids = item.get("questions", [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            self.issue(
                file, line_of(item), f"{step_id}: 'questions' must be a list of question ids"
            )
            return ()
        for question_id in ids:
            self._references.append((file, line_of(item), "question", question_id))
        return tuple(ids)

    def _add_problems(self, file: str, value: Any, line: int) -> None:
        for item in self._items(file, value, line, "problems"):
            problem_id = self._id(file, item, "problem")
            item_line = line_of(item)
            steps = item.get("steps", [])
            if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
                self.issue(file, item_line, f"{problem_id}: 'steps' must be a list of step ids")
                steps = []
            handoff = self._flag(file, item, item_line, problem_id, "handoff", False)
            checks = self._flag(file, item, item_line, problem_id, "checks", True)
            shared = self._flag(file, item, item_line, problem_id, "shared", False)
            one_sender = self._flag(file, item, item_line, problem_id, "one_sender", False)
            sending = self._flag(file, item, item_line, problem_id, "sending", False)
            seen_elsewhere = self._words(file, item, "seen_elsewhere", problem_id, "phrases")
            fault_verbs = self._words(file, item, "fault_verbs", problem_id)
            if not steps and not handoff:
                self.issue(file, item_line, f"{problem_id}: no steps and not a handoff problem")
            topic = item.get("topic")
            if not isinstance(topic, str):
                self.issue(file, item_line, f"{problem_id}: missing 'topic'")
                topic = ""
            else:
                self._references.append((file, item_line, "topic", topic))
            for step_id in steps:
                self._references.append((file, item_line, "step", step_id))
            problem = Problem(
                id=problem_id or "",
                topic=topic,
                title=self._text(file, item, "title"),
                understood=self._text(file, item, "understood"),
                steps=tuple(steps),
                escalation=self._text(file, item, "escalation"),
                phrases=self._phrases(file, item, "phrases", problem_id or "?"),
                handoff=handoff,
                checks=checks,
                shared=shared,
                one_sender=one_sender,
                sending=sending,
                seen_elsewhere=seen_elsewhere,
                fault_verbs=fault_verbs,
                urgent=self._urgent(file, item, problem_id or "?", handoff),
                alerts=(
                    self._phrases(file, item, "alerts", problem_id or "?")
                    if "alerts" in item
                    else Phrases((), ())
                ),
            )
            if problem_id:
                self._payload_fits(file, item_line, LONGEST_PROBLEM_PAYLOAD, problem_id)
                self._problems[problem_id] = problem

    def _flag(
        self, file: str, item: dict[str, Any], line: int, owner: str | None, key: str, default: bool
    ) -> bool:
        """The true-or-false field ``key`` of ``item``; ``default`` when absent or not a bool."""
        value = item.get(key, default)
        if not isinstance(value, bool):
            self.issue(file, line, f"{owner}: '{key}' must be true or false")
            return default
        return value

    def _add_questions(self, file: str, value: Any, line: int) -> None:
        for item in self._items(file, value, line, "questions"):
            question_id = self._id(file, item, "question")
            topic = item.get("topic", "")
            if isinstance(topic, str) and topic:
                self._references.append((file, line_of(item), "topic", topic))
            question = Question(
                id=question_id or "",
                topic=topic if isinstance(topic, str) else "",
                title=self._text(file, item, "title"),
                answer=self._text(file, item, "answer"),
                phrases=self._phrases(file, item, "phrases", question_id or "?"),
            )
            if question_id:
                self._payload_fits(file, line_of(item), LONGEST_INTENT_PAYLOAD, question_id)
                self._questions[question_id] = question

    def _add_requests(self, file: str, value: Any, line: int) -> None:
        for item in self._items(file, value, line, "requests"):
            request_id = self._id(file, item, "request")
            phrases = self._phrases(file, item, "phrases", request_id or "?")
            if request_id:
                self._requests[request_id] = Request(id=request_id, phrases=phrases)

    def _add_tips(self, file: str, value: Any, line: int) -> None:
        for item in self._items(file, value, line, "tips"):
            tip_id = self._id(file, item, "tip")
            problems = item.get("problems", [])
            if not isinstance(problems, list) or not problems:
                self.issue(file, line_of(item), f"{tip_id}: 'problems' must list problem ids")
                problems = []
            for problem_id in problems:
                self._references.append((file, line_of(item), "problem", str(problem_id)))
            tip = Tip(
                id=tip_id or "",
                problems=tuple(str(p) for p in problems),
                text=self._text(file, item, "text"),
            )
            if tip_id:
                self._tips.append(tip)

    def _add_offtopic(self, file: str, value: Any, line: int) -> None:
        """Off-topic phrases (nb and en lists); several files add to one pool."""
        holder = Holder({"offtopic": value})
        holder.line = line_of(value) or line
        phrases = self._phrases(file, holder, "offtopic", "offtopic")
        for language in LANGUAGES:
            self._offtopic[language].extend(phrases.get(language))

    def _add_lookalikes(self, file: str, value: Any, line: int) -> None:
        """Off-topic messages with an answer; their phrases join the off-topic pool."""
        for item in self._items(file, value, line, "lookalikes"):
            lookalike_id = self._id(file, item, "lookalike")
            phrases = self._phrases(file, item, "phrases", lookalike_id or "?")
            answer = self._text(file, item, "answer")
            escalates_to = item.get("escalates_to")
            if escalates_to is not None:
                if not isinstance(escalates_to, str):
                    self.issue(
                        file, line_of(item), f"{lookalike_id}: 'escalates_to' is a problem id"
                    )
                    escalates_to = None
                else:
                    self._references.append((file, line_of(item), "problem", escalates_to))
            more = self._text(file, item, "more") if "more" in item else None
            case = item.get("case", True)
            if not isinstance(case, bool):
                self.issue(file, line_of(item), f"{lookalike_id}: 'case' is true or false")
                case = True
            if lookalike_id:
                self._lookalikes[lookalike_id] = Lookalike(
                    lookalike_id, answer, phrases, escalates_to, more, case
                )
                for language in LANGUAGES:
                    self._offtopic[language].extend(phrases.get(language))

    def _add_glossary(self, file: str, value: Any, line: int) -> None:
        """Words of the steps with a short explanation, for "hva er SMTP?"."""
        for item in self._items(file, value, line, "glossary"):
            term_id = self._id(file, item, "term")
            names = self._phrases(file, item, "names", term_id or "?")
            text = self._text(file, item, "text")
            if term_id:
                self._glossary[term_id] = Term(term_id, names, text)

    def _add_lexicon(self, file: str, value: Any, line: int) -> None:
        self._add_mapping(file, value, line, "lexicon", self._lexicon, self._phrases)

    def _add_ui(self, file: str, value: Any, line: int) -> None:
        self._add_mapping(file, value, line, "ui", self._ui, self._text)

    def _add_mapping(
        self,
        file: str,
        value: Any,
        line: int,
        section: str,
        target: dict[str, T],
        read: Callable[..., T],
    ) -> None:
        if not isinstance(value, dict):
            self.issue(file, line, f"{section} must be a mapping of keys")
            return
        for key in value:
            if key in target:
                self.issue(file, line_of(value), f"duplicate {section} key {key!r}")
                continue
            holder = Holder({"id": key, "value": value[key]})
            holder.line = line_of(value[key]) or line_of(value)
            if section == "lexicon":
                target[key] = read(file, holder, "value", f"lexicon {key}")
            else:
                target[key] = read(file, holder, "value")

    # -- cross references --------------------------------------------------

    def build(self) -> Knowledge:
        known: dict[str, Mapping[str, object]] = {
            "topic": self._topics,
            "step": self._steps,
            "problem": self._problems,
            "question": self._questions,
        }
        # A file that could not be read defines nothing: what refers to it would only
        # repeat its one error many times over, so those checks wait for the fix.
        for file, line, kind, ref in () if self.unreadable else self._references:
            if ref not in known[kind]:
                self.issue(file, line, f"unknown {kind} id {ref!r}")
        for key in () if self.unreadable else LEXICON_KEYS:
            if self._files and key not in self._lexicon:
                self.issue("lexicon", 0, f"lexicon is missing key {key!r}")
        if not self._problems and not self.unreadable:
            self.issue(str(self._root), 0, "no problems defined")
        if self.issues:
            raise KnowledgeError(self.issues)
        return Knowledge(
            topics=dict(self._topics),
            steps=dict(self._steps),
            problems=dict(self._problems),
            questions=dict(self._questions),
            requests=dict(self._requests),
            tips=tuple(self._tips),
            lexicon=dict(self._lexicon),
            offtopic=Phrases(nb=tuple(self._offtopic["nb"]), en=tuple(self._offtopic["en"])),
            lookalikes=dict(self._lookalikes),
            glossary=dict(self._glossary),
            ui=dict(self._ui),
            files=tuple(self._files),
        )
