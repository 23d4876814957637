"""What a typed text says besides its meaning: whether it asks, thanks, praises, says the
mail works now, asks for a person, names a language, or corrects what the fix is about;
and the act model's reading of a reply when it is sure enough. Used by ``reading``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.dialog.conversation import DialogState
from bot.dialog.flow import Context
from bot.understanding.acts import HUMAN
from bot.understanding.intents import ReadAct
from bot.understanding.text import (
    reads_as_a_question,
    says_fault,
    tokens,
    unsure,
    words,
)

LANGUAGE_SWITCHES = ("to_en", "to_nb")
# acts that move the conversation for good, read only when the model is sure
DECISIVE = ("worked", "stop", HUMAN, "skip", "back")
# the longest thanks looked for at either end of a request ("tusen hjertelig takk for hjelpen")
THANKS_MAX_WORDS = 6
# praise names at most this many things besides its praise words ("bra support")
PRAISED_MAX_WORDS = 1
# where a reply's clauses part: "glem det, det løste seg av seg selv"
CLAUSE_MARKS = re.compile(r"[,.;:!?]")
# where a sentence ends: "kan jeg få snakke med noen? | mailen sender ikke"
SENTENCE_ENDS = re.compile(r"(?<=[.!?])\s+")
# clauses, also those joined by "og"/"and" ("I did as you wrote and the inbox is updating")
_AND_CLAUSES = re.compile(r"[,.;:!?]|(?<![^\W\d_])(?:og|and)(?![^\W\d_])", re.IGNORECASE)
# a turn to news: what follows is what the reply tells ("gjorde det, men den spør igjen")
BUT_WORDS = re.compile(r"(?<![^\W\d_])(?:men|but|however)(?![^\W\d_])", re.IGNORECASE)


def names_a_language(ctx: Context, text: str) -> bool:
    """A word of ``text`` is a language's name as the lexicon's switches use it
    ("English", "engelsk", "norsk")."""
    return language_named(ctx, text) is not None


def language_named(ctx: Context, text: str) -> str | None:
    """The switch ("to_en", "to_nb") of the first word of ``text`` that names a language."""
    for word in words(text):
        hit = ctx.lexicon.read(word, LANGUAGE_SWITCHES)
        if hit is not None:
            return hit.key
    return None


def reply_language(ctx: Context, state: DialogState, text: str) -> str | None:
    """The language a reply mid-fix is written in, when it is a whole sentence: "sorry,
    can we do this in English?" switches; "still broken" from a Norwegian does not."""
    if len(text.split()) < ctx.settings.dialog.reply_language_min_words:
        return None
    return ctx.classifier.classify(text, prior_language=state.language, in_topic=True).language


def read_reply(ctx: Context, text: str) -> ReadAct | None:
    """The act model's reading when it is sure enough, else None (the matcher reads it).

    Acts that move the conversation for good (it worked, stop, a person, skip, back)
    need more certainty than the ones that only answer (a question, "later").
    """
    read = ctx.classifier.read_reply(text)
    settings = ctx.settings.dialog
    if read is None:
        return None
    if read.act == "worked" and ctx.lexicon.negated(text) and not _works_at_last(ctx, text):
        # "det løste seg ikke", "fikk ikke løst det": the model hears the success words;
        # the lexicon reads the negation ("det funka ikke" is not helped); not when the
        # last clause says it works, unnegated ("what? no, it's not hacked. it works now")
        hit = ctx.lexicon.read(text, ("worked", "not_helped"))
        if hit is not None and hit.key == "not_helped":
            return replace(read, act="not_helped")
        return None
    if (
        read.act == "worked"
        and text.rstrip().endswith("?")
        and reads_as_a_question(text)
        and not _works_told_before_asking(ctx, text)
    ):
        # "Nå er hele kontoen borte fra Mail!!! Er alt slettet???": a worry asked, no fix
        # told (playtest 27: "Så bra at det løste seg!")
        return replace(read, act="question")
    if read.act == "done" and _works_at_last(ctx, text):
        # "gjorde som du sa, mailene kommer nå": done, and it works (review)
        return replace(read, act="worked")
    if read.act in ("worked", "done") and _fault_after_but(ctx, text):
        # "e har skreve inn det nye passordet i boksen som kjem opp, men den spor igjen
        # lell", "gjorde som du sa, men ingenting skjer": what follows the "but" is the
        # news (playtest 26: thanked as solved)
        return replace(read, act="not_helped")
    needed = settings.decisive_act_min_score if read.act in DECISIVE else settings.act_min_score
    if read.act == "worked":
        needed = settings.worked_min_score
    return read if read.score >= needed else None


def last_clause(text: str, marks: re.Pattern[str] = CLAUSE_MARKS) -> str | None:
    """The last of two or more clauses of ``text`` cut at ``marks``; None when it has one:
    what a reply ends by saying ("..., brb", "... it works now")."""
    parts = [part for part in marks.split(text) if tokens(part)]
    return parts[-1] if len(parts) >= 2 else None


def _works_told_before_asking(ctx: Context, text: str) -> bool:
    """A clause that asks nothing says it works, in the lexicon's words: "works now, but
    why did it happen?"."""
    parts = [part for part in CLAUSE_MARKS.split(text) if tokens(part)]
    told = [part for part in parts[:-1] if not reads_as_a_question(part)]
    return any(ctx.lexicon.read(part, ("worked",)) is not None for part in told)


def _works_at_last(ctx: Context, text: str) -> bool:
    """The last of two or more clauses says it works now, with no negation or fault in
    it: "nei, ikke hacket. det virker nå" (the "no" answered something else)."""
    last = last_clause(text, _AND_CLAUSES)
    if last is None or ctx.lexicon.negated(last) or says_fault(tokens(last)):
        return False
    if ctx.lexicon.read(last, ("worked",)) is not None:
        return True
    read = ctx.classifier.read_reply(last)
    return read is not None and read.act == "worked" and read.score >= 0


def _fault_after_but(ctx: Context, text: str) -> bool:
    """What follows the last "men"/"but" of ``text`` tells a fault or reads as "didn't
    help" ("..., men den spør igjen"); not "det virker nå, men takk for hjelpen"."""
    parts = BUT_WORDS.split(text)
    after = parts[-1].strip() if len(parts) > 1 else ""
    if not tokens(after):
        return False
    if says_fault(tokens(after)) and not unsure(after):
        # ("that worked, but no idea why": not knowing is no fault)
        return True
    read = ctx.classifier.read_reply(after)
    return read is not None and read.act == "not_helped"


def a_correction(ctx: Context, state: DialogState, text: str, read: ReadAct | None) -> bool:
    """A weak "didn't help" that clearly names another problem corrects what the fix is
    about ("nei den er ikke blokkert, innboksen oppdaterer seg bare ikke" at the Exchange
    fix): offered as a switch, not taken as the step's failure."""
    if read is None or read.act != "not_helped":
        return False
    if read.score >= ctx.settings.dialog.correction_max_score:
        return False
    found = surely_told(ctx, state, text)
    return found is not None and found in ctx.knowledge.problems and found != state.problem


def surely_told(ctx: Context, state: DialogState, text: str) -> str | None:
    """What ``text`` reads as mid-fix when the matcher is sure of it (a match at the
    switch confidence or above); None when it is not."""
    result = ctx.classifier.classify(text, prior_language=state.language, in_topic=True)
    sure = result.confidence >= ctx.settings.dialog.switch_confidence
    return result.intent if result.decision == "match" and sure else None


def says_it_works(ctx: Context, text: str) -> bool:
    """ "det virker nå", "it works now, never mind": the lexicon's or the act model's, not
    negated and not asked ("kan du fikse det?", "nå kommer det ingen mail heller"); or
    the last clause before a stop ("oh wait, it just went through! never mind")."""
    if "?" in text:
        return False
    if not ctx.lexicon.negated(text):
        if ctx.lexicon.read(text, ("worked",)) is not None:
            return True
        read = read_reply(ctx, text)
        if read is not None and read.act == "worked":
            return True
    # "glem det, det løste seg av seg selv", "oh wait, it just went through! never mind":
    # whole, "glem det" makes it a stop; a clause says how it is now, and no word of a
    # fault or a negation says otherwise ("det virket i går. i dag samme feil")
    clauses = [part.strip() for part in CLAUSE_MARKS.split(text) if part.strip()]
    if len(clauses) < 2:
        return False
    # the last clause but a stop said after it ("never mind"), whose negation is no
    # negation of what works; "det virket i går. i dag samme feil" ends in the fault
    while len(clauses) > 1 and ctx.lexicon.read(clauses[-1], ("stop",)) is not None:
        clauses.pop()
    if says_fault(tokens(clauses[-1])):
        return False  # "det funket en stund, men nå er den død igjen"
    last = read_reply(ctx, clauses[-1])
    return last is not None and last.act == "worked" and not ctx.lexicon.negated(clauses[-1])


def asks_for_a_person(ctx: Context, text: str) -> bool:
    result = ctx.classifier.classify(text, prior_language=None)
    return result.decision == "match" and result.intent == HUMAN


def asks(ctx: Context, text: str) -> bool:
    """``text`` is a question: by its mark, its first word ("hvor mye lagring trenger
    mail"), or as the act model reads it ("skal jeg bytte passord" without one)."""
    if reads_as_a_question(text):
        return True
    read = read_reply(ctx, text)  # sure enough: "the steps were confusing" asks nothing
    return read is not None and read.act == "question"


def asks_for_help(ctx: Context, text: str) -> bool:
    return ctx.lexicon.read(text, ("help",)) is not None


def thanks_only(
    ctx: Context, text: str, asks: Callable[[Context, str], bool] = asks_for_a_person
) -> bool:
    """The message thanks and asks nothing, though a request was read in it: the model's
    request for a person ("utmerket hjelp, tusen takk": "hjelp" and "takk" are in the
    requests) or the lexicon's "help" ("kjempenyttig hjelp, takk").

    It begins or ends with thanks (a lexicon reading of those words), and what is left
    does not ``asks`` by itself: "takk, men kan noen i IT ringe meg?", "menneske takk"
    and "hjelp meg, takk" still do. Thanks never opens a case.
    """
    words = text.split()
    for size in range(1, min(len(words), THANKS_MAX_WORDS) + 1):
        for part, rest in ((words[:size], words[size:]), (words[-size:], words[:-size])):
            if ctx.lexicon.read(" ".join(part), ("thanks",)) is None:
                continue
            # any thanks that leaves a harmless rest: "thanks a lot, great help!" leaves
            # "great help" (praise), where "thanks" alone leaves "a lot, great help"
            if not asks(ctx, " ".join(rest)) or praise_only(ctx, " ".join(rest)):
                return True
    return False


def says_more(ctx: Context, text: str) -> bool:
    """``text`` says something besides praise ("skriveren skriver ikke ut"): with
    ``thanks_only``, a message that is thanks and praise alone."""
    return bool(text.strip()) and not praise_only(ctx, text)


def praise_only(ctx: Context, text: str) -> bool:
    """``text`` praises the help and names at most the one thing it praises: "veldig bra
    support", "great service". "support" alone, or "great, can someone call me", asks."""
    words = text.split()
    praised = praise_words(ctx, words)
    return praised > 0 and len(words) - praised <= PRAISED_MAX_WORDS


def praise_words(ctx: Context, words: list[str]) -> int:
    """How many of ``words`` praise the help ("bra", "great": the lexicon's ``praise``)."""
    return sum(ctx.lexicon.read(word, ("praise",)) is not None for word in words)
