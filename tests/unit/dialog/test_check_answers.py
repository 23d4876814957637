"""Typed answers to the service check ("Virker e-posttjenesten som den skal?")."""

from __future__ import annotations

import pytest

from bot.dialog.conversation import Phase, StepResult
from tests.unit.dialog.test_real_knowledge import at_step


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "tror den er oppe, mannen min får mail"),
        ("nb", "kona mi får mail helt fint"),
        ("nb", "jeg sa jo at de andre får mail"),  # playtest 26: the phishing answer
        ("en", "it's up I think, my wife gets email fine"),
    ],
)
def test_the_service_up_with_someone_elses_mail_arriving_is_the_fine_answer(
    lang: str, said: str
) -> None:
    # playtest 26: "mannen min får mail" was offered as "the account may be hacked"
    chat = at_step(lang, 2)
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert (result.step_id, result.outcome) == ("provider-status", "not_helped")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 2


def test_the_service_up_and_another_fault_told_beside_it_is_that_fault() -> None:
    # the clause beside the answer tells a fault: the other problem is offered, not passed
    chat = at_step("nb", 2)
    chat.say("den er oppe, men nå får jeg ikke sendt heller")
    assert not chat.effects(StepResult)
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    assert chat.state.pending_switch == "cannot-send"


@pytest.mark.parametrize(
    ("lang", "said"), [("nb", "nå kom mailene inn"), ("en", "the emails just came in")]
)
def test_the_mail_arriving_at_the_check_is_the_fault_gone(lang: str, said: str) -> None:
    # playtest 26: read as the check's "fine", and the next step shown
    chat = at_step(lang, 2)
    chat.say(said)
    assert chat.state.phase is Phase.RATING


def test_all_looking_fine_at_the_check_is_its_fine_answer() -> None:
    chat = at_step("nb", 2)
    chat.say("alt ser fint ut")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 2


def test_down_as_a_place_beside_others_getting_mail_is_no_outage() -> None:
    # review: "nede i kantina" handed off as an outage
    chat = at_step("nb", 2)
    chat.say("jeg var nede i kantina og spurte, de andre får mail")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 2
