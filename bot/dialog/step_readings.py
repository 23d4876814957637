"""What a reply in the middle of a fix tells besides its act: the fix told in the
problem's words, a step command closing it, a step named as the one that fixed it,
another app used than Mail, and where the step's ways start.

Read by ``bot.dialog.reading`` on every typed reply mid-fix; each answers one question
of the reply and the conversation, and returns plain values.
"""

from __future__ import annotations

import re

from bot.dialog.case_readings import others_have_it
from bot.dialog.conversation import DialogState
from bot.dialog.flow import Context, current_check, current_step
from bot.dialog.signals import last_clause, read_reply
from bot.knowledge import LANGUAGES
from bot.understanding.acts import NEW_PROBLEM, SMALLTALK
from bot.understanding.intents import ReadAct
from bot.understanding.text import (
    fault_too_part,
    fold_word,
    holds,
    places,
    reads_as_a_question,
    rules,
    says_fault,
    says_no_mail_app,
    terms,
    tokens,
)
from bot.understanding.told_fixed import (
    after_the_last_but,
    says_fault_gone,
    says_fault_stopped,
    says_mail_went_out,
    says_same_fault,
)

# the parts of a step's text set off as menu paths or names: `...` and **...**
SET_OFF = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*")

# a reply's clauses, for its closing command: marks and dashes ("bryr meg ikke – hopp over")
_CLAUSE_SPLIT = re.compile(r"[,.;:!?–—]|\s-\s")
_CLOSING_COMMANDS = ("skip", "back")
# what a fix told in the problem's words is read over: no answer, or the fault's words
_TOLD_FIXED_OVER = (
    "worked",
    "not_helped",
    "cannot_find",
    "works_elsewhere",
    "done",
    NEW_PROBLEM,
    SMALLTALK,
)
# ... then "mail" within a few words: Mail is used too ("only Mail", "men Mail på iPhone")
_MAIL_TOO = frozenset(
    {"only", "just", "bare", "kun", "men", "but", "og", "and", "switched", "byttet", "bytta"}
)
# "den spør igjen", "it still asks": a word of lasting this near after the fault's verb
_LASTING_REACH = 3
# ... the verb as a word of its own, with one of these endings ("asks", "maser")
_VERB_ENDINGS = ("", "s", "e", "er", "ed", "ing", "a", "et")
# ... not the writer's own asking ("jeg spør IT igjen"), nor someone asked ("ask IT again")
_WRITER = frozenset({"jeg", "eg", "ae", "e", "i", "vi", "we", "me"})
_ASKED_PEOPLE = frozenset({"it", "itdept", "support", "helpdesk", "brukerstotte", "dere", "you"})
# a step's own title word at least this long names it ("smtp", "passordet")
_TITLE_WORD_MIN = 4


def told_fixed(ctx: Context, state: DialogState, text: str, read: ReadAct | None) -> bool:
    """The reply tells the fix in the problem's words and asks nothing: the fault's sign
    gone, or, at a problem of sending, the mail gone out or got ("sjefen fikk mailen");
    over a reading of no answer or of the fault, not over a request, a stop or a step."""
    if read is not None and read.act not in _TOLD_FIXED_OVER:
        return False
    if reads_as_a_question(text):
        return False
    folded = tokens(text)
    problem = ctx.knowledge.problems.get(state.problem or "")
    sending = problem is not None and problem.sending
    return (
        says_fault_gone(folded)
        or (problem is not None and says_fault_stopped(folded, problem.fault_verbs))
        or (sending and says_mail_went_out(folded, other_devices(ctx, state)))
    )


def closing_command(ctx: Context, text: str) -> str | None:
    """The step command ("skip", "back") the reply's last clause is, word for word, when
    something comes before it: "it's an iCloud account. next"."""
    last = last_clause(text, _CLAUSE_SPLIT)
    if last is None:
        return None
    hit = ctx.lexicon.read(last, _CLOSING_COMMANDS)
    return hit.key if hit is not None and hit.score >= 1.0 else None


def step_named_as_the_fix(ctx: Context, state: DialogState, text: str) -> int | None:
    """An earlier step a reply names with a step word and a word of its title only it has
    ("the smtp step fixed it", "det var passord-steget som hjalp"), or None."""
    said = tokens(text)
    if not set(rules().step_words).intersection(said):
        return None
    problem = ctx.knowledge.problems.get(state.problem or "")
    if problem is None:
        return None
    titles = [
        {t for language in LANGUAGES for t in tokens(ctx.knowledge.steps[s].title.get(language))}
        for s in problem.steps
    ]
    for index in range(state.step_index - 1, -1, -1):
        others = set().union(*(t for i, t in enumerate(titles) if i != index))
        own = {
            t
            for t in titles[index] - others
            if len(t) >= _TITLE_WORD_MIN and t not in rules().stopwords
        }
        if own.intersection(said):
            return index
    return None


def uses_another_app(ctx: Context, state: DialogState, text: str) -> bool:
    """Mid-fix, the reply says the person uses another app than Mail ("jeg bruker outlook
    appen, ikke mail appen"), and does not stop for it ("glem hele greia, jeg bruker
    Gmail-appen i stedet" is a stop)."""
    folded = tokens(text)
    if "other_app_in_flow" not in ctx.knowledge.ui or not says_no_mail_app(folded):
        return False
    # of another device, another person, or working there: news of where it works ("I
    # use the Outlook app on my laptop and it works fine", "kollegaen min bruker
    # Outlook-appen"), not the app the steps are for (review)
    if other_devices(ctx, state).intersection(folded) or rules().other_people.intersection(folded):
        return False
    if holds(folded, rules().working) and not says_fault(folded):
        return False
    # "I don't use the outlook app, only Mail", "gmail-appen på iPaden og Mail på iPhonen":
    # Mail is used too
    if any(
        word in _MAIL_TOO and "mail" in folded[at + 1 : at + 4] for at, word in enumerate(folded)
    ):
        return False
    read = read_reply(ctx, text)
    return read is None or read.act not in ("stop", "later")


def other_devices(ctx: Context, state: DialogState) -> frozenset[str]:
    """The topic's other devices (PC, Mac, Android), folded: mail sent from one of them is
    no fix of the phone's sending."""
    problem = ctx.knowledge.problems.get(state.problem or "")
    if problem is None:
        return frozenset()
    named = ctx.knowledge.topics[problem.topic].other_devices
    return frozenset(t for device in named for t in tokens(device))


def path_roots(ctx: Context, state: DialogState) -> tuple[str, ...]:
    """The glossary terms the current step's menu paths start from (`Innstillinger > ...`):
    the app every way goes through, no word of the step's own."""
    step = current_step(ctx, state)
    if step is None or ctx.glossary is None:
        return ()
    roots = " ; ".join(
        (m.group(1) or m.group(2)).split(">", 1)[0]
        for m in SET_OFF.finditer(step.text.get(state.language))
        if ">" in (m.group(1) or m.group(2))
    )
    return ctx.glossary.named_in(roots)


def tells_no_change(ctx: Context, state: DialogState, text: str) -> bool:
    """The reply tells that the step changed nothing, and no other problem: in so many
    words ("Re-entered the password, no change", "den var på. samme feil", "framleis
    ingen varsel"), the problem's fault going on ("lagt inn passordet, men den spør
    igjen"), a plain no said last after the step done ("ok I did it. nope."), or the
    step's setting found as it should be ("alle innstillingene ser riktige ut", "it's
    already on for Mail"). Not at a check (its question is no "did it help?"), not asked,
    not the fix told, and not when the words that are not the step's own name another
    problem ("har gjort det, men nå får jeg ikke sendt heller")."""
    if current_check(ctx, state) is not None or reads_as_a_question(text):
        return False
    if corrects_the_problem(text):
        return False  # "vent, det er egentlig mottak: ingenting nytt kommer inn"
    folded = tokens(text)
    found = rules()
    said = (
        (holds(folded, found.no_change) and not _still_no_fault(folded))
        or _setting_found_right(ctx, state, text)
        or says_same_fault(folded)
        or _fault_goes_on(ctx, state, folded)
        or _no_said_last(ctx, text)
    )
    if not said or told_fixed(ctx, state, text, None) or fault_too_part(text) is not None:
        return False  # (a fault told "too" is read with the step's answer before it)
    others = found.other_people | found.many
    if others.intersection(folded) and others_have_it(ctx, state, text):
        return False  # "hele teamet har samme feil": not the step's answer
    # the rest is read for another problem: without the words of the step's title
    # ("re-entered the password") and of no change ("same" alone reads as "others have
    # it too")
    step = current_step(ctx, state)
    own: set[str] = set()
    if step is not None:
        for language in LANGUAGES:
            own.update(terms(step.title.get(language)))
    quiet = _no_change_words()
    rest = " ".join(
        word
        for word in text.split()
        if not own.intersection(terms(word)) and not quiet.issuperset(tokens(word))
    )
    if not rest.strip():
        return True
    other = ctx.classifier.classify(rest, prior_language=state.language, in_topic=True)
    # as sure as a switch to it would need: "feil" alone is no other problem
    return not (
        other.decision == "match"
        and other.intent != state.problem
        and other.intent in ctx.knowledge.problems
        and other.confidence >= ctx.settings.dialog.switch_confidence
    )


def _no_change_words() -> frozenset[str]:
    """The words of the text rules that tell no change (``no_change``, ``setting_right``,
    ``setting_on``, ``same``, ``lasting``)."""
    found = rules()
    phrases = (*found.no_change, *found.setting_right, *found.setting_on)
    return frozenset(word for phrase in phrases for word in phrase) | found.same | found.lasting


def _still_no_fault(folded: list[str]) -> bool:
    """ "Still no" said of the fault's sign: "fortsatt ingen feil", "still no popup since"
    tell it gone, not that nothing changed (review)."""
    found = rules()
    return any(
        word in found.lasting
        and folded[at + 1] in found.negations
        and any(
            w.startswith(found.fault_nouns) or w in found.trouble for w in folded[at + 2 : at + 4]
        )
        for at, word in enumerate(folded[:-1])
    )


def _setting_found_right(ctx: Context, state: DialogState, text: str) -> bool:
    """The step's setting found as it should be ("alt ser riktig ut", "den var allerede
    av", "it's already on for Mail"), and after a "men"/"but" only the problem's own fault
    ("..., men mailen sitter fast i utboksen"; "serveren ser riktig ut, men brukernavnet
    mangler" is a finding). Found on counts only where the step does not turn something
    off: there "den var på" is the fault the step fixes."""
    found = rules()
    folded = tokens(text)
    step = current_step(ctx, state)
    titled = {t for lang in LANGUAGES for t in tokens(step.title.get(lang))} if step else set()
    on = not found.turning_off.intersection(titled) and _told_on(text)
    if not (holds(folded, found.setting_right) or on):
        return False
    if not found.but.isdisjoint(folded):
        # "alt ser riktig ut, men mailen sitter fast i utboksen": the fault goes on, so
        # the step changed nothing; "..., men brukernavnet mangler" is a finding
        after = " ".join(after_the_last_but(folded))
        told = ctx.classifier.classify(after, prior_language=state.language, in_topic=True)
        if not (told.decision == "match" and told.intent == state.problem):
            return False
    return True


def _told_on(text: str) -> bool:
    """A phrase of ``setting_on`` ending its clause, or followed only by words of
    ``setting_on_after``: "it's on for Mail", "den var på fra før"; not "den er på nå"."""
    found = rules()
    for clause in _CLAUSE_SPLIT.split(text):
        folded = tokens(clause)
        row = tuple(folded)
        for at in places(folded, found.setting_on):
            length = max(len(p) for p in found.setting_on if row[at : at + len(p)] == p)
            if found.setting_on_after.issuperset(folded[at + length :]):
                return True
    return False


def _fault_goes_on(ctx: Context, state: DialogState, folded: list[str]) -> bool:
    """One of the problem's own fault verbs, as a word of its own (a few endings allowed:
    "mas" is no "masse"), with a word of ``lasting`` at most ``_LASTING_REACH`` words
    after it: "den spør igjen", "it still asks". Not negated on either side ("den spurte
    ikke igjen"), not the writer asking someone ("jeg spør IT igjen", "asked IT again"),
    not with news after a "men"/"but" ("the prompt came again but it took the password")."""
    problem = ctx.knowledge.problems.get(state.problem or "")
    if problem is None or not problem.fault_verbs:
        return False
    folded = list(after_the_last_but(folded)) or folded  # what is told last counts
    found = rules()
    verbs = {fold_word(verb.casefold()) for verb in problem.fault_verbs}
    asked = found.other_people | _ASKED_PEOPLE
    for at, word in enumerate(folded):
        if not any(word == verb + ending for verb in verbs for ending in _VERB_ENDINGS):
            continue
        around = folded[max(0, at - 2) : at + 3]
        if found.negations.intersection(around) or _WRITER.intersection(
            folded[max(0, at - 2) : at]
        ):
            continue
        if asked.intersection(folded[at + 1 : at + 3]):
            continue  # "ask my boss again", "spurte IT igjen"
        near = folded[max(0, at - 1) : at + 1 + _LASTING_REACH]
        if found.lasting.intersection(near):
            return True
    return False


def _no_said_last(ctx: Context, text: str) -> bool:
    """The last clause is a plain no, after the step said done: "ok I did it. nope."."""
    last = last_clause(text, _CLAUSE_SPLIT)
    if last is None or not ctx.lexicon.mentions(text, "done"):
        return False
    hit = ctx.lexicon.read(last, ("no",))
    return hit is not None and hit.score >= 1.0


def corrects_the_problem(text: str) -> bool:
    """The reply takes back what the fix is about and tells a fault: "vent, nå ser jeg at
    det egentlig er sending som ikke virker" (text rule ``correcting``)."""
    folded = tokens(text)
    return holds(folded, rules().correcting) and says_fault(folded)
