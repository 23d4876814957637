"""Mid-fix, the person turns out to use another app than Apple's Mail."""

from __future__ import annotations

import pytest

from bot.dialog.conversation import Phase
from tests.unit.dialog.test_real_knowledge import real_chat


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "jeg bruker outlook appen, ikke mail appen. finner ikke postkasser"),
        ("en", "I don't use the Mail app, I use Outlook"),
    ],
)
def test_another_app_is_told_the_steps_are_for_mail(lang: str, said: str) -> None:
    # playtest 26: offered a switch to "new mail only when Mail is open", or the step again
    chat = real_chat(lang)
    chat.say("jeg får ikke sendt e-post fra iPhonen" if lang == "nb" else "I can't send mail")
    chat.say(said)
    assert "Mail-app" in chat.text or "Mail app" in chat.text
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 0


def test_stopping_for_another_app_is_a_stop() -> None:
    chat = real_chat("nb")
    chat.say("jeg får ikke sendt e-post fra iPhonen")
    chat.say("bare glem det, jeg bruker Gmail-appen i stedet")
    assert chat.state.phase is Phase.ENDED


@pytest.mark.parametrize(
    "said",
    [
        "I use the Outlook app on my laptop and it works fine",
        "I don't use the outlook app, only Mail",
        "kollegaen min bruker Outlook-appen og hun får mail",
    ],
)
def test_another_app_elsewhere_or_beside_mail_is_not_told_the_steps_are_for_mail(
    said: str,
) -> None:
    # review: "my steps are for Apple's Mail app" to these
    chat = real_chat("en")
    chat.say("I can't send mail")
    chat.say(said)
    assert "blue envelope" not in chat.text and "blå konvolutten" not in chat.text
