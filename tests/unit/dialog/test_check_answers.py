"""Typed answers to the service check ("Virker e-posttjenesten som den skal?")."""

from __future__ import annotations

import pytest

from bot.dialog.check_answers import status_reported
from bot.dialog.conversation import Phase, StepResult
from tests.unit.dialog.test_real_knowledge import at_step, shipped


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "tror den er oppe, mannen min får mail"),
        ("nb", "kona mi får mail helt fint"),
        ("nb", "jeg sa jo at de andre får mail"),  # playtest 26: the phishing answer
        ("en", "it's up I think, my wife gets email fine"),
    ],
)
def test_the_service_up_with_someone_elses_mail_arriving_is_the_fine_answer(
    lang: str, said: str
) -> None:
    # playtest 26: "mannen min får mail" was offered as "the account may be hacked"
    chat = at_step(lang, 2)
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert (result.step_id, result.outcome) == ("provider-status", "not_helped")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 2


def test_the_service_up_and_another_fault_told_beside_it_is_that_fault() -> None:
    # the clause beside the answer tells a fault: the other problem is offered, not passed
    chat = at_step("nb", 2)
    chat.say("den er oppe, men nå får jeg ikke sendt heller")
    assert not chat.effects(StepResult)
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    assert chat.state.pending_switch == "cannot-send"


@pytest.mark.parametrize(
    ("lang", "said"), [("nb", "nå kom mailene inn"), ("en", "the emails just came in")]
)
def test_the_mail_arriving_at_the_check_is_the_fault_gone(lang: str, said: str) -> None:
    # playtest 26: read as the check's "fine", and the next step shown
    chat = at_step(lang, 2)
    chat.say(said)
    assert chat.state.phase is Phase.RATING


def test_all_looking_fine_at_the_check_is_its_fine_answer() -> None:
    chat = at_step("nb", 2)
    chat.say("alt ser fint ut")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 2


def test_down_as_a_place_beside_others_getting_mail_is_no_outage() -> None:
    # review: "nede i kantina" handed off as an outage
    chat = at_step("nb", 2)
    chat.say("jeg var nede i kantina og spurte, de andre får mail")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 2


@pytest.mark.parametrize(
    ("said", "reported"),
    [
        ("statussiden til Telia viser grønt", "fine"),
        ("Apple system status: all green", "fine"),
        ("the status page says all systems operational", "fine"),
        ("ingen driftsforstyrrelser meldt hos Altibox", "fine"),
        ("no incidents reported on their dashboard", "fine"),
        ("fant ingen driftsmeldinger hos Lyse", "fine"),
        ("det står at det er en pågående driftsforstyrrelse", "fault"),
        ("Google's dashboard shows a service disruption for Gmail", "fault"),
        ("statussiden er rød for Exchange", "fault"),
        ("statussiden er ikke grønn", "fault"),
        ("sjekket driftsmeldingene", None),  # looked: what they say is not told
        ("alt er grønt", None),  # a colour with no status page is no report
        ("ok", None),
        ("status page says all systems go but I still have the problem", None),
        ("Altibox sin statusside har et varsel om problemer med e-post", "fault"),
        ("status.icloud.com er grønn, og Telia melder ikke om noen feil", "fine"),
        ("the status page is all green and they don't report any outage", "fine"),
        ("Microsoft sin statusside sier at alt fungerer", "fine"),
        ("the dashboard shows a yellow warning for Exchange", "fault"),
        # review: an "ok" that opens the reply, a red dot elsewhere, an incident over
        ("ok, skal sjekke statussiden nå", None),
        ("fine, I'll check the status page", None),
        ("det er en rød prikk på Mail-ikonet, men ingen feil på statussiden", "fine"),
        ("det var en driftsforstyrrelse i går, men den er løst nå", "fine"),
        ("incident resolved according to the status page", "fine"),
        ("all green apart from a planned outage tonight", "fine"),
        ("driftsmeldinger: ingen kjente feil", "fine"),
        ("status siden sier ikke noe om feil", "fine"),
        ("driftsstatus: ingen avvik", "fine"),
        # conversations set 2: the page in one clause, its report after ", og"
        ("Eg las driftsmeldingane til Telia, og dei melder ikkje om noko feil", "fine"),
        # review: Nynorsk "no" before a verb is "nå", no denial
        ("no er alt grønt på statussida", "fine"),
        ("no e det raudt på statussida", "fault"),
    ],
)
def test_what_a_status_page_reports(said: str, reported: str | None) -> None:
    assert status_reported(said) == reported


@pytest.mark.parametrize(
    ("lang", "said", "phase", "step_index"),
    [
        ("nb", "Telia sin statusside viser grønt", Phase.IN_FLOW, 2),
        ("en", "the status page says everything is operational", Phase.IN_FLOW, 2),
        (
            "en",
            "Microsoft's service health shows an incident for Exchange Online",
            Phase.HANDED_OFF,
            1,
        ),
        ("nb", "det er meldt driftsforstyrrelser hos Get i dag", Phase.HANDED_OFF, 1),
    ],
)
def test_a_status_page_reported_at_the_service_check_answers_it(
    lang: str, said: str, phase: Phase, step_index: int
) -> None:
    # conversations set: "Status er grønn hos leverandøren" offered "others have it too",
    # "service health says there's an ongoing incident" was asked where to look
    chat = at_step(lang, 2)
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert result.step_id == "provider-status"
    assert (chat.state.phase, chat.state.step_index) == (phase, step_index)


def test_asking_how_to_check_gets_the_check_again() -> None:
    # conversations set: "korleis sjekke eg om den e nede?" was not understood
    knowledge = shipped()[0]
    chat = at_step("nb", 2)
    chat.say("hvordan finner jeg ut om den er nede da?")
    assert not chat.effects(StepResult)
    assert knowledge.steps["provider-status"].text.nb in chat.text
    assert knowledge.text("how_to_step", "nb") in chat.text


def test_a_step_back_asked_with_doubt_at_the_check_goes_back() -> None:
    # conversations set: "Kan du gå tilbake eit steg? Eg er usikker ..." was told how to
    # answer the check when unsure
    chat = at_step("nb", 2)
    chat.say("kan vi gå tilbake til forrige steg? er usikker på om jeg gjorde det riktig")
    [result] = chat.effects(StepResult)
    assert result.outcome == "back" and chat.state.step_index == 0


@pytest.mark.parametrize(
    ("said", "phase"),
    [
        # review: doubt beside a move denied or asked about is doubt, not the move
        ("vet ikke om jeg skal hoppe over denne", Phase.IN_FLOW),
        ("not sure, but I don't want to skip it", Phase.IN_FLOW),
        ("ikke sikker, men jeg vil ikke gi opp", Phase.IN_FLOW),
        ("vet ikke. hva skjer om jeg trykker hopp over?", Phase.IN_FLOW),
        # ... and a request for a person asked as a question is one
        ("not sure, can I talk to someone", Phase.HANDED_OFF),
    ],
)
def test_doubt_at_the_check_beside_a_move(said: str, phase: Phase) -> None:
    chat = at_step("en" if said.isascii() and " I " in f" {said} " else "nb", 2)
    chat.say(said)
    assert chat.state.phase is phase
    if phase is Phase.IN_FLOW:
        assert chat.state.step_index == 1 and not chat.effects(StepResult)


@pytest.mark.parametrize("said", ["status er grønn, men kollegaen min har samme problem"])
def test_others_having_it_beside_a_green_status_is_no_fine_answer(said: str) -> None:
    # review: the status report passed the check; others having it too is an outage
    chat = at_step("nb", 2)
    chat.say(said)
    assert chat.state.phase is not Phase.IN_FLOW or chat.state.step_index != 2


def test_a_how_question_about_whether_it_helps_gets_the_why() -> None:
    # review: "hvordan skal dette hjelpe?" got the instructions again
    knowledge = shipped()[0]
    chat = at_step("nb", 3)
    chat.say("hvordan skal dette hjelpe?")
    assert knowledge.steps["toggle-mail"].why.nb.strip() in chat.text
