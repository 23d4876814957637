"""A request for a person with nothing described yet: one question first, not an empty case."""

from __future__ import annotations

import pytest

from bot.dialog import payloads
from bot.dialog.conversation import HandoffRequest, Phase, Status, StepResult
from tests.unit.dialog.dialog_support import Chat, fixture_knowledge

UI = fixture_knowledge()
ASK = {"nb": "jeg vil snakke med et menneske", "en": "i want to talk to a person"}
DIRECT = {"nb": "Gå rett til IT", "en": "Go straight to IT"}
BOTH = pytest.mark.parametrize("lang", ["nb", "en"])


def asked(lang: str = "nb") -> Chat:
    chat = Chat(language_hint=lang)
    chat.say(ASK[lang])
    return chat


@BOTH
def test_the_question_comes_first_with_the_problems_and_a_way_straight_to_it(lang: str) -> None:
    chat = asked(lang)
    assert chat.effects(HandoffRequest) == []
    assert chat.last.status is Status.ACTIVE
    assert UI.text("human_ask_problem", lang) in chat.text
    problems = [payloads.pick(problem_id) for problem_id in UI.problems]
    assert chat.payloads == [*problems, payloads.HUMAN]
    assert chat.labels[-1] == DIRECT[lang]


def test_a_typed_problem_goes_to_it_as_promised_with_its_fix_offered() -> None:
    chat = asked()
    chat.say("jeg får ikke sendt e-post")
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "asked" and handoff.problem == "cannot-send"
    assert handoff.details["first_text"] == "jeg får ikke sendt e-post"
    assert chat.last.status is Status.HANDED_OFF
    assert chat.payloads == [payloads.pick("cannot-send")]
    chat.tap(chat.labels[0])  # the offered fix is a real flow, beside the case
    assert chat.state.phase is Phase.IN_FLOW and chat.state.problem == "cannot-send"
    chat.tap("Hjalp ikke")
    assert chat.effects(StepResult)


def test_a_problem_button_starts_its_flow() -> None:
    chat = asked()
    chat.tap("Innboksen oppdateres ikke")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.problem == "mail-not-updating"
    assert not chat.state.asking_problem


def test_anything_else_goes_to_it_with_those_words_as_the_story() -> None:
    chat = asked()
    chat.say("skriveren min virker ikke i det hele tatt")
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "asked"
    assert handoff.details["first_text"] == "skriveren min virker ikke i det hele tatt"
    assert "skriveren min virker ikke" in handoff.summary
    assert chat.last.status is Status.HANDED_OFF


@BOTH
def test_the_button_goes_straight_to_it(lang: str) -> None:
    chat = asked(lang)
    chat.tap(DIRECT[lang])
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "asked"
    assert chat.last.status is Status.HANDED_OFF
    assert not chat.state.asking_problem


def test_commands_still_work_while_asking_and_help_asks_again() -> None:
    chat = asked()
    chat.say("hjelp")
    assert chat.effects(HandoffRequest) == []
    assert UI.text("human_ask_problem", "nb") in chat.text
    chat.say("stopp")
    assert chat.last.status is Status.ENDED
    assert chat.effects(HandoffRequest) == []


def test_a_described_problem_is_handed_off_at_once() -> None:
    chat = Chat()
    chat.say("skriveren min virker ikke i det hele tatt")  # not understood, but described
    chat.say(ASK["nb"])
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.details["first_text"] == "skriveren min virker ikke i det hele tatt"


def test_after_a_stopped_conversation_the_question_starts_a_new_one() -> None:
    chat = Chat()
    chat.say("stopp")
    chat.say(ASK["nb"])
    assert chat.last.new_conversation
    assert chat.state.asking_problem
    assert chat.effects(HandoffRequest) == []


def test_a_stop_while_asked_leaves_no_question_behind() -> None:
    chat = asked()
    chat.say("stopp")
    chat.say(ASK["nb"])  # a new request after the stop is asked again, not an empty case
    assert chat.effects(HandoffRequest) == []
    assert UI.text("human_ask_problem", "nb") in chat.text
