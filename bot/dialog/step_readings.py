"""What a reply in the middle of a fix tells besides its act: the fix told in the
problem's words, a step command closing it, a step named as the one that fixed it,
another app used than Mail, and where the step's ways start.

Read by ``bot.dialog.reading`` on every typed reply mid-fix; each answers one question
of the reply and the conversation, and returns plain values.
"""

from __future__ import annotations

import re

from bot.dialog.conversation import DialogState
from bot.dialog.flow import Context, current_step
from bot.dialog.signals import last_clause, read_reply
from bot.knowledge import LANGUAGES
from bot.understanding.acts import NEW_PROBLEM, SMALLTALK
from bot.understanding.intents import ReadAct
from bot.understanding.text import (
    holds,
    reads_as_a_question,
    rules,
    says_fault,
    says_no_mail_app,
    tokens,
)
from bot.understanding.told_fixed import says_fault_gone, says_fault_stopped, says_mail_went_out

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
