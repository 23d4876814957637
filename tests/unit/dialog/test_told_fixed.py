"""A fix told in the problem's words mid-fix, on the shipped knowledge."""

from __future__ import annotations

import pytest

from bot.dialog.conversation import Phase
from tests.unit.dialog.test_real_knowledge import at_problem_step, real_chat


@pytest.mark.parametrize(
    "reply",
    [
        "nå gikk mailen ut!",
        "kollegaen min har fått mailen nå",
        "sendte en test til meg selv, og den kom fram",
        "feilmeldingen er borte",
    ],
)
def test_the_mail_gone_out_at_a_sending_fix_is_the_fix(reply: str) -> None:
    chat = real_chat("nb")
    chat.say("jeg får ikke sendt e-post fra iPhonen")
    assert chat.state.problem == "cannot-send"
    chat.tap("Hjalp ikke")
    chat.say(reply)
    assert chat.state.phase is Phase.RATING
    assert "steg 2" in chat.text.casefold()  # credited to the step it was told at


def test_the_colleague_got_the_email_in_english() -> None:
    chat = real_chat("en")
    chat.say("I can't send email from my iPhone")
    chat.say("ok the outbox is empty now and my colleague got the email")
    assert chat.state.phase is Phase.RATING


def test_someone_else_getting_mail_is_no_fix_of_my_inbox() -> None:
    # at a problem of receiving, a colleague's mail arriving is not the writer's
    chat = real_chat("nb")
    chat.say("innboksen på iPhonen oppdateres ikke")
    assert chat.state.problem == "mail-not-updating"
    chat.say("kollegaen min fikk mailen")
    assert chat.state.phase is not Phase.RATING


def test_the_fault_still_told_beside_no_error_is_no_fix() -> None:
    chat = real_chat("nb")
    chat.say("jeg får ikke sendt e-post fra iPhonen")
    chat.say("ingen feilmelding, men mailen går fortsatt ikke")
    assert chat.state.phase is Phase.IN_FLOW
    assert chat.state.step_index == 1


def test_a_question_about_the_mail_arriving_is_no_fix() -> None:
    chat = real_chat("en")
    chat.say("I can't send email from my iPhone")
    chat.say("how do I know if it went through?")
    assert chat.state.phase is not Phase.RATING


def test_the_password_prompt_not_seen_for_a_while_is_the_fix() -> None:
    # playtest 26: handed to IT as "all steps tried", the step that fixed it "didn't help"
    chat = real_chat("nb")
    chat.say("iphonen spør om passordet til mailen hele tiden")
    assert chat.state.problem == "password-prompt"
    chat.say("ok la inn passordet på nytt. no har den ikkje spurt på ein halvtime")
    assert chat.state.phase is Phase.RATING


def test_a_step_asking_for_a_prompt_that_did_not_come_is_no_fix() -> None:
    # "spør" is the password prompt's fault, not the fault of a mailbox that fails
    chat = real_chat("nb")
    chat.say("innboksen på iPhonen oppdateres ikke")
    chat.say("den spør ikke om noe")
    assert chat.state.phase is not Phase.RATING


def test_a_fault_after_but_is_the_news() -> None:
    # playtest 26: "the new password in the box that comes up" was heard as the fix
    chat = real_chat("nb")
    chat.say("iphonen spør om passordet til mailen hele tiden")
    chat.say(
        "e har skreve inn det nye passordet i den boksen som kjem opp, men den spor igjen lell"
    )
    assert chat.state.phase is Phase.IN_FLOW
    assert chat.state.step_index == 1


@pytest.mark.parametrize(
    ("reply", "step_after"),
    [
        ("I don't even know what that is, and it's a work phone anyway. next", 2),
        ("orker ikke rote med dette nå – hopp over", 2),
        ("vet ikke hva SMTP betyr. tilbake", 0),
    ],
)
def test_a_closing_step_command_is_what_the_reply_asks_for(reply: str, step_after: int) -> None:
    chat = real_chat("nb")
    chat.say("jeg får ikke sendt e-post fra iPhonen")
    chat.tap("Hjalp ikke")
    chat.say(reply)
    assert chat.state.phase is Phase.IN_FLOW
    assert chat.state.step_index == step_after


def test_a_command_word_inside_a_reply_is_no_closing_command() -> None:
    chat = real_chat("nb")
    chat.say("jeg får ikke sendt e-post fra iPhonen")
    chat.tap("Hjalp ikke")
    chat.say("hva er neste ting jeg skal trykke på i SMTP-menyen?")
    assert chat.state.step_index == 1


@pytest.mark.parametrize(
    "reply", ["sjekket alt, samme feilmelding", "gjorde som du sa, men ingenting skjer"]
)
def test_the_step_done_and_the_fault_the_same_is_not_helped(reply: str) -> None:
    chat = real_chat("nb")
    chat.say("jeg får ikke sendt e-post fra iPhonen")
    chat.tap("Hjalp ikke")
    chat.say(reply)
    assert chat.state.step_index == 2
    assert chat.state.tried[-1][3] == "not_helped"


def test_a_no_to_something_else_then_it_works_is_the_fix() -> None:
    # playtest 27: "what? no, its not hacked. it works now" moved to the next step
    chat = real_chat("en")
    chat.say("I can't send email from my iPhone")
    chat.say("what? no, it's not hacked. it works now")
    assert chat.state.phase is Phase.RATING


@pytest.mark.parametrize(
    ("lang", "reply", "credited"),
    [
        ("en", "IT WORKS. the smtp step fixed it", 2),
        ("nb", "det var utboks-steget som hjalp til slutt", 1),
    ],
)
def test_an_earlier_step_named_as_the_fix_is_credited(lang: str, reply: str, credited: int) -> None:
    # playtest 27: "Step 3 did it", in the reply and in the step figures
    chat = real_chat(lang)
    chat.say("I can't send email from my iPhone" if lang == "en" else "jeg får ikke sendt e-post")
    for _ in range(2):
        chat.tap("Didn't help" if lang == "en" else "Hjalp ikke")
    chat.say(reply)
    assert chat.state.phase is Phase.RATING
    assert (
        f"Step {credited} did it" if lang == "en" else f"steg {credited} som hjalp"
    ) in chat.text


def test_it_worked_with_no_step_named_credits_the_current_step() -> None:
    chat = real_chat("en")
    chat.say("I can't send email from my iPhone")
    chat.tap("Didn't help")
    chat.say("that worked, thanks for the steps")
    assert "Step 2 did it" in chat.text


@pytest.mark.parametrize("reply", ["sorry, blir kalt inn igjen, brb", "må stikke, snakkes senere"])
def test_leaving_said_last_is_later(reply: str) -> None:
    # playtest 27: "Skal vi fortsette der vi var?" to a person on the way out
    chat = real_chat("nb")
    chat.say("jeg får ikke mail på iphonen")
    chat.say(reply)
    assert "Jeg husker at vi er på steg 1" in chat.text


def test_a_fault_verb_stopped_with_now_before_it_is_the_fix() -> None:
    # conversations set 2: "Oppdaterte til iOS 18.2, nå krasjer den ikke og mappene er
    # tilbake" was answered "that's the fault we're working on"
    chat = at_problem_step("mailbox-corrupt", 4, "nb")
    chat.say("oppdaterte iOS, og nå krasjer den ikke")
    assert chat.state.phase is Phase.RATING


def test_the_fault_told_positively_with_now_is_no_fix() -> None:
    # review: "nå kommer varslene bare når jeg åpner appen" is the fault of the problem
    chat = at_problem_step("only-when-open", 3, "nb")
    chat.say("nå kommer varslene bare når jeg åpner appen")
    assert chat.state.phase is not Phase.RATING
