"""A reply mid-fix that tells the step changed nothing, on the shipped knowledge."""

from __future__ import annotations

import pytest

from bot.dialog import payloads
from bot.dialog.conversation import Phase, StepResult, Understood
from tests.unit.dialog.test_real_knowledge import at_problem_step, at_step, real_chat


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "skrev inn passordet igjen, ingen endring"),
        ("nb", "slo av og på, fortsatt ingenting"),
        ("nb", "gjort, samme dritten"),
        ("en", "typed the password in again, no difference"),
        ("en", "did the toggle thing. still nothing"),
        ("en", "did it. nope."),
    ],
)
def test_the_step_done_and_no_change_is_not_helped(lang: str, said: str) -> None:
    # conversations set: "Re-entered the password, no change" was offered "keeps asking
    # for the password", "lagt inn passord på nytt, same shit" was asked whether it works
    chat = at_step(lang, 3)
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert (result.step_number, result.outcome) == (3, "not_helped")
    assert chat.state.step_index == 3


@pytest.mark.parametrize(
    ("problem", "number", "lang", "said"),
    [
        ("only-when-open", 1, "nb", "bakgrunnsoppdatering sto på fra før"),
        ("only-when-open", 1, "en", "background app refresh was already on"),
        ("cannot-send", 2, "nb", "sjekket smtp, alt ser riktig ut"),
        ("cannot-send", 2, "en", "smtp settings all look correct"),
    ],
)
def test_the_steps_setting_found_right_is_not_helped(
    problem: str, number: int, lang: str, said: str
) -> None:
    # conversations set: "It's already on for Mail" was a skip, "alle innstillingene ser
    # riktige ut" was given the way to the setting again
    chat = at_problem_step(problem, number, lang)
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert (result.step_number, result.outcome) == (number, "not_helped")


def test_the_problems_fault_going_on_is_not_helped() -> None:
    # conversations set: "lagt inn det nye passordet, men den spør igjen etter noen
    # minutter" was asked whether it works now
    chat = at_problem_step("password-prompt", 1)
    chat.say("la inn passordet på nytt, men etter en stund spør den igjen")
    [result] = chat.effects(StepResult)
    assert (result.step_number, result.outcome) == (1, "not_helped")


def test_no_change_and_another_fault_too_offers_that_fault() -> None:
    chat = at_step("nb", 3)
    chat.say("ingen endring, men nå får jeg ikke sendt e-post heller")
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    assert chat.state.pending_switch == "cannot-send"


@pytest.mark.parametrize(
    ("said", "outcome"),
    [
        ("ingen endring? hva mener du?", None),  # asked
        ("den var på, hopp over", "skipped"),  # a skip asked for
    ],
)
def test_no_change_with_more_is_read_for_the_more(said: str, outcome: str | None) -> None:
    chat = at_step("nb", 3)
    chat.say(said)
    assert [r.outcome for r in chat.effects(StepResult)] == ([outcome] if outcome else [])


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "dette tar alt for lang tid, jeg gir meg. ha det"),
        ("en", "this is going nowhere, I give up. bye"),
    ],
)
def test_giving_up_said_with_a_goodbye_stops_the_fix(lang: str, said: str) -> None:
    # conversations set: "This is taking forever. I'm done, bye." was not understood
    chat = at_step(lang, 1)
    chat.say(said)
    assert chat.state.phase is Phase.ENDED


@pytest.mark.parametrize("said", ["skal prøve senere, ha det", "takk for hjelpen, ha det"])
def test_a_goodbye_without_giving_up_keeps_the_fix(said: str) -> None:
    chat = at_step("nb", 1)
    chat.say(said)
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 0


def test_giving_up_that_also_tells_a_fault_is_a_stop_not_an_aside() -> None:
    # conversations set: "glem det, jeg gidder ikke mer av dette" was told it is about
    # something other than Mail (its "ikke" read as another thing's fault)
    chat = at_step("nb", 1)
    chat.say("nei glem det, jeg orker ikke mer av dette")
    assert chat.state.phase is Phase.ENDED


def test_what_a_word_means_asked_is_no_stop_and_is_recorded_as_a_question() -> None:
    # conversations set: "Hva mener dere med tvinge avslutte?" stopped the fix ("avslutte"
    # is quit); the reading recorded is the one acted on (the review site shows it)
    chat = at_step("nb", 1)
    chat.say("hva mener dere med hente? jeg vil ikke avslutte")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 0
    assert [e.intent for e in chat.effects(Understood)] == ["question"]


@pytest.mark.parametrize(
    ("lang", "said", "problem"),
    [
        (
            "en",
            "Hold on, I see now the real problem is that mail from my boss never arrives, "
            "everything else is fine",
            "one-sender-missing",
        ),
        (
            "nb",
            "Vent, nå ser jeg at det egentlig er mottak som ikke virker. Sending går fint, "
            "men det kommer ingenting nytt inn",
            "mail-not-updating",
        ),
    ],
)
def test_another_problem_told_as_a_correction_is_offered(
    lang: str, said: str, problem: str
) -> None:
    # conversations set: "Vent, nå ser jeg at det egentlig er sending som ikke virker"
    # was not understood (read as sending, less surely than a switch needs); its
    # "ingenting nytt" tells the other fault, not that the step changed nothing
    chat = real_chat(lang)
    chat.press(payloads.pick("cannot-send"))
    chat.press(payloads.step("no", "cannot-send", 1))
    chat.say(said)
    assert not chat.effects(StepResult)
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    assert chat.state.pending_switch == problem


@pytest.mark.parametrize(
    ("problem", "number", "lang", "said"),
    [
        # review: the setting just turned on, a place, another finding after "men"
        ("only-when-open", 1, "nb", "slo den på, den er på nå"),
        ("only-when-open", 1, "en", "turned it on, it's on now"),
        ("mail-not-updating", 3, "nb", "det er på jobbtelefonen jeg har problemet"),
        ("cannot-send", 2, "nb", "serveren ser riktig ut, men brukernavnet mangler"),
        # review: "on" at a step that turns something off is the fault it fixes
        ("only-when-open", 3, "nb", "den var på"),
        # review: the fault's verb in another word, or the writer asking someone
        ("password-prompt", 1, "nb", "nå kommer det masse mail igjen"),
        ("password-prompt", 1, "nb", "jeg spør IT igjen om passordet"),
        ("password-prompt", 1, "en", "i'll ask my boss again for the password"),
        ("password-prompt", 1, "nb", "den spurte ikke igjen"),
        # review: "still no" said of the fault's sign tells it gone
        ("password-prompt", 1, "nb", "fortsatt ingen feilmelding"),
    ],
)
def test_words_of_no_change_that_say_something_else_are_no_didnt_help(
    problem: str, number: int, lang: str, said: str
) -> None:
    chat = at_problem_step(problem, number, lang)
    chat.say(said)
    assert [r.outcome for r in chat.effects(StepResult)] != ["not_helped"]


@pytest.mark.parametrize(
    ("problem", "number", "lang", "said"),
    [
        ("only-when-open", 1, "nb", "den er på for mail"),
        ("only-when-open", 3, "nb", "den var allerede av"),
        ("cannot-send", 2, "nb", "alt ser riktig ut, men mailen sitter fortsatt fast i utboksen"),
        ("password-prompt", 1, "nb", "la inn passordet, men den spør igjen"),
    ],
)
def test_no_change_told_beside_more_is_still_didnt_help(
    problem: str, number: int, lang: str, said: str
) -> None:
    chat = at_problem_step(problem, number, lang)
    chat.say(said)
    assert [r.outcome for r in chat.effects(StepResult)] == ["not_helped"]
