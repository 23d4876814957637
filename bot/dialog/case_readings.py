"""What a message tells while IT has the case, or when a person is asked for: it is only
the writer after an outage case, the alarm's sign-in was the writer's own, the problem
is told beside the request, or others' mail works.

Read by ``bot.dialog.reading``; plain answers about the text and the conversation.
"""

from __future__ import annotations

from bot.dialog.conversation import DialogState
from bot.dialog.flow import Context
from bot.dialog.signals import SENTENCE_ENDS
from bot.understanding.text import (
    holds,
    reads_as_a_question,
    rules,
    says_fault,
    says_only_me,
    tokens,
)

# words of calling: "ring bare meg" asks for a call, not that it is only me
_CALLING = frozenset({"ring", "ringe", "ringer", "call", "phone"})
# "det var jo meg!" alone is the sign-in owned; longer, it needs the sign-in told
_WAS_ME_MAX_WORDS = 5


def tells_only_me(ctx: Context, text: str) -> bool:
    """After an outage case, the person says it is only them ("det er faktisk bare meg",
    "kollegaene får mail helt fint"); not the outage ending for all ("de andre får mail
    igjen nå, og jeg også"), not asked, not a call ("ring bare meg hvis ...")."""
    folded = tokens(text)
    found = rules()
    if reads_as_a_question(text) or not _CALLING.isdisjoint(folded):
        return False  # "ring bare meg hvis dere trenger noe"
    # "de andre får mail igjen nå, og jeg også", "none of us on our phones": the outage
    # ending, or still many
    recovering = not found.lasting.isdisjoint(folded) or ctx.lexicon.mentions(text, "same_here")
    if recovering or not found.all_or_none.isdisjoint(folded):
        return False
    return says_only_me(folded) or others_fine(ctx, text)


def sign_in_was_mine(ctx: Context, text: str) -> bool:
    """During a break-in's case, the person says the sign-in was their own: "det var jo
    meg", or in a longer message with their own sign-in told ("det var meg som la inn
    kontoen på den nye iPhonen"); not asked ("var det meg som ble hacket?"), not negated
    ("the email looked like it was me, but I never sent it"), not of something else ("det
    var meg som meldte saken")."""
    if "case_added_was_me" not in ctx.knowledge.ui or not ctx.lexicon.mentions(text, "was_me"):
        return False
    if "?" in text or reads_as_a_question(text) or ctx.lexicon.negated(text):
        return False
    short = len(text.split()) <= _WAS_ME_MAX_WORDS
    return short or ctx.lexicon.mentions(text, "own_sign_in")


def problem_told_beside(ctx: Context, state: DialogState, text: str) -> str | None:
    """The sentence of a request for a person that tells a problem on its own ("...?
    mailen på iphone sender ikke"), or None."""
    sentences = [part for part in SENTENCE_ENDS.split(text) if tokens(part)]
    if len(sentences) < 2:
        return None
    for part in sentences:
        result = ctx.classifier.classify(part, prior_language=state.language)
        if result.decision == "match" and result.intent in ctx.knowledge.problems:
            return part
    return None


def others_fine(ctx: Context, text: str) -> bool:
    """The reply says the mail works for someone else: one of ``other_people`` or ``others``
    and one of ``working``, no fault and no negation ("kollegaen min får mail fint", "jeg
    sa jo at de andre får mail")."""
    folded = tokens(text)
    found = rules()
    return (
        not (found.other_people | found.others).isdisjoint(folded)
        and (holds(folded, found.working) or holds(folded, found.getting_mail))
        and not says_fault(folded)
        and not ctx.lexicon.negated(text)
    )


def others_have_it(ctx: Context, state: DialogState, text: str) -> bool:
    """The reply says others have the same ("kollegaene mine har det samme problemet"), as a
    confident match of a problem of many ("everyone-affected"); not "kollegaene mine har
    ingen problemer" nor "it works for my colleagues": the mail working for others."""
    if ctx.lexicon.negated(text) or not ctx.lexicon.mentions(text, "same_here"):
        return False
    result = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
    problem = ctx.knowledge.problems.get(result.intent)
    return result.decision == "match" and problem is not None and problem.shared
