"""The dialog when the world moves under it: menus mid-flow, typed ratings, changed knowledge."""

from __future__ import annotations

import pytest

from bot import payloads
from bot.conversation import DialogState, Phase, RatingGiven, StepResult
from tests.unit.dialog_support import Chat, fixture_knowledge

UPDATING = "innboksen min oppdateres ikke"


def test_menu_mid_flow_shows_the_current_step_not_the_problem_menu() -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.press(payloads.step("no", "mail-not-updating", 1))
    chat.press(payloads.MENU)  # /start in Telegram, a resumed terminal chat
    assert chat.state.phase is Phase.IN_FLOW
    assert chat.state.step_index == 1
    assert fixture_knowledge().text("greeting_in_flow", "nb") in chat.text
    assert payloads.step("ok", "mail-not-updating", 2) in chat.payloads
    assert not any(p.startswith("pick:") for p in chat.payloads)


@pytest.mark.parametrize(("typed", "score"), [("4", 4), ("5/5", 5), ("3 stjerner", 3), ("1.", 1)])
def test_a_typed_rating_counts_like_a_pressed_one(typed: str, score: int) -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    chat.say(typed)
    assert chat.effects(RatingGiven) == [RatingGiven(score)]


def test_a_digit_outside_the_rating_prompt_is_not_a_rating() -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.say("4")
    assert chat.effects(RatingGiven) == []
    assert chat.state.phase is Phase.IN_FLOW


@pytest.mark.parametrize(
    "stale",
    [
        DialogState(phase=Phase.IN_FLOW, problem="a-problem-that-was-removed", step_index=0),
        DialogState(phase=Phase.IN_FLOW, problem="mail-not-updating", step_index=99),
        DialogState(phase=Phase.CHOOSING, candidates=("gone", "mail-not-updating")),
        DialogState(phase=Phase.CONFIRM_SWITCH, problem="mail-not-updating", pending_switch="gone"),
    ],
)
def test_a_state_the_knowledge_no_longer_fits_starts_afresh(stale: DialogState) -> None:
    chat = Chat(state=stale)
    chat.say(UPDATING)
    assert fixture_knowledge().text("knowledge_changed", "nb") in chat.text
    assert chat.state.problem == "mail-not-updating"
    assert chat.state.step_index == 0
    assert chat.effects(StepResult) == []


def test_an_old_step_button_after_a_knowledge_change_is_answered_not_crashed() -> None:
    chat = Chat(state=DialogState(phase=Phase.IN_FLOW, problem="removed", step_index=3))
    chat.press(payloads.step("ok", "removed", 4))
    assert fixture_knowledge().text("knowledge_changed", "nb") in chat.text
    assert chat.state.problem is None
