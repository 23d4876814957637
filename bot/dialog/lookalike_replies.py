"""Replies to a look-alike's answer: the question it ends with, answered.

The phishing answer ends "if you clicked a link and typed in your password, tell me":
a yes there raises the alarm it leads to, a no says the advice is all that is needed,
a click alone is asked whether anything was typed in, and "am I hacked now?" is
answered "not from this alone". Each keeps or ends the look-alike's question.
"""

from __future__ import annotations

from bot.dialog.conversation import DialogState, Phase, Transition
from bot.dialog.flow import Context
from bot.dialog.moves import lookalike_follow_up, to_problem
from bot.dialog.signals import asks
from bot.understanding.text import (
    rules,
    says_gave_away,
    says_kept_safe,
    says_only_clicked,
    says_password_typed,
    says_someone_else_hacked,
    tokens,
)

# ``_escalation``'s answer to a "no" after a look-alike's "did you type your password?"
_NOT_EXPOSED = ""
# ... or asks whether that makes them hacked ("er jeg hacket nå?", "skal jeg bytte passord?")
_ASKED_IF_EXPOSED = "?"
# ... or says they clicked, and nothing of typing anything in ("I did click it actually")
_ONLY_CLICKED = "click"
# "er jeg hacket nå?", "so am I hacked or not?": a question that long at most asks only
# that; a longer one tells of more and is read as any message
ASKED_MAX_WORDS = 8
# what each of those says, and whether the look-alike's question is still open after it
_FOLLOW_UPS = {
    _NOT_EXPOSED: ("lookalike_no", False),
    _ASKED_IF_EXPOSED: ("lookalike_am_i_hacked", True),
    _ONLY_CLICKED: ("lookalike_clicked", True),
}


def lookalike_reply(ctx: Context, state: DialogState, text: str) -> Transition | None:
    """The reply to a look-alike's question, or None when ``text`` is no such reply."""
    folded = tokens(text)
    reassured = state.reassured_lookalike
    if (
        state.answered_lookalike is None
        and reassured is not None
        and state.phase is Phase.IDLE
        and _asks_if_exposed(ctx, text, folded)
        and not says_gave_away(folded)
    ):
        # "er jeg hacket nå?" after "nei, skrev ikke inn noe" was answered: not by this
        # alone, and the look-alike's question is open again
        state = state.evolve(answered_lookalike=reassured)
        return lookalike_follow_up(ctx, state, "lookalike_am_i_hacked", keep=True)
    escalated = _escalation(ctx, state, text, folded)
    if escalated is None:
        return None
    if escalated in _FOLLOW_UPS:
        key, keep = _FOLLOW_UPS[escalated]
        return lookalike_follow_up(ctx, state, key, keep=keep)
    return to_problem(ctx, state, escalated, picked=False)


def _escalation(ctx: Context, state: DialogState, text: str, folded: list[str]) -> str | None:
    """The problem a look-alike's answer leads to when the reply says yes to its last
    question ("Har du trykket på lenken og skrevet inn passordet, si fra"): "ja",
    "ja, jeg skrev inn passordet", "yes I did that", right after that answer; mid-fix
    only the words for it, as a "ja" there answers the step."""
    if state.answered_lookalike is None or state.phase not in (Phase.IDLE, Phase.IN_FLOW):
        return None
    lookalike = ctx.knowledge.lookalikes.get(state.answered_lookalike)
    if lookalike is None or lookalike.escalates_to not in ctx.knowledge.problems:
        return None
    opening = ctx.lexicon.read(text.split()[0], ("yes", "no")) if text.split() else None
    if state.phase is Phase.IDLE and says_only_clicked(folded):
        # "I did click it actually": was anything typed in? Unless it says not: "trykket
        # på lenken, men skrev ikke inn noe"
        typed = says_kept_safe(folded, rules().typing)
        return _NOT_EXPOSED if typed else _ONLY_CLICKED
    if says_gave_away(folded) or says_password_typed(folded):
        # (right after the phishing answer the page is the one it was about)
        return lookalike.escalates_to
    kept_safe = says_kept_safe(folded) if state.phase is Phase.IDLE else None
    if opening is None and kept_safe is not None:
        # "I did not click it", "har ikke trykket på noe"; "I clicked it and logged in"
        return _NOT_EXPOSED if kept_safe else lookalike.escalates_to
    if opening is None and state.phase is Phase.IDLE and _asks_if_exposed(ctx, text, folded):
        return _ASKED_IF_EXPOSED
    if opening is None or state.phase is Phase.IN_FLOW:
        return None  # mid-fix a "ja" answers the step
    if opening.key == "yes" and not ctx.lexicon.negated(text):
        return lookalike.escalates_to
    return _NOT_EXPOSED if opening.key == "no" else None


def _asks_if_exposed(ctx: Context, text: str, folded: list[str]) -> bool:
    """The reply asks whether the writer is hacked now, or must change the password ("er
    jeg hacket nå?", "so am I hacked or not?", "skal jeg bytte passord?"): a question
    with a word for hacked that is not said of someone else, or the lexicon's
    ``change_password``."""
    if len(folded) > ASKED_MAX_WORDS or not asks(ctx, text):
        return False  # "noen har logget inn fra Russland, er jeg hacket?" tells of more
    hacked = any(token.startswith(rules().hacked) for token in folded)
    if hacked and not says_someone_else_hacked(folded):
        return True
    return ctx.lexicon.read(text, ("change_password",)) is not None
