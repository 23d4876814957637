"""A tiny scripted dialog for store and service tests, so they do not depend on wording.

Each turn counts itself in ``DialogState.misses`` and answers "turn N", so a
lost or doubled event shows in the replies. Words drive it: "fix <problem>"
starts a flow, "no"/"ok" step through it, "human" hands off, "rate N" rates,
"english" chooses English, "boom" raises (a bug mid-request), "stop" ends.
"""

from __future__ import annotations

from typing import Any

from bot.dialog.conversation import (
    DialogState,
    HandoffRequest,
    LanguageChosen,
    Phase,
    RatingGiven,
    Status,
    StepResult,
    Transition,
    Turn,
    Understood,
)
from bot.events import Button, Reply

FINISHED = (Phase.RATING, Phase.HANDED_OFF, Phase.ENDED)


def advance(
    state: DialogState, turn: Turn, knowledge: Any, classifier: Any, settings: Any
) -> Transition:
    """The fake dialog's answer to ``turn``."""
    word = (turn.text or turn.payload or "").strip()
    new_conversation = state.phase in FINISHED and not word.startswith("rate")
    if new_conversation:
        state = DialogState(language=state.language)
    count = state.misses + 1
    state = state.evolve(misses=count, greeted=True)
    effects: list[Any] = []
    status = Status.ACTIVE
    if word == "boom":
        raise RuntimeError("a bug in the dialog")
    if word.startswith("fix "):
        problem = word[4:]
        state = state.evolve(phase=Phase.IN_FLOW, problem=problem, step_index=0)
        effects.append(Understood(problem, 0.9, "match", state.language))
    elif word == "no" and state.problem:
        effects.append(
            StepResult(
                state.problem, f"s{state.step_index + 1}", state.step_index + 1, "not_helped"
            )
        )
        state = state.evolve(step_index=state.step_index + 1)
    elif word == "ok" and state.problem:
        effects.append(
            StepResult(state.problem, f"s{state.step_index + 1}", state.step_index + 1, "worked")
        )
        state = state.evolve(phase=Phase.RATING)
        status = Status.RESOLVED
    elif word.startswith("rate"):
        effects.append(RatingGiven(int(word.split()[1])))
        state = state.evolve(phase=Phase.ENDED)
        status = Status.RESOLVED
    elif word == "human":
        effects.append(HandoffRequest("asked", state.problem, "summary", {"steps": []}))
        state = state.evolve(phase=Phase.HANDED_OFF)
        status = Status.HANDED_OFF
    elif word == "english":
        effects.append(LanguageChosen("en"))
        state = state.evolve(language="en")
    elif word == "stop":
        state = state.evolve(phase=Phase.ENDED)
        status = Status.ENDED
    elif state.phase is Phase.IN_FLOW:
        pass
    else:
        effects.append(Understood("none", 0.1, "none", state.language))
    reply = Reply(f"turn {count}: {word}", (Button("OK", "ok"), Button("No", "no")))
    return Transition(state, (reply,), status, tuple(effects), new_conversation)


class NoClassifier:
    """The fake dialog never classifies."""

    def read_reply(self, text: str, *, rating: bool = False) -> None:
        return None  # only the real matcher reads replies; fakes leave it to the lexicon

    def classify(
        self, text: str, prior_language: str | None = None
    ) -> Any:  # pragma: no cover - never called
        raise AssertionError("the fake dialog does not classify")
