"""Whole conversations through the dialog, in both languages, with a fake classifier."""

from __future__ import annotations

import pytest

from bot.dialog import payloads
from bot.dialog.conversation import (
    HandoffRequest,
    Phase,
    RatingGiven,
    Status,
    StepResult,
    Understood,
)
from tests.unit.dialog.dialog_support import Chat, fixture_knowledge

NB = {
    "not_updating": "innboksen min oppdateres ikke",
    "cannot_send": "jeg får ikke sendt e-post",
    "everyone": "alle kollegene mine har samme feil",
    "question": "hvor mye lagring trenger mail",
    "human": "jeg vil snakke med et menneske",
    "vague": "mailen er rar",
    "nonsense": "skriveren min virker ikke i det hele tatt",
    "worked": "Det fungerte",
    "not_helped": "Hjalp ikke",
    "skip": "Hopp over",
    "back": "Forrige",
    "talk": "Snakk med IT",
    "other": "Noe annet",
    "switch": "Ja, bytt",
    "stay": "Nei, fortsett her",
    "step": "Steg {n} av {total}",
}
EN = {
    "not_updating": "my inbox is not updating",
    "cannot_send": "i cannot send any mail",
    "everyone": "everyone in the office has the same problem",
    "question": "how much storage does mail need",
    "human": "i want to talk to a person",
    "vague": "mail is acting weird",
    "nonsense": "what is the weather like today",
    "worked": "That worked",
    "not_helped": "Didn't help",
    "skip": "Skip",
    "back": "Back",
    "talk": "Talk to IT",
    "other": "Something else",
    "switch": "Yes, switch",
    "stay": "No, stay here",
    "step": "Step {n} of {total}",
}
BOTH = pytest.mark.parametrize(("lang", "w"), [("nb", NB), ("en", EN)], ids=["nb", "en"])


def chat_in(lang: str) -> Chat:
    return Chat(language_hint=lang)


@BOTH
def test_greeting_shows_what_fixbot_helps_with_and_the_menu(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    chat.press(payloads.MENU)
    knowledge = fixture_knowledge()
    assert knowledge.topics["fixture-mail"].title.get(lang) in chat.text
    assert knowledge.text("menu_prompt", lang) in chat.text
    problem_buttons = [payloads.pick(p) for p in knowledge.problems]
    assert chat.payloads == [*problem_buttons, payloads.HUMAN]
    assert chat.last.status is Status.ACTIVE
    assert chat.state.greeted


@BOTH
@pytest.mark.parametrize("problem", ["mail-not-updating", "cannot-send"])
def test_each_problem_to_resolution(lang: str, w: dict[str, str], problem: str) -> None:
    chat = chat_in(lang)
    text = w["not_updating"] if problem == "mail-not-updating" else w["cannot_send"]
    chat.say(text)
    knowledge = fixture_knowledge()
    steps = knowledge.problems[problem].steps
    assert knowledge.problems[problem].understood.get(lang) in chat.text
    assert knowledge.text("checks_header", lang) in chat.text
    assert w["step"].format(n=1, total=len(steps)) in chat.text
    assert chat.labels[:3] == [w["worked"], w["not_helped"], w["skip"]]
    assert w["back"] not in chat.labels  # no "back" on step 1
    assert chat.labels[-1] == w["talk"]
    chat.tap(w["not_helped"])
    assert w["step"].format(n=2, total=len(steps)) in chat.text
    assert w["back"] in chat.labels
    assert chat.effects(StepResult) == [StepResult(problem, steps[0], 1, "not_helped")]
    chat.tap(w["worked"])
    assert chat.effects(StepResult) == [StepResult(problem, steps[1], 2, "worked")]
    assert chat.last.status is Status.RESOLVED
    assert chat.state.phase is Phase.RATING
    # "if nothing changes, stop and escalate" does not belong to a success
    assert knowledge.topics["fixture-mail"].closing.get(lang) not in chat.text
    assert chat.payloads == [payloads.rate(n) for n in range(1, 6)]
    chat.press(payloads.rate(5))
    assert chat.effects(RatingGiven) == [RatingGiven(5)]
    assert knowledge.text("rating_thanks", lang) in chat.text
    assert chat.last.status is Status.RESOLVED


@BOTH
def test_steps_exhausted_hands_off_with_the_whole_story(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    chat.say(w["not_updating"])
    chat.tap(w["not_helped"])
    chat.tap(w["skip"])
    chat.tap(w["not_helped"])
    assert chat.last.status is Status.HANDED_OFF
    assert chat.state.phase is Phase.HANDED_OFF
    knowledge = fixture_knowledge()
    assert knowledge.problems["mail-not-updating"].escalation.get(lang) in chat.text
    assert knowledge.text("handoff", lang) in chat.text
    # "stop and escalate if others are affected" is for everyone-affected only
    assert knowledge.topics["fixture-mail"].closing.get(lang) not in chat.text
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "steps_exhausted"
    assert handoff.problem == "mail-not-updating"
    assert handoff.details["language"] == lang
    assert [(s["step_id"], s["number"], s["outcome"]) for s in handoff.details["steps"]] == [
        ("restart-phone", 1, "not_helped"),
        ("toggle-mail", 2, "skipped"),
        ("reenter-password", 3, "not_helped"),
    ]
    # the summary is for staff: Norwegian whatever the person wrote in
    assert "Innboksen oppdateres ikke" in handoff.summary
    assert "Slå Mail av og på – hoppet over" in handoff.summary
    assert w["not_updating"] in handoff.summary


@BOTH
@pytest.mark.parametrize("when", ["start", "in_flow", "choosing", "switch_offer"])
def test_human_at_any_time(lang: str, w: dict[str, str], when: str) -> None:
    chat = chat_in(lang)
    if when == "in_flow":
        chat.say(w["not_updating"])
    elif when == "choosing":
        chat.say(w["vague"])
    elif when == "switch_offer":
        chat.say(w["not_updating"])
        chat.say(w["cannot_send"])
    chat.say(w["human"])
    if when == "start":  # nothing described yet: one question first (test_case.py)
        assert chat.last.status is Status.ACTIVE
        chat.press(payloads.HUMAN)  # "go straight to IT"
    assert chat.last.status is Status.HANDED_OFF
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "asked"
    # pressing the button works too, and a second request does not make a second case
    chat.press(payloads.HUMAN)
    assert chat.effects(HandoffRequest) == []
    assert fixture_knowledge().text("handoff_already", lang) in chat.text


def test_human_button_mid_flow_records_the_steps_so_far() -> None:
    chat = Chat()
    chat.say(NB["not_updating"])
    chat.tap(NB["not_helped"])
    chat.tap(NB["talk"])
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "asked"
    assert handoff.details["steps"] == [
        {
            "problem": "mail-not-updating",
            "step_id": "restart-phone",
            "number": 1,
            "outcome": "not_helped",
        }
    ]


@BOTH
def test_everyone_affected_goes_straight_to_a_person(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    chat.say(w["everyone"])
    knowledge = fixture_knowledge()
    problem = knowledge.problems["everyone-affected"]
    assert problem.understood.get(lang) in chat.text
    assert problem.escalation.get(lang) in chat.text
    assert knowledge.topics["fixture-mail"].closing.get(lang) in chat.text
    assert knowledge.text("checks_header", lang) not in chat.text
    assert chat.last.status is Status.HANDED_OFF
    [handoff] = chat.effects(HandoffRequest)
    assert (handoff.reason, handoff.problem) == ("everyone_affected", "everyone-affected")


@BOTH
def test_ambiguity_then_pick(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    chat.say(w["vague"])
    knowledge = fixture_knowledge()
    assert knowledge.text("ambiguous", lang) in chat.text
    assert chat.payloads == [
        payloads.pick("mail-not-updating"),
        payloads.pick("cannot-send"),
        payloads.OTHER,
    ]
    assert chat.labels[-1] == w["other"]
    assert chat.state.phase is Phase.CHOOSING
    [understood] = chat.effects(Understood)
    assert understood.decision == "ambiguous"
    chat.tap(knowledge.problems["cannot-send"].title.get(lang))
    assert (
        knowledge.text("understood", lang, title=knowledge.problems["cannot-send"].title.get(lang))
        in chat.text
    )
    assert chat.state.problem == "cannot-send"
    assert w["step"].format(n=1, total=2) in chat.text


@BOTH
def test_ambiguity_then_something_else(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    chat.say(w["vague"])
    chat.tap(w["other"])
    assert fixture_knowledge().text("other_prompt", lang) in chat.text
    assert chat.state.phase is Phase.IDLE
    chat.say(w["cannot_send"])
    assert chat.state.problem == "cannot-send"


@BOTH
def test_none_twice_suggests_a_person_in_the_same_menu(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    knowledge = fixture_knowledge()
    chat.say(w["nonsense"])
    assert knowledge.text("none", lang) in chat.text
    assert chat.payloads[-1] == payloads.HUMAN
    assert payloads.pick("mail-not-updating") in chat.payloads
    [understood] = chat.effects(Understood)
    assert understood.decision == "none"
    chat.say(w["nonsense"])
    assert knowledge.text("none_again", lang) in chat.text
    assert chat.payloads[-1] == payloads.HUMAN  # the same place: numbers do not shift
    assert chat.last.status is Status.ACTIVE
    # understanding something resets the count
    chat.say("hei" if lang == "nb" else "hello")
    chat.say(w["nonsense"])
    assert knowledge.text("none", lang) in chat.text


@BOTH
def test_switching_mid_flow(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    chat.say(w["not_updating"])
    chat.tap(w["not_helped"])
    chat.say(w["cannot_send"])
    knowledge = fixture_knowledge()
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    title = knowledge.problems["cannot-send"].title.get(lang)
    assert knowledge.text("switch_offer", lang, title=title) in chat.text
    assert chat.payloads == [payloads.switch("cannot-send"), payloads.STAY]
    chat.tap(w["switch"])
    assert chat.state.problem == "cannot-send"
    assert chat.state.step_index == 0
    assert knowledge.text("checks_header", lang) not in chat.text  # once per conversation
    assert w["step"].format(n=1, total=2) in chat.text


@BOTH
def test_the_steps_buttons_still_work_while_a_switch_is_offered(
    lang: str, w: dict[str, str]
) -> None:
    chat = chat_in(lang)
    chat.say(w["not_updating"])
    chat.tap(w["not_helped"])
    chat.say(w["cannot_send"])
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    chat.press(payloads.step("no", "mail-not-updating", 2))
    assert chat.state.phase is Phase.IN_FLOW
    assert chat.state.problem == "mail-not-updating"
    assert chat.state.step_index == 2


@BOTH
def test_staying_after_a_switch_offer(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    chat.say(w["not_updating"])
    chat.tap(w["not_helped"])
    chat.say(w["cannot_send"])
    chat.tap(w["stay"])
    assert chat.state.phase is Phase.IN_FLOW
    assert chat.state.problem == "mail-not-updating"
    assert w["step"].format(n=2, total=3) in chat.text


@pytest.mark.parametrize(
    ("answer", "problem"), [("ja", "cannot-send"), ("nei", "mail-not-updating")]
)
def test_switch_offer_answered_in_words(answer: str, problem: str) -> None:
    chat = Chat()
    chat.say(NB["not_updating"])
    chat.say(NB["cannot_send"])
    chat.say(answer)
    assert chat.state.phase is Phase.IN_FLOW
    assert chat.state.problem == problem


@BOTH
def test_question_mid_flow_is_answered_then_the_step_again(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    chat.say(w["not_updating"])
    chat.tap(w["skip"])
    chat.say(w["question"])
    knowledge = fixture_knowledge()
    text = chat.text
    assert knowledge.questions["faq-storage"].answer.get(lang) in text
    assert text.index(knowledge.text("back_to_step", lang)) < text.index(
        w["step"].format(n=2, total=3)
    )
    assert chat.state.step_index == 1
    assert chat.payloads[0] == payloads.step("ok", "mail-not-updating", 2)


@BOTH
def test_question_outside_a_flow_is_answered(lang: str, w: dict[str, str]) -> None:
    chat = chat_in(lang)
    chat.say(w["question"])
    assert fixture_knowledge().questions["faq-storage"].answer.get(lang) in chat.text
    assert chat.state.phase is Phase.IDLE


@pytest.mark.parametrize("word", ["stopp", "avbryt", "cancel", "Stopp!"])
def test_stop_ends_politely(word: str) -> None:
    chat = Chat()
    chat.say(NB["not_updating"])
    chat.say(word)
    assert chat.last.status is Status.ENDED
    assert chat.state.phase is Phase.ENDED
    [understood] = chat.effects(Understood)
    assert (understood.intent, understood.decision) == ("stop", "lexicon")


@pytest.mark.parametrize("word", ["start på nytt", "restart"])
def test_restart_resets_to_the_menu(word: str) -> None:
    chat = Chat()
    chat.say(NB["not_updating"])
    chat.tap(NB["not_helped"])
    chat.say(word)
    assert chat.state.phase is Phase.IDLE
    assert chat.state.problem is None
    assert chat.last.status is Status.ACTIVE
    assert not chat.last.new_conversation
    assert payloads.pick("cannot-send") in chat.payloads
    chat.say(NB["not_updating"])
    assert NB["step"].format(n=1, total=3) in chat.text


def test_restart_button_after_a_finished_conversation_starts_a_new_one() -> None:
    chat = Chat()
    chat.say(NB["everyone"])
    chat.press(payloads.RESTART)
    assert chat.last.new_conversation
    assert chat.state.phase is Phase.IDLE
    assert chat.last.status is Status.ACTIVE
