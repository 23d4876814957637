"""An outage case, and the person finding out it is only them after all."""

from __future__ import annotations

import pytest

from bot.dialog.conversation import CaseAddition, Phase, Understood
from tests.unit.dialog.dialog_support import Chat
from tests.unit.dialog.test_real_knowledge import real_chat

OUTAGE = "ingen her på kontoret får mail på mobilen siden lunsj, alle har samme problem"


def _outage_case() -> Chat:
    chat = real_chat("nb")
    chat.say(OUTAGE)
    assert (chat.state.phase, chat.state.problem) == (Phase.HANDED_OFF, "everyone-affected")
    return chat


@pytest.mark.parametrize(
    "news",
    [
        "jeg spurte rundt, og det er faktisk bare meg",
        "kollegaene mine får mail helt fint likevel",
    ],
)
def test_only_me_after_all_lifts_the_outage_and_offers_the_fixes(news: str) -> None:
    # playtest 26: the outage status, word for word, to every message after it
    chat = _outage_case()
    chat.say(news)
    assert chat.effects(CaseAddition) == [CaseAddition(news)]
    assert "driftsstans" in chat.text
    assert "Innboksen oppdateres ikke" in chat.labels
    chat.say("jeg får ikke nye mailer på iphonen")
    assert "leverandøren har rettet" not in chat.text  # no outage status any more
    assert "Innboksen oppdateres ikke" in chat.labels


def test_others_having_it_too_keeps_the_outage() -> None:
    chat = _outage_case()
    chat.say("nå har de på kontoret ved siden av det samme")
    assert not any(e.intent == "only_me" for e in chat.effects(Understood))
    assert "leverandøren har rettet" in chat.text


def test_a_question_whether_it_is_only_me_is_no_news() -> None:
    chat = _outage_case()
    chat.say("er det bare meg?")
    assert not any(e.intent == "only_me" for e in chat.effects(Understood))


@pytest.mark.parametrize(
    "news",
    [
        "de andre får mail igjen nå, og jeg også",  # the outage ending for all
        "bare meg og to andre på teamet mitt",  # still many
        "ring bare meg hvis dere trenger noe",  # a call
        "the others get email on their laptops but none of us on our phones",
    ],
)
def test_not_only_me_keeps_the_outage(news: str) -> None:
    # review: "only you, not an outage" noted for IT
    chat = _outage_case()
    chat.say(news)
    assert not any(e.intent == "only_me" for e in chat.effects(Understood))
