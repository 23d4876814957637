"""The dialog's moves: start a flow, apply a step's outcome, resolve, hand off, show the state.

Each move takes the ``Context`` of one turn and the state, and returns a
``Transition``. ``bot.dialog.machine`` decides which move a turn calls for.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.dialog import payloads
from bot.dialog.conversation import (
    CaseAddition,
    DialogState,
    Effect,
    LanguageChosen,
    Phase,
    RatingGiven,
    Status,
    StepResult,
    Transition,
)
from bot.dialog.handoff import handoff_request
from bot.dialog.replies import Replies
from bot.events import Reply
from bot.knowledge import Check, Knowledge, Problem, Step
from bot.settings import Settings
from bot.understanding.glossary import Glossary
from bot.understanding.intents import Classifier
from bot.understanding.lexicon import Lexicon
from bot.understanding.text import mentions_all

# a check-only step fixes nothing whatever it finds: for the statistics it did not help
OUTCOMES = {
    "ok": "worked",
    "no": "not_helped",
    "skip": "skipped",
    "back": "back",
    "fine": "not_helped",
    "fault": "not_helped",
}
FINISHED = (Phase.RATING, Phase.HANDED_OFF, Phase.ENDED)
LOW_RATING = 2  # ratings at or below this are offered a person
_STATUS = {
    Phase.RATING: Status.RESOLVED,
    Phase.HANDED_OFF: Status.HANDED_OFF,
    Phase.ENDED: Status.ENDED,
}


@dataclass
class Context:
    """What one turn works with; ``effects`` collects the facts to record."""

    knowledge: Knowledge
    classifier: Classifier
    settings: Settings
    lexicon: Lexicon
    language_chosen: bool
    effects: list[Effect] = field(default_factory=list)
    case_status: str | None = None  # the handoff's status as staff left it (Turn.case_status)
    glossary: Glossary | None = None  # the steps' words explained ("hva er SMTP?")
    # per step id, the words of its title few titles share, per language (``later_steps``)
    title_terms: Mapping[str, Sequence[frozenset[str]]] = field(default_factory=dict)

    def say(self, state: DialogState) -> Replies:
        """Replies in the state's language (with the first step of the fix that Back can
        reach, so no "Forrige" button is offered where it would stay put)."""
        problem = self.knowledge.problems.get(state.problem) if state.problem else None
        first = first_applicable(self, problem, state.described) if problem else 0
        return Replies(
            self.knowledge,
            state.language,
            self.settings.limits,
            first_step=first,
            described=state.described,
        )

    def done(
        self, state: DialogState, replies: Sequence[Reply], *, new_conversation: bool = False
    ) -> Transition:
        """The transition to ``state`` with ``replies``; the status follows the phase."""
        return Transition(
            state=state,
            replies=tuple(replies),
            status=_STATUS.get(state.phase, Status.ACTIVE),
            effects=tuple(self.effects),
            new_conversation=new_conversation,
        )


def current_step(ctx: Context, state: DialogState) -> Step | None:
    """The step the conversation is at, if a fix is under way."""
    problem = ctx.knowledge.problems.get(state.problem or "")
    if problem is None or state.step_index >= len(problem.steps):
        return None
    return ctx.knowledge.steps[problem.steps[state.step_index]]


def current_check(ctx: Context, state: DialogState) -> Check | None:
    """The check ("is the service up?") the current step asks, if it is one."""
    step = current_step(ctx, state)
    return None if step is None else step.check


# the handoff's statuses (as staff leave them on the review site) of a case still open
OPEN_STATUSES = ("open", "claimed")


def fresh(ctx: Context, state: DialogState) -> DialogState:
    """A new conversation's state: nothing remembered but the language, and whether the
    conversation before left a case open with IT (and of which problem)."""
    if not carries_case(ctx, state):
        return DialogState(language=state.language)
    problem = state.case_problem if state.case_before else state.problem
    return DialogState(language=state.language, case_before=True, case_problem=problem)


def carries_case(ctx: Context, state: DialogState) -> bool:
    """The conversation has a case open with IT: handed off here or before it began,
    not closed by IT (an unknown status counts as open) and not withdrawn ("trykket
    feil")."""
    handed = state.phase is Phase.HANDED_OFF or state.case_before
    return handed and (ctx.case_status or "open") in OPEN_STATUSES and not state.mistake_noted


def menu(ctx: Context, state: DialogState, lead: Sequence[str | None] = ()) -> Transition:
    """The menu, greeting first when this conversation has not greeted yet."""
    say = ctx.say(state)
    first = [] if state.greeted else [say.greeting_line()]
    phase = Phase.IDLE if state.phase in (Phase.CHOOSING, Phase.IDLE) else state.phase
    state = state.evolve(
        phase=phase, greeted=True, candidates=(), asking_problem=False, answered_lookalike=None
    )
    return ctx.done(state, say.menu([*first, *lead]))


def current(ctx: Context, state: DialogState, lead: Sequence[str | None] = ()) -> Transition:
    """Show again where the conversation is (after a stale button, help, a language switch)."""
    say = ctx.say(state)
    if state.phase in (Phase.IN_FLOW, Phase.CONFIRM_SWITCH) and state.problem:
        if state.phase is Phase.CONFIRM_SWITCH and state.pending_switch:
            return ctx.done(state, say.switch_offer(state.pending_switch, lead))
        return ctx.done(
            state, say.step(ctx.knowledge.problems[state.problem], state.step_index, lead)
        )
    if state.phase is Phase.CHOOSING and state.candidates:
        return ctx.done(state, say.choices(state.candidates, lead))
    if state.phase is Phase.RATING and not state.rated:
        problem = ctx.knowledge.problems[state.problem or ""]
        return ctx.done(state, [*say.fit(lead), *say.resolved(problem, state.step_index)[-1:]])
    if state.phase is Phase.HANDED_OFF:
        return ctx.done(state, say.fit([*lead, say.text("handoff_already")]))
    if state.awaiting_problem:
        return ctx.done(state, say.problem_question(lead))
    return menu(ctx, state, lead)


def start(
    ctx: Context, state: DialogState, problem_id: str, *, picked: bool, lead: Sequence[str] = ()
) -> Transition:
    """Begin ``problem_id``'s flow at step 1, or hand off at once for a handoff problem."""
    problem = ctx.knowledge.problems[problem_id]
    say = ctx.say(state)
    intro = say.intro(problem, picked=picked, checks=not state.checks_shown)
    state = state.evolve(
        problem=problem_id,
        step_index=0,
        candidates=(),
        pending_switch=None,
        misses=0,
        greeted=True,
        rated=False,
        asking_problem=False,
        answered_lookalike=None,
        reassured_lookalike=None,
    )
    if problem.handoff or not problem.steps:
        reason = "urgent" if problem.urgent else "everyone_affected"
        return hand_off(ctx, state, reason, [*lead, *intro])
    # shown once, when a problem they bear on is the first to have them
    state = state.evolve(phase=Phase.IN_FLOW, checks_shown=state.checks_shown or problem.checks)
    # a problem picked after a description ("which of these?") has its description too
    first = open_step(ctx, problem, 0, state.described, tried=tried_elsewhere(state))
    state = state.evolve(step_index=first)
    say = ctx.say(state)  # now of this problem: Back stops at its first step that applies
    return ctx.done(
        state, [*say.fit([*lead, *intro]), *say.step(problem, first, answered(ctx, state, 0))]
    )


def open_step(
    ctx: Context,
    problem: Problem,
    index: int,
    described: str | None,
    *,
    through: bool = False,
    tried: Collection[str] = (),
) -> int:
    """The first step from ``index`` on that the description does not answer already
    (``Step.done_if``: "virker på wifi men ikke 4g" has tried another network), that
    applies to it (``Step.only_if``: mobile data for Mail only when mail fails on 4G) and
    that is not one of ``tried`` (done without help for another problem of this
    conversation); never past the last step, unless ``through``: later in a flow, a last
    step done already leaves nothing to try (the index is then one past the last)."""
    if not described and not tried:
        return index
    last = len(problem.steps) - (0 if through else 1)
    while index < last and (
        problem.steps[index] in tried
        or (
            described
            and (
                _done_by(ctx, problem.steps[index], described)
                or not _applies(ctx, problem.steps[index], described)
            )
        )
    ):
        index += 1
    return index


def record_outcome(ctx: Context, state: DialogState, verb: str) -> DialogState:
    """The current step's outcome told (``verb``: "ok", "no", "skip", "fault", "back"),
    for the statistics and the case; the state with it among the steps tried."""
    problem = ctx.knowledge.problems[state.problem or ""]
    index = state.step_index
    step_id = problem.steps[index]
    # "det virker nå!" at a check: the mail works again, but the check fixed nothing: it
    # is recorded as not helped, and the reply credits no step (Replies.resolved)
    checked = verb == "ok" and ctx.knowledge.steps[step_id].check is not None
    outcome = OUTCOMES["fine"] if checked else OUTCOMES[verb]
    ctx.effects.append(StepResult(problem.id, step_id, index + 1, outcome))
    return state.evolve(
        tried=(*state.tried, (problem.id, step_id, index + 1, outcome)),
        pending_switch=None,
        misses=0,
    )


def tried_elsewhere(state: DialogState) -> frozenset[str]:
    """The steps done without help for another problem of this conversation: "skriv inn
    passordet på nytt" tried for the inbox is not asked again after a switch to sending
    (playtest 19). Steps of the problem itself are left to Back, which may show them."""
    return frozenset(
        step_id
        for owner, step_id, _, outcome in state.tried
        if owner != state.problem and outcome == OUTCOMES["no"]
    )


def _done_by(ctx: Context, step_id: str, described: str) -> bool:
    return any(mentions_all(described, entry) for entry in ctx.knowledge.steps[step_id].done_if)


def first_applicable(ctx: Context, problem: Problem, described: str | None) -> int:
    """The index of the first step that applies to the description (``Step.only_if``):
    Back never goes before it; 0 when there is no description or none applies."""
    if not described:
        return 0
    return next(
        (i for i, step_id in enumerate(problem.steps) if _applies(ctx, step_id, described)), 0
    )


def _applies(ctx: Context, step_id: str, described: str) -> bool:
    step = ctx.knowledge.steps[step_id]
    if any(mentions_all(described, entry) for entry in step.skip_if):
        return False
    return not step.only_if or any(mentions_all(described, entry) for entry in step.only_if)


def answered(ctx: Context, state: DialogState, since: int) -> list[str]:
    """Lines naming the steps from ``since`` up to the current one that were passed over
    because the description had done them already, or because they were tried for
    another problem; none when none were (a step passed over as not applying is not
    named: nobody did it)."""
    problem = ctx.knowledge.problems[state.problem or ""]
    described = state.described or ""
    between = problem.steps[since : state.step_index]
    tried = tried_elsewhere(state)
    passed = [s for s in between if s not in tried and _done_by(ctx, s, described)]
    lines = []
    for key, steps in (("steps_answered", passed), ("steps_tried_before", tried & set(between))):
        if steps and key in ctx.knowledge.ui:
            titles = ", ".join(
                ctx.knowledge.steps[s].title.get(state.language) for s in between if s in steps
            )
            lines.append(ctx.say(state).text(key, titles=titles))
    return lines


# a written answer's reading, said before the step it leads to
TYPED_LEADS = {"skip": "step_skipped_typed", "no": "step_not_helped_typed"}
UPSET_LEAD = "step_moved_on_upset"


def step_outcome(
    ctx: Context, state: DialogState, verb: str, *, typed: bool = False, upset: bool = False
) -> Transition:
    """Apply ``verb`` (ok|no|skip|back) to the current step.

    ``typed``: the answer was written, not a button; the next step then starts with a
    line saying how it was read ("Greit, da går vi videre"), so "har ikke noe vpn" is
    not met by a new step without a word, and said again. ``upset``: it was written in
    frustration; the line says sorry and offers a person.
    """
    problem = ctx.knowledge.problems[state.problem or ""]
    index = state.step_index
    if verb == "back" and index <= first_applicable(ctx, problem, state.described):
        # nothing before the first step (or before the first that applies, "mobile data for
        # Mail" passed over for mail that works on 4G): say so, not the same step as if it
        # went back
        lead = [ctx.say(state).text("back_at_first")] if "back_at_first" in ctx.knowledge.ui else []
        return current(ctx, state.evolve(phase=Phase.IN_FLOW, pending_switch=None), lead)
    step_id = problem.steps[index]
    shown: list[str] = []
    shows = ctx.knowledge.steps[step_id].shows if verb == "ok" else None
    if shows is not None and shows in ctx.knowledge.problems and "step_shows" in ctx.knowledge.ui:
        # "funka på 4g" at "try another network": it shows where the fault is (the network)
        # and fixes nothing there (playtest 23: "glad that fixed it!"); on with that
        # problem's steps: its first when it is another problem, else the next
        say = ctx.say(state)
        shown = [say.text("step_shows", title=say.intent_title(shows))]
        verb = "no"
        if shows != problem.id:
            state = record_outcome(ctx, state, verb).evolve(told_problem=shows)
            return start(ctx, state, shows, picked=False, lead=shown)
    state = record_outcome(ctx, state, verb)
    say = ctx.say(state)
    if verb == "ok":
        state = state.evolve(phase=Phase.RATING, rated=False)
        return ctx.done(state, say.resolved(problem, index))
    if verb == "fault":
        # the check found the fault (service down, phone quarantined): IT takes over; for
        # an outage, with the advice given when others have it too
        check = ctx.knowledge.steps[step_id].check
        return hand_off(ctx, state, "check_fault", outage=check is not None and check.outage)
    following = index - 1 if verb == "back" else index + 1
    if following >= len(problem.steps):
        return hand_off(ctx, state, "steps_exhausted", shown)
    if verb != "back":
        following = open_step(
            ctx, problem, following, state.described, through=True, tried=tried_elsewhere(state)
        )
        if following >= len(problem.steps):
            return hand_off(ctx, state, "steps_exhausted", shown)
    elif state.described:
        # back past the steps that do not apply ("only_if", "skip_if"): nobody was asked to
        # do them; a step done already is shown again (nothing is hidden)
        described = state.described
        while following > 0 and not _applies(ctx, problem.steps[following], described):
            following -= 1
    state = state.evolve(phase=Phase.IN_FLOW, step_index=following)
    passed_over = answered(ctx, state, index + 1) if verb != "back" else []
    key = TYPED_LEADS.get(verb) if typed and not shown else None
    if upset and key is not None:
        key = UPSET_LEAD  # "faen, dette hjelper jo ikke": sorry, and a person offered
    lead = [say.text(key)] if key is not None and key in ctx.knowledge.ui else shown
    return ctx.done(state, say.step(problem, following, [*lead, *passed_over]))


def hand_off(
    ctx: Context,
    state: DialogState,
    reason: str,
    lead: Sequence[str | None] = (),
    *,
    outage: bool = False,
    call: bool = False,
) -> Transition:
    """Record a handoff with the whole story and tell the person what happens next
    (``outage``: the service is down, so the outage advice, as for everyone affected;
    ``call``: a call was asked for, so the number is asked for)."""
    state = state.evolve(
        phase=Phase.HANDED_OFF, candidates=(), pending_switch=None, misses=0, asking_problem=False
    )
    if _adds_to_case(ctx, state, reason):
        # the steps tried while IT has the case of the same problem: added to that case,
        # not a second one (playtest 22: two open cases for one fault)
        ctx.effects.append(CaseAddition(handoff_request(state, reason, ctx.knowledge).summary))
        say = ctx.say(state)
        after = [say.text("case_added_call")] if call else []
        return ctx.done(state, say.fit([*lead, say.text("case_added_tried"), *after]))
    ctx.effects.append(handoff_request(state, reason, ctx.knowledge))
    problem = ctx.knowledge.problems.get(state.problem) if state.problem else None
    replies = ctx.say(state).handoff(
        problem,
        lead,
        tried=bool(state.tried),
        closing=outage or reason == "everyone_affected",
        urgent=reason == "urgent",
        described=problem is not None or state.first_text is not None,
        asked=reason == "asked",
        after=[ctx.say(state).text("case_added_call")] if call else (),
    )
    return ctx.done(state, replies)


def _adds_to_case(ctx: Context, state: DialogState, reason: str) -> bool:
    """A handoff of this conversation belongs to the case still open from before it: the
    same problem (or that case named none), and not an alarm, which IT must see as new."""
    return (
        state.case_before
        and carries_case(ctx, state)
        and reason != "urgent"
        and state.case_problem in (None, state.problem)
        and "case_added_tried" in ctx.knowledge.ui
    )


def rate(ctx: Context, state: DialogState, score: int) -> Transition:
    """The one-tap rating after a fix; a low one is offered a person."""
    ctx.effects.append(RatingGiven(score))
    state = state.evolve(rated=True)
    say = ctx.say(state)
    if score <= LOW_RATING:
        return ctx.done(state, say.fit([say.text("rating_low_thanks")], [say.human_button()]))
    return ctx.done(state, say.fit([say.text("rating_thanks")]))


def reopen(ctx: Context, state: DialogState) -> Transition:
    """ "It doesn't work after all" after a step seemed to fix it: on to the next step."""
    problem = ctx.knowledge.problems[state.problem or ""]
    index = state.step_index
    step_id = problem.steps[index]
    ctx.effects.append(StepResult(problem.id, step_id, index + 1, OUTCOMES["no"]))
    state = state.evolve(
        tried=(*state.tried, (problem.id, step_id, index + 1, OUTCOMES["no"])), rated=False
    )
    if index + 1 >= len(problem.steps):
        return hand_off(ctx, state, "steps_exhausted")
    state = state.evolve(phase=Phase.IN_FLOW, step_index=index + 1)
    say = ctx.say(state)
    return ctx.done(state, say.step(problem, index + 1, [say.text("reopened")]))


def undo_worked(ctx: Context, state: DialogState) -> Transition:
    """ "Oi, trykket feil" right after "it worked": the step it was pressed at, shown again
    (what was recorded stays; the step's result follows it)."""
    problem = ctx.knowledge.problems[state.problem or ""]
    state = state.evolve(phase=Phase.IN_FLOW, rated=False)
    say = ctx.say(state)
    lead = [say.text("worked_undone")] if "worked_undone" in ctx.knowledge.ui else []
    return ctx.done(state, say.step(problem, state.step_index, lead))


def switch_language(ctx: Context, state: DialogState, language: str) -> Transition:
    """Speak ``language`` from now on and show where we are in it."""
    ctx.effects.append(LanguageChosen(language))
    state = state.evolve(language=language)
    return current(ctx, state, [ctx.say(state).text("language_switched")])


def stop(ctx: Context, state: DialogState) -> Transition:
    """End politely; a resolved or handed-off conversation keeps its status. A fix
    stopped half-way keeps its step, so "fortsett" can pick it up again (``resume``)."""
    in_fix = state.phase in (Phase.IN_FLOW, Phase.CONFIRM_SWITCH) and state.problem is not None
    phase = state.phase if state.phase in (Phase.RATING, Phase.HANDED_OFF) else Phase.ENDED
    state = state.evolve(phase=phase, candidates=(), pending_switch=None, offered_resume=False)
    say = ctx.say(state)
    if in_fix:
        total = len(ctx.knowledge.problems[state.problem or ""].steps)
        line = say.text("stop_in_flow", n=state.step_index + 1, total=total)
        # the way back, and a person: "jeg gir opp" is not "it works" (playtest 18: the
        # fix stopped with nobody offered)
        buttons = [say.button(say.text("button_resume"), payloads.RESUME), say.human_button()]
        return ctx.done(state, say.fit([line], buttons))
    return ctx.done(state, say.fit([say.text("stop")]))


def stopped_fix(ctx: Context, state: DialogState) -> bool:
    """The person stopped a fix half-way: its problem and step are still there."""
    problem = ctx.knowledge.problems.get(state.problem or "")
    return (
        state.phase is Phase.ENDED
        and problem is not None
        and 0 <= state.step_index < len(problem.steps)
    )


def offer_resume(ctx: Context, state: DialogState, key: str = "resume_offer") -> Transition:
    """Hello again after a fix was stopped half-way: where it stopped, with a button to
    go on and one for something else (the menu, a new conversation). ``key``: the ui
    text that says so, with the step's ``n``, ``total`` and ``title``."""
    say = ctx.say(state)
    problem = ctx.knowledge.problems[state.problem or ""]
    step = ctx.knowledge.steps[problem.steps[state.step_index]]
    line = say.text(
        key,
        n=state.step_index + 1,
        total=len(problem.steps),
        title=step.title.get(state.language),
    )
    buttons = [
        say.button(say.text("button_resume"), payloads.RESUME),
        say.button(say.text("button_other"), payloads.MENU),
    ]
    return ctx.done(state.evolve(offered_resume=True), say.fit([line], buttons))


def resume(ctx: Context, state: DialogState) -> Transition:
    """ "Nå er jeg klar", "fortsett", "I'm back": the step we were on, shown again; after
    a stop, the fix picks up where it stopped (in the same conversation)."""
    if state.phase is Phase.IN_FLOW and state.problem:
        lead = "ready_reply"
    elif stopped_fix(ctx, state):
        state = state.evolve(phase=Phase.IN_FLOW, misses=0, offered_resume=False)
        lead = "resumed"
    else:
        return current(ctx, state)
    total = len(ctx.knowledge.problems[state.problem or ""].steps)
    return current(ctx, state, [ctx.say(state).text(lead, n=state.step_index + 1, total=total)])


def restart(ctx: Context, state: DialogState) -> Transition:
    """Back to the menu; after a finished conversation this starts a new one. With
    nothing begun ("/start" typed first), the menu alone: there is nothing to start over."""
    begun = state.phase is not Phase.IDLE or state.problem is not None or bool(state.tried)
    lead = [ctx.say(state).text("restart")] if begun else []
    if state.phase in FINISHED:
        result = menu(ctx, fresh(ctx, state).evolve(greeted=True), lead)
        return as_new(result)
    reset = state.evolve(
        phase=Phase.IDLE, problem=None, step_index=0, candidates=(), pending_switch=None, misses=0
    )
    return menu(ctx, reset, lead)


def as_new(transition: Transition) -> Transition:
    """``transition`` marked as the first turn of a new conversation record."""
    return replace(transition, new_conversation=True)
