"""Scoring whole conversations typed turn by turn: the figures ``fixbot eval`` prints for them.

A labelled conversation is a first message labelled with its problem, then the
person's typed replies, each labelled with what a support agent would take it
for (an act of ``adapters.cli.act_evaluation``, or ``check_fine`` /
``check_fault`` at a yes/no check step). The replies are given to the real
dialog one after another, so each is read in the context the conversation has
reached: any step of any problem, the rating prompt, a check.

Where the dialog does something else than the label, the label's own button is
pressed from the state before (a step's outcome, a problem picked), or the
state is kept (a question, small talk), so one misreading does not put every
later reply of the conversation at the wrong step: each turn is scored where
the person meant to be.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from adapters.cli.act_evaluation import ACTS, what_was_done
from adapters.cli.evaluation import Tally, count, share_line, share_rows, shares, tally
from bot.dialog import payloads
from bot.dialog.conversation import DialogState, Phase, StepResult, Transition, Turn
from bot.dialog.machine import Dialog
from bot.knowledge import Knowledge

CHECK_ACTS = ("check_fine", "check_fault")
# the labels a reply may carry
REPLY_ACTS = (*ACTS, *CHECK_ACTS)
# a label's own button, pressed when the dialog read the turn otherwise
_STEP_VERBS = {
    "worked": "ok",
    "not_helped": "no",
    "skip": "skip",
    "back": "back",
    "check_fine": "fine",
    "check_fault": "fault",
}
# labels after which the person stays where they were (the dialog's other reading is undone)
_STAYS = ("question", "cannot_find", "smalltalk")
# a fixed clock: the dialog's answers must not depend on when the evaluation runs
_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class LabelledTurn:
    text: str
    expect: str


@dataclass(frozen=True, slots=True)
class LabelledConversation:
    id: str
    language: str
    turns: tuple[LabelledTurn, ...]


@dataclass
class ConversationEvaluation:
    """Every figure of one run over labelled conversations."""

    conversations: int = 0
    conversations_right: int = 0
    first_total: int = 0
    first_right: int = 0
    replies: int = 0
    replies_right: int = 0
    by_act: Tally = field(default_factory=tally)
    by_context: Tally = field(default_factory=tally)
    by_language: Tally = field(default_factory=tally)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    @property
    def reply_accuracy(self) -> float:
        return self.replies_right / self.replies if self.replies else 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "conversations": self.conversations,
            "conversations_right": self.conversations_right,
            "first_messages": self.first_total,
            "first_messages_right": self.first_right,
            "replies": self.replies,
            "reply_accuracy": round(self.reply_accuracy, 4),
            "by_act": shares(self.by_act),
            "by_context": shares(self.by_context),
            "by_language": shares(self.by_language),
            "confusions": [
                {"label": a, "done": b, "count": n} for (a, b), n in self.confusions.most_common()
            ],
        }

    def report(self, show_errors: bool = False) -> str:
        lines = [
            f"replies read right in their conversation: {self.reply_accuracy:.1%} "
            f"({self.replies_right}/{self.replies})",
            f"first messages right: {self.first_right}/{self.first_total}; "
            f"conversations right throughout: {self.conversations_right}/{self.conversations}",
            "per language: " + share_line(self.by_language),
            "per act:",
            *share_rows(self.by_act, 14),
            "per context (the step or prompt replied to):",
            *share_rows(self.by_context, 22),
        ]
        if self.confusions:
            lines.append("worst confusions (label -> what the bot did):")
            lines += [f"  {a} -> {b}: {n}" for (a, b), n in self.confusions.most_common(8)]
        if show_errors:
            lines.append("not right:")
            lines += [
                f"  {where} [{context}] [{expect} -> {done}] {text}"
                for where, context, expect, done, text in self.errors
            ]
        return "\n".join(lines)


def evaluate_conversations(
    dialog: Dialog, conversations: list[LabelledConversation]
) -> ConversationEvaluation:
    """Every conversation played through the dialog turn by turn; each reply scored in the
    context the conversation has reached."""
    evaluation = ConversationEvaluation()
    for conversation in conversations:
        evaluation.conversations += 1
        all_right = _play(dialog, conversation, evaluation)
        evaluation.conversations_right += all_right
    return evaluation


def _play(
    dialog: Dialog, conversation: LabelledConversation, evaluation: ConversationEvaluation
) -> bool:
    first, *replies = conversation.turns
    state, right = _first_message(dialog, conversation.language, first, evaluation)
    all_right = right
    for number, turn in enumerate(replies, 2):
        if state.phase not in (Phase.IN_FLOW, Phase.RATING):
            break  # the conversation has ended where the person meant it to go on
        context = _context(state, dialog.knowledge)
        transition = dialog.advance(state, Turn(text=turn.text, at=_AT))
        done = _done(state, transition, dialog.knowledge)
        right = done == turn.expect
        all_right &= right
        evaluation.replies += 1
        evaluation.replies_right += right
        count(evaluation.by_act, turn.expect, right)
        count(evaluation.by_context, context, right)
        count(evaluation.by_language, conversation.language, right)
        if not right:
            evaluation.confusions[(turn.expect, done)] += 1
            where = f"{conversation.id}:{number}"
            evaluation.errors.append((where, context, turn.expect, done, turn.text))
        state = transition.state if right else _as_labelled(dialog, state, turn.expect, transition)
    return all_right


def _first_message(
    dialog: Dialog, language: str, turn: LabelledTurn, evaluation: ConversationEvaluation
) -> tuple[DialogState, bool]:
    """The first message read; where it was not taken as its problem, the problem picked."""
    transition = dialog.advance(DialogState(), Turn(text=turn.text, at=_AT))
    after = transition.state
    # the problem taken up, whether as a fix or as a case handed on (an outage has no steps)
    taken_up = after.phase in (Phase.IN_FLOW, Phase.HANDED_OFF)
    done = after.problem if taken_up and after.problem else _first_done(after)
    right = done == turn.expect
    evaluation.first_total += 1
    evaluation.first_right += right
    if not right:
        evaluation.confusions[(turn.expect, done)] += 1
        evaluation.errors.append(("first", "first message", turn.expect, done, turn.text))
        start = DialogState(language=language if language in ("nb", "en") else "nb")
        after = dialog.advance(start, Turn(payload=payloads.pick(turn.expect), at=_AT)).state
    return after, right


def _first_done(after: DialogState) -> str:
    if after.phase is Phase.CHOOSING:
        return "asked which"
    if after.phase is Phase.HANDED_OFF:
        return "human"
    return "none"


def _done(before: DialogState, transition: Transition, knowledge: Knowledge) -> str:
    """What the dialog's answer amounts to, a check step's answers told apart."""
    if before.phase is Phase.IN_FLOW and transition.state.phase is Phase.RATING:
        return "worked"  # at a check, "it works now" is recorded as the check's answer
    step = _current_step(before, knowledge)
    results = [e for e in transition.effects if isinstance(e, StepResult)]
    checked = step is not None and knowledge.steps[step].check is not None
    if checked and results and results[0].outcome == "not_helped":
        handed_off = transition.state.phase is Phase.HANDED_OFF
        return "check_fault" if handed_off else "check_fine"
    return what_was_done(before, transition, knowledge)


def _as_labelled(
    dialog: Dialog, before: DialogState, expect: str, transition: Transition
) -> DialogState:
    """The state the conversation would have reached had the turn been read as labelled."""
    verb = _STEP_VERBS.get(expect)
    if verb is not None and before.phase is Phase.IN_FLOW and before.problem:
        payload = payloads.step(verb, before.problem, before.step_index + 1)
        return dialog.advance(before, Turn(payload=payload, at=_AT)).state
    if expect in _STAYS:
        return before
    return transition.state


def _context(state: DialogState, knowledge: Knowledge) -> str:
    if state.phase is Phase.RATING:
        return "rating prompt"
    return _current_step(state, knowledge) or state.phase.value


def _current_step(state: DialogState, knowledge: Knowledge) -> str | None:
    if state.phase is not Phase.IN_FLOW or not state.problem:
        return None
    steps = knowledge.problems[state.problem].steps
    return steps[state.step_index] if state.step_index < len(steps) else None
