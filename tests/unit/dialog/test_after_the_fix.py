"""After a fix worked and was rated: what reopens it, and what does not."""

from __future__ import annotations

from bot.dialog.conversation import Phase
from tests.unit.dialog.dialog_support import Chat
from tests.unit.dialog.test_real_knowledge import real_chat


def _rated_send_fix() -> Chat:
    chat = real_chat("nb")
    chat.say("jeg får ikke sendt mail fra iphonen, den står i utboksen")
    chat.tap("Det fungerte")
    chat.tap("3 ★")
    assert chat.state.rated
    return chat


def test_a_remark_asked_as_a_question_does_not_reopen_the_fix() -> None:
    # playtest 26: "Å nei, da prøver vi neste steg", and the SMTP step credited later
    chat = _rated_send_fix()
    chat.say("men kunne du ikke bare sagt at videoen ikke blir borte fra bildene?")
    assert chat.state.phase is Phase.RATING
    assert "steg 2" not in chat.text.casefold()


def test_the_fault_back_asked_as_a_question_reopens_it() -> None:
    chat = _rated_send_fix()
    chat.say("hvorfor sender den ikke igjen nå?")
    assert chat.state.phase is Phase.IN_FLOW
    assert chat.state.step_index == 1


def test_feedback_that_names_a_hack_the_bot_thought_of_is_no_alarm() -> None:
    # playtest 27: an urgent hacked-account case, and "call your bank at once"
    chat = real_chat("en")
    chat.say("I can't send email from my iPhone")
    chat.tap("That worked")
    chat.tap("3 ★")
    chat.say("feedback: the bot thought my account was hacked when I said it worked")
    assert chat.state.phase is Phase.RATING
    assert "urgent" not in chat.text.casefold()


def test_broken_again_asked_as_a_question_reopens_it() -> None:
    # review: "hvorfor funker det ikke igjen?" was told it is about something else
    chat = _rated_send_fix()
    chat.say("hvorfor funker det ikke igjen?")
    assert chat.state.phase is Phase.IN_FLOW


def test_a_question_naming_a_word_of_the_steps_after_a_fix_is_explained() -> None:
    # playtest 27: the introduction and step 1 of the fix again
    chat = real_chat("en")
    chat.say("mail only arrives when I open the app")
    chat.tap("That worked")
    chat.tap("4 ★")
    chat.say("one thing: if i turn low power mode back on tonight will mail stop again?")
    assert "**Low Power Mode**" in chat.text
    assert chat.state.phase is Phase.RATING
