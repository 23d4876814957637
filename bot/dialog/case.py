"""A case that continues: what a person writes after the handoff goes to IT, with its status.

Once handed off, a message that is not a new problem ("har IT sett på saken
min?", "det er jobbkontoen") is added to the open case for staff, and the
person is told so and where the case stands, instead of being greeted anew
and given a second case.
"""

from __future__ import annotations

from bot.dialog.conversation import CaseAddition, DialogState, Transition
from bot.dialog.flow import Context

# The handoff's status (as staff leave it on the review site) -> the wording's key.
STATUS_KEYS = {"open": "case_status_open", "claimed": "case_status_claimed"}
CLOSED_KEY = "case_status_closed"


def continue_case(ctx: Context, state: DialogState, text: str) -> Transition:
    """``text`` added to the person's case; the reply says so and gives the case's status."""
    ctx.effects.append(CaseAddition(text))
    say = ctx.say(state)
    status = STATUS_KEYS.get(ctx.case_status or "open", CLOSED_KEY)
    return ctx.done(state, say.fit([say.text("case_added"), say.text(status)]))
