"""While IT has the case: what the person adds, and what they change their mind about."""

from __future__ import annotations

from bot.dialog.conversation import Phase
from tests.unit.dialog.test_real_knowledge import real_chat


def test_no_call_wanted_is_not_noted_as_a_call_and_the_steps_are_offered() -> None:
    # playtest 27: "dere trenger ikke ringe meg likevel" got "I've noted you want a call"
    chat = real_chat("nb")
    chat.say("snakk med IT")
    chat.say("mailen kommer ikke inn på iphonen")
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say("jeg kan heller prøve selv først, dere trenger ikke ringe meg likevel")
    assert "ringt" not in chat.text
    assert "Innboksen oppdateres ikke" in chat.labels


def test_a_request_for_a_person_that_tells_the_problem_hands_it_over_named() -> None:
    # playtest 27: "Hva gjelder det?" with the whole menu, though the problem was told
    chat = real_chat("nb")
    chat.say("kan jeg få snakke med et menneske? mailen på iphone sender ikke")
    assert (chat.state.phase, chat.state.problem) == (Phase.HANDED_OFF, "cannot-send")
    assert "Hva gjelder det?" not in chat.text


def test_a_bare_request_for_a_person_still_asks_what_it_is_about() -> None:
    chat = real_chat("nb")
    chat.say("kan jeg få snakke med et menneske?")
    assert chat.state.phase is not Phase.HANDED_OFF
