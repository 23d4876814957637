"""The dialog when the world moves under it: menus mid-flow, typed ratings, changed knowledge."""

from __future__ import annotations

import pytest

from bot.dialog import payloads
from bot.dialog.conversation import DialogState, HandoffRequest, Phase, RatingGiven, StepResult
from tests.unit.dialog.dialog_support import Chat, FakeClassifier, fixture_knowledge, match

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


def test_ok_while_a_step_is_shown_is_not_it_worked() -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.say("ok")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 0
    assert chat.effects(StepResult) == []
    assert fixture_knowledge().text("ack_in_flow", "nb") in chat.text
    assert payloads.step("ok", "mail-not-updating", 1) in chat.payloads


def test_ok_to_a_switch_offer_switches() -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.say("jeg får ikke sendt e-post")
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    chat.say("ok")
    assert chat.state.problem == "cannot-send" and chat.state.phase is Phase.IN_FLOW


@pytest.mark.parametrize("typed", ["det virker ikke likevel", "nei, det virker ikke likevel"])
def test_it_doesnt_work_after_all_reopens_at_the_next_step(typed: str) -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    assert chat.state.phase is Phase.RATING
    chat.say(typed)
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 1
    assert chat.last.status.value == "active"
    assert chat.effects(StepResult) == [
        StepResult("mail-not-updating", "restart-phone", 1, "not_helped")
    ]
    assert fixture_knowledge().text("reopened", "nb") in chat.text


def test_reopening_the_last_step_hands_off() -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.press(payloads.step("no", "mail-not-updating", 1))
    chat.press(payloads.step("no", "mail-not-updating", 2))
    chat.press(payloads.step("ok", "mail-not-updating", 3))
    chat.say("det virker ikke likevel")
    assert chat.state.phase is Phase.HANDED_OFF


@pytest.mark.parametrize("typed", ["nei", "nei takk"])
def test_no_to_the_rating_declines_it_and_the_fix_stays_done(typed: str) -> None:
    # playtest 16: a bare "nei" to "how happy are you?" reopened the solved case
    chat = Chat()
    chat.say(UPDATING)
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    assert chat.state.phase is Phase.RATING
    chat.say(typed)
    assert chat.last.status.value == "resolved"
    assert not chat.effects(StepResult)


def test_a_low_rating_is_offered_a_person() -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    chat.press(payloads.rate(2))
    assert fixture_knowledge().text("rating_low_thanks", "nb") in chat.text
    assert payloads.HUMAN in chat.payloads


def test_a_greeting_after_a_handoff_says_it_has_the_case_and_opens_no_new_one() -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.press(payloads.HUMAN)
    chat.say("hei")
    assert not chat.last.new_conversation
    assert chat.state.phase is Phase.HANDED_OFF
    assert fixture_knowledge().text("handoff_already", "nb") in chat.text


def test_a_weak_match_of_another_problem_mid_flow_is_not_offered_as_a_switch() -> None:
    weak = {
        UPDATING: match("mail-not-updating"),
        "hvor finner jeg den innstillingen": match("cannot-send", "nb", 0.4),
    }
    chat = Chat(classifier=FakeClassifier(weak))
    chat.say(UPDATING)
    chat.say("hvor finner jeg den innstillingen")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.pending_switch is None
    assert payloads.step("ok", "mail-not-updating", 1) in chat.payloads


def test_unclear_text_while_a_switch_is_offered_goes_back_to_the_step() -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.say("jeg får ikke sendt e-post")
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    chat.say("skriveren min virker ikke i det hele tatt")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.problem == "mail-not-updating"
    assert payloads.step("ok", "mail-not-updating", 1) in chat.payloads


def test_a_person_after_a_low_rating_gets_the_case_with_its_story() -> None:
    chat = Chat()
    chat.say(UPDATING)
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    chat.press(payloads.rate(1))
    chat.press(payloads.HUMAN)
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.problem == "mail-not-updating" and handoff.details["steps"]
    assert not chat.last.new_conversation


def test_ok_and_bye_outside_a_flow_get_a_short_answer() -> None:
    chat = Chat()
    chat.say("hvor mye lagring trenger mail")
    chat.say("ok")
    assert chat.text == fixture_knowledge().text("ack_idle", "nb")
    chat.say("ha det")
    assert chat.text == fixture_knowledge().text("bye_reply", "nb")
