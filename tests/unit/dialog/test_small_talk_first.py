"""Small talk as a first message: answered in kind, then what fixbot does."""

from __future__ import annotations

import pytest

from bot.dialog.conversation import Phase
from tests.unit.dialog.test_real_knowledge import real_chat


@pytest.mark.parametrize(
    ("lang", "said", "reply"),
    [
        ("nb", "heisann! hvordan går det med deg i dag?", "Takk, bare bra!"),
        ("nb", "hei, åssen går det?", "Takk, bare bra!"),
        ("en", "hi, how are you doing?", "Thanks, all good here!"),
    ],
)
def test_how_are_you_is_answered_and_the_menu_follows(lang: str, said: str, reply: str) -> None:
    # playtest 26: "about something other than Mail on iPhone, tap Talk to IT"
    chat = real_chat(lang)
    chat.say(said)
    assert chat.text.startswith(reply)
    assert chat.state.phase is Phase.IDLE and chat.state.greeted
    assert len(chat.labels) > 3  # the problems to pick from
    chat.say("mailen på iPhonen oppdateres ikke" if lang == "nb" else "my iPhone mail won't update")
    assert chat.state.problem == "mail-not-updating"
    assert "Takk, bare bra" not in chat.text


def test_how_it_goes_with_the_mail_is_no_small_talk() -> None:
    chat = real_chat("nb")
    chat.say("hvordan går det an å få mailen til å oppdatere seg på iphonen?")
    assert "Takk, bare bra" not in chat.text


@pytest.mark.parametrize("unsure", ["vet ikke", "aner ikke egentlig"])
def test_not_knowing_which_gets_the_choices_in_plain_words(unsure: str) -> None:
    # playtest 27: "I can only help with Mail on iPhone" and all thirteen problems
    chat = real_chat("nb")
    chat.say("mailen funker ikke")
    asked = chat.labels
    chat.say(unsure)
    assert chat.state.phase is Phase.CHOOSING
    assert chat.labels == asked
    assert "Kommer det ikke ny e-post inn?" in chat.text
