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
