"""The dialog's state and what one turn puts in and gets out: plain data, no I/O.

``bot.dialog.machine.Dialog.advance(state, turn)`` is a pure function from these to
a ``Transition``; ``bot.service`` loads the state, runs it and persists the
transition's state, replies and effects in one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.events import Reply


class Phase(StrEnum):
    """Where the conversation is."""

    IDLE = "idle"  # nothing in progress: greeting shown or nothing yet
    CHOOSING = "choosing"  # asked "which of these fits best?"
    IN_FLOW = "in_flow"  # showing step ``step_index`` of ``problem``
    CONFIRM_SWITCH = "confirm_switch"  # a new symptom mid-flow: offered to switch
    RATING = "rating"  # resolved; waiting for the one-tap rating
    HANDED_OFF = "handed_off"  # a person takes over
    ENDED = "ended"  # stopped by the person, or closed


class Status(StrEnum):
    """The conversation's status as the store and review site see it."""

    ACTIVE = "active"
    RESOLVED = "resolved"
    HANDED_OFF = "handed_off"
    ABANDONED = "abandoned"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class DialogState:
    """Everything the dialog remembers between two events of one conversation."""

    phase: Phase = Phase.IDLE
    language: str = "nb"
    problem: str | None = None
    step_index: int = 0  # 0-based index into the problem's steps
    candidates: tuple[str, ...] = ()  # when CHOOSING
    pending_switch: str | None = None  # when CONFIRM_SWITCH
    checks_shown: bool = False  # before-you-start checks shown once per conversation
    misses: int = 0  # "none" answers in a row
    greeted: bool = False
    # Added for the handoff summary: every step outcome of this conversation as
    # (problem, step_id, step_number, outcome), and the first text that was
    # classified (already redacted). ``rated``: the rating was given.
    tried: tuple[tuple[str, str, int, str], ...] = ()
    first_text: str | None = None
    rated: bool = False
    # asked "what is it about?" after a request for a person with nothing described yet
    asking_problem: bool = False
    # a stopped fix was offered back once ("hei igjen": go on, or something else)
    offered_resume: bool = False
    # after a handoff, the person said it was sent by mistake ("trykket feil"): the case
    # is no longer pressed as urgent
    mistake_noted: bool = False
    # after a handoff, the person gave a phone number: the case has it, so it is not
    # asked for again
    phone_given: bool = False
    # an outage case, and then the person said it is only them ("det er faktisk bare
    # meg"): the case is no outage, and fixes for the phone are offered again
    only_me: bool = False
    # the outage check whose bare "nei" was asked again ("problem:index"): a second bare
    # answer there is taken as it is
    check_asked_again: str | None = None
    # the look-alike just answered ("spam that arrived"): the next message not understood
    # is taken as a follow-up to it ("how do I report it?"), once
    answered_lookalike: str | None = None
    # ... and the look-alike whose question was answered no ("har ikke skrevet inn noe"):
    # "er jeg hacket nå?" later on is asked of it, not a new alarm
    reassured_lookalike: str | None = None
    # the latest message read as a problem, and that problem: a case raised mid-fix ("nå
    # får kollegaene rare mailer fra meg") tells IT the message that raised it, not only
    # the first one (already redacted)
    told_problem: str | None = None
    told_text: str | None = None
    # which account it is, told mid-fix ("det er gmail forresten"): the later steps it
    # answers are passed over, and IT reads it in the case (already redacted)
    account_told: str | None = None
    # begun while a case the conversation before handed to IT was still open (its steps
    # tried meanwhile, or another message after it): a handoff of the same problem adds
    # to that case instead of opening a second one, and "has IT got my case?" is asked of
    # it. ``case_problem``: that case's problem (None: it named none)
    case_before: bool = False
    case_problem: str | None = None

    @property
    def described(self) -> str | None:
        """What the person has told of the fault and the account: the steps' ``done_if``
        and ``only_if`` read it."""
        told = [text for text in (self.first_text, self.account_told) if text]
        return " ".join(told) or None

    @property
    def awaiting_problem(self) -> bool:
        """Asked "what is it about?" and not answered yet: the flag counts only while the
        conversation is still idle (a stop or a new conversation leaves the question)."""
        return self.asking_problem and self.phase is Phase.IDLE

    def to_json(self) -> dict[str, Any]:
        # Field by field, not ``asdict``: its recursive copy of every value was a
        # measurable part of each turn (issue 14); the tuple fields become lists below.
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["phase"] = self.phase.value
        data["candidates"] = list(self.candidates)
        data["tried"] = [list(item) for item in self.tried]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DialogState:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["phase"] = Phase(known.get("phase", Phase.IDLE))
        known["candidates"] = tuple(known.get("candidates", ()))
        known["tried"] = tuple(
            (str(p), str(s), int(n), str(o)) for p, s, n, o in known.get("tried", ())
        )
        return cls(**known)

    def paused(self) -> DialogState | None:
        """This conversation's fix as one stopped half-way, for the conversation after it
        (the fix was left for later and the chat went quiet): its problem, step, steps
        tried and story, to offer back; None when no fix is under way."""
        if self.problem is None or self.phase not in (
            Phase.IN_FLOW,
            Phase.CONFIRM_SWITCH,
            Phase.ENDED,
        ):
            return None
        return DialogState(
            phase=Phase.ENDED,
            language=self.language,
            problem=self.problem,
            step_index=self.step_index,
            checks_shown=True,
            greeted=True,
            tried=self.tried,
            first_text=self.first_text,
            account_told=self.account_told,
        )

    def evolve(self, **changes: Any) -> DialogState:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Turn:
    """One event as the dialog sees it: typed text (already redacted) or a button payload."""

    text: str | None = None
    payload: str | None = None
    language_hint: str | None = None  # platform's hint; used on a conversation's first turn
    language_chosen: bool = False  # the user picked a language: don't auto-switch
    at: datetime | None = None
    # the conversation's latest handoff as staff left it (open, claimed, closed); None: none
    case_status: str | None = None


# --- effects: facts the service records besides the replies ------------------


@dataclass(frozen=True, slots=True)
class Understood:
    """What the matcher made of the person's text (shown on the review site)."""

    intent: str
    confidence: float
    decision: str  # match | ambiguous | none | lexicon (a yes/no/stop word) | act (a reply)
    language: str


@dataclass(frozen=True, slots=True)
class StepResult:
    """A step's outcome: worked, not_helped, skipped or back."""

    problem: str
    step_id: str
    step_number: int  # 1-based
    outcome: str


@dataclass(frozen=True, slots=True)
class HandoffRequest:
    """Hand the case to a person; ``summary`` is readable text, ``details`` structured."""

    reason: str  # steps_exhausted | asked | everyone_affected | urgent | check_fault
    problem: str | None
    summary: str
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RatingGiven:
    score: int


@dataclass(frozen=True, slots=True)
class LanguageChosen:
    """The person asked for a language; remember it for them."""

    language: str


@dataclass(frozen=True, slots=True)
class CaseAddition:
    """What the person wrote after the handoff, added to their open case for staff."""

    text: str


Effect = Understood | StepResult | HandoffRequest | RatingGiven | LanguageChosen | CaseAddition


@dataclass(frozen=True, slots=True)
class Transition:
    """The dialog's answer to one turn."""

    state: DialogState
    replies: tuple[Reply, ...]
    status: Status
    effects: tuple[Effect, ...] = field(default=())
    # True when this turn begins a new conversation record: the previous one
    # had finished (rated, handed off, ended) and the person starts something
    # new. The service closes the old record and files this turn in a new one.
    new_conversation: bool = False
