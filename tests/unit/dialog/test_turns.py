"""Single turns of the dialog: free text in a flow, buttons, language, finished conversations."""

from __future__ import annotations

import pytest

from bot.dialog import payloads
from bot.dialog.conversation import (
    CaseAddition,
    DialogState,
    HandoffRequest,
    LanguageChosen,
    Phase,
    RatingGiven,
    Status,
    StepResult,
    Understood,
)
from tests.unit.dialog.dialog_support import Chat, FakeClassifier, fixture_knowledge, match

UPDATING = "innboksen min oppdateres ikke"


def in_flow(step: int = 1, **chat_options: object) -> Chat:
    chat = Chat(**chat_options)  # type: ignore[arg-type]
    chat.say(UPDATING)
    for _ in range(step - 1):
        chat.press(payloads.step("no", "mail-not-updating", chat.state.step_index + 1))
    return chat


# --- free text inside a flow ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("ja", "worked"),
        ("Ja!", "worked"),
        ("det funka!", "worked"),
        ("ja det funka", "worked"),
        ("yes that fixed it", "worked"),
        ("nei", "not_helped"),
        ("virker fortsatt ikke", "not_helped"),
        ("det funka ikke", "not_helped"),
        ("still broken", "not_helped"),
        ("nope", "not_helped"),
        ("hopp over", "skipped"),
        ("skip", "skipped"),
    ],
)
def test_free_text_answers_the_step(text: str, outcome: str) -> None:
    chat = in_flow()
    chat.say(text)
    [result] = chat.effects(StepResult)
    assert result.outcome == outcome
    assert result.step_number == 1
    [understood] = chat.effects(Understood)
    assert understood.decision == "lexicon"


def test_back_goes_to_the_previous_step_by_word_and_button() -> None:
    chat = in_flow(step=3)
    chat.say("tilbake")
    assert chat.state.step_index == 1
    assert chat.effects(StepResult) == [
        StepResult("mail-not-updating", "reenter-password", 3, "back")
    ]
    chat.tap("Forrige")
    assert chat.state.step_index == 0
    assert "Forrige" not in chat.labels


def test_back_on_step_one_shows_step_one_again() -> None:
    chat = in_flow()
    chat.say("forrige")
    assert chat.state.step_index == 0
    assert chat.effects(StepResult) == []
    assert "Steg 1 av 3" in chat.text


def test_unclear_text_in_a_flow_says_so_and_shows_the_step() -> None:
    chat = in_flow(step=2)
    chat.say("skriveren min virker ikke i det hele tatt")
    knowledge = fixture_knowledge()
    assert knowledge.text("none_in_flow", "nb") in chat.text
    # a short reminder of the step with its buttons, not the whole step again
    assert "steg 2 av 3" in chat.text.lower()
    assert knowledge.steps["toggle-mail"].text.get("nb") not in chat.text
    assert payloads.step("ok", "mail-not-updating", 2) in chat.payloads
    assert chat.state.phase is Phase.IN_FLOW
    [understood] = chat.effects(Understood)
    assert understood.decision == "none"


def test_the_same_problem_again_keeps_the_step() -> None:
    chat = in_flow(step=2)
    chat.say(UPDATING)
    assert fixture_knowledge().text("same_problem", "nb") in chat.text
    assert chat.state.step_index == 1


def test_greeting_and_thanks_in_a_flow_keep_the_flow() -> None:
    chat = in_flow(step=2)
    chat.say("hei")
    assert fixture_knowledge().text("greeting_in_flow", "nb") in chat.text
    assert "Steg 2 av 3" in chat.text
    chat.say("takk")
    # thanks mid-step may mean it worked: ask, with the step's buttons
    assert chat.text == fixture_knowledge().text("thanks_in_flow", "nb")
    assert payloads.step("ok", "mail-not-updating", 2) in chat.payloads
    assert chat.state.step_index == 1


def test_help_shows_the_help_and_the_current_step() -> None:
    chat = in_flow()
    chat.say("hjelp")
    assert fixture_knowledge().text("help", "nb") in chat.text
    assert "Steg 1 av 3" in chat.text


def test_yes_outside_a_flow_goes_to_the_classifier() -> None:
    chat = Chat()
    chat.say("ja")
    assert isinstance(chat.classifier, FakeClassifier)
    assert chat.classifier.seen == ["ja"]
    assert chat.effects(StepResult) == []


# --- buttons ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        payloads.step("ok", "mail-not-updating", 1),  # an earlier step
        payloads.step("no", "cannot-send", 2),  # another problem
        payloads.rate(4),  # no rating asked
        payloads.switch("cannot-send"),  # no switch offered
        payloads.STAY,
    ],
)
def test_stale_button_says_so_and_shows_the_current_step(payload: str) -> None:
    chat = in_flow(step=2)
    chat.press(payload)
    assert fixture_knowledge().text("stale_button", "nb") in chat.text
    assert "Steg 2 av 3" in chat.text
    assert chat.state.step_index == 1
    assert chat.effects(StepResult) == []


@pytest.mark.parametrize("payload", ["bogus", "step:ok:x", "rate:9", "lang:de", "", "pick:nope"])
def test_unknown_button_is_answered_kindly(payload: str) -> None:
    chat = in_flow()
    chat.press(payload)
    assert fixture_knowledge().text("unknown_button", "nb") in chat.text
    assert "Steg 1 av 3" in chat.text
    assert chat.last.status is Status.ACTIVE


def test_the_same_step_button_twice_counts_once() -> None:
    chat = in_flow()
    button = payloads.step("no", "mail-not-updating", 1)
    chat.press(button)
    assert len(chat.effects(StepResult)) == 1
    chat.press(button)
    assert chat.effects(StepResult) == []
    assert chat.state.step_index == 1


def test_menu_pick_of_another_problem_mid_flow_switches_at_once() -> None:
    chat = in_flow(step=2)
    chat.press(payloads.pick("cannot-send"))
    assert chat.state.problem == "cannot-send"
    assert "Steg 1 av 2" in chat.text


def test_pick_of_a_question_answers_it() -> None:
    chat = Chat()
    chat.press(payloads.pick("faq-storage"))
    assert fixture_knowledge().questions["faq-storage"].answer.nb in chat.text


# --- rating ------------------------------------------------------------------------


def resolved() -> Chat:
    chat = in_flow()
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    return chat


def test_rating_counts_once() -> None:
    chat = resolved()
    chat.press(payloads.rate(3))
    assert chat.effects(RatingGiven) == [RatingGiven(3)]
    chat.press(payloads.rate(5))
    assert chat.effects(RatingGiven) == []
    assert chat.last.status is Status.RESOLVED


def test_resolution_names_the_step_that_fixed_it() -> None:
    chat = in_flow(step=2)
    chat.say("det fungerte")
    assert fixture_knowledge().text("resolved", "nb", n=2, title="Slå Mail av og på") in chat.text


# --- after a finished conversation ------------------------------------------------


@pytest.mark.parametrize("finish", ["resolved", "rated", "case_closed", "ended"])
def test_a_new_symptom_after_the_end_starts_a_new_conversation(finish: str) -> None:
    chat = resolved()
    if finish == "rated":
        chat.press(payloads.rate(4))
    elif finish == "case_closed":
        chat.press(payloads.HUMAN)
        chat.case_status = "closed"  # IT closed the case: a new problem is a new start
    elif finish == "ended":
        chat.say("stopp")
    chat.say("jeg får ikke sendt e-post")
    assert chat.last.new_conversation
    assert chat.state.problem == "cannot-send"
    assert chat.state.tried == ()
    assert chat.state.first_text == "jeg får ikke sendt e-post"
    # a new conversation shows the before-you-start checks again
    assert fixture_knowledge().text("checks_header", "nb") in chat.text
    assert chat.last.status is Status.ACTIVE


@pytest.mark.parametrize("finish", ["resolved", "ended"])
def test_a_greeting_after_the_end_starts_fresh_and_keeps_the_language(finish: str) -> None:
    chat = Chat(language_hint="en")
    chat.say("my inbox is not updating")
    if finish == "resolved":
        chat.tap("That worked")
    else:
        chat.say("cancel")
        chat.say("hi")  # a fix stopped half-way is offered back first, once
        assert not chat.last.new_conversation
        assert payloads.RESUME in chat.payloads
    chat.say("hi")
    assert chat.last.new_conversation
    assert chat.state.language == "en"
    assert chat.state.phase is Phase.IDLE
    assert "I'm fixbot" in chat.text


def test_chatter_after_handoff_is_added_to_the_case_with_its_status() -> None:
    chat = in_flow()
    chat.press(payloads.HUMAN)
    chat.say("skriveren min virker ikke i det hele tatt")
    assert fixture_knowledge().text("case_added", "nb") in chat.text
    assert fixture_knowledge().text("case_status_open", "nb") in chat.text
    assert not chat.last.new_conversation
    assert chat.last.status is Status.HANDED_OFF
    chat.say("jeg vil snakke med et menneske")
    assert chat.effects(HandoffRequest) == []
    assert chat.last.status is Status.HANDED_OFF


@pytest.mark.parametrize("status", [None, "open", "claimed"])
def test_a_problem_written_while_the_case_is_open_goes_into_it_and_its_fix_is_only_offered(
    status: str | None,
) -> None:
    chat = in_flow()
    chat.press(payloads.HUMAN)
    chat.case_status = status
    chat.say("jeg får ikke sendt e-post")
    assert chat.effects(CaseAddition) == [CaseAddition("jeg får ikke sendt e-post")]
    assert fixture_knowledge().text("case_added", "nb") in chat.text
    assert not chat.last.new_conversation
    assert chat.last.status is Status.HANDED_OFF
    assert chat.state.problem == "mail-not-updating"
    assert payloads.pick("cannot-send") in chat.payloads
    chat.press(payloads.pick("cannot-send"))  # taking the offer starts that fix anew
    assert chat.last.new_conversation
    assert chat.state.problem == "cannot-send" and chat.state.phase is Phase.IN_FLOW


def test_the_case_s_own_problem_or_several_written_after_a_handoff_go_into_the_case() -> None:
    chat = in_flow()
    chat.press(payloads.HUMAN)
    chat.say(UPDATING)  # the case's own problem: added, nothing to offer
    assert chat.effects(CaseAddition) == [CaseAddition(UPDATING)]
    assert not any(p.startswith("pick:") for p in chat.payloads)
    chat.say("mailen er rar")  # several readings: added, the other one offered
    assert chat.effects(CaseAddition) == [CaseAddition("mailen er rar")]
    assert chat.payloads == [payloads.pick("cannot-send")]
    assert chat.last.status is Status.HANDED_OFF and not chat.last.new_conversation


# the model reads a request for a person in praise that ends in thanks (real case below)
PRAISE = {
    UPDATING: match("mail-not-updating"),
    "kjempenyttig hjelp, takk": match("human", "nb", 0.45),
    "takk, men kan noen fra IT ringe meg": match("human", "nb", 0.95),
    "men kan noen fra IT ringe meg": match("human", "nb", 0.95),
}


@pytest.mark.parametrize("rated", [True, False])
def test_praise_with_thanks_after_a_fix_opens_no_case(rated: bool) -> None:
    chat = Chat(classifier=FakeClassifier(PRAISE))
    chat.say(UPDATING)
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    if rated:
        chat.press(payloads.rate(5))
    chat.say("kjempenyttig hjelp, takk")
    assert chat.effects(HandoffRequest) == []
    assert chat.last.status is Status.RESOLVED and not chat.last.new_conversation
    assert fixture_knowledge().text("thanks_reply", "nb") in chat.text


def test_a_request_for_a_person_with_thanks_is_still_a_request() -> None:
    chat = Chat(classifier=FakeClassifier(PRAISE))
    chat.say(UPDATING)
    chat.say("hjelp, takk")  # "takk" is "please" here: the help text
    assert fixture_knowledge().text("help", "nb") in chat.text
    chat.say("takk, men kan noen fra IT ringe meg")
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.problem == "mail-not-updating"


def test_stop_after_resolution_keeps_it_resolved() -> None:
    chat = resolved()
    chat.say("stopp")
    assert chat.last.status is Status.RESOLVED


# --- language ------------------------------------------------------------------------


def test_the_platform_hint_is_the_first_guess() -> None:
    chat = Chat(language_hint="en-GB")
    chat.press(payloads.MENU)
    assert chat.state.language == "en"
    assert "I'm fixbot" in chat.text


def test_writing_in_another_language_switches_without_choosing() -> None:
    chat = Chat(language_hint="en")
    chat.say(UPDATING)
    assert chat.state.language == "nb"
    assert "Steg 1 av 3" in chat.text
    [understood] = chat.effects(Understood)
    assert understood.language == "nb"
    assert chat.effects(LanguageChosen) == []


def test_short_words_do_not_flip_the_language() -> None:
    chat = in_flow(language_hint="nb")
    chat.say("ok")  # exists in both languages' lexicons
    assert chat.state.language == "nb"


def test_english_please_switches_and_is_remembered() -> None:
    chat = in_flow(step=2)
    chat.say("english please")
    assert chat.effects(LanguageChosen) == [LanguageChosen("en")]
    assert chat.state.language == "en"
    text = chat.text
    assert text.startswith(fixture_knowledge().text("language_switched", "en"))
    assert "Step 2 of 3" in text
    assert "That worked" in chat.labels


def test_language_button_switches() -> None:
    chat = Chat(language_hint="en")
    chat.press(payloads.language("nb"))
    assert chat.effects(LanguageChosen) == [LanguageChosen("nb")]
    assert fixture_knowledge().text("language_switched", "nb") in chat.text
    assert chat.state.language == "nb"


def test_a_chosen_language_is_not_switched_by_detection() -> None:
    chat = Chat(language_hint="nb", language_chosen=True, state=DialogState(language="en"))
    chat.say(UPDATING)
    assert chat.state.language == "en"
    assert "Step 1 of 3" in chat.text
    chat.say("på norsk")  # an explicit request still switches
    assert chat.state.language == "nb"


def test_empty_text_shows_where_we_are() -> None:
    chat = in_flow()
    chat.say("   ")
    assert "steg 1 av 3" in chat.text.lower()  # the short reminder, with the buttons
    assert payloads.step("ok", "mail-not-updating", 1) in chat.payloads
    assert chat.effects(Understood) == []


def test_one_english_word_does_not_flip_a_norwegian_flow() -> None:
    chat = in_flow(language_hint="nb")
    chat.say("no")
    assert chat.state.language == "nb"
    assert "Steg 2 av 3" in chat.text


def test_a_short_english_answer_mid_conversation_keeps_the_language() -> None:
    # Norwegians often type "still broken": an answer, not a language choice
    chat = in_flow(language_hint="nb")
    chat.say("still broken")
    assert chat.state.language == "nb"
    assert "Steg 2 av 3" in chat.text


def test_a_one_word_greeting_sets_the_language_of_a_new_conversation() -> None:
    chat = Chat(language_hint="nb")
    chat.say("hello")
    assert chat.state.language == "en"
    assert "I'm fixbot" in chat.text
