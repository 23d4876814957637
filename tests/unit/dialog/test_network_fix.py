"""The network fix on a guest network: no reset of every saved network for it."""

from __future__ import annotations

from bot.dialog.conversation import Phase, StepResult
from tests.unit.dialog.test_real_knowledge import real_chat


def test_a_hotel_network_is_not_met_with_a_network_reset() -> None:
    # playtest 26: the flow ended at "Nullstill nettverksinnstillinger" for one hotel's Wi-Fi
    chat = real_chat("nb")
    chat.say("mailen funker når jeg bruker 4G men ikke på hotellets wifi")
    assert chat.state.problem == "network-blocks-mail"
    seen: list[str] = []
    while chat.state.phase is Phase.IN_FLOW:
        seen.append(chat.text)
        chat.tap("Hjalp ikke")
    assert not any("Nullstill nettverksinnstillinger" in text for text in seen)
    assert chat.state.phase is Phase.HANDED_OFF


def test_the_reset_is_passed_over_when_told_at_it_that_only_the_hotel_fails() -> None:
    chat = real_chat("nb")
    chat.say("mailen på iphonen sender ikke på wifi")
    assert chat.state.problem in ("network-blocks-mail", "cannot-send")
    while chat.state.phase is Phase.IN_FLOW and "Nullstill nettverksinnstillinger" not in chat.text:
        chat.tap("Hjalp ikke")
    assert "Nullstill nettverksinnstillinger" in chat.text
    chat.say("må jeg det? det er jo bare hotellet sitt nett som ikke funker")
    results = chat.effects(StepResult)
    assert results and results[-1].outcome == "skipped"


def test_small_mails_going_out_pass_over_the_server_and_password_steps() -> None:
    # playtest 27: the SMTP settings and the password for someone whose small mails go out
    chat = real_chat("nb")
    chat.say("Eg får ikkje sendt e-post med mange bilete frå iPhonen. Små e-postar går fint.")
    assert chat.state.problem == "cannot-send"
    chat.tap("Hjalp ikke")
    assert "hopper vi over" in chat.text
    assert "Steg 4 av 5" in chat.text


def test_small_mails_not_going_out_keep_the_server_step() -> None:
    chat = real_chat("nb")
    chat.say("får ikke sendt noe, ikke engang små mailer går fint")
    chat.tap("Hjalp ikke")
    assert "Steg 2 av 5: Sjekk utgående server (SMTP)" in chat.text


def test_working_on_4g_in_the_network_fix_is_its_premise_not_a_fix() -> None:
    # playtest 27: "på 4g virker det" at the guest network's login step closed the case
    chat = real_chat("nb")
    chat.say("mailen virker ikke på wifi på jobben")
    assert chat.state.problem == "network-blocks-mail"
    while chat.state.phase is Phase.IN_FLOW and "gjestenettet" not in chat.text:
        chat.tap("Hjalp ikke")
    step = chat.state.step_index
    chat.say("på 4g virker det")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == step
    assert not chat.effects(StepResult)
