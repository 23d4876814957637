"""Steps named by their numbers mid-fix: "I already did steps 1 to 3", "step 5 please".

The step heading says "Steg 2 av 8", so people answer in its numbers. "I already did
steps 1 to 3" moved one step on (the act model read a skip), and "step 5 please" went
back (playtest 24). A reply that names step numbers and says they were done marks each
of them as tried without help and goes on after the last; one that names a single step
and says nothing of doing it goes to that step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.understanding.text import rules, tokens

# the words that join two numbers into a range: "steg 1 til 3", "steps 1-3", "1 and 2"
_JOINS = ("-", "–", "til", "to", "through", "thru", "og", "and", "&")


@dataclass(frozen=True, slots=True)
class StepsNamed:
    """Step numbers (1-based, ``first`` <= ``last``) a reply names; ``done``: said as
    done already ("har gjort", "already did", "tried")."""

    first: int
    last: int
    done: bool
    going: bool = False  # a word of going there: "gå til", "hopp", "back", "show"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(rules().step_words, key=len, reverse=True))
    joins = "|".join(re.escape(j) for j in _JOINS)
    times = "|".join(re.escape(w) for w in rules().times)
    return re.compile(
        rf"(?<![^\W\d_])(?:{words})\s*(\d{{1,2}})(?:\s*(?:{joins})\s*(?:(?:{words})\s*)?(\d{{1,2}}))?(?!\d)"
        rf"(?!\s*(?:{times})(?![^\W\d_]))",
        re.IGNORECASE,
    )


def steps_named(text: str) -> StepsNamed | None:
    """The step numbers ``text`` names after a step word, or None."""
    found = _pattern().search(text)
    if found is None:
        return None
    first = int(found.group(1))
    last = int(found.group(2) or first)
    if not 1 <= first <= last:
        return None
    said = tokens(text)
    done = not rules().done_before.isdisjoint(said)
    return StepsNamed(first, last, done, going=not rules().going.isdisjoint(said))
