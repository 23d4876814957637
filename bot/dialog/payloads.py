"""Button payloads: the short strings buttons carry, built and parsed in one place.

Every payload fits Telegram's 64 bytes of callback data (``kb check`` rejects
ids that would break that). Adapters map platform commands to these too:
``/start`` and ``/help`` -> ``menu``, ``/reset`` -> ``restart``, ``/human`` ->
``human``, ``/language`` -> ``lang:nb`` or ``lang:en``.
"""

from __future__ import annotations

from dataclasses import dataclass

MENU = "menu"
OTHER = "other"  # "something else" when choosing between candidates
HUMAN = "human"
STAY = "stay"  # keep the current flow instead of switching
RESTART = "restart"
STOP = "stop"
RESUME = "resume"  # pick a stopped fix up where it stopped
# worked / didn't help / skip / previous step; on a check-only step: nothing wrong there /
# found the fault
STEP_VERBS = ("ok", "no", "skip", "back", "fine", "fault")


@dataclass(frozen=True, slots=True)
class Action:
    """A parsed payload: ``kind`` and its arguments."""

    kind: str  # menu|other|human|stay|restart|stop|pick|switch|step|rate|lang|unknown
    intent: str | None = None
    verb: str | None = None  # for step: ok|no|skip|back|fine|fault
    number: int | None = None  # step number (1-based) or rating score
    language: str | None = None


def pick(intent: str) -> str:
    return f"pick:{intent}"


def switch(problem: str) -> str:
    return f"switch:{problem}"


def step(verb: str, problem: str, number: int) -> str:
    if verb not in STEP_VERBS:
        raise ValueError(f"unknown step verb {verb!r}")
    return f"step:{verb}:{problem}:{number}"


def rate(score: int) -> str:
    return f"rate:{score}"


def language(code: str) -> str:
    return f"lang:{code}"


def parse(payload: str) -> Action:
    """Parse a payload; anything malformed or unknown is ``Action("unknown")``."""
    parts = payload.strip().split(":")
    head = parts[0]
    if len(parts) == 1 and head in (MENU, OTHER, HUMAN, STAY, RESTART, STOP, RESUME):
        return Action(head)
    if len(parts) == 2 and head in ("pick", "switch") and parts[1]:
        return Action(head, intent=parts[1])
    if len(parts) == 2 and head == "rate" and parts[1].isdigit():
        score = int(parts[1])
        if 1 <= score <= 5:
            return Action("rate", number=score)
    if len(parts) == 2 and head == "lang" and parts[1] in ("nb", "en"):
        return Action("lang", language=parts[1])
    if len(parts) == 4 and head == "step" and parts[1] in STEP_VERBS and parts[3].isdigit():
        return Action("step", intent=parts[2], verb=parts[1], number=int(parts[3]))
    return Action("unknown")
