"""Free text in a conversation: what a typed message means where the conversation is.

The short-form lexicon ("ja", "det funka", "stopp") is read first where a
question was asked; mid-flow the act model reads whole replies ("gjort, men
fortsatt ingenting"); anything more goes to the classifier, whose decision
``on_meaning`` turns into a move. The language follows the person unless they
chose one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from bot.dialog import payloads
from bot.dialog.case import (
    CASE_NEWS,
    alarm_was_mine,
    answer_problem,
    ask_problem,
    case_open,
    case_status,
    case_status_line,
    continue_case,
    meanwhile,
    no_case_status,
    nothing_described,
    only_me_after_all,
    outage_case,
    urgent_case,
)
from bot.dialog.case_readings import (
    others_have_it,
    problem_told_beside,
    sign_in_was_mine,
    tells_only_me,
)
from bot.dialog.check_answers import at_a_check, check_answer, check_polarity
from bot.dialog.conversation import CaseAddition, DialogState, Phase, Transition, Understood
from bot.dialog.flow import (
    FINISHED,
    Context,
    as_new,
    carries_case,
    current,
    current_check,
    current_step,
    fresh,
    hand_off,
    menu,
    offer_resume,
    rate,
    record_outcome,
    reopen,
    restart,
    resume,
    start,
    step_outcome,
    stop,
    stopped_fix,
    switch_language,
    undo_worked,
)
from bot.dialog.later_steps import later_step_named
from bot.dialog.lookalike_replies import lookalike_reply
from bot.dialog.moves import (
    IN_FLOW,
    answer_lookalike,
    answer_question,
    candidates_of,
    explain_term,
    language_untold,
    miss,
    nudge,
    on_payload,
    other_problem,
    stay,
    to_human,
    to_problem,
    untouched,
)
from bot.dialog.signals import (
    CLAUSE_MARKS,
    SENTENCE_ENDS,
    a_correction,
    asks,
    asks_for_a_person,
    asks_for_help,
    language_named,
    last_clause,
    names_a_language,
    praise_only,
    praise_words,
    read_reply,
    reply_language,
    says_it_works,
    says_more,
    surely_told,
    thanks_only,
)
from bot.dialog.step_numbers import steps_named
from bot.dialog.step_readings import (
    SET_OFF,
    closing_command,
    corrects_the_problem,
    path_roots,
    step_named_as_the_fix,
    tells_no_change,
    told_fixed,
    uses_another_app,
)
from bot.knowledge import LANGUAGES
from bot.understanding.acts import HUMAN, NEW_PROBLEM, RATING_MAX_WORDS, SMALLTALK, typed_score
from bot.understanding.intents import MatchResult, ReadAct
from bot.understanding.lexicon import LexiconHit
from bot.understanding.text import (
    after_a_decline,
    asks_by_words,
    clauses,
    denies_done,
    fault_too_part,
    generic_terms,
    holds,
    is_press_word,
    mentions_all,
    named_conditions,
    names_offering,
    normalize,
    opens_a_question,
    opens_asking_when,
    opens_how_to,
    ordinal,
    reads_as_a_question,
    rules,
    says_broken,
    says_changed_by_it,
    says_disowned,
    says_empty,
    says_fault,
    says_typed_in,
    says_used_by_another,
    says_works_under_condition,
    shouts,
    tells_account_kind,
    term,
    tokens,
    unsure,
    words,
)
from bot.understanding.text import (
    terms as term_list,
)
from bot.understanding.told_fixed import (
    says_fault_gone,
    says_same_fault,
)

# a message with this many digits or more gives a phone number ("ring meg på 955 12 345")
_PHONE_MIN_DIGITS = 8
# "step 5 please", "steg 3 takk": a step asked for by number in this many words or fewer
_STEP_ASKED_MAX_WORDS = 4
# a request for a person this short tells nothing new: after a fix, it is about that fix
_SHORT_REQUEST_MAX_WORDS = 6
# digits with single spaces or dashes between, standing alone (not in a date, a time, a
# code or a longer word)
_PHONE = re.compile(r"(?<![\w.:/])\+?\d(?:[ -]?\d){7,14}(?![\w.:/]\w|\w)")
# an error told in this many words or fewer, with none of these marks, does not say
# what the error says ("nå kommer det en feilmelding"; "står: Kan ikke hente e-post" does)
_ERROR_UNTOLD_MAX_WORDS = 10
# a first message this short that tells a fault and names nothing ("funker ikke") is
# asked what does not work
_BARE_FAULT_MAX_WORDS = 3
# a button's place typed: one ASCII digit ("²" and "١" are digits to str.isdigit)
_ONE_DIGIT = re.compile(r"[1-9]")
_QUOTE_MARKS = (":", '"', "'", "«", "»", "“", "”")
# question words that ask where something is: a question of finding
_WHERE = frozenset({"hvor", "where", "wheres", "kor", "kvar", "hvar", "whereabouts"})
# "det haster ikke" and no more: at most this many words
_NO_RUSH_MAX_WORDS = 4
# A text shorter than this many words is too short to tell its language
# ("ok", "mail sync"); the conversation keeps the language it has.
MIN_WORDS_FOR_LANGUAGE = 3
_COMMANDS = ("to_en", "to_nb", "stop", "restart", "help", "greeting", "thanks", "bye")
_FLOW_COMMANDS = ("to_en", "to_nb", "restart", "help", "other_problem")
# commands that make a reply no aside about another thing ("glem det, orker ikke mer")
_NO_ASIDE = (*_FLOW_COMMANDS, "stop")
# the lexicon keys worth reading in each phase
_WORDS: dict[Phase, tuple[str, ...]] = {
    Phase.IDLE: (*_COMMANDS, "ack", "other_problem", "how_are_you"),
    Phase.CHOOSING: (*_COMMANDS, "no"),
    Phase.IN_FLOW: (
        *_COMMANDS,
        *("yes", "no", "worked", "not_helped", "skip", "back", "ack", "ready", "other_problem"),
    ),
    Phase.CONFIRM_SWITCH: (*_COMMANDS, "yes", "no", "worked", "not_helped", "skip", "back", "ack"),
    # "nei, det virker ikke likevel" after a step seemed to fix it reopens the flow
    Phase.RATING: (*_COMMANDS, "no", "not_helped", "ack"),
    Phase.HANDED_OFF: (*_COMMANDS, "ack", "case_status", *CASE_NEWS),
    # "fortsett" picks a stopped fix up again
    Phase.ENDED: (*_COMMANDS, "ack", "ready", "other_problem"),
}
# "didn't help" at a check step ("is the service up?"): nothing found there, go on (yes
# and no mean what the check's labels say: ``_check_polarity``)
_CHECK_VERBS = {"not_helped": "fine"}
# where a clause ends, its mark kept with it: "jeg har byttet passordet, | hva nå?"
_CLAUSE_ENDS = re.compile(r"(?<=[,.;:!?])\s+")
# what giving up said with a goodbye is read over ("dette tar for lang tid" reads as a
# question of time)
_GIVING_UP_OVER = (SMALLTALK, "stop", "question", "later")
# words that open a question of what, how or why ("hva skjer om jeg trykker hopp over?")
_WH_WORDS = frozenset(
    {"hva", "ka", "kva", "hvordan", "korleis", "how", "what", "why", "hvorfor", "korfor"}
    | {"kvifor", "hvor", "kor", "where", "which", "hvilken", "hvilket"}
)
# acts that move the fix or say the step cannot be done: no doubt about a check's answer
_MOVES = ("back", "skip", "stop", HUMAN, "cannot_find")
# what still works while "what is it about?" is asked; anything else is the answer
_ASIDE = ("to_en", "to_nb", "stop", "restart", "help")
# what a closing command is read over: readings that do not move the step themselves
_BEFORE_A_COMMAND = ("question", "cannot_find", "unable", "works_elsewhere", "done", SMALLTALK)
# acts that say nothing the step needs: written in the other language, they are a switch
_ASIDE_ACTS = ("question", SMALLTALK, "later")
# acts that answer nothing about the step: a reply in the words of its done_if is read
# as the step done or not applying instead
_NOT_AN_ANSWER = (NEW_PROBLEM, SMALLTALK, "question", "later")
_STEP_VERBS = {
    "worked": "ok",
    "yes": "ok",  # every step ends "is mail working now?"
    "not_helped": "no",
    "no": "no",
    "skip": "skip",
    "back": "back",
}


def _follow(ctx: Context, state: DialogState, detected: str | None) -> DialogState:
    """Follow the language the person writes in, unless they chose one."""
    if ctx.language_chosen or detected not in LANGUAGES or detected == state.language:
        return state
    return state.evolve(language=detected)


# --- free text -----------------------------------------------------------------


def on_text(ctx: Context, state: DialogState, raw: str) -> Transition:
    text = " ".join(raw.split())[: ctx.settings.limits.max_inbound_chars]
    if not text:
        return nudge(ctx, state)
    spoken = state.language  # the conversation's language until this message
    if not (untouched(state) or language_untold(state)):
        # a whole sentence tells the language, whichever way it is read below (playtest
        # 20: "hei, har IT sett på saken min? har ikke hørt noe" was answered in English
        # after one English line, as the case's status is read before the language was)
        state = _follow(ctx, state, reply_language(ctx, state, text))
    if state.phase is Phase.CHOOSING and (rest := after_a_decline(text)) is not None:
        text = rest  # "none of those. I just don't get any new emails": the rest tells it
    if state.phase is Phase.CONFIRM_SWITCH and (pressed := _typed_switch(ctx, state, text)):
        return on_payload(ctx, state, pressed)  # "Ja, bytt", "bytt", "fortsett her"
    if state.phase is Phase.CHOOSING and (place := ordinal(text)) is not None:
        # "den første", "the second one", "2": the choice at that place, as if pressed
        choices = [payloads.pick(c) for c in state.candidates] + [payloads.OTHER]
        if place <= len(choices):
            return on_payload(ctx, state, choices[place - 1])
    if (
        state.phase is Phase.CHOOSING
        and state.candidates
        and (unsure(text) or ctx.lexicon.mentions(text, "not_knowing"))
        and "choosing_unsure" in ctx.knowledge.ui
    ):
        # "vet ikke" to "which of these?": what each means, in plain words, and the same
        # choices (playtest 27: "about something else" and all thirteen problems)
        say = ctx.say(state)
        return ctx.done(state, say.choices(state.candidates, [say.text("choosing_unsure")]))
    if state.phase is Phase.CHOOSING and (chosen := _typed_choice(ctx, state, text)):
        return on_payload(ctx, state, payloads.pick(chosen))  # "sende", "the password one"
    if (pressed := _numbered_step_button(ctx, state, text)) is not None:
        return on_payload(ctx, state, pressed)  # "2" at a step: its second button
    # "vet ikke hva SMTP er, og bryr meg ikke – hopp over": the step command that closes a
    # reply is what it asks for; what comes before it explains it (read with the step's act)
    closing = closing_command(ctx, text) if state.phase is Phase.IN_FLOW else None
    if (
        closing is None
        and ctx.glossary is not None
        and (term := ctx.glossary.defined(text)) is not None
    ):
        # "hva er utboks?", "kva meiner du med smtp", "whats a captive portal": what a
        # word of the steps means, not a problem reported (nor a step answered)
        ctx.effects.append(Understood("question", 1.0, "lexicon", state.language))
        return explain_term(ctx, state, term)
    if closing is None and (terms := _terms_asked_about(ctx, state, text)) is not None:
        # "hva er forskjellen på push og fetch egentlig?", "someone told me I need an app
        # password, what is that?": the words the glossary has, asked about anywhere in
        # a question (playtest 19: the step's "why", or "that's all I know")
        ctx.effects.append(Understood("question", 1.0, "lexicon", state.language))
        return explain_term(ctx, state, *terms)
    if (answered := lookalike_reply(ctx, state, text)) is not None:
        return answered  # "ja, jeg skrev inn passordet" after the phishing answer
    rating_prompt = state.phase is Phase.RATING and not state.rated
    rating = ctx.classifier.read_reply(text, rating=True) if rating_prompt else None
    if (
        state.phase is Phase.RATING
        and state.rated
        and ctx.glossary is not None
        and _asked_outright(text)
        and (asked_terms := ctx.glossary.named_in(text))
    ):
        # "if i turn low power mode back on tonight will mail stop again?" after a fix: what
        # the word means, not the whole fix again (playtest 27: the introduction and step 1)
        ctx.effects.append(Understood("question", 1.0, "lexicon", state.language))
        return explain_term(ctx, state, *asked_terms[: ctx.settings.dialog.max_terms_explained])
    if state.phase is Phase.RATING and _asks_the_cause(ctx, text):
        # "hva var det egentlig som var feil?" once a step fixed it: what that step fixes
        # (playtest 24: the self-introduction, or "about something else")
        return _cause(ctx, state)
    if rating_prompt and _asks_about_scale(ctx, text) and "rating_scale" in ctx.knowledge.ui:
        # "hva betyr stjernene? er 5 best?": the scale explained, not five stars stored
        ctx.effects.append(Understood("question", 1.0, "lexicon", state.language))
        say = ctx.say(state)
        return ctx.done(state, say.fit([say.text("rating_scale")], say.rating_buttons()))
    if rating is not None and rating.exact:
        # "4", "8/10", "★★★★", "👍"
        return _rated(ctx, state, int(rating.act.removeprefix("rating_")), rating)
    if rating_prompt and (typed := typed_score(text)):
        return _rated(ctx, state, typed, None)  # digits and stars, whatever the classifier
    in_flow = state.phase is Phase.IN_FLOW and state.problem is not None
    if in_flow and uses_another_app(ctx, state, text):
        # "jeg bruker outlook appen, ikke mail appen": the steps are for another app
        # (playtest 26: offered a switch, or the step's way once more)
        ctx.effects.append(Understood("none", 1.0, "elsewhere", state.language))
        return nudge(ctx, state, [ctx.say(state).text("other_app_in_flow")])
    if (
        in_flow
        and closing is None
        and _aside(ctx, state, text)
        and ctx.lexicon.read(text, _NO_ASIDE) is None
        and not _asks_a_move(ctx, text)
    ):
        # "forresten, printeren virker ikke heller", "Teams krasjer også": another thing's
        # fault, not this step's answer; said so, and the step stays as it was
        ctx.effects.append(Understood("none", 1.0, "elsewhere", state.language))
        return nudge(ctx, state, [ctx.say(state).text("elsewhere_in_flow")])
    if (
        in_flow
        and len(text.split()) <= _NO_RUSH_MAX_WORDS
        and ctx.lexicon.mentions(text, "urgency")
        and ctx.lexicon.negated(text)
    ):
        # "det haster ikke", "it's not urgent": no answer to the step, and no "didn't help"
        # for its "ikke"
        return _on_word(ctx, state, "ack")
    if in_flow and _urgent_remark(ctx, state, text):
        # "det haster!": no answer to the step, nor to a check's question ("det" alone was
        # read as "det funka" and closed the fix as solved), but a reason to offer a person
        ctx.effects.append(Understood("urgency", 1.0, "lexicon", state.language))
        return _step_line(ctx, state, ctx.say(state).text("urgent_in_flow"))
    if in_flow and (alarm := _disowned_at_step(ctx, state, text)) is not None:
        # "nei, det var ikke meg" at the step that says "tap No and tell me here": the
        # break-in at once (playtest 19: read as "didn't help", or the step again)
        ctx.effects.append(Understood(alarm, 1.0, "step", state.language))
        state = state.evolve(told_problem=alarm, told_text=text)
        return to_problem(ctx, state, alarm, picked=False)
    if in_flow and (alarm := _account_used_alarm(ctx, state, text)) is not None:
        ctx.effects.append(Understood(alarm, 1.0, "rule", state.language))
        state = state.evolve(told_problem=alarm, told_text=text)
        return to_problem(ctx, state, alarm, picked=False)
    if in_flow and _error_untold(ctx, text):
        # "ok men nå kommer det en feilmelding": what it says tells the fault; it was
        # read as "didn't help" and the next step shown (playtest 19)
        ctx.effects.append(Understood("error_named", 1.0, "lexicon", state.language))
        return _step_line(ctx, state, ctx.say(state).text("error_what"))
    if in_flow and ctx.lexicon.mentions(text, "progress") and asks(ctx, text):
        # "hvor mange steg er det igjen?", "how many steps more?": how far, and how long
        # the rest takes (playtest 18: the step's own minutes, or not understood)
        ctx.effects.append(Understood("progress", 1.0, "lexicon", state.language))
        return _step_line(ctx, state, _progress_line(ctx, state))
    # Mid-flow the act model reads whole replies before the short-form lexicon, which
    # keeps only the commands ("på engelsk", "start på nytt") in front of it. A check
    # step's question ("is the service up?") is answered yes or no, so there the
    # lexicon's yes/no words come first too.
    checking = in_flow and at_a_check(ctx, state)
    # a command said whole comes before a check's answer: "jeg gir opp" is no "yes, the
    # service is up" (playtest 18: the fix went on to the next step)
    commanded = checking and ctx.lexicon.read(text, _COMMANDS) is not None
    if (
        checking
        and not commanded
        and unsure(text)
        and "check_unsure" in ctx.knowledge.ui
        and not _asks_a_move(ctx, text)
    ):
        # "tja, vet ikke helt" at "is the service up?": no answer, and no "then you can't
        # do this step yourself" either (playtest 20): how to go on without knowing
        check = current_check(ctx, state)
        assert check is not None
        line = ctx.say(state).text("check_unsure", **ctx.say(state).check_answers(check))
        ctx.effects.append(Understood("unsure", 1.0, "lexicon", state.language))
        if any(
            ctx.lexicon.mentions(clause, "urgency") and not ctx.lexicon.negated(clause)
            for clause in clauses(text)
        ):
            # "vet ikke?? jeg har et møte om 10 min og trenger mailen NÅ": the way to a
            # person too (playtest 22: only how to answer the check); the "ikke" of "vet
            # ikke" negates no urgency
            line = f"{ctx.say(state).text('urgent_in_flow')}\n\n{line}"
        return _step_line(ctx, state, line)
    answer = (
        check_answer(ctx, state, text, _WORDS[state.phase]) if checking and not commanded else None
    )
    if answer is not None:
        ctx.effects.append(Understood(answer, 1.0, "lexicon", state.language))
        if answer == "fault" and (again := _outage_asked_again(ctx, state, text)) is not None:
            return again
        return step_outcome(ctx, state.evolve(misses=0), answer, typed=True)
    first = _WORDS[state.phase] if not in_flow or checking else _FLOW_COMMANDS
    hit = ctx.lexicon.read(text, first)
    if hit is None and state.phase is not Phase.HANDED_OFF and not state.awaiting_problem:
        # "har IT sett på saken min?" with no case open, in any phase: asked, not a
        # request for a person (which would send a case nobody asked for)
        hit = _asked_for_a_case(ctx, text)
    if state.awaiting_problem and (hit is None or hit.key not in _ASIDE):
        return answer_problem(ctx, state, text)
    if hit is None and _asks_after_carried_case(ctx, state, text):
        # "har IT fått saken min?", "har du sendt saken min videre?" while the steps are
        # tried meanwhile, or after they fixed it: the case from before (playtest 22:
        # "about something else", a skip, then a second case); the step stays
        ctx.effects.append(Understood("case_status", 1.0, "lexicon", state.language))
        return _carried_case_status(ctx, state)
    if hit is None and rating is not None and rating.act.startswith("rating_"):
        # a short answer to "how would you rate it?" is a rating, however it is put
        settings = ctx.settings.dialog
        short = len(text.split()) <= settings.rating_max_words
        needed = settings.rating_min_score if short else settings.worded_rating_min_score
        if rating.score >= needed:
            return _rated(ctx, state, int(rating.act.removeprefix("rating_")), rating)
    described = False  # the act model read a problem description, not an answer
    pressed_wrong = (
        hit is None
        and len(text.split()) <= ctx.settings.dialog.mistake_max_words
        and ctx.lexicon.mentions(text, "mistake")
    )
    if pressed_wrong and state.phase is Phase.RATING and state.problem and not state.rated:
        # "oi, trykket feil" right after "Det fungerte": the step it was pressed at again
        ctx.effects.append(Understood("mistake", 1.0, "lexicon", state.language))
        return undo_worked(ctx, state)
    if pressed_wrong and in_flow and state.step_index > 0:
        # "oi, trykket feil" after "Hjalp ikke" or "Hopp over": the step before, as "Forrige"
        ctx.effects.append(Understood("mistake", 1.0, "lexicon", state.language))
        return step_outcome(ctx, state.evolve(misses=0), "back", typed=True)
    if hit is None and in_flow and (terms := _asked_what_it_means(ctx, state, text)) is not None:
        # "hva betyr det?", "ka meine du med det?": the words of the step the glossary
        # explains ("Hent nye data", "Push"); a step without such words is explained by
        # why it is done
        ctx.effects.append(Understood("question", 1.0, "lexicon", state.language))
        if terms:
            return explain_term(ctx, state, *terms)
        problem = ctx.knowledge.problems[state.problem or ""]
        losing = _asks_what_is_lost(ctx, text)
        return ctx.done(
            state, ctx.say(state).step_question(problem, state.step_index, losing=losing)
        )
    if hit is None and in_flow and (moved := _to_steps_named(ctx, state, text)) is not None:
        return moved  # "I already did steps 1 to 3", "step 5 please"
    if hit is None and in_flow and (found := _step_found_by(ctx, state, text)) is not None:
        # "den lå i søppelpost" at the junk-folder step: the step found the fault, in the
        # words of its found_if (not spam arriving, which the words alone would say); or
        # an earlier step did, found after it was passed (playtest 24: "fant den i
        # søppelpost!" at the next step got the advice for spam received)
        ctx.effects.append(Understood("worked", 1.0, "step", state.language))
        return step_outcome(ctx, state.evolve(misses=0, step_index=found), "ok", typed=True)
    if hit is None and in_flow and _done_still_failing(ctx, state, text):
        # "gjorde det, ingen nye mail", "gjort, ingen mail enda": the step done, and the
        # fault still there (playtest 20: "does it work now?", or "I'll remember the step")
        ctx.effects.append(Understood("not_helped", 1.0, "rule", state.language))
        return step_outcome(ctx, state.evolve(misses=0), "no", typed=True)
    if hit is None and in_flow and closing is None and tells_no_change(ctx, state, text):
        # "Re-entered the password, no change", "den var på. samme feil", "it's already on
        # for Mail": the step changed nothing (conversations set: "another problem", "Bra!
        # Virker e-posten nå?" or a skip)
        ctx.effects.append(Understood("not_helped", 1.0, "rule", state.language))
        return step_outcome(ctx, state.evolve(misses=0), "no", typed=True)
    if hit is None and in_flow:
        read = read_reply(ctx, text)
        if (read is None or read.act == SMALLTALK) and _leaving_at_last(ctx, text):
            # "sorry, blir kalt inn igjen, brb": leaving for now, said last (playtest 27:
            # "Skal vi fortsette der vi var?")
            read = ReadAct("later", 1.0, exact=False)
        if (read is None or read.act in _GIVING_UP_OVER) and _giving_up_at_last(ctx, text):
            # "This is taking forever. I'm done, bye.": giving up, and leaving (conversations
            # set: not understood)
            read = ReadAct("stop", 1.0, exact=False)
        if closing is not None and (read is None or read.act in _BEFORE_A_COMMAND):
            # "doesn't apply to me, it's an iCloud account. next", "vet ikke hva SMTP er –
            # hopp over": what is said before the last clause's command only explains it
            read = ReadAct(closing, 1.0, exact=False)
        if told_fixed(ctx, state, text, read):
            # "feilmeldinga er vekke", "den kom fram", "my colleague got the email": the
            # fix told in the problem's words (round 17: read as "didn't help", "another
            # problem" or nothing)
            read = ReadAct("worked", 1.0, exact=False)
        credited = (
            step_named_as_the_fix(ctx, state, text) if read and read.act == "worked" else None
        )
        if credited is not None:
            # "IT WORKS. the smtp step fixed it" at step 3: that step did it (playtest 27:
            # step 3 was credited, in the reply and in the figures)
            ctx.effects.append(Understood("worked", 1.0, "step", state.language))
            return step_outcome(ctx, state.evolve(misses=0, step_index=credited), "ok", typed=True)
        plain = read is None or read.act in (SMALLTALK, NEW_PROBLEM)
        said_no = ctx.lexicon.read(text, ("no",)) if plain else None
        if said_no is not None and (said_no.score < 1.0 or thanks_only(ctx, text)):
            # the no must be all that is said: "not really sure", "egentlig ikke forstått"
            # and "nei takk" answer something else (review)
            said_no = None
        if said_no is not None:
            # a plain no, softened or not ("not really", "ikke egentlig"): the step did not
            # help (playtest 22: "not really" was thanked for)
            ctx.effects.append(Understood("not_helped", said_no.score, "lexicon", state.language))
            return step_outcome(ctx, state.evolve(misses=0), "no", typed=True)
        if read is None and reads_as_a_question(text):
            # "strømsparing er på, har det noe å si?": asked by its form, of a later step
            later = _later_step(ctx, state, text)
            if later is not None:
                return later
        if read is None and _asks_how_to_do_the_step(ctx, state, text):
            # "korleis sjekke eg om den e nede? ka for ei side?": how to do the step, asked
            # in words the act model is unsure of (conversations set: not understood)
            read = ReadAct("question", 1.0, exact=False)
        if (read is None or read.act in ("not_helped", NEW_PROBLEM)) and _step_found_nothing(
            ctx, state, text
        ):
            # "hun var ikke blokkert" at the blocked-senders step: the step looked and
            # found nothing, so it did not help (it offered a switch to "work mail blocked")
            ctx.effects.append(Understood("not_helped", 1.0, "step", state.language))
            return step_outcome(ctx, state.evolve(misses=0), "no", typed=True)
        if a_correction(ctx, state, text, read):
            read = replace(read, act=NEW_PROBLEM) if read is not None else None
        too = _answer_and_another(ctx, state, text, read)
        if too is not None and too[0].act == "not_helped":
            # "hjalp ikke, og nå får jeg ikke sendt heller": the step did not help, and
            # another fault came too; both told (playtest 20: only "next step")
            said, also = too
            ctx.effects.append(Understood("not_helped", said.confidence, "act", state.language))
            state = state.evolve(misses=0, told_problem=also, told_text=text)
            moved = step_outcome(ctx, state, "no", typed=True)
            if moved.state.phase is not Phase.IN_FLOW:
                return moved
            return to_problem(ctx, moved.state, also, picked=False, unsure=True)
        if too is not None and too[0].act == "worked" and not ctx.lexicon.mentions(text, "worse"):
            # "ja det va passordet. men no får æ ikkje motta heller": the step fixed this
            # problem, and the next one is told; the step is credited and the next one
            # starts (playtest 22: "didn't help" was recorded, and the password prompt
            # offered for the "passordet" of the answer)
            said, also = too
            ctx.effects.append(Understood("worked", said.confidence, "act", state.language))
            solved = ctx.knowledge.problems[state.problem or ""]
            state = record_outcome(ctx, state, "ok").evolve(told_problem=also, told_text=text)
            say = ctx.say(state)
            lead = [say.text("worked_then_next", title=say.intent_title(solved.id))]
            return start(ctx, state, also, picked=False, lead=lead)
        if read is not None and read.act == "works_elsewhere" and others_have_it(ctx, state, text):
            # "kollegaene mine har det samme problemet": the act model hears "kollegaene mine
            # har ingen problemer" (it works for others); the matcher reads many affected
            read = replace(read, act=NEW_PROBLEM)
        if (
            read is not None
            and read.act == "worked"
            and ctx.lexicon.mentions(text, "worse")
            and not says_fault_gone(tokens(text))
        ):
            # "nå kom det en feilmelding", "it worked but stopped again": not fixed
            read = replace(read, act="not_helped")
        if (
            read is not None
            and read.act == "worked"
            and _works_under_condition(ctx, state, text)
            and "works_sometimes_reply" in ctx.knowledge.ui
        ):
            # "mailen kommer når jeg er på 4G", "only works on wifi": working under a
            # condition is news of where it fails, not a fix (playtest 21: the VPN step
            # was thanked for it and the case closed as solved)
            sometimes = Understood("works_sometimes", read.confidence, "act", state.language)
            ctx.effects.append(sometimes)
            return _step_line(ctx, state, ctx.say(state).text("works_sometimes_reply"))
        if (
            (read is None or read.act in _NOT_AN_ANSWER or read.act in ("cannot_find", "unable"))
            and _step_done_by(ctx, state, text)
            and not opens_a_question(text)
        ):
            # "de e exchange" at the SMTP step ("Exchange-kontoer har ikke dette valget"):
            # the step does not apply, not another problem to switch to; nor the setting
            # to look for again ("finner ikke SMTP, jeg har exchange"), nor a step the
            # person cannot do ("jeg har exchange, så jeg har ikke SMTP": playtest 19)
            ctx.effects.append(Understood("skip", 1.0, "step", state.language))
            return step_outcome(ctx, state.evolve(misses=0), "skip", typed=True)
        if (read is None or read.act in _NOT_AN_ANSWER) and tells_account_kind(tokens(text)):
            # "det er jobbmail, trur det er exchange", "I don't have an Exchange account,
            # it's gmail": which account it is, not "work mail blocked" or "Google asks to
            # verify" to switch to (playtest 20)
            ctx.effects.append(Understood("account_kind", 1.0, "rule", state.language))
            account = f"{state.account_told} {text}" if state.account_told else text
            state = state.evolve(account_told=account)
            return _step_line(ctx, state, ctx.say(state).text("account_noted"))
        if _frustrated(ctx, state, text, read):
            # "dette er helt ubrukelig, har ikke tid til dette!!", "this is useless": sorry
            # and a person, not "Helt i orden" or "I didn't understand"
            return _step_line(ctx, state, ctx.say(state).text("frustrated_in_flow"))
        if read is not None and read.act != NEW_PROBLEM:
            asked_language = language_named(ctx, text) is not None
            # (a whole sentence's language was followed at the top: compared with the
            # language before this message)
            if state.language != spoken and (read.act in _ASIDE_ACTS or asked_language):
                # "sorry, can we do this in English?": the new language is the news; say
                # so and show the step again (an answer that moves the fix still counts)
                before = state.evolve(misses=0, language=spoken)
                return switch_language(ctx, before, state.language)
            state = state.evolve(misses=0) if read.act != SMALLTALK else state
            act = _act_meant(ctx, state, read.act, text)
            ctx.effects.append(Understood(act, read.confidence, "act", state.language))
            return _on_act(ctx, state, act, text)
        described = read is not None and read.act == NEW_PROBLEM
        if not described:
            hit = ctx.lexicon.read(text, _WORDS[state.phase])
    if hit is None and state.phase is Phase.RATING and state.problem:
        # "det har slutta å virke igjen" after a fix that seemed to work: the next step
        read = read_reply(ctx, text)
        if (
            read is not None
            and read.act == "not_helped"
            and not _names_another_problem(ctx, state, text)
            and (not state.rated or _fault_back(ctx, state, text))
        ):
            ctx.effects.append(Understood(read.act, read.confidence, "act", state.language))
            return reopen(ctx, state)
    if hit is None and stopped_fix(ctx, state):
        # "ok, nå er jeg klar til å fortsette" after a stop: the fix again, not a new one
        read = read_reply(ctx, text)
        if read is not None and read.act == "ready":
            ctx.effects.append(Understood(read.act, read.confidence, "act", state.language))
            return resume(ctx, state)
        if not state.offered_resume and _about_the_stopped_fix(ctx, state, text, read):
            # "hei igjen, det funker ikke likevel", "hva var det vi gjorde i går?": the fix
            # left for later is offered back first (playtest 25: "about something else")
            ctx.effects.append(Understood("resume", 1.0, "rule", state.language))
            return offer_resume(ctx, state)
    if hit is not None and hit.key == "help" and thanks_only(ctx, text, asks_for_help):
        hit = replace(hit, key="thanks")  # "kjempenyttig hjelp, takk": thanks, not "help"
    if hit is None and state.phase is Phase.HANDED_OFF and ctx.lexicon.mentions(text, "mistake"):
        # "oi, trykket feil. kontoen min er ikke hacket, jeg mente ...": the mistake is
        # the news, however much else the message says
        return continue_case(ctx, state, text, lead="case_added_mistake")
    if (
        hit is None
        and urgent_case(ctx, state)
        and ctx.lexicon.mentions(text, "locked_out")
        # "I changed the password, so the old one doesn't work on the iPad": their own
        and not ctx.lexicon.mentions(text, "password_changed")
        and "case_added_locked_out" in ctx.knowledge.ui
    ):
        # "fikk ikke logget inn, den sier passordet er feil": the intruder changed it; not
        # "change your password now" and a self-help fix for the prompt (playtest 26)
        ctx.effects.append(Understood("locked_out", 1.0, "lexicon", state.language))
        return continue_case(ctx, state, text, lead="case_added_locked_out")
    if hit is None and urgent_case(ctx, state) and sign_in_was_mine(ctx, text):
        # "der stod det iPhone, Bergen, i dag. det var jo meg": a false alarm (playtest 26)
        ctx.effects.append(Understood("was_me", 1.0, "lexicon", state.language))
        return alarm_was_mine(ctx, state, text)
    if hit is None and outage_case(ctx, state) and tells_only_me(ctx, text):
        # "jeg spurte rundt, og det er faktisk bare meg": no outage after all
        ctx.effects.append(Understood("only_me", 1.0, "rule", state.language))
        return only_me_after_all(ctx, state, text)
    if hit is None and state.phase is Phase.HANDED_OFF and _asks_for_a_call(ctx, text):
        # "kan dere ringe meg?": in the case, and the number asked for (playtest 17: only
        # noted, and IT had no number to call)
        return continue_case(ctx, state, text, lead="case_added_call")
    if (
        hit is None
        and state.phase is Phase.HANDED_OFF
        and ctx.lexicon.mentions(text, "it_phone")
        and asks(ctx, text)
        and "it_phone" in ctx.knowledge.ui
    ):
        # "finnes det et telefonnummer til IT?": none here, so the person's own is asked
        # for (playtest 24: only "added to your case")
        ctx.effects.append(Understood("it_phone", 1.0, "lexicon", state.language))
        say = ctx.say(state)
        return ctx.done(
            state, say.fit([say.text("it_phone_given" if state.phone_given else "it_phone")])
        )
    if (
        hit is None
        and state.phase is Phase.HANDED_OFF
        and _gives_a_number(text)
        and not says_it_works(ctx, text)
        and _password_news(ctx, text) is None
    ):
        # "kan dere ringe meg? 98765432", or the number alone: in the case, and said so
        # (playtest 24: "added to your case", then asked for the number again)
        return continue_case(ctx, state.evolve(phone_given=True), text, lead="case_added_number")
    if hit is None and state.phase is Phase.HANDED_OFF:
        hit = _asked_after_handoff(ctx, text) or _password_news(ctx, text)
    if hit is not None and hit.key == "case_status" and state.phase is Phase.HANDED_OFF:
        # "har IT sett på saken min?", "hvor lang tid tar det?": the status, nothing added
        ctx.effects.append(Understood(hit.key, hit.score, "lexicon", state.language))
        return case_status(ctx, state)
    if hit is not None and hit.key == "case_status" and in_flow and carries_case(ctx, state):
        # "har IT fått saken min?" while the steps are tried meanwhile: the case from before
        # (playtest 22: "about something else", then a second case); the step stays
        ctx.effects.append(Understood(hit.key, hit.score, "lexicon", state.language))
        return _carried_case_status(ctx, state)
    if hit is not None and hit.key == "case_status":
        # the same with no case open: none was sent, or it was withdrawn ("trykket feil")
        ctx.effects.append(Understood(hit.key, hit.score, "lexicon", state.language))
        if in_flow and "case_status_none_in_flow" in ctx.knowledge.ui:
            return _step_line(ctx, state, ctx.say(state).text("case_status_none_in_flow"))
        return no_case_status(ctx, state)
    if hit is not None and hit.key in CASE_NEWS and state.phase is Phase.HANDED_OFF:
        # "har byttet passordet", "hvordan bytter jeg passord?": in the case, and answered;
        # "har ikke byttet det ennå" is no news: the case's status says what to do
        key = hit.key
        if key == "password_changed" and _asks_to_change(ctx, text):
            key = "change_password"  # "skal jeg bytte passord?" shares its words
        if (
            key == "password_changed"
            and ctx.lexicon.negated(text)
            and not _password_news(ctx, text)
        ):
            # (the "ikke" of another clause negates no change: "har byttet passord nå. men
            # mailen henter fortsatt ikke noe", playtest 22)
            return continue_case(ctx, state, text)
        if key == "change_password" and _names_the_device(ctx, state, text):
            # "do I need to change my password on the phone too after?": how it is entered
            # on the iPhone (playtest 24: how to change it on the website)
            key = "password_on_phone"
        return continue_case(ctx, state, text, lead=f"case_added_{key}")
    # nothing the person wrote has told the language yet: the text alone tells it
    untold = untouched(state) or language_untold(state)
    if hit is not None:
        # Short answers tell the language only on a first message: Norwegians
        # often answer "still broken" or "that fixed it" mid-conversation.
        state = _follow(ctx, state, hit.language if untold else None).evolve(misses=0)
        ctx.effects.append(Understood(hit.key, hit.score, "lexicon", state.language))
        return _on_word(ctx, state, hit.key)
    # the conversation's language stays unless the text clearly says otherwise
    prior = None if untold else state.language
    result = ctx.classifier.classify(
        text, prior_language=prior, in_topic=state.phase in IN_FLOW and state.problem is not None
    )
    # a first message understood tells its language however short: "outbox stuck",
    # "password loop"; gibberish keeps the platform's guess
    told = untold and result.decision != "none" and result.language_told
    long_enough = told or len(text.split()) >= MIN_WORDS_FOR_LANGUAGE
    before = state
    state = _follow(ctx, state, result.language if long_enough else None)
    ctx.effects.append(
        Understood(result.intent, result.confidence, result.decision, state.language)
    )
    if state.phase is Phase.HANDED_OFF and _urgent_remark(ctx, state, text):
        # "det haster!" while IT has the case: in the case, said so, and no "glad it works";
        # a number is asked for only when none was given
        given = state.phone_given or _gives_a_number(text)
        urgent_lead = "case_added_urgent_number" if given else "case_added_urgent"
        return continue_case(ctx, state.evolve(phone_given=given), text, lead=urgent_lead)
    if state.phase is Phase.HANDED_OFF and says_it_works(ctx, text):
        # "glem det, det virker nå": in the case too, so IT sees it has sorted itself out
        return continue_case(ctx, state, text, lead="case_added_works")
    if (
        result.decision == "none"
        and state.language != spoken
        and not untold
        and names_a_language(ctx, text)
    ):
        # "could you write in English, my manager is reading along": nothing to answer
        # but the language; say it switched and go on where we were. Anything else
        # ("Teams on my PC won't start") is answered, in the language it was written in
        return switch_language(ctx, before.evolve(misses=0, language=spoken), state.language)
    if (
        result.decision == "match"
        and result.intent == HUMAN
        and (thanks_only(ctx, text) or praise_only(ctx, text))
    ) or (
        # understood as nothing, thanks and praise alone ("veldig fornøyd, takk!"); not
        # "skriveren skriver ikke ut, takk", which says more
        result.decision == "none" and (thanks_only(ctx, text, says_more) or praise_only(ctx, text))
    ):
        return _on_word(ctx, state, "thanks")  # "veldig nyttig hjelp, takk": no case
    judged = ctx.lexicon.mentions(text, "bot_itself") or ctx.lexicon.mentions(text, "judgement")
    # "feedback: the bot thought my account was hacked": what the bot thought, judged, is
    # no alarm (playtest 27: an urgent case and "call your bank")
    remark = ctx.lexicon.mentions(text, "judgement")
    if (
        state.phase is Phase.RATING
        # "the bot should have told me that first tbh" shares words with the questions
        and (
            result.decision == "none"
            or (result.decision in ("ambiguous", "match") and remark)
            or (result.decision == "ambiguous" and judged)
        )
        and _sounds_like_feedback(ctx, text, result)
        # "botten var treg og ubrukelig": a fault of fixbot's, judged, is feedback; "the
        # steps didn't work on my iPad" is a problem
        and (
            not says_fault(tokens(text))
            or (
                ctx.lexicon.mentions(text, "bot_itself")
                and ctx.lexicon.mentions(text, "frustration")
            )
        )
        # asked by its form: the act model hears a question in "the steps were confusing"
        # ("could have been quicker" opens like "could you ...", and asks nothing; "how
        # do I make it sync faster" asks)
        and not (
            "?" in text
            or (
                reads_as_a_question(text)
                and not ctx.lexicon.mentions(" ".join(text.split()[:3]), "judgement")
            )
        )
    ):
        # after a fix, a remark that names no fault and asks nothing is feedback on the
        # help ("dårlig hjelp egentlig, det var bare omstart"): thanked for, and kept in
        # the transcript (playtest 14: it got the self-introduction)
        ctx.effects.append(Understood("feedback", 1.0, "rule", state.language))
        say = ctx.say(state)
        return ctx.done(state, say.fit([say.text("rating_thanks")]))
    if result.decision == "match" and result.intent == HUMAN and nothing_described(state):
        beside = problem_told_beside(ctx, state, text)
        if beside is not None:
            # "kan jeg få snakke med et menneske? mailen på iphone sender ikke": the story
            # is told, so IT gets it with the problem named (playtest 27: "Hva gjelder det?")
            return answer_problem(ctx, state, beside)
        return ask_problem(ctx, state)  # one question first, not an empty case
    if (
        state.phase in (Phase.RATING, Phase.ENDED)
        and state.problem in ctx.knowledge.problems
        and result.decision == "match"
        and result.intent == HUMAN
        and (len(text.split()) <= _SHORT_REQUEST_MAX_WORDS or _asks_for_a_call(ctx, text))
        and not _aside(ctx, state, text)
    ):
        # "kan noen ringe meg" after a fix: the case IT gets tells that fix's story, not
        # an empty one (playtest 25: "ukjent problem, ingen steg prøvd", though the reply
        # said nothing needed telling again)
        return to_human(ctx, state, call=_asks_for_a_call(ctx, text))
    if state.phase in FINISHED and _starts_fresh(ctx, state, result):
        urgent = (
            result.decision == "match"
            and _is_urgent(ctx, result.intent)
            and not _is_urgent(ctx, state.problem or "")
        )
        if case_open(ctx, state) and not urgent:
            # a detail for the open case that reads like a problem ("forresten, det er
            # exchange-kontoen"): in the case all the same; the fix is only offered.
            # A break-in cannot wait for a button: "noen har logget inn på kontoen min fra
            # Russland" after a handoff is an urgent case of its own (playtest 16)
            return continue_case(
                ctx, state, text, _other_problems(ctx, state, result), lead=_news_lead(ctx, text)
            )
        new = fresh(ctx, state).evolve(first_text=text)
        return as_new(_on_meaning(ctx, new, result, text=text))
    asked = result.decision == "match" and result.intent in ctx.knowledge.questions
    if state.phase is Phase.HANDED_OFF:
        if asked and asks(ctx, text):
            # "sletter nullstilling bildene mine?" while IT has the case: answered, as
            # before it (playtest 15: only noted in the case), and in the case all the
            # same ("har allerede nullstilt, sletter det bildene?" tells IT something)
            ctx.effects.append(CaseAddition(text))
            no_fix = (
                "outage_no_fix"
                if outage_case(ctx, state)
                else "urgent_no_fix"
                if urgent_case(ctx, state)
                else None
            )
            if no_fix in ctx.knowledge.ui:
                # "ska æ slett kontoen?" while the provider is down: every question the
                # knowledge answers is about a step on the phone, and none helps now
                # (playtest 25: how to delete the account); nor during a break-in, whose
                # spam goes out from the server (playtest 26: "Ikke alltid ...")
                say = ctx.say(state)
                return ctx.done(state, say.fit([say.text(no_fix or "")]))
            return answer_question(ctx, state, result.intent or "")
        if ctx.lexicon.mentions(text, "meanwhile") and "case_meanwhile_fix" in ctx.knowledge.ui:
            ctx.effects.append(Understood("meanwhile", 1.0, "lexicon", state.language))
            if len(text.split()) >= ctx.settings.dialog.meanwhile_note_min_words:
                ctx.effects.append(CaseAddition(text))
            return meanwhile(ctx, state)
        return continue_case(ctx, state, text, lead=_news_lead(ctx, text))
    about_nothing = _tells_no_case(ctx, result)
    if asked and in_flow and not asks(ctx, text):
        # mid-fix, "nettverket er tilbakestilt men mailen kommer ikke" shares its words
        # with "does resetting the network delete anything?" but asks nothing: an answer
        # to a question nobody asked is worse than not understanding
        return miss(ctx, state)
    if (
        state.first_text is None
        and not asked
        and not about_nothing
        and not _chatter(ctx, text, result)
    ):
        # what is wrong, for the case; "er du en robot?" says nothing of that, and a
        # request for a person after it asks what it is about first
        state = state.evolve(first_text=text)
    if result.decision == "match" and result.intent in ctx.knowledge.problems:
        state = state.evolve(told_problem=result.intent, told_text=text)
    how_to = result.decision == "none" and not in_flow and opens_how_to(tokens(text))
    return _on_meaning(ctx, state, result, described=described, how_to=how_to, text=text)


def _works_under_condition(ctx: Context, state: DialogState, text: str) -> bool:
    """It works under a condition ("only works on wifi"), or works now on another network
    or in another place at a step that names none ("I'm on wifi at home now and it sent
    everything!" at the password step, playtest 24: the password step was credited)."""
    said = tokens(text)
    if says_works_under_condition(said):
        return True
    step = current_step(ctx, state)
    problem = ctx.knowledge.problems.get(state.problem or "")
    named = named_conditions(said)
    # a network, not a place: "nå kan jeg endelig jobbe hjemme" is no condition
    if step is None or problem is None or not (named & rules().networks):
        return False
    if any(other.shows == problem.id for other in ctx.knowledge.steps.values()):
        # the problem is the one working on another network shows ("fails on this
        # network"): "på 4g virker det" is its premise, at any step, not a fix (playtest
        # 27: the guest network's login step was credited and the case closed)
        return True
    # a network the step or the checks before it name is one they had changed ("det
    # funker nå når jeg har skrudd på mobildata for Mail"): then the fix, not a condition;
    # so is any at a step about networks ("funka på 4g" at "try another network")
    if named_conditions(tokens(step.text.get(state.language))):
        return False
    checks = ctx.knowledge.topics[problem.topic].before_you_start.get(state.language)
    return not named & named_conditions(tokens(" ".join(checks)))


def _presses_a_command(ctx: Context, text: str) -> bool:
    """A command word of the chat right after a word of pressing ("trykke avbryt", "tap
    cancel"): the phone's button of that name, not the command."""
    return any(
        is_press_word(word) and ctx.lexicon.read(following, ("stop", "skip", "back")) is not None
        for word, following in pairwise(words(text))
    )


def _names_the_device(ctx: Context, state: DialogState, text: str) -> bool:
    """The text names the device of the problem's topic ("on the phone", "på iPhonen")."""
    problem = ctx.knowledge.problems.get(state.problem or "")
    if problem is None:
        return False
    devices = ctx.knowledge.topics[problem.topic].devices
    return any(token.startswith(devices) for token in tokens(text))


def _about_the_stopped_fix(
    ctx: Context, state: DialogState, text: str, read: ReadAct | None
) -> bool:
    """After a fix was stopped half-way, the message is about that fix: the fault still
    there ("det funker ikke likevel"), its problem told again, or the time it was left
    ("hva var det vi gjorde i går?"); not another problem, device, request or question."""
    result = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
    if result.elsewhere:
        return False  # "printeren virker ikke"
    if (read is not None and read.act == "not_helped") or (
        result.decision == "match" and result.intent == state.problem
    ):
        return True
    return (
        holds(tokens(text), rules().back_then)
        and not says_it_works(ctx, text)  # "det ordnet seg av seg selv i går"
    )


def _same_problem(ctx: Context, state: DialogState, text: str) -> Transition:
    """Mid-fix, the problem under way told again, or asked about in its own words."""
    key = "same_problem_asked" if text and asks(ctx, text) else "same_problem"
    if key not in ctx.knowledge.ui:
        key = "same_problem"
    in_flow = state.evolve(phase=Phase.IN_FLOW, pending_switch=None)
    return nudge(ctx, in_flow, [ctx.say(state).text(key)])


def _asks_the_cause(ctx: Context, text: str) -> bool:
    """A short question after a fix of what was wrong, and no more: not what was lost,
    nor another device's fault told with it."""
    return (
        "cause_reply" in ctx.knowledge.ui
        and len(clauses(text)) == 1
        and ctx.lexicon.mentions(text, "cause_asked")
        and not ctx.lexicon.mentions(text, "losing")
        and asks(ctx, text)
    )


def _cause(ctx: Context, state: DialogState) -> Transition:
    """What the step that fixed it fixes: its title and its why; the rating prompt again
    when it is still open."""
    ctx.effects.append(Understood("cause_asked", 1.0, "lexicon", state.language))
    problem = ctx.knowledge.problems[state.problem or ""]
    step = ctx.knowledge.steps[problem.steps[state.step_index]]
    say = ctx.say(state)
    why = step.why.get(state.language)
    if step.check is not None or not why:
        line = say.text("cause_unknown")
    else:
        line = say.text("cause_reply", title=step.title.get(state.language), why=why)
    if state.rated:
        return ctx.done(state, say.fit([line]))
    return ctx.done(state, say.fit([line, say.text("rating_prompt")], say.rating_buttons()))


def _asks_about_scale(ctx: Context, text: str) -> bool:
    """At the rating prompt, a short question in words about the score itself: a digit or
    star in it, or a word of the scale ("er 5 best?", "what do the numbers mean"); not a
    score offered ("kan jeg gi deg 5 stjerner?"), nor a request for a person."""
    if not asks_by_words(text) or len(text.split()) > RATING_MAX_WORDS:
        return False  # "4?" is a rating given with a doubt
    if names_offering(tokens(text)) or asks_for_a_person(ctx, text) or _gives_a_number(text):
        return False
    return bool(typed_score(text)) or ctx.lexicon.mentions(text, "rating_scale")


def _is_urgent(ctx: Context, intent: str) -> bool:
    problem = ctx.knowledge.problems.get(intent)
    return problem is not None and problem.urgent


def _later_step(ctx: Context, state: DialogState, text: str) -> Transition | None:
    """A question mid-fix about a later step of the fix ("wait, I think low power mode is
    on. does that matter?" before the Low Power Mode step): that step is coming, by its
    number and title, and this step's buttons; None when it names no later step."""
    problem = ctx.knowledge.problems.get(state.problem or "")
    if problem is None or "step_later" not in ctx.knowledge.ui:
        return None
    later = later_step_named(text, problem.steps, state.step_index, ctx.title_terms)
    if later is None:
        return None
    ctx.effects.append(Understood("question", 1.0, "step", state.language))
    title = ctx.knowledge.steps[problem.steps[later]].title.get(state.language)
    return _step_line(ctx, state, ctx.say(state).text("step_later", n=later + 1, title=title))


def _chatter(ctx: Context, text: str, result: MatchResult) -> bool:
    """Small talk, which names no fault ("how are you today?"): no description for a case.
    Not all that is about something else: "printeren på 3. etasje er tom for papir" is
    for IT, if not for fixbot."""
    if result.decision != "none" or says_fault(tokens(text)):
        return False
    read = read_reply(ctx, text)
    return read is not None and read.act == SMALLTALK


def _urgent_remark(ctx: Context, state: DialogState, text: str) -> bool:
    """The reply says it cannot wait ("det haster!", "this is urgent, I need my mail"), and
    nothing else: not negated ("det haster ikke"), no answer or request the act model
    reads ("hjalp ikke, og det haster", "urgent, can I talk to a human?", "that fixed
    it! needed it asap"), no problem of its own ("det haster, får ikke sendt noe")."""
    if not ctx.lexicon.mentions(text, "urgency") or ctx.lexicon.negated(text):
        return False
    if ctx.lexicon.read(text, ("worked",)):
        return False
    read = read_reply(ctx, text)
    if read is not None and read.act not in _NOT_AN_ANSWER:
        return False
    result = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
    return not (result.decision == "match" and result.intent in ctx.knowledge.problems)


def _frustrated(ctx: Context, state: DialogState, text: str, read: ReadAct | None) -> bool:
    """Mid-fix, the reply vents and answers nothing ("faen ta denne botten", "jeg er så
    lei av dette"): a word of frustration, read as no answer to the step, and naming no
    problem ("faen, nå sender den ikke heller" is one)."""
    if not ctx.lexicon.mentions(text, "frustration"):
        return False
    if read is not None and read.act not in _NOT_AN_ANSWER:
        return False
    result = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
    # a problem named is a fault told, or a clear reading: "dette er bortkastet tid" read
    # "mailbox corrupt" at 0.30, and got the step's "why" (playtest 20)
    named = result.confidence >= ctx.settings.dialog.switch_confidence or says_fault(tokens(text))
    return not (result.decision == "match" and result.intent in ctx.knowledge.problems and named)


def _password_news(ctx: Context, text: str) -> LexiconHit | None:
    """A clause of ``text`` tells the password was changed, and asks nothing: "jeg har
    byttet passordet, hva nå?" is the news, then a question what next."""
    for part in _CLAUSE_ENDS.split(text):
        hit = _tells_password_changed(ctx, part)
        if (
            hit is not None
            and not asks(ctx, part)
            and not ctx.lexicon.negated(part)
            # "IT har byttet passordet mitt, hva er det nye?" asks IT's news, tells none
            and not says_changed_by_it(tokens(part))
        ):
            return hit
    return None


def _asks_after_carried_case(ctx: Context, state: DialogState, text: str) -> bool:
    """Asked after the case still open from before this conversation, and nothing more
    for it: not a call or a hurry told with it ("please call me, did IT get my case?"
    is for the case; review)."""
    return (
        state.case_before
        and state.phase in (Phase.IN_FLOW, Phase.CONFIRM_SWITCH, Phase.RATING)
        and carries_case(ctx, state)
        and ctx.lexicon.mentions(text, "case_asked")
        and not ctx.lexicon.mentions(text, "call_me")
        and not ctx.lexicon.mentions(text, "urgency")
    )


def _carried_case_status(ctx: Context, state: DialogState) -> Transition:
    """The status of the case open from before this conversation; mid-fix with the
    step's buttons under it, the step staying as it was."""
    if state.phase is Phase.IN_FLOW and state.problem:
        return _step_line(ctx, state, case_status_line(ctx, state))
    return ctx.done(state, ctx.say(state).fit([case_status_line(ctx, state)]))


def _asks_what_is_lost(ctx: Context, text: str) -> bool:
    """A question of what the step loses: a word of losing and of what ("mister eg
    mailane mine?", "will I lose my drafts?"); not "I've lost a whole morning"."""
    return ctx.lexicon.mentions(text, "losing") and ctx.lexicon.mentions(text, "losing_what")


def _news_lead(ctx: Context, text: str) -> str:
    """How a message added to the case is thanked for: a password changed, told beside
    something else ("har byttet passord nå. men mailen på iphonen henter fortsatt ikke
    noe"), gets how to enter it on the iPhone (playtest 22: "Har du ikke byttet passordet
    ennå, gjør det nå" to someone who just had)."""
    if _password_news(ctx, text):
        return "case_added_password_changed"
    if (ctx.lexicon.mentions(text, "frustration") or shouts(text)) and (
        "case_added_upset" in ctx.knowledge.ui
    ):
        # "helt ubrukelig bot", "FÅR DU IKKE MED DEG AT INGENTING FUNKER???": sorry first
        # (playtest 25: "Takk, jeg har lagt det til i saken din")
        return "case_added_upset"
    return "case_added"


def _asks_to_change(ctx: Context, text: str) -> bool:
    """The part of ``text`` that speaks of a changed password asks ("skal jeg bytte
    passord?"); "jeg har byttet passordet, hva nå?" tells it, then asks what next."""
    parts = [part for part in _CLAUSE_ENDS.split(text) if part.strip()]
    told = [part for part in parts if _tells_password_changed(ctx, part) is not None]
    return any(asks(ctx, part) for part in told) if told else asks(ctx, text)


def _tells_password_changed(ctx: Context, part: str) -> LexiconHit | None:
    """The part says the password was changed, whole ("passordet er byttet") or among
    other words ("I changed the password from my laptop": playtest 18, only noted)."""
    hit = ctx.lexicon.read(part, ("password_changed",))
    if hit is None and ctx.lexicon.mentions(part, "password_changed"):
        hit = LexiconHit("password_changed", 1.0, None)
    return hit


def _names_another_problem(ctx: Context, state: DialogState, text: str) -> bool:
    """``text`` is a confident match of a problem other than the one just fixed: "nå sender
    den ikke" after the inbox was mended is news of a new fault, not the old one back."""
    result = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
    runners_up = [c.intent for c in result.candidates[:2]]
    return (
        result.decision == "match"
        and result.intent in ctx.knowledge.problems
        and state.problem not in runners_up  # "still can't send, and not in Sent either"
    )


def _asks_for_someone(ctx: Context, text: str) -> bool:
    """A sentence of ``text`` is a request for a person by itself ("er du en robot? jeg vil
    snakke med et menneske"), though the whole reads as a question about fixbot."""
    sentences = [part for part in re.split(r"(?<=[.!?])\s+", text) if part.strip()]
    return len(sentences) > 1 and any(asks_for_a_person(ctx, part) for part in sentences)


def _sounds_like_feedback(ctx: Context, text: str, result: MatchResult) -> bool:
    """``text`` judges fixbot or its help: read as the self-introduction ("dårlig hjelp"),
    with a word of praise or frustration, opening with thanks ("takk, det var til stor
    hjelp!") or naming fixbot or its steps ("stegene kunne vært kortere"); "samme problem
    på iPaden" is none of those."""
    words = text.split()
    return (
        _tells_no_case(ctx, result)
        or praise_words(ctx, words) > 0
        or ctx.lexicon.mentions(text, "frustration")
        or ctx.lexicon.mentions(text, "bot_itself")
        or ctx.lexicon.mentions(text, "judgement")
        # thanks first, and no "but": "takk, men iPaden har det samme problemet" says more
        or (
            bool(words)
            and ctx.lexicon.read(words[0], ("thanks",)) is not None
            and not rules().contrast.intersection(tokens(text))
        )
    )


def _tells_no_case(ctx: Context, result: MatchResult) -> bool:
    """``result`` is a look-alike that says nothing of a case for IT ("er du en robot?")."""
    lookalike = ctx.knowledge.lookalikes.get(result.lookalike or "")
    return result.decision == "none" and lookalike is not None and not lookalike.case


# questions after a handoff that mention one of these (lexicon mention lists), however
# they are put, and what each is read as: "kor lenge må æ vente på IT?" asks the case's
# status; "jeg vet ikke hvordan jeg bytter passord, hvor gjør jeg det?" where to change it
_ASKED_AFTER_HANDOFF = {"how_long": "case_status", "password_how": "change_password"}


def _asked_after_handoff(ctx: Context, text: str) -> LexiconHit | None:
    """What a question after a handoff asks, by the words it mentions; None if nothing."""
    for mentioned, key in _ASKED_AFTER_HANDOFF.items():
        if ctx.lexicon.mentions(text, mentioned) and asks(ctx, text):
            return LexiconHit(key, 1.0, None)
    if opens_asking_when(text) and "?" in text and not says_fault(tokens(text)):
        # "når svarer de?", "when do they answer?": when IT comes, which the status says
        # (playtest 24: "added to your case" to each)
        return LexiconHit("case_status", 1.0, None)
    return None


def _to_steps_named(ctx: Context, state: DialogState, text: str) -> Transition | None:
    """Steps named by number: done already, each is tried without help and the fix goes
    on after the last; one step named otherwise is gone to. None when the reply names
    none, asks about one ("hva er steg 3?"), or names the step it is at ("steg 2
    funker ikke"), which the other readings take."""
    named = steps_named(text)
    problem = ctx.knowledge.problems.get(state.problem or "")
    if named is None or problem is None or opens_a_question(text):
        return None
    count = len(problem.steps)
    if named.done:
        # done already, and the fix not past them: not asked ("må jeg ha gjort steg 1?"),
        # denied ("har ikke gjort steg 1"), nor working now ("gjorde steg 1 og nå funker
        # det"), which the other readings take
        if (
            named.last <= state.step_index + 1
            or reads_as_a_question(text)
            or ctx.lexicon.negated(text)
            or says_it_works(ctx, text)
        ):
            return None
        target, verb, key = min(named.last, count), "no", "steps_done_told"
    elif (
        named.first == named.last
        and named.first != state.step_index + 1
        and (named.going or len(text.split()) <= _STEP_ASKED_MAX_WORDS)
    ):
        target, verb, key = named.first - 1, "skip", "step_jumped"
    else:
        return None
    if (target >= count and not named.done) or key not in ctx.knowledge.ui:
        return None  # "step 12" of eight
    ctx.effects.append(Understood("steps_named", 1.0, "rule", state.language))
    moved = state.evolve(phase=Phase.IN_FLOW, misses=0)
    if target < moved.step_index:
        moved = record_outcome(ctx, moved, "back")  # "tilbake til steg 1": gone back to it
    while moved.step_index < target:
        moved = record_outcome(ctx, moved, verb).evolve(step_index=moved.step_index + 1)
    lead = ctx.say(state).text(key, n=target + 1)
    if target >= count:
        return hand_off(ctx, moved.evolve(step_index=count - 1), "steps_exhausted", [lead])
    return current(ctx, moved.evolve(step_index=target), [lead])


def _step_found_by(ctx: Context, state: DialogState, text: str) -> int | None:
    """The index of the step the reply says found the fault, in the words of its
    ``found_if`` ("den lå i søppelpost" at the junk-folder step): the current step, else
    the nearest one before it, else one after it ("found it, the bank was on my blocked
    list!" at the junk-folder step, playtest 25: "about something else"); None if none."""
    problem = ctx.knowledge.problems.get(state.problem or "")
    if problem is None or reads_as_a_question(text):
        return None  # "tror du han står på blokkert-lista?" asks where to look
    at = min(state.step_index, len(problem.steps) - 1)
    for index in [*range(at, -1, -1), *range(at + 1, len(problem.steps))]:
        step = ctx.knowledge.steps[problem.steps[index]]
        if any(mentions_all(text, entry) for entry in step.found_if):
            return index
    return None


def _step_found_nothing(ctx: Context, state: DialogState, text: str) -> bool:
    """The reply names, with a negation, what the step's ``found_if`` or ``looks_for``
    looks for: "hun var ikke blokkert", "fant den ikke i søppelposten", "Utboksen var tom"
    (the words of an entry but its verbs, written "+fant", and a negation or a word for
    empty in the reply)."""
    step = current_step(ctx, state)
    folded = tokens(text)
    if step is None or not (ctx.lexicon.negated(text) or says_empty(folded)):
        return False
    if rules().but.intersection(folded):
        # "ingenting i søppelpost, men nå kom mailen", "nobody blocked, but her mail was in
        # the trash": what comes after the "but" is the news (review)
        return False
    looked_for = {tuple(w for w in entry if not w.startswith("+")) for entry in step.found_if}
    looked_for.update(step.looks_for)
    return any(words and mentions_all(text, words) for words in looked_for)


def _step_done_by(ctx: Context, state: DialogState, text: str) -> bool:
    """The reply says the current step is done or does not apply, in the words of its
    ``done_if`` ("det er exchange" at the SMTP step) or ``skip_if`` ("jeg må ha VPN for
    å komme inn på jobbmailen" at the VPN step: it offered "work mail blocked")."""
    step = current_step(ctx, state)
    return step is not None and any(
        mentions_all(text, entry) for entry in (*step.done_if, *step.skip_if)
    )


def _aside(ctx: Context, state: DialogState, text: str) -> bool:
    """Mid-flow, the reply tells a fault of another app or thing and not of the mail
    ("printeren i 3. etasje virker ikke heller", "Teams krasjer også"). A reply that
    tells no fault ("det fungerte", "ok") is none: it is not read again for this."""
    if not says_fault(tokens(text)):
        return False
    return ctx.classifier.classify(text, prior_language=state.language, in_topic=True).elsewhere


def _asked_what_it_means(ctx: Context, state: DialogState, text: str) -> tuple[str, ...] | None:
    """The glossary terms the current step names, when a short reply asks what it means
    (at most ``DialogSettings.max_terms_explained``, perhaps none); None when it does not
    ask that."""
    settings = ctx.settings.dialog
    if ctx.glossary is None or len(text.split()) > settings.meaning_max_words:
        return None
    step = current_step(ctx, state)
    if step is None or not ctx.lexicon.mentions(text, "meaning"):
        return None
    # what the step asks the person to find or choose is set off (`Hent nye data`,
    # **Push**); a name in passing ("Microsoft 365 og Exchange") is not what is asked
    # ... and a menu path's first part is the app every way starts from (`Innstillinger >
    # Mail`), not the step's own word
    shown = " ; ".join(
        (m.group(1) or m.group(2)).split(">", 1)[-1]
        for m in SET_OFF.finditer(step.text.get(state.language))
    )
    return ctx.glossary.named_in(shown)[: settings.max_terms_explained]


def _terms_asked_about(ctx: Context, state: DialogState, text: str) -> tuple[str, ...] | None:
    """The glossary terms a question names when it asks what something means or how
    two differ (lexicon key ``meaning``), anywhere in it, or a reply to a step says it
    does not know what they are (``not_knowing``: "jeg vet ikke hva smtp er", playtest
    21; not a first message: "vet ikke hva som er galt, mailene blir liggende i
    utboksen" tells a fault); None when it does not."""
    if ctx.glossary is None:
        return None
    # the lexicon first: ``asks`` may run the act model, and this is tried on every message
    asked = ctx.lexicon.mentions(text, "meaning") and asks(ctx, text)
    not_knowing = state.phase is Phase.IN_FLOW and ctx.lexicon.mentions(text, "not_knowing")
    # while IT has the case there is no step to answer: any question naming a term gets
    # it ("hvordan slår jeg på totrinnsbekreftelse?", "kan noen ha lagt inn videresending
    # på kontoen min?" after a break-in; playtest 22: only added to the case)
    # ... a question and nothing more: "jeg fant en videresendingsregel, skal jeg slette
    # den?" or "kan noen ringe meg? jeg har ikke 2fa" tell the case something (review)
    waiting = (
        state.phase is Phase.HANDED_OFF
        and len(clauses(text)) == 1
        and not ctx.lexicon.mentions(text, "call_me")
    )
    if not (asked or not_knowing or waiting):
        return None
    terms = ctx.glossary.named_in(text)[: ctx.settings.dialog.max_terms_explained]
    if not terms or (waiting and not (asked or not_knowing) and not asks(ctx, text)):
        return None  # (``asks`` last: it may run the act model)
    return terms


def _error_untold(ctx: Context, text: str) -> bool:
    """A short reply tells of an error, not what it says: no quote, no colon, nothing
    denied ("ingen feilmelding") or gone ("feilmeldingen er borte"), not one told before
    ("fortsatt samme feilmelding" is "didn't help"), at most ``_ERROR_UNTOLD_MAX_WORDS``
    words."""
    return (
        len(text.split()) <= _ERROR_UNTOLD_MAX_WORDS
        and not says_fault_gone(tokens(text))
        and not says_same_fault(tokens(text))
        and not any(mark in text for mark in _QUOTE_MARKS)
        and ctx.lexicon.mentions(text, "error_named")
        and not ctx.lexicon.negated(text)
        and not ctx.lexicon.mentions(text, "same_here")
        and "still" not in map(term, tokens(text))
    )


def _disowned_at_step(ctx: Context, state: DialogState, text: str) -> str | None:
    """The problem the current step starts when the reply disowns what it shows (its
    ``if_disowned``): "det var ikke meg", "that's not me, it says Lagos"."""
    step = current_step(ctx, state)
    if step is None or step.if_disowned not in ctx.knowledge.problems:
        return None
    return step.if_disowned if says_disowned(tokens(text)) else None


def _typed_choice(ctx: Context, state: DialogState, text: str) -> str | None:
    """The offered choice a short reply reads as, clearly before the other choices ("sende"
    after "receiving, sending or the password?"); None otherwise (playtest 20: the same
    question came again). The reading's shares are compared among the choices only:
    "innboksen" reads "mailbox corrupt" first, and "the inbox isn't updating" next."""
    settings = ctx.settings.dialog
    if len(text.split()) > settings.typed_choice_max_words:
        return None
    result = ctx.classifier.classify(text, prior_language=state.language)
    shares = {c.intent: c.score for c in result.candidates}
    ranked = sorted(state.candidates, key=lambda c: shares.get(c, 0.0), reverse=True)
    if not ranked:
        return None
    best = shares.get(ranked[0], 0.0)
    runner_up = shares.get(ranked[1], 0.0) if len(ranked) > 1 else 0.0
    if best >= settings.typed_choice_min_share and best >= settings.typed_choice_lead * runner_up:
        return ranked[0]
    return None


def _numbered_step_button(ctx: Context, state: DialogState, text: str) -> str | None:
    """The payload of the step's answer button at the place a bare number names ("2"), as
    the menu's choices take it; None for anything else (playtest 20: "2" at a step was not
    understood, where the same "2" picked from the menu). Not at a check, whose second
    answer ("Nei, den er nede") hands the case to IT: a stray digit hands nobody over."""
    said = text.strip().rstrip(".")
    if not (state.phase is Phase.IN_FLOW and state.problem and _ONE_DIGIT.fullmatch(said)):
        return None
    if current_check(ctx, state) is not None:
        return None
    problem = ctx.knowledge.problems[state.problem]
    # the answers only: not "Snakk med IT"
    buttons = ctx.say(state).step_buttons(problem, state.step_index + 1)[:-1]
    place = int(said)
    return buttons[place - 1].payload if 1 <= place <= len(buttons) else None


def _done_still_failing(ctx: Context, state: DialogState, text: str) -> bool:
    """Mid-fix, the reply says the step is done and tells a fault, and no other problem:
    "gjorde det, ingen nye mail", "did it, still nothing", "sjekka alt, samme feilmelding".
    Not at a check, whose question is no "did it help?"."""
    if current_check(ctx, state) is not None or not ctx.lexicon.mentions(text, "done"):
        return False
    folded = tokens(text)
    if not (says_fault(folded) or says_same_fault(folded)) or denies_done(text):
        return False  # "jeg har ikke gjort det, finner ikke innstillingen" (review)
    if told_fixed(ctx, state, text, None):
        return False  # "did what you said and no more errors" (review)
    read = read_reply(ctx, text)
    if read is not None and read.act in ("worked", "stop"):
        return False  # "æ gjorde det og no e alt i orden", "im so done, stop"
    result = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
    return not (
        result.decision == "match"
        and result.intent != state.problem
        and result.intent in ctx.knowledge.problems
    )


def _answer_and_another(
    ctx: Context, state: DialogState, text: str, read: ReadAct | None
) -> tuple[ReadAct, str] | None:
    """The step's answer and the other problem a reply tells "too" ("hjalp ikke, og nå
    får jeg ikke sendt heller", "ja det va passordet. men no får æ ikkje motta heller"):
    the answer ("worked" or "not_helped") read in the words before the clause with a
    word of ``likewise`` and a fault, and the other problem read from there on, a match
    of a problem other than the one under way; None otherwise. Each part is read on its
    own: read whole, the second's "ikkje" made the first "didn't help", and the first's
    "passordet" the other problem the password prompt (playtest 22)."""
    found_too = fault_too_part(text)
    if found_too is None:
        return None
    start, part = found_too
    told = tokens(text[start:])
    if not rules().other_people.isdisjoint(told):
        return None  # "my colleague can't send emails either": another person's (review)
    before = text[:start].strip()
    # the words before, when they read as an answer; else the whole reply's reading
    answer = read_reply(ctx, before) if any(c.isalpha() for c in before) else None
    if answer is None or answer.act not in ("worked", "not_helped"):
        answer = read
    if answer is None or answer.act not in ("worked", "not_helped"):
        return None
    if answer.act == "worked" and not rules().either.isdisjoint(told):
        # "funka fint å restarte. men nå sender den ikke heller": "not ... either" says the
        # first fault is still there too; the step is no fix (review)
        answer = replace(answer, act="not_helped")
    result = ctx.classifier.classify(part, prior_language=state.language, in_topic=True)
    found = result.intent if result.decision == "match" else None
    if found is None or found not in ctx.knowledge.problems or found == state.problem:
        return None
    if ctx.classifier.classify(part, prior_language=state.language).outside:
        return None  # "outlook on my laptop doesn't get new mail either": another device's
    return answer, found


def _tells_break_in(text: str) -> bool:
    """One of the surest signs of a break-in (``says_used_by_another``), and no fault:
    "kollegaene mine får fortsatt ikke mailene fra meg" is mail that does not arrive."""
    folded = tokens(text)
    # "a link I never sent" says no fault with its "never": the mail disowned
    return says_used_by_another(folded) and (not says_fault(folded) or says_disowned(folded))


def _account_used_alarm(ctx: Context, state: DialogState, text: str) -> str | None:
    """The urgent problem a part of a reply mid-fix tells, in one of the surest signs of
    a break-in (mail "fra meg" not sent, a password given away): "hjalp ikke. forresten har
    kollegene mine fått rare mailer fra meg i dag" was read as "didn't help" alone, and
    the next step asked to approve sign-ins (playtest 20). None when no part does, and
    for a part that tells a fault: "kollegaene mine får fortsatt ikke mailene fra meg" is
    mail that does not arrive (review)."""
    parts = [part for part in _CLAUSE_ENDS.split(text) if part.strip()]
    for part in parts if len(parts) > 1 else ():
        if not _tells_break_in(part):
            continue
        result = ctx.classifier.classify(part, prior_language=state.language, in_topic=True)
        if result.decision == "match" and _is_urgent(ctx, result.intent or ""):
            return result.intent
    return None


def _fault_back(ctx: Context, state: DialogState, text: str) -> bool:
    """After the fix was rated, a reply tells its fault is back ("nå kommer det ikke mail
    igjen"): a fault, of the mail, and not thanks. Feedback in a "not helped" voice
    ("litt mange steg, men det gikk", "ikke noe mer, takk") and another app's fault
    ("kalenderen synkroniserer itj heller") reopened the solved fix (playtest 19). A
    question reopens it only when the fix's problem is the nearest reading of it, or it
    says it is broken again ("hvorfor funker det ikke igjen?")."""
    if not says_fault(tokens(text)) or thanks_only(ctx, text):
        return False
    result = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
    best = result.candidates[0].intent if result.candidates else None
    folded = tokens(text)
    back = says_broken(folded) or not {"igjen", "again", "att"}.isdisjoint(folded)
    if reads_as_a_question(text) and best != state.problem and not back:
        # "men kunne du ikke bare sagt at videoen ikke blir borte?": a remark on the help
        # in a question's form, nearest no fault of the fix (playtest 26: the next step)
        return False
    return not result.elsewhere


def _typed_switch(ctx: Context, state: DialogState, text: str) -> str | None:
    """The switch offer's button typed: its label in either language, whole or without
    its opening yes or no ("Ja, bytt", "bytt", "Nei, fortsett her", "stay here");
    playtest 18-19: not understood, and the offer was lost."""
    if state.pending_switch is None:
        return None
    said = normalize(text)
    for key, payload in (
        ("button_switch", payloads.switch(state.pending_switch)),
        ("button_stay", payloads.STAY),
    ):
        for language in LANGUAGES:
            label = normalize(ctx.knowledge.text(key, language))
            first, _, rest = label.partition(" ")
            opens = ctx.lexicon.read(first, ("yes", "no")) is not None
            if said and (said == label or (opens and said == rest)):
                return payload
    return None


def _progress_line(ctx: Context, state: DialogState) -> str:
    """Where the fix is and how long the steps left take, all of them (the ``only_if``
    steps that will not apply are passed over as the fix goes, so it is an upper bound)."""
    problem = ctx.knowledge.problems[state.problem or ""]
    left = problem.steps[state.step_index :]
    minutes = sum(ctx.knowledge.steps[step_id].minutes for step_id in left)
    if len(problem.steps) == 1 and "step_progress_only" in ctx.knowledge.ui:
        return ctx.say(state).text("step_progress_only", minutes=minutes)
    return ctx.say(state).text(
        "step_progress", n=state.step_index + 1, total=len(problem.steps), minutes=minutes
    )


def _asks_for_a_call(ctx: Context, text: str) -> bool:
    """ "kan noen ringe meg?": a call asked for, and no phone number given with it; not
    "dere trenger ikke ringe meg likevel" (playtest 27: noted as a call wanted)."""
    return (
        ctx.lexicon.mentions(text, "call_me")
        and not ctx.lexicon.mentions(text, "no_call")
        and not _gives_a_number(text)
    )


def _gives_a_number(text: str) -> bool:
    """The message holds a phone number ("ring meg på 955 12 345", "+47 98765432"): a run
    of digits and spaces long enough, not a date, a time or a code ("07.12.2026",
    "10:45", "0x800CCC0E")."""
    return any(
        sum(ch.isdigit() for ch in found.group()) >= _PHONE_MIN_DIGITS
        for found in _PHONE.finditer(text)
    )


def _asked_for_a_case(ctx: Context, text: str) -> LexiconHit | None:
    """The message asks after a case ("har IT sett på saken min?") and names the case or
    IT, whatever the phase reads first; "hva skal jeg gjøre nå?" names neither."""
    hit = ctx.lexicon.read(text, ("case_status",))
    return hit if hit is not None and ctx.lexicon.mentions(text, "case_named") else None


def _outage_asked_again(ctx: Context, state: DialogState, text: str) -> Transition | None:
    """A bare "nei" at the outage check ("is the service working normally?") is asked
    again, with what each answer means, before IT is told of an outage: people answer
    the steps' usual "did it help?" so (playtest 25: "nix" reported an outage nobody had
    seen). None when the answer says more, the check is no outage check, or it was
    asked again already."""
    check = current_check(ctx, state)
    place = f"{state.problem}:{state.step_index}"
    if (
        check is None
        or not check.outage
        or state.check_asked_again == place
        or ctx.lexicon.read(text, ("yes", "no")) is None
        or "check_asked_again" not in ctx.knowledge.ui
    ):
        return None
    say = ctx.say(state)
    line = say.text(
        "check_asked_again",
        fault=check.fault.get(state.language),
        fine=check.fine.get(state.language),
    )
    return _step_line(ctx, state.evolve(check_asked_again=place, misses=0), line)


def _step_line(ctx: Context, state: DialogState, line: str) -> Transition:
    """One line mid-fix with the current step's buttons under it (not the step again)."""
    say = ctx.say(state)
    problem = ctx.knowledge.problems[state.problem or ""]
    return ctx.done(state, say.fit([line], say.step_buttons(problem, state.step_index + 1)))


def _later_line(ctx: Context, state: DialogState) -> str:
    """The step kept for later ("Helt i orden. Jeg husker at vi er på steg 2 av 8")."""
    total = len(ctx.knowledge.problems[state.problem or ""].steps)
    return ctx.say(state).text("later_reply", n=state.step_index + 1, total=total)


def _asks_a_move(ctx: Context, text: str) -> bool:
    """A clause of the reply asks to move in the fix or says the step cannot be done,
    whatever doubt the others tell: "kan du gå tilbake eit steg? eg er usikker på
    passordet", "jeg vet ikke hvor jeg finner status, finner ingen sånn side"
    (conversations set: "if you don't know, tap ..."). Not a clause in doubt, a question
    of what happens, or a move denied (review)."""
    for clause in CLAUSE_MARKS.split(text):
        folded = tokens(clause)
        if not folded or folded[0] in _WH_WORDS:
            continue  # "hva skjer om jeg trykker hopp over?"
        read = read_reply(ctx, clause)
        if read is None or read.act not in _MOVES:
            continue
        if unsure(clause) and read.act != "cannot_find":
            continue  # "vet ikke om jeg skal hoppe over denne"
        # a move denied is none ("ikke sikker, men jeg vil ikke gi opp"); not finding is
        # told with its own negation
        if read.act == "cannot_find" or not ctx.lexicon.negated(clause):
            return True
    return False


def _stop_told_beside(ctx: Context, text: str) -> bool:
    """A sentence that asks nothing reads as stopping, undenied: "what do you mean? I just
    want to stop"."""
    told = [p for p in SENTENCE_ENDS.split(text) if tokens(p) and not reads_as_a_question(p)]
    return any(
        (read := read_reply(ctx, p)) is not None
        and read.act == "stop"
        and not ctx.lexicon.negated(p)  # "jeg vil ikke avslutte"
        for p in told
    )


def _asks_how_to_do_the_step(ctx: Context, state: DialogState, text: str) -> bool:
    """A how-question about doing the current step: it opens with how, asks, names a
    word of the step's own text, and asks nothing of whether it helps ("hvordan skal
    dette hjelpe?" asks why)."""
    folded = tokens(text)
    step = current_step(ctx, state)
    if step is None or not opens_how_to(folded) or not reads_as_a_question(text):
        return False
    if rules().helping.intersection(folded):
        return False
    own = {t for language in LANGUAGES for t in term_list(step.text.get(language))}
    return bool(own.intersection(term_list(text)) - generic_terms())


def _rated(ctx: Context, state: DialogState, score: int, read: ReadAct | None) -> Transition:
    confidence = read.confidence if read is not None else 1.0
    ctx.effects.append(Understood(f"rating_{score}", confidence, "act", state.language))
    return rate(ctx, state, score)


def _act_meant(ctx: Context, state: DialogState, act: str, text: str) -> str:
    """What a reply the act model read as ``act`` means at this step: some of its
    readings are taken back by the reply's form (a question about the check is no
    answer to it, a button on the phone asked about is no stop); decided before the
    reading is recorded, so the review site shows the one acted on."""
    if (
        act in ("works_elsewhere", "worked")
        and at_a_check(ctx, state)
        and reads_as_a_question(text)
    ):
        # "e Teams på pcen nede òg eller e det bare mæ?" at "is the service up?": a
        # question about the check, not its answer (playtest 24: passed as fine)
        act = "question"
    if (
        act == "question"
        and not reads_as_a_question(text)
        and surely_told(ctx, state, text) == state.problem
    ):
        # "jeg skriver inn det nye passordet men den spør igjen etter 5 min": the fault
        # told again after doing the step, no question (playtest 24: the step's "why")
        act = "not_helped"
    if (
        act == "stop"
        and reads_as_a_question(text)
        and ctx.lexicon.mentions(text, "meaning")
        and not asks_for_a_person(ctx, text)
        and not _stop_told_beside(ctx, text)
    ):
        # "hva mener dere med tvinge avslutte?": what the step's words mean, asked; no
        # stop (conversations set: the fix was stopped)
        act = "question"
    if act in ("stop", "skip", "back") and asks_by_words(text) and _presses_a_command(ctx, text):
        # "kan jeg bare trykke avbryt på passordboksen?": a button on the phone asked
        # about, not the fix stopped (playtest 24)
        act = "question"
    if act == "cannot_find" and _asks_about_what_was_found(text):
        # "Under Avansert står det Sendt under «På min iPhone», skal jeg bytte?": found,
        # and asked about (playtest 27: "Finner du det ikke? Her er veien dit en gang til")
        act = "question"
    return act


def _on_act(ctx: Context, state: DialogState, act: str, text: str) -> Transition:
    """A reply read in the middle of a fix: answer what it means at this step (``act``:
    what ``_act_meant`` took it for)."""
    say = ctx.say(state)
    problem = ctx.knowledge.problems[state.problem or ""]
    if act in _STEP_VERBS:
        return step_outcome(
            ctx,
            state.evolve(phase=Phase.IN_FLOW),
            _step_verb(ctx, state, act),
            typed=True,
            upset=ctx.lexicon.mentions(text, "frustration"),
        )
    if act == "stop":
        if says_it_works(ctx, text):
            # "glem det, nå kom de plutselig inn": stopped because it works (playtest 18:
            # the fix was stopped, not solved)
            return step_outcome(ctx, state.evolve(phase=Phase.IN_FLOW), "ok", typed=True)
        return stop(ctx, state)
    if act == HUMAN:
        if thanks_only(ctx, text) or praise_only(ctx, text):
            return _on_word(ctx, state, "thanks")
        switch = language_named(ctx, text)
        if switch is not None:  # "can u speak english pls": a language, not a person
            return _on_word(ctx, state, switch)
        about = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
        if _tells_no_case(ctx, about) and about.lookalike and not _asks_for_someone(ctx, text):
            # about fixbot, not a request for someone: "er du en ekte person eller en AI?"
            # gets the introduction; "kan du hjelpe meg?" names nobody and asks for help
            # with the step. Both go on with the step (playtest 14: both were handed off)
            if ctx.lexicon.mentions(text, "person"):
                return answer_lookalike(ctx, state.evolve(phase=Phase.IN_FLOW), about.lookalike)
            return ctx.done(state, say.cannot_find(problem, state.step_index, text))
        return to_human(ctx, state, call=_asks_for_a_call(ctx, text))
    state = state.evolve(phase=Phase.IN_FLOW, pending_switch=None)
    if act in ("question", "cannot_find", SMALLTALK):
        faq = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
        # "sletter nullstilling dataene mine?" on the reset step, "hvor mye plass trenger
        # mail?", "er du en robot?" (small talk to the act model): a question the
        # knowledge answers gets that answer, then the step again
        # asked outright with a question mark, a surer reading than a switch's is not
        # needed ("kor mykje plass treng egentlig mail-appen? må æ slette bilda?" at 0.29;
        # playtest 27: the step's why)
        needed = (
            ctx.settings.dialog.asked_question_confidence
            if _asked_outright(text)
            else ctx.settings.dialog.switch_confidence
        )
        if (
            faq.decision == "match"
            and faq.intent in ctx.knowledge.questions
            and faq.confidence >= needed
        ):
            return answer_question(ctx, state, faq.intent)
        if act == SMALLTALK and _tells_no_case(ctx, faq) and faq.lookalike:
            return answer_lookalike(ctx, state, faq.lookalike)  # "er du en bot?"
    if act == "question":
        step = ctx.knowledge.steps[problem.steps[state.step_index]]
        if (
            step.minutes
            and ctx.lexicon.mentions(text, "how_long")
            and "step_duration" in ctx.knowledge.ui
        ):
            # "hvor lenge tar det?": the step's minutes; the case's wait is asked after a handoff
            return _step_line(ctx, state, say.text("step_duration", minutes=step.minutes))
        # what the knowledge has on the step is why it is done; more it does not pretend
        losing = _asks_what_is_lost(ctx, text)
        if losing and step.cost is not None:
            # "Nå er hele kontoen borte fra Mail!!! Er alt slettet???" at the toggle step:
            # what this step costs (nothing on the server), not "we get to deleting the
            # account in step 3" (playtest 27)
            return ctx.done(state, say.step_question(problem, state.step_index, losing=True))
        later = _later_step(ctx, state, text)
        if later is not None:
            return later
        if _asks_how_to_do_the_step(ctx, state, text) and "how_to_step" in ctx.knowledge.ui:
            # "hvordan sjekker jeg det?", "korleis sjekke eg om den e nede?": how to do
            # this step, so its instructions again, with what it needs (conversations set:
            # the step's why, or not understood)
            return ctx.done(
                state,
                say.step_instructions(problem, state.step_index, "how_to_step", cost=True),
            )
        return ctx.done(state, say.step_question(problem, state.step_index, losing=losing))
    if act == "cannot_find":
        named = ctx.glossary.named_in(text) if ctx.glossary is not None else ()
        # "hvor er innstillinger?": the way there, which starts in Settings, not what the
        # Settings app is
        named = tuple(t for t in named if t not in path_roots(ctx, state))
        if named and not say.paths_named(text):
            # "jeg finner ikke noe som heter Company Portal": what it is, not the step's
            # way again (playtest 25)
            return explain_term(ctx, state, *named[: ctx.settings.dialog.max_terms_explained])
        return ctx.done(state, say.cannot_find(problem, state.step_index, text))
    if act == "ready":
        return resume(ctx, state)
    if act == "done":
        check = current_check(ctx, state)
        if check is not None and "done_check_reply" in ctx.knowledge.ui:
            # "ok gjort" at "is the service up?": what the check found, not whether it works
            fine, fault = check.fine.get(state.language), check.fault.get(state.language)
            return _step_line(ctx, state, say.text("done_check_reply", fine=fine, fault=fault))
        return _step_line(ctx, state, say.text("done_reply"))
    if act == "works_elsewhere" and at_a_check(ctx, state):
        # "it works for my colleagues" at "is the service up?": the check's fine answer
        return step_outcome(ctx, state, "fine")
    if act == "works_elsewhere":
        if ctx.lexicon.negated(text) and "fails_elsewhere_reply" in ctx.knowledge.ui:
            # "mailen på pcen funker heller ikke": the account or the service, not the phone
            return _step_line(ctx, state, say.text("fails_elsewhere_reply"))
        return _step_line(ctx, state, say.text("works_elsewhere_reply"))
    if act == "unable":
        return _step_line(ctx, state, say.text("unable_reply"))
    if act == "later":
        return _step_line(ctx, state, _later_line(ctx, state))
    small = ctx.lexicon.read(text, ("bye", "ack", "thanks", "greeting"))
    if small is not None:
        # "ok skal prøve", "takk", "hei": the lexicon's own answer mid-fix, not "shall we
        # go on with the step?"
        return _on_word(ctx, state, small.key)
    return nudge(ctx, state, [say.text("smalltalk_in_flow")])


def _asked_outright(text: str) -> bool:
    """A question by its form and with a question mark: "kor mykje plass treng mail-appen?"."""
    return "?" in text and reads_as_a_question(text)


def _leaving_at_last(ctx: Context, text: str) -> bool:
    """The last of two or more clauses reads as leaving for now ("..., brb", "må stikke,
    snakkes senere")."""
    last = last_clause(text)
    read = ctx.classifier.read_reply(last) if last is not None else None
    return read is not None and read.act == "later" and read.score >= 0


def _giving_up_at_last(ctx: Context, text: str) -> bool:
    """The last of two or more clauses is a goodbye, a clause before it reads as stopping,
    and nothing is asked: "this is taking forever. I'm done, bye.", "dette tar for lang
    tid, jeg gir meg. ha det"."""
    last = last_clause(text)
    goodbye = ctx.lexicon.read(last, ("bye",)) if last is not None else None
    if last is None or goodbye is None or goodbye.score < 1.0 or "?" in text:
        return False
    before = [part for part in CLAUSE_MARKS.split(text[: text.rfind(last)]) if tokens(part)]
    return any(
        (read := ctx.classifier.read_reply(part)) is not None and read.act == "stop"
        for part in before
    )


def _asks_about_what_was_found(text: str) -> bool:
    """A question that says nothing of not finding, denies nothing and does not ask where:
    "jeg fant det, men skal jeg velge Sendt under serveren?"."""
    folded = tokens(text)
    return (
        reads_as_a_question(text)
        and not holds(folded, rules().not_finding)
        and _WHERE.isdisjoint(folded)
        and rules().negations.isdisjoint(folded)  # "hvilken meny? ser den ikke"
    )


def _step_verb(ctx: Context, state: DialogState, key: str) -> str:
    """What an answer (a lexicon key or an act) does to the current step; a check step's
    question ("is the service up?") takes yes and no as its own answers."""
    if at_a_check(ctx, state):
        if key in ("yes", "no"):
            return check_polarity(ctx, state)[key]
        return _CHECK_VERBS.get(key, _STEP_VERBS[key])
    return _STEP_VERBS[key]


def _starts_fresh(ctx: Context, state: DialogState, result: MatchResult) -> bool:
    """After a finished conversation, a new symptom (or asking for a person) starts anew.

    Once handed off, asking for a person again is answered with "IT has your case".
    """
    if result.decision == "ambiguous":
        return bool(candidates_of(ctx, result))
    if result.decision != "match":
        return False
    if result.intent == HUMAN:
        return state.phase is not Phase.HANDED_OFF
    return result.intent in ctx.knowledge.problems


def _other_problems(ctx: Context, state: DialogState, result: MatchResult) -> list[str]:
    """The problems ``result`` reads as, other than the one the conversation is about."""
    found = [result.intent] if result.decision == "match" else candidates_of(ctx, result)
    return [p for p in found if p in ctx.knowledge.problems and p != state.problem]


def _on_word(ctx: Context, state: DialogState, key: str) -> Transition:
    """A lexicon word: a command anywhere, or an answer where a question was asked."""
    say = ctx.say(state)
    if key in ("to_en", "to_nb"):
        return switch_language(ctx, state, "en" if key == "to_en" else "nb")
    if key == "stop":
        return stop(ctx, state)
    if key == "ready":
        return resume(ctx, state)
    if key == "restart":
        return restart(ctx, state)
    if key == "help":
        return current(ctx, state, [say.text("help")])
    if key == "thanks":
        if state.phase is Phase.IN_FLOW and state.problem:
            buttons = say.step_buttons(ctx.knowledge.problems[state.problem], state.step_index + 1)
            check = current_check(ctx, state)
            if check is not None and "thanks_in_check" in ctx.knowledge.ui:
                # a check asks its own question ("is the service up?"), not "did it help?"
                line = say.text("thanks_in_check", **say.check_answers(check))
                return ctx.done(state, say.fit([line], buttons))
            return ctx.done(state, say.fit([say.text("thanks_in_flow")], buttons))
        return ctx.done(state, say.fit([say.text("thanks_reply")]))
    if key == "bye":
        if state.phase is Phase.IN_FLOW and state.problem:
            # "ha det", "thanks, bye" mid-fix: leaving for now, as "må gå nå" (playtest 20:
            # "Skal vi fortsette der vi var?")
            return _step_line(ctx, state, _later_line(ctx, state))
        return ctx.done(state, say.fit([say.text("bye_reply")]))
    if key == "how_are_you" and state.phase is Phase.IDLE:
        # "heisann! hvordan går det med deg i dag?": answered in kind, and the menu
        greeted = state.evolve(greeted=True)
        return menu(ctx, greeted, [say.greeting_line("how_are_you_reply")])
    if key == "greeting":
        if stopped_fix(ctx, state) and not state.offered_resume:
            return offer_resume(ctx, state)  # "hei igjen" after a stop: the way back first
        if state.phase is Phase.HANDED_OFF:
            return current(ctx, state)  # "IT has your case", not a second case
        if state.phase in FINISHED:
            return as_new(menu(ctx, fresh(ctx, state)))
        if state.phase in IN_FLOW:
            return current(ctx, state, [say.text("greeting_in_flow")])
        if state.greeted:  # "hei" after the menu: not the introduction once more
            return menu(ctx, state, [say.text("greeting_again")])
        return menu(ctx, state)
    if state.phase is Phase.RATING and key == "no" and "rating_declined" in ctx.knowledge.ui:
        # "nei", "no thanks" to "how happy are you?": no rating, and the fix stays done
        # (playtest 16: it reopened the solved case at its next step); the reply says how
        # to go on if it is the fault back
        return ctx.done(state.evolve(rated=True), say.fit([say.text("rating_declined")]))
    if state.phase is Phase.RATING and key in ("no", "not_helped"):
        return reopen(ctx, state)
    if key == "other_problem" and state.phase in (Phase.IDLE, Phase.ENDED):
        # "noe annet" (a look-alike's button, typed) with nothing in progress: what, then?
        what = [say.text("other_problem_menu")]
        if state.phase is Phase.ENDED:
            return as_new(menu(ctx, fresh(ctx, state).evolve(greeted=True), what))
        return menu(ctx, state, what)
    if state.phase is Phase.IN_FLOW and key == "other_problem" and state.problem:
        # "jeg har egentlig et helt annet problem": which one is not said, so ask rather
        # than guess; the step stays, and the description is offered as a switch
        return _step_line(ctx, state, say.text("other_problem_ask"))
    if state.phase is Phase.IN_FLOW and key == "ack" and state.problem:
        problem = ctx.knowledge.problems[state.problem]
        buttons = say.step_buttons(problem, state.step_index + 1)
        check = current_check(ctx, state)
        if check is not None:  # "is the service up?": its own two answers, not "it worked"
            lead = say.text("ack_in_check", **say.check_answers(check))
            return ctx.done(state, say.fit([lead], buttons))
        return ctx.done(state, say.fit([say.text("ack_in_flow")], buttons))
    if key == "ack" and state.phase not in IN_FLOW:
        return ctx.done(state, say.fit([say.text("ack_idle")]))
    if state.phase is Phase.CONFIRM_SWITCH and key in ("yes", "no", "ack"):
        if key in ("yes", "ack") and state.pending_switch:
            return start(ctx, state, state.pending_switch, picked=True)
        return stay(ctx, state)
    if state.phase is Phase.CHOOSING and key == "no":
        return other_problem(ctx, state)
    if state.phase in IN_FLOW and key in _STEP_VERBS:
        return step_outcome(
            ctx, state.evolve(phase=Phase.IN_FLOW), _step_verb(ctx, state, key), typed=True
        )
    return current(ctx, state)


def _on_meaning(
    ctx: Context,
    state: DialogState,
    result: MatchResult,
    *,
    described: bool = False,
    how_to: bool = False,
    text: str = "",
) -> Transition:
    """What the classifier understood: a problem, a question, a person, a choice or nothing.

    ``described``: mid-flow, the act model read the reply as a problem description
    ("nå får jeg ikke sendt heller"), so a matched problem is offered as a switch
    even below the switch confidence. ``how_to``: the message asks how to do something
    ("hvordan lager jeg signatur i mailen?"); not understood, it is a how-to of Mail's
    that is no fault, and the answer says so. ``text``: what was written, for a
    look-alike whose question it answers already.
    """
    knowledge = ctx.knowledge
    if result.decision == "match" and result.intent == HUMAN:
        return to_human(ctx, state, call=_asks_for_a_call(ctx, text))
    if result.decision == "match" and result.intent in knowledge.questions:
        return answer_question(ctx, state, result.intent)
    if result.decision == "match" and result.intent in knowledge.problems:
        if state.phase in IN_FLOW and result.intent == state.problem and asks(ctx, text):
            # "kan jeg bare trykke avbryt på passordboksen?": asked, not the fault told
            # again (playtest 24: "that's exactly what we're working on")
            return _same_problem(ctx, state, text)
        other = state.phase in IN_FLOW and result.intent != state.problem
        weak = result.confidence < ctx.settings.dialog.switch_confidence
        corrected = corrects_the_problem(text) and not _is_urgent(ctx, result.intent)
        if other and not described and weak and not corrected:
            # Mid-flow, "gjort, funker nå" or "where do I find that?" must not
            # look like a new problem: only a clear one is offered as a switch, or one
            # told as a correction ("vent, nå ser jeg at det egentlig er sending som
            # ikke virker": conversations set, not understood)
            return miss(ctx, state)
        # mail "fra meg" nobody sent is no weak sign of a break-in, however the words score
        sure = _is_urgent(ctx, result.intent) and _tells_break_in(text)
        return to_problem(
            ctx, state, result.intent, picked=False, unsure=other and weak and not sure
        )
    candidates = candidates_of(ctx, result) if result.decision == "ambiguous" else []
    if candidates and state.phase in IN_FLOW:
        if candidates[0] == state.problem:
            return _same_problem(ctx, state, text)
        if described and candidates[0] in knowledge.problems:
            # the problem under way among the candidates, but not first, is no "that is
            # what we are doing": "nei vent, det er mottak som er problemet" (playtest 18)
            return to_problem(ctx, state, candidates[0], picked=False, unsure=True)
        return miss(ctx, state)
    if candidates:
        state = state.evolve(
            phase=Phase.CHOOSING, candidates=tuple(candidates), misses=0, greeted=True
        )
        return ctx.done(state, ctx.say(state).choices(candidates))
    lookalike = result.lookalike if result.decision == "none" else None
    if lookalike is not None and lookalike in knowledge.lookalikes:
        escalated = knowledge.lookalikes[lookalike].escalates_to
        if (
            escalated is not None
            and escalated in knowledge.problems
            and says_typed_in(tokens(text))
        ):
            # "fikk en mail som ba om passordet, og jeg skrev det inn": the answer's own
            # question (was a password typed in?) is answered already, and it was
            return to_problem(ctx, state, escalated, picked=False)
        return answer_lookalike(ctx, state, lookalike)
    if how_to and not result.outside and "how_to_not_a_fault" in knowledge.ui:
        return miss(ctx, state, lead_key="how_to_not_a_fault")
    if (
        state.phase is Phase.IDLE
        and result.decision == "none"
        and not result.outside
        and len(text.split()) <= _BARE_FAULT_MAX_WORDS
        and says_fault(tokens(text))
    ):
        # "funker ikke", "it doesn't work": a fault, and not what of: which, with the menu
        # (playtest 19: "det forstod jeg ikke, jeg kan bare hjelpe med Mail på iPhone")
        return menu(ctx, state, [ctx.say(state).text("fault_unnamed")])
    return miss(ctx, state, outside=result.decision == "none" and result.outside)
