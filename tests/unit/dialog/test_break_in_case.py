"""While a hacked account's urgent case is open: locked out, phone questions, false alarms."""

from __future__ import annotations

import pytest

from bot.dialog.conversation import CaseAddition, Phase
from tests.unit.dialog.dialog_support import Chat
from tests.unit.dialog.test_real_knowledge import real_chat


def _break_in() -> Chat:
    chat = real_chat("nb")
    chat.say("flere kolleger sier de har fått rare mailer fra meg med en lenke")
    assert (chat.state.phase, chat.state.problem) == (Phase.HANDED_OFF, "account-compromised")
    return chat


def test_locked_out_is_told_only_it_gives_the_account_back() -> None:
    # playtest 26: "change your password now", and the password prompt's fix offered
    chat = _break_in()
    chat.say("fikk ikke logget inn nå, den sier passordet er feil. har de byttet passordet?")
    assert chat.effects(CaseAddition)
    assert "låst ute" in chat.text
    assert "gjør det nå" not in chat.text
    assert not chat.labels  # no self-help fix offered during a break-in


def test_turning_off_the_phone_is_told_not_to_stop_a_break_in() -> None:
    # playtest 26: "Ikke alltid. Ofte holder det å slå Mail av og på"
    chat = _break_in()
    chat.say("skal jeg slette mailkontoen fra iphonen så det stopper?")
    assert "serveren" in chat.text
    assert "Slett konto" not in chat.text


def test_the_sign_in_was_mine_takes_the_urgency_off_and_offers_the_fix() -> None:
    chat = real_chat("nb")
    chat.say(
        "fikk en mail fra google om kritisk sikkerhetsvarsel, noen har logget inn på kontoen "
        "min fra en iphone. er jeg hacket?"
    )
    assert chat.state.problem == "account-compromised"  # the alarm, as someone signed in
    chat.say("der stod det iPhone, Bergen, i dag. det var jo meg som la den inn")
    assert chat.state.mistake_noted
    assert "ikke hacket" in chat.text
    assert "Google ber meg bekrefte" in chat.labels


def test_it_was_not_me_keeps_the_alarm() -> None:
    chat = _break_in()
    chat.say("det var ikke meg som sendte dem")
    assert not chat.state.mistake_noted


@pytest.mark.parametrize(
    "said",
    [
        "var det meg som ble hacket eller kollegaen?",  # asked
        "the email looked like it was me, but I never sent it",
        "det var meg som meldte saken til dere i går",
    ],
)
def test_it_was_me_asked_or_of_something_else_keeps_the_alarm(said: str) -> None:
    # review: "your account isn't hacked, IT knows it isn't urgent" to these
    chat = _break_in()
    chat.say(said)
    assert not chat.state.mistake_noted


@pytest.mark.parametrize(
    "said",
    ["passordet er endret nå, som dere sa", "det kommer ikke inn nye mailer"],
)
def test_no_lockout_read_into_a_changed_password_or_missing_mail(said: str) -> None:
    chat = _break_in()
    chat.say(said)
    assert "låst ute" not in chat.text
