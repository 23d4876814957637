"""A case with a story: one question before an empty handoff, and what a person writes
after the handoff goes to IT, with its status.

"kan jeg snakke med et menneske" with nothing described yet does not open an
empty case: it asks what it is about first (the problems as buttons, and one
to go straight to IT). A recognised problem then starts its flow; anything else
is handed off with those words as the story.

Once handed off, a message that is not a new problem ("har IT sett på saken
min?", "det er jobbkontoen") is added to the open case for staff, and the
person is told so and where the case stands, instead of being greeted anew
and given a second case.
"""

from __future__ import annotations

from bot.dialog.conversation import CaseAddition, DialogState, Phase, Transition, Understood
from bot.dialog.flow import Context, as_new, fresh, hand_off, start

# The handoff's status (as staff leave it on the review site) -> the wording's key.
STATUS_KEYS = {"open": "case_status_open", "claimed": "case_status_claimed"}
CLOSED_KEY = "case_status_closed"


def continue_case(ctx: Context, state: DialogState, text: str) -> Transition:
    """``text`` added to the person's case; the reply says so and gives the case's status."""
    ctx.effects.append(CaseAddition(text))
    say = ctx.say(state)
    status = STATUS_KEYS.get(ctx.case_status or "open", CLOSED_KEY)
    return ctx.done(state, say.fit([say.text("case_added"), say.text(status)]))


def nothing_described(state: DialogState) -> bool:
    """No problem, no step tried and nothing typed that says what is wrong (and not
    already asked): a request for a person here would open an empty case."""
    return (
        state.phase in (Phase.IDLE, Phase.ENDED)
        and state.problem is None
        and not state.tried
        and state.first_text is None
        and not state.awaiting_problem
    )


def ask_problem(ctx: Context, state: DialogState) -> Transition:
    """ "What is it about?", with the problems as buttons and one straight to IT.

    After a stopped conversation this is the first turn of a new one.
    """
    ended = state.phase is Phase.ENDED
    base = fresh(state) if ended else state
    asking = base.evolve(phase=Phase.IDLE, greeted=True, candidates=(), asking_problem=True)
    transition = ctx.done(asking, ctx.say(asking).problem_question())
    return as_new(transition) if ended else transition


def answer_problem(ctx: Context, state: DialogState, text: str) -> Transition:
    """The answer to "what is it about?": a recognised problem starts its flow; anything
    else goes to IT with these words as the story."""
    result = ctx.classifier.classify(text, prior_language=state.language)
    ctx.effects.append(
        Understood(result.intent, result.confidence, result.decision, state.language)
    )
    state = state.evolve(asking_problem=False, first_text=text)
    if result.decision == "match" and result.intent in ctx.knowledge.problems:
        return start(ctx, state, result.intent, picked=False)
    return hand_off(ctx, state, "asked")
