"""The dialog's moves once it knows what a turn means: a problem, a question, a
person, a miss, a nudge back to the step; and what each button press does.
"""

from __future__ import annotations

from bot.dialog import payloads
from bot.dialog.case import case_open
from bot.dialog.conversation import DialogState, Phase, Transition
from bot.dialog.flow import (
    FINISHED,
    Context,
    as_new,
    current,
    current_check,
    fresh,
    hand_off,
    menu,
    offer_resume,
    rate,
    restart,
    resume,
    start,
    step_outcome,
    stop,
    stopped_fix,
    switch_language,
)
from bot.dialog.replies import Replies
from bot.events import Button
from bot.understanding.acts import HUMAN
from bot.understanding.intents import NONE_INTENT, MatchResult

IN_FLOW = (Phase.IN_FLOW, Phase.CONFIRM_SWITCH)


def untouched(state: DialogState) -> bool:
    """Nothing has happened in this conversation yet."""
    return state.phase is Phase.IDLE and not state.greeted and state.problem is None


def language_untold(state: DialogState) -> bool:
    """Nothing the person wrote has told the conversation's language yet: at most a
    greeting, a /start or the menu (whose language was only the default or the
    platform's hint). Their first description is read without a prior then: "hi" and
    "cant send email" after the menu are English."""
    return (
        state.phase is Phase.IDLE
        and state.problem is None
        and state.first_text is None
        and not state.tried
        and not state.asking_problem
    )


def candidates_of(ctx: Context, result: MatchResult) -> list[str]:
    known = {*ctx.knowledge.problems, *ctx.knowledge.questions, HUMAN}
    found = [c.intent for c in result.candidates if c.intent in known and c.intent != NONE_INTENT]
    return list(dict.fromkeys(found))[: ctx.settings.matcher.max_candidates]


def to_problem(
    ctx: Context, state: DialogState, problem_id: str, *, picked: bool, unsure: bool = False
) -> Transition:
    """Start ``problem_id``; mid-fix, another problem not picked is offered as a switch,
    except an urgent one, which starts at once unless the reading is ``unsure`` (a
    weak or ambiguous one: "egentlig er det sending som er problemet, mailene mine
    kommer ikke fram" read the alarm at 0.14, playtest 18)."""
    if state.phase in IN_FLOW:
        if problem_id == state.problem:
            in_flow = state.evolve(phase=Phase.IN_FLOW, pending_switch=None)
            return nudge(ctx, in_flow, [ctx.say(state).text("same_problem")])
        urgent = ctx.knowledge.problems[problem_id].urgent
        if not picked and (not urgent or unsure):
            state = state.evolve(phase=Phase.CONFIRM_SWITCH, pending_switch=problem_id)
            return ctx.done(state, ctx.say(state).switch_offer(problem_id))
        # "noen har logget inn på kontoen min" mid-fix: the alarm at once, not "switch?"
        # (answered "no", the fix went on without a word of warning)
    return start(ctx, state, problem_id, picked=picked)


def answer_question(ctx: Context, state: DialogState, question_id: str) -> Transition:
    say = ctx.say(state)
    if state.phase in IN_FLOW:
        return current(ctx, state, [say.answer(question_id), say.text("back_to_step")])
    return ctx.done(state.evolve(misses=0), say.fit([say.answer(question_id)]))


def answer_lookalike(ctx: Context, state: DialogState, lookalike_id: str) -> Transition:
    """Something that only looks like this knowledge's (spam that arrives, a colleague's
    hacked account, a forgotten password): its answer, and a person offered. Mid-fix the
    step follows, as after a question."""
    say = ctx.say(state)
    lookalike = ctx.knowledge.lookalikes[lookalike_id]
    answer = lookalike.answer.get(state.language)
    if state.phase in IN_FLOW:
        # remembered, so a "ja, jeg skrev inn passordet" next is the alarm here too
        state = state.evolve(answered_lookalike=lookalike_id)
        return current(ctx, state, [answer, say.text("back_to_step")])
    if state.answered_lookalike == lookalike_id:  # asked about again: not the same answer
        return lookalike_follow_up(ctx, state)
    # the self-introduction is its own greeting ("hvem er du?" got "Hei! Jeg er fixbot"
    # and then "Jeg er fixbot, en chatbot")
    first = [] if state.greeted or not lookalike.case else [say.greeting_line()]
    phase = Phase.IDLE if state.phase is Phase.CHOOSING else state.phase
    state = state.evolve(
        phase=phase, candidates=(), misses=0, greeted=True, answered_lookalike=lookalike_id
    )
    more = lookalike.more.get(state.language) if lookalike.more else say.text("lookalike_more")
    return ctx.done(state, say.fit([*first, answer, more], _lookalike_buttons(say)))


def lookalike_follow_up(
    ctx: Context, state: DialogState, key: str = "lookalike_follow_up", *, keep: bool = False
) -> Transition:
    """A message after a look-alike's answer that is not understood, or that reads as the
    same look-alike ("how do I report it from my iPhone?"): a follow-up to it. What more
    there is to say, a person says; once, then messages are read as usual again.
    ``key``: the ui text ("lookalike_no" after "no, I typed nothing in"). ``keep``: the
    text asks the look-alike's question again, so its answer is still read as one."""
    say = ctx.say(state)
    if key == "lookalike_no":
        state = state.evolve(reassured_lookalike=state.answered_lookalike)
    if not keep:
        state = state.evolve(answered_lookalike=None)
    return ctx.done(state, say.fit([say.text(key)], _lookalike_buttons(say)))


def _lookalike_buttons(say: Replies) -> list[Button]:
    return [say.human_button(), say.button(say.text("button_other"), payloads.OTHER)]


def explain_term(ctx: Context, state: DialogState, *term_ids: str) -> Transition:
    """The glossary's explanation of each of ``term_ids``; mid-fix the step's line
    follows, else an invitation to describe what is wrong."""
    say = ctx.say(state)
    explained = [ctx.knowledge.glossary[term].text.get(state.language) for term in term_ids]
    if state.phase is Phase.IN_FLOW and state.problem:
        return nudge(ctx, state, explained)
    if state.phase is Phase.HANDED_OFF:  # IT has the case: no invitation to describe one
        return ctx.done(state, say.fit(explained))
    state = state.evolve(greeted=True, misses=0)
    return ctx.done(state, say.fit([*explained, say.text("term_more")]))


def to_human(ctx: Context, state: DialogState, *, call: bool = False) -> Transition:
    """The case to IT because the person asked; ``call``: they asked to be called, so
    their number is asked for (playtest 18: "kan noen ringe meg?" got no question)."""
    if state.phase is Phase.HANDED_OFF:
        return current(ctx, state)
    if state.phase is Phase.RATING:
        # unhappy after a fix (a low rating, "talk to IT"): the same case, with its story
        return hand_off(ctx, state, "asked", call=call)
    if state.phase in FINISHED:
        return as_new(hand_off(ctx, fresh(ctx, state), "asked", call=call))
    return hand_off(ctx, state, "asked", call=call)


def miss(
    ctx: Context, state: DialogState, *, outside: bool = False, lead_key: str | None = None
) -> Transition:
    """Not understood: say so honestly; after repeated misses, suggest a person.

    ``outside``: the message was understood well enough to be about something else
    ("skriveren virker ikke"); the answer says that, not "I didn't understand".
    ``lead_key``: a ui text that says better what was read ("how_to_not_a_fault").
    """
    if state.answered_lookalike is not None and state.phase is Phase.IDLE:
        return lookalike_follow_up(ctx, state)
    state = state.evolve(misses=state.misses + 1)
    say = ctx.say(state)
    if state.phase is Phase.CONFIRM_SWITCH:
        state = state.evolve(phase=Phase.IN_FLOW, pending_switch=None)
    if state.phase is Phase.IN_FLOW and state.problem:
        again = state.misses >= ctx.settings.dialog.misses_before_human_first
        check = current_check(ctx, state)
        if check is not None and not again:  # its own two answers, not "it worked"
            return nudge(ctx, state, [say.text("none_in_check", **say.check_answers(check))])
        return nudge(ctx, state, [say.text("none_in_flow_again" if again else "none_in_flow")])
    if state.phase in IN_FLOW or state.phase is Phase.HANDED_OFF:
        lead = [say.text("none_in_flow")] if state.phase in IN_FLOW else []
        return current(ctx, state, lead)
    human_first = state.misses >= ctx.settings.dialog.misses_before_human_first
    first = [] if state.greeted else [say.greeting_line()]
    # something else is told each time (the text offers a person), in other words the
    # second time in a row; "none_again" is for gibberish twice. (A knowledge base written
    # before "none_outside" says "none".)
    phase = Phase.IDLE if state.phase is Phase.CHOOSING else state.phase
    state = state.evolve(phase=phase, candidates=(), greeted=True)
    if lead_key is None and outside and "none_outside" in ctx.knowledge.ui:
        lead_key = "none_outside"
        if human_first and "none_outside_again" in ctx.knowledge.ui:
            # not the same words again: a miss after a miss may be a follow-up not
            # understood ("har gjort det, e fortsatt død" after "mailn min e heilt død"),
            # which got "about something else" three times (playtest 20)
            lead_key = "none_outside_again"
    if lead_key is not None:
        # what was read is said, with a person and the menu behind one button: the full
        # menu of faults is noise to someone who asked how to set up a signature, and put
        # "Snakk med IT" thirteenth after "skriveren skriver ikke ut" (playtest 14)
        return ctx.done(state, say.fit([*first, say.text(lead_key)], _lookalike_buttons(say)))
    lead = [*first, say.text("none_again" if human_first else "none")]
    return ctx.done(state, say.menu(lead))


def nudge(ctx: Context, state: DialogState, lead: list[str] | None = None) -> Transition:
    """In a flow: one line saying which step we're on, with its buttons, rather than the
    whole step again (phones are small). Elsewhere: where the conversation is."""
    if state.phase is Phase.IN_FLOW and state.problem:
        problem = ctx.knowledge.problems[state.problem]
        return ctx.done(state, ctx.say(state).step_nudge(problem, state.step_index, lead or []))
    return current(ctx, state, lead or [])


def stay(ctx: Context, state: DialogState) -> Transition:
    state = state.evolve(phase=Phase.IN_FLOW, pending_switch=None)
    return current(ctx, state, [ctx.say(state).text("back_to_step")])


def other_problem(ctx: Context, state: DialogState) -> Transition:
    # greeted: the person has been talked to; a miss after this is no first hello
    state = state.evolve(phase=Phase.IDLE, candidates=(), greeted=True)
    return ctx.done(state, ctx.say(state).fit([ctx.say(state).text("other_prompt")]))


# --- buttons ---------------------------------------------------------------------


def on_payload(ctx: Context, state: DialogState, payload: str) -> Transition:
    action = payloads.parse(payload)
    say = ctx.say(state)
    kind = action.kind
    if kind == "other" and state.phase not in (Phase.IDLE, Phase.CHOOSING):
        # "Noe annet" under an answer given after a fix or a stop: as the menu would be
        kind = "menu"
    if kind == "lang" and action.language:
        return switch_language(ctx, state, action.language)
    if kind == "menu":
        if stopped_fix(ctx, state) and not state.offered_resume:
            return offer_resume(ctx, state)  # /start after a stop: the way back first
        if case_open(ctx, state):
            # /start or a resumed terminal chat while IT has the case: where it stands,
            # so "har IT sett på saken min?" goes to that case, not to a new conversation
            return current(ctx, state)
        if state.phase in FINISHED:
            return as_new(menu(ctx, fresh(ctx, state)))
        if state.phase in IN_FLOW:
            # /start, /help or a resumed terminal chat mid-flow: show where we
            # are rather than a menu whose buttons would silently switch problems.
            return current(ctx, state, [say.text("greeting_in_flow")])
        return menu(ctx, state.evolve(greeted=False))
    if kind == "restart":
        return restart(ctx, state)
    if kind == "stop":
        return stop(ctx, state)
    if kind == "resume" and (stopped_fix(ctx, state) or state.phase in IN_FLOW):
        return resume(ctx, state)
    if kind == "human":
        return to_human(ctx, state)
    if kind == "pick" and action.intent:
        return _pick(ctx, state, action.intent)
    if kind == "other":  # idle or choosing: other phases were sent to the menu above
        # "Noe annet" under an answer or a "that is about something else": the menu,
        # without a second hello (it was the menu payload, which greets like /start)
        return menu(ctx, state) if state.phase is Phase.IDLE else other_problem(ctx, state)
    if kind == "stay" and state.phase is Phase.CONFIRM_SWITCH:
        return stay(ctx, state)
    pending = state.pending_switch if state.phase is Phase.CONFIRM_SWITCH else None
    if kind == "switch" and pending and action.intent == pending:
        return start(ctx, state, pending, picked=True)
    if kind == "step" and _is_current_step(state, action.intent, action.number):
        return step_outcome(ctx, state.evolve(phase=Phase.IN_FLOW), action.verb or "")
    if kind == "rate" and state.phase is Phase.RATING and not state.rated:
        return rate(ctx, state, action.number or 0)
    lead = "unknown_button" if kind == "unknown" else "stale_button"
    return current(ctx, state, [say.text(lead)])


def _pick(ctx: Context, state: DialogState, intent: str) -> Transition:
    knowledge = ctx.knowledge
    if intent == HUMAN:
        return to_human(ctx, state)
    if intent in knowledge.questions:
        return answer_question(ctx, state, intent)
    if intent not in knowledge.problems:
        return current(ctx, state, [ctx.say(state).text("unknown_button")])
    if state.phase in FINISHED:
        return as_new(start(ctx, fresh(ctx, state), intent, picked=True))
    return to_problem(ctx, state, intent, picked=True)


def _is_current_step(state: DialogState, problem: str | None, number: int | None) -> bool:
    in_flow = state.phase in IN_FLOW and state.problem is not None
    return in_flow and problem == state.problem and number == state.step_index + 1
