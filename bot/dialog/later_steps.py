"""A question mid-fix about what a later step of the same fix does.

"wait, I think low power mode is on. does that matter?" at the Background App
Refresh step got the step's own "why" and "that is all I know", and the next
step was "Turn off Low Power Mode" (playtest 17). A question that names a later
step's subject is told that step is coming, by its number and title.

A step is named by the words of its title that few titles share ("Low Power
Mode", "SMTP", "VPN", "søppelpost"), read as ``text.terms`` (folded, stemmed,
synonyms joined), not by the words every title has ("sjekk", "turn", "mail").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from bot.knowledge import Step
from bot.understanding.text import generic_terms, terms

# A title word is the step's own when at most this many step titles use it, and it has
# at least this many letters ("re" of "re-enter", "up" of "free up" name nothing).
MAX_TITLES_SHARING = 2
MIN_TERM_LETTERS = 3
# A message word and a title word this long or longer that share this many first
# letters are one word ("strømsparing" and "strømsparingsmodus").
SHARED_PREFIX = 6


def own_title_terms(steps: Mapping[str, Step], language: str) -> dict[str, frozenset[str]]:
    """Per step id: the terms of its title (in ``language``) that few titles use."""
    titles = {step_id: set(terms(step.title.get(language))) for step_id, step in steps.items()}
    generic = generic_terms()
    used: Counter[str] = Counter(t for found in titles.values() for t in found)
    return {
        step_id: frozenset(
            t
            for t in found
            if used[t] <= MAX_TITLES_SHARING and t not in generic and len(t) >= MIN_TERM_LETTERS
        )
        for step_id, found in titles.items()
    }


def later_step_named(
    text: str,
    step_ids: Sequence[str],
    current: int,
    own_terms: Mapping[str, Sequence[frozenset[str]]],
) -> int | None:
    """The index of the first step after ``current`` whose own title terms in one of its
    languages ``text`` names, at least half of them; None when none is named."""
    said = set(terms(text))
    for index in range(current + 1, len(step_ids)):
        for wanted in own_terms.get(step_ids[index], ()):
            if wanted and 2 * _named(wanted, said) >= len(wanted):
                return index
    return None


def _named(wanted: Iterable[str], said: set[str]) -> int:
    return sum(1 for term in wanted if term in said or any(_same(term, s) for s in said))


def _same(a: str, b: str) -> bool:
    """One word in two spellings: "stromsparing" in "stromsparingsmodu"."""
    short, long = sorted((a, b), key=len)
    return len(short) >= SHARED_PREFIX and long.startswith(short)
