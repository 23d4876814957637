"""Scoring typed mid-flow replies in context: the figures ``fixbot eval`` prints for act files.

Each labelled reply ``{"text", "lang", "act"}`` is given to the real dialog at
step 2 of a fix flow (or, with ``"context": "rating"``, at the rating prompt
after a fix), and what the dialog *did* is read back as an act: the step
marked worked, not helped, skipped or gone back; the conversation stopped or
handed to IT; the step's help, the way to the setting, "later" or small talk
answered; a new problem taken up; a rating recorded. So the figure is the
bot's behaviour, not only the act model's guess.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from adapters.cli.evaluation import Tally, count, share_line, share_rows, shares, tally
from bot.dialog.conversation import (
    DialogState,
    Phase,
    RatingGiven,
    StepResult,
    Transition,
    Turn,
    Understood,
)
from bot.dialog.machine import Dialog
from bot.knowledge import Knowledge

ACTS = (
    "worked",
    "not_helped",
    "skip",
    "back",
    "stop",
    "human",
    "question",
    "cannot_find",
    "later",
    "new_problem",
    "smalltalk",
    "rating",
)
# other spellings of the act labels that labelled files may use
ALIASES = {
    "didnt_help": "not_helped",
    "not-helped": "not_helped",
    "not_worked": "not_helped",
    "person": "human",
    "handoff": "human",
    "it": "human",
    "step_question": "question",
    "cant_find": "cannot_find",
    "cannot-find": "cannot_find",
    "small_talk": "smalltalk",
    "new-problem": "new_problem",
    "correction": "new_problem",
    "previous": "back",
    "next": "skip",
}
_OUTCOME_ACTS = {"worked": "worked", "not_helped": "not_helped", "skipped": "skip", "back": "back"}
_SMALLTALK_WORDS = ("greeting", "thanks", "ack", "bye", "smalltalk", "help")
NOT_UNDERSTOOD = "not_understood"


@dataclass(frozen=True, slots=True)
class LabelledReply:
    text: str
    language: str
    act: str
    rating: bool  # given at the rating prompt, not at a step


def label(act: str) -> str:
    """The act name for a label, aliases resolved."""
    name = act.strip().lower()
    return ALIASES.get(name, name)


@dataclass
class ActEvaluation:
    """Every figure of one run over typed replies: overall, per act and language, confusions."""

    total: int = 0
    right: int = 0
    by_act: Tally = field(default_factory=tally)
    by_language: Tally = field(default_factory=tally)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[tuple[LabelledReply, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, reply: LabelledReply, done: str) -> None:
        right = done == reply.act
        self.total += 1
        self.right += right
        count(self.by_act, reply.act, right)
        count(self.by_language, reply.language, right)
        if not right:
            self.confusions[(reply.act, done)] += 1
            self.errors.append((reply, done))

    def as_json(self) -> dict[str, object]:
        return {
            "total": self.total,
            "accuracy": round(self.accuracy, 4),
            "by_act": shares(self.by_act),
            "by_language": shares(self.by_language),
            "confusions": [
                {"label": a, "done": b, "count": n} for (a, b), n in self.confusions.most_common()
            ],
        }

    def report(self, show_errors: bool = False) -> str:
        lines = [f"replies read right in context: {self.accuracy:.1%} ({self.right}/{self.total})"]
        lines.append("per language: " + share_line(self.by_language))
        lines.append("per act:")
        lines += share_rows(self.by_act, 14)
        if self.confusions:
            lines.append("worst confusions (label -> what the bot did):")
            lines += [f"  {a} -> {b}: {n}" for (a, b), n in self.confusions.most_common(8)]
        if show_errors:
            lines.append("not right:")
            lines += [f"  [{r.act} -> {done}] {r.text}" for r, done in self.errors]
        return "\n".join(lines)


def flow_for_evaluation(knowledge: Knowledge) -> str:
    """The first problem whose second step is an ordinary fix step (the held-out sets' setting)."""
    for problem in knowledge.problems.values():
        if len(problem.steps) >= 3 and knowledge.steps[problem.steps[1]].check is None:
            return problem.id
    raise ValueError("no problem with an ordinary second step to evaluate replies at")


def evaluate_acts(dialog: Dialog, replies: list[LabelledReply]) -> ActEvaluation:
    """Every reply given to the dialog in its context; what the dialog did, scored."""
    problem = flow_for_evaluation(dialog.knowledge)
    evaluation = ActEvaluation()
    for reply in replies:
        phase = Phase.RATING if reply.rating else Phase.IN_FLOW
        state = DialogState(
            phase=phase,
            language=reply.language if reply.language in ("nb", "en") else "nb",
            problem=problem,
            step_index=0 if reply.rating else 1,
            greeted=True,
            checks_shown=True,
        )
        transition = dialog.advance(state, Turn(text=reply.text))
        evaluation.add(reply, what_was_done(state, transition, dialog.knowledge))
    return evaluation


def what_was_done(before: DialogState, transition: Transition, knowledge: Knowledge) -> str:
    """The act the dialog's answer amounts to."""
    after = transition.state
    if after.misses > before.misses:
        return NOT_UNDERSTOOD
    for effect in transition.effects:
        if isinstance(effect, RatingGiven):
            return "rating"
        if isinstance(effect, StepResult):
            return _OUTCOME_ACTS.get(effect.outcome, effect.outcome)
    if after.phase is Phase.HANDED_OFF:
        return "human"
    if after.phase is Phase.ENDED or (after.phase is before.phase and _said(transition, "stop")):
        return "stop"
    if after.phase is Phase.CONFIRM_SWITCH or after.problem != before.problem:
        return "new_problem"
    if transition.new_conversation:
        return "new_problem"
    understood = [e for e in transition.effects if isinstance(e, Understood)]
    for effect in understood:
        if effect.intent in ("question", "cannot_find", "later"):
            return effect.intent
        if effect.intent in _SMALLTALK_WORDS:
            return "smalltalk"
        if effect.decision == "match" and effect.intent in knowledge.questions:
            return "question"  # a question the knowledge answers (an FAQ) mid-flow
        if effect.decision in ("match", "ambiguous") and effect.intent == before.problem:
            return "new_problem"  # a correction that names the problem already being fixed
    return NOT_UNDERSTOOD


def _said(transition: Transition, key: str) -> bool:
    return any(isinstance(e, Understood) and e.intent == key for e in transition.effects)
