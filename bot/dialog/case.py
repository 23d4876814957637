"""A case with a story: one question before an empty handoff, and what a person writes
after the handoff goes to IT, with its status.

"kan jeg snakke med et menneske" with nothing described yet does not open an
empty case: it asks what it is about first (the problems as buttons, and one
to go straight to IT). The typed answer is handed off with those words as the
story, as the question promised; when it reads as a known problem, that fix is
offered as a button for the wait (a hacked account starts its urgent handoff).

Once handed off, what the person writes ("har IT sett på saken min?", "det er
jobbkontoen, exchange") is added to the open case for staff, and the person is
told so and where the case stands, instead of being greeted anew and given a
second case. Details often read like a problem of their own ("forresten, det er
exchange-kontoen"): they are added all the same, and the fix for that problem
is only offered, as a button; pressing it starts a new conversation. Only once
IT has closed the case does a new problem start afresh by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.dialog.conversation import CaseAddition, DialogState, Phase, Transition, Understood
from bot.dialog.flow import (
    OPEN_STATUSES,
    Context,
    as_new,
    current,
    fresh,
    hand_off,
    offer_resume,
    start,
    stopped_fix,
)

# The handoff's status (as staff leave it on the review site) -> the wording's key.
STATUS_KEYS = {status: f"case_status_{status}" for status in OPEN_STATUSES}
CLOSED_KEY = "case_status_closed"
URGENT_KEY = "case_status_urgent"
MISTAKE_RESUME_KEY = "case_mistake_resume"
NO_CASE_KEY = "case_status_none"
WITHDRAWN_KEY = "case_status_withdrawn"
WITHDRAWN_PLAIN_KEY = "case_status_withdrawn_plain"
SOLVED_KEY = "case_status_none_solved"
OUTAGE_KEY = "case_status_outage"
# what the person tells or asks after a handoff that fixbot answers: an answer of its own
# instead of the case's status ("IT has your case") once more
CASE_NEWS = ("password_changed", "change_password", "mistake")
# leads that are the whole answer: no "your case is in the queue" after them ("det
# haster!" answered with "usually within one working day" read as a shrug)
ANSWERING_LEADS = (
    "case_added_works",
    "case_added_urgent",
    "case_added_urgent_number",
    "case_added_number",
    "case_added_password_on_phone",
    "case_added_locked_out",
    *(f"case_added_{news}" for news in CASE_NEWS),
)


def case_open(ctx: Context, state: DialogState) -> bool:
    """Handed off, and IT has not closed the case (an unknown status counts as open), nor
    has the person said it was sent by mistake."""
    return (
        state.phase is Phase.HANDED_OFF
        and (ctx.case_status or "open") in STATUS_KEYS
        and not state.mistake_noted
    )


def case_status(ctx: Context, state: DialogState) -> Transition:
    """A question about the case ("har IT sett på saken min?"): where it is, and nothing
    added to it."""
    say = ctx.say(state)
    return ctx.done(state, say.fit([case_status_line(ctx, state)]))


def case_status_line(ctx: Context, state: DialogState) -> str:
    """Where the open case is, in the person's language."""
    return ctx.say(state).text(_status_key(ctx, state))


def no_case_status(ctx: Context, state: DialogState) -> Transition:
    """A question about the case when none is open: withdrawn as sent by mistake ("trykket
    feil"), with the way back to the step it came from; or never sent. Nothing is sent
    to IT by asking."""
    if state.mistake_noted and stopped_fix(ctx, state) and WITHDRAWN_KEY in ctx.knowledge.ui:
        return offer_resume(ctx, state, WITHDRAWN_KEY)
    say = ctx.say(state)
    if state.phase is Phase.RATING and not state.rated and SOLVED_KEY in ctx.knowledge.ui:
        # after "Det fungerte": no case was needed; the rating is still asked for
        return current(ctx, state, [say.text(SOLVED_KEY)])
    key = NO_CASE_KEY if NO_CASE_KEY in ctx.knowledge.ui else "case_status_closed"
    return ctx.done(state, say.fit([say.text(key)]))


def outage_case(ctx: Context, state: DialogState) -> bool:
    """The case IT has is an outage: a problem of many (the provider or the office network
    is down), or a check that found the service down. Nothing on the phone helps then;
    unless the person said after all that it is only them."""
    if state.phase is not Phase.HANDED_OFF or state.only_me:
        return False
    problem = ctx.knowledge.problems.get(state.problem or "")
    if problem is None:
        return False
    if problem.shared:
        return True
    last = next((t for t in reversed(state.tried) if t[0] == problem.id), None)
    if last is None or last[3] != "not_helped":
        return False
    check = ctx.knowledge.steps[last[1]].check if last[1] in ctx.knowledge.steps else None
    return check is not None and check.outage and state.step_index == last[2] - 1


def _status_key(ctx: Context, state: DialogState) -> str:
    """The ui key of the case's status; a hacked account's open case is urgent; a case
    the person withdrew as sent by mistake is not in the queue; an outage's says it
    lasts as long as the provider takes."""
    if state.mistake_noted and WITHDRAWN_PLAIN_KEY in ctx.knowledge.ui:
        return WITHDRAWN_PLAIN_KEY
    status = STATUS_KEYS.get(ctx.case_status or "open", CLOSED_KEY)
    if status != CLOSED_KEY and OUTAGE_KEY in ctx.knowledge.ui and outage_case(ctx, state):
        return OUTAGE_KEY
    problem = ctx.knowledge.problems.get(state.problem or "")
    if status != CLOSED_KEY and problem is not None and problem.urgent and not state.mistake_noted:
        # a hacked account: not "in the queue", and the one thing to do meanwhile again
        # ("skal jeg bytte passord?"); a knowledge base without the text says the status.
        # Not once the person said the alarm was a mistake ("trykket feil")
        status = URGENT_KEY if URGENT_KEY in ctx.knowledge.ui else status
    return status


def meanwhile(ctx: Context, state: DialogState) -> Transition:
    """Asked what to do while IT has the case ("er det noe jeg kan gjøre selv mens jeg
    venter?", "so what now?"): the fix's steps with a button when none was tried (a case
    asked for at once), else that IT takes it from here; and the case's status. Not
    added to the case: it asks the bot (playtest 20: "Takk, jeg har lagt det til").
    A hacked account's status says what to do meanwhile itself."""
    say = ctx.say(state)
    status = say.text(_status_key(ctx, state))
    problem = ctx.knowledge.problems.get(state.problem or "")
    tried = any(owner == state.problem for owner, _, _, _ in state.tried)
    if problem is None or problem.urgent:
        return ctx.done(state, say.fit([status]))
    # a fix that opens with a check asks what IT or the provider says ("is the phone
    # quarantined?"), which IT, holding the case, answers (playtest 22: offered for the
    # wait, its first step was "ask IT")
    opens_with_check = (
        bool(problem.steps) and ctx.knowledge.steps[problem.steps[0]].check is not None
    )
    if problem.steps and not problem.handoff and not tried and not opens_with_check:
        line = say.text("case_meanwhile_fix", title=say.intent_title(problem.id))
        button = say.pick_button(problem.id)
        return ctx.done(state, say.fit([line, status], [button]))
    return ctx.done(state, say.fit([say.text("case_meanwhile_wait"), status]))


def continue_case(
    ctx: Context,
    state: DialogState,
    text: str,
    offer: Sequence[str] = (),
    *,
    lead: str = "case_added",
) -> Transition:
    """``text`` added to the person's case; the reply says so and gives the case's status.

    ``offer``: problems the text also reads as, offered as buttons that start their fix
    (in a new conversation); the text is in the case whether or not one is pressed.
    ``lead``: the ui text that says so ("case_added_works" when it says the mail works
    now; a knowledge base without it says "case_added").
    """
    ctx.effects.append(CaseAddition(text))
    if lead == "case_added_mistake":
        state = state.evolve(mistake_noted=True)
        withdrawn = state.evolve(phase=Phase.ENDED)
        if MISTAKE_RESUME_KEY in ctx.knowledge.ui and stopped_fix(ctx, withdrawn):
            # "Snakk med IT" pressed by mistake mid-fix: the way back to the step, as
            # after a stop (else "fortsett" only added more to the case)
            return offer_resume(ctx, withdrawn, MISTAKE_RESUME_KEY)
    say = ctx.say(state)
    status = _status_key(ctx, state)
    if lead not in ctx.knowledge.ui:
        lead = "case_added"
    if lead in ANSWERING_LEADS:
        return ctx.done(state, say.fit([say.text(lead)]))  # no "your case is in the queue"
    lines = [say.text(lead), say.text(status)]
    # an outage is fixed at the provider: no fix for the phone offered (playtest 25: "the
    # webmail doesn't work either" was offered three fixes for the phone)
    # ... nor during a break-in: a self-help fix for the password prompt misleads someone
    # locked out by the intruder (playtest 26), and approving a sign-in is what not to do
    offer = () if outage_case(ctx, state) or urgent_case(ctx, state) else offer
    offered = [p for p in dict.fromkeys(offer) if p in ctx.knowledge.problems][
        : ctx.settings.matcher.max_candidates
    ]
    if len(offered) == 1:
        lines.append(say.text("case_offer_fix", title=say.intent_title(offered[0])))
    elif offered:
        lines.append(say.text("case_offer_fixes"))
    buttons = [say.pick_button(p) for p in offered]
    return ctx.done(state, say.fit(lines, buttons))


def alarm_was_mine(ctx: Context, state: DialogState, text: str) -> Transition:
    """After a hacked account's urgent handoff, "det var jo meg som la inn kontoen på den
    nye iPhonen": in the case, no longer urgent, and the fixes the first message also read
    as offered (Google asking to confirm the new phone). Playtest 26: the alarm stood, and
    "så jeg er ikke hacket da?" got the step again."""
    state = state.evolve(mistake_noted=True)
    ctx.effects.append(CaseAddition(text))
    say = ctx.say(state)
    first = ctx.classifier.classify(state.first_text or text, prior_language=state.language)
    # only a likely reading: "kollegaene fikk rare mailer fra meg" is near no fix at all
    sure = ctx.settings.dialog.false_alarm_fix_min_score
    offered = [
        c.intent
        for c in first.candidates
        if c.intent in ctx.knowledge.problems
        and not ctx.knowledge.problems[c.intent].urgent
        and c.score >= sure
    ][:1]
    buttons = [say.pick_button(p) for p in offered]
    lines = [say.text("case_added_was_me")]
    if offered:
        lines.append(say.text("case_offer_fix", title=say.intent_title(offered[0])))
    return ctx.done(state, say.fit(lines, buttons))


def urgent_case(ctx: Context, state: DialogState) -> bool:
    """The open case is a hacked account's, still urgent (not said to be a mistake)."""
    problem = ctx.knowledge.problems.get(state.problem or "")
    return (
        case_open(ctx, state) and problem is not None and problem.urgent and not state.mistake_noted
    )


def only_me_after_all(ctx: Context, state: DialogState, text: str) -> Transition:
    """After an outage case, "det er faktisk bare meg, de andre får mail": in the case,
    no outage any more, and the phone's fixes offered as buttons (the topic's vague
    problems: what fails is not said yet). Playtest 26: the outage status over and over,
    even to "jeg får ikke nye mailer på iphonen"."""
    state = state.evolve(only_me=True)
    problem = ctx.knowledge.problems.get(state.problem or "")
    if problem is None or "case_added_only_me" not in ctx.knowledge.ui:
        return continue_case(ctx, state, text)
    ctx.effects.append(CaseAddition(text))
    say = ctx.say(state)
    offered = [p for p in ctx.knowledge.topics[problem.topic].vague if p in ctx.knowledge.problems][
        : ctx.settings.matcher.max_candidates
    ]
    buttons = [say.pick_button(p) for p in offered]
    return ctx.done(state, say.fit([say.text("case_added_only_me")], buttons))


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
    base = fresh(ctx, state) if ended else state
    asking = base.evolve(phase=Phase.IDLE, greeted=True, candidates=(), asking_problem=True)
    transition = ctx.done(asking, ctx.say(asking).problem_question())
    return as_new(transition) if ended else transition


def answer_problem(ctx: Context, state: DialogState, text: str) -> Transition:
    """The answer to "what is it about?": it goes to IT with these words as the story, as
    the question promised; a recognised problem is named in the case and its fix offered
    as a button for the wait. A hacked account starts its own urgent handoff."""
    result = ctx.classifier.classify(text, prior_language=state.language)
    ctx.effects.append(
        Understood(result.intent, result.confidence, result.decision, state.language)
    )
    state = state.evolve(asking_problem=False, first_text=text)
    problem = ctx.knowledge.problems.get(result.intent) if result.decision == "match" else None
    if problem is None:
        return hand_off(ctx, state, "asked")
    if problem.urgent:
        return start(ctx, state, problem.id, picked=False)
    handed = hand_off(ctx, state.evolve(problem=problem.id, step_index=0), "asked")
    say = ctx.say(handed.state)
    offer = say.fit(
        [say.text("case_offer_fix_asked", title=say.intent_title(problem.id))],
        [say.pick_button(problem.id)],
    )
    return replace(handed, replies=(*handed.replies, *offer))
