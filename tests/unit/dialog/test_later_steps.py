"""A question mid-fix about a later step of the same fix (shipped knowledge)."""

from __future__ import annotations

import pytest

from bot.dialog.later_steps import later_step_named, own_title_terms
from bot.knowledge import default_knowledge_dir, load_knowledge

KNOWLEDGE = load_knowledge(default_knowledge_dir())
NB, EN = (own_title_terms(KNOWLEDGE.steps, language) for language in ("nb", "en"))
OWN = {step_id: (NB[step_id], EN[step_id]) for step_id in KNOWLEDGE.steps}
ONLY_WHEN_OPEN = KNOWLEDGE.problems["only-when-open"].steps


def test_a_titles_own_words_are_the_ones_few_titles_share() -> None:
    assert "smtp" in EN["smtp-settings"]
    # "check", "sjekk" open many titles: they name no step
    assert not any("check" in terms or "sjekk" in terms for terms in (*NB.values(), *EN.values()))


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("wait, I think low power mode is on. does that matter?", "low-power-mode"),
        ("strømsparing er på, har det noe å si?", "low-power-mode"),
        ("should I switch to fetch instead?", "fetch-not-push"),
    ],
)
def test_a_later_step_named_in_either_language(text: str, step: str) -> None:
    index = later_step_named(text, ONLY_WHEN_OPEN, 0, OWN)
    assert index is not None and ONLY_WHEN_OPEN[index] == step


@pytest.mark.parametrize("text", ["why do I need to do that?", "er det trygt?"])
def test_a_question_about_this_step_names_no_later_one(text: str) -> None:
    assert later_step_named(text, ONLY_WHEN_OPEN, 0, OWN) is None


def test_a_step_already_passed_is_not_later() -> None:
    last = len(ONLY_WHEN_OPEN) - 1
    assert later_step_named("should I switch to fetch instead?", ONLY_WHEN_OPEN, last, OWN) is None
