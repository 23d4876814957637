"""Conversations typed in words against the shipped knowledge base and the real matcher.

These check that the pieces fit: the real lexicon reads the answers people
type, the real matcher sends their symptoms to the right flow, and every reply
of the shipped knowledge fits the platform limits. Matching quality itself is
measured against shared/eval by the matcher's own tests, not here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest

from bot.dialog import payloads
from bot.dialog.conversation import (
    CaseAddition,
    HandoffRequest,
    LanguageChosen,
    Phase,
    RatingGiven,
    Status,
    StepResult,
    Understood,
)
from bot.knowledge import Knowledge, default_knowledge_dir, load_knowledge
from bot.settings import Settings
from bot.understanding.glossary import Glossary
from bot.understanding.matcher import Matcher
from tests.unit.dialog.dialog_support import Chat


@lru_cache(maxsize=1)
def shipped() -> tuple[Knowledge, Matcher]:
    knowledge = load_knowledge(default_knowledge_dir())
    return knowledge, Matcher.build(knowledge, Settings().matcher)


def real_chat(hint: str | None = None) -> Chat:
    knowledge, matcher = shipped()
    return Chat(classifier=matcher, knowledge=knowledge, language_hint=hint)


def steps_of(problem: str) -> int:
    return len(shipped()[0].problems[problem].steps)


def test_ui_has_every_key_the_core_and_adapters_use() -> None:
    knowledge = shipped()[0]
    for key in ("error_apology", "text_only", "handoff", "greeting", "stale_button"):
        assert knowledge.text(key, "nb") and knowledge.text(key, "en")


def test_norwegian_inbox_to_resolution_by_typing() -> None:
    chat = real_chat("nb")
    chat.say("hei")
    assert "fixbot" in chat.text
    chat.say("innboksen oppdateres ikke på iphonen")
    assert chat.state.problem == "mail-not-updating"
    assert f"Steg 1 av {steps_of('mail-not-updating')}" in chat.text
    chat.say("nei")
    chat.say("virker fortsatt ikke")
    assert chat.state.step_index == 2
    chat.say("hopp over")
    chat.say("hvor mye ledig lagringsplass trenger mail")
    assert shipped()[0].questions["faq-storage"].answer.nb in chat.text
    assert "Steg 4 av" in chat.text
    chat.say("det funka!")
    assert chat.last.status is Status.RESOLVED
    [result] = chat.effects(StepResult)
    assert (result.step_number, result.outcome) == (4, "worked")
    chat.press(payloads.rate(4))
    assert chat.last.status is Status.RESOLVED


def test_english_cannot_send_to_handoff_when_steps_run_out() -> None:
    chat = real_chat("en")
    chat.say("I can't send email from my iPhone")
    assert chat.state.problem == "cannot-send"
    assert chat.state.language == "en"
    for _ in range(steps_of("cannot-send")):
        chat.say("still broken")
    assert chat.last.status is Status.HANDED_OFF
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "steps_exhausted"
    assert len(handoff.details["steps"]) == steps_of("cannot-send")
    assert "I can't send email from my iPhone" in handoff.summary
    chat.say("hello?")
    # a greeting after the handoff is told IT has the case; it opens no second case
    assert not chat.last.new_conversation
    assert chat.last.status is Status.HANDED_OFF
    assert chat.effects(HandoffRequest) == []


def test_everyone_affected_and_asking_for_a_person() -> None:
    chat = real_chat("nb")
    chat.say("alle på kontoret har samme problem med mailen")
    assert chat.last.status is Status.HANDED_OFF
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "everyone_affected"
    other = real_chat("en")
    other.say("my inbox is not updating on my iphone")
    other.say("can I talk to a real person")
    [handoff] = other.effects(HandoffRequest)
    assert (handoff.reason, handoff.problem) == ("asked", "mail-not-updating")


def test_switching_problem_and_language_mid_flow() -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke på iphonen")
    chat.say("google sier at påloggingen ble blokkert")
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    assert chat.state.pending_switch == "gmail-verify"
    chat.say("ja takk")
    assert chat.state.problem == "gmail-verify"
    chat.say("english please")
    assert chat.effects(LanguageChosen) == [LanguageChosen("en")]
    assert f"Step 1 of {steps_of('gmail-verify')}" in chat.text
    chat.say("på norsk")
    assert "Steg 1 av" in chat.text


def test_something_else_twice_offers_a_person_first_each_time() -> None:
    # playtest 14: "about something else" came with the twelve faults of Mail, "Snakk
    # med IT" thirteenth; now a person first and the menu behind one button
    chat = real_chat("nb")
    chat.say("hva er været i morgen")
    first = chat.payloads
    assert first == [payloads.HUMAN, payloads.OTHER]
    chat.say("hva er været i morgen")
    assert chat.payloads == first
    # "Noe annet": the menu, with no second "Hei! Jeg er fixbot"
    chat.press(payloads.OTHER)
    assert shipped()[0].text("menu_prompt", "nb") in chat.text
    assert shipped()[0].text("greeting", "nb") not in chat.text


@pytest.mark.parametrize("problem", sorted(load_knowledge(default_knowledge_dir()).problems))
@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_shipped_flow_fits_the_limits(problem: str, language: str) -> None:
    chat = real_chat(language)
    chat.press(payloads.MENU)
    chat.press(payloads.pick(problem))
    limits = chat.settings.limits
    while chat.state.phase is Phase.IN_FLOW:
        for reply in chat.last.replies:
            assert len(reply.text) <= limits.max_text_chars
            assert all(len(b.label) <= limits.max_button_label_chars for b in reply.buttons)
            assert all(len(b.payload.encode()) <= limits.max_payload_bytes for b in reply.buttons)
        chat.press(payloads.step("no", problem, chat.state.step_index + 1))
    assert chat.last.status is Status.HANDED_OFF


@pytest.mark.parametrize("praise", ["utmerket hjelp, tusen takk", "veldig nyttig hjelp, takk"])
def test_praise_after_a_rated_fix_is_thanked_not_sent_to_it(praise: str) -> None:
    chat = real_chat("nb")
    chat.say("jeg får ikke sendt e-post fra iphonen")
    chat.say("det fungerte")
    chat.press(payloads.rate(5))
    chat.say(praise)
    assert chat.effects(HandoffRequest) == []
    assert chat.last.status is Status.RESOLVED and not chat.last.new_conversation


@pytest.mark.parametrize(
    ("lang", "praise"),
    [("nb", "veldig bra support, takk!"), ("nb", "kjempebra service"), ("en", "great support")],
)
def test_praise_of_the_support_opens_no_case(lang: str, praise: str) -> None:
    # "support" and "service" ask for a person; praised, they ask for nothing
    chat = real_chat(lang)
    chat.say("mail on my iphone does not fetch new messages" if lang == "en" else UPDATING_NB)
    chat.say(praise)
    assert chat.effects(HandoffRequest) == []
    assert chat.last.status is not Status.HANDED_OFF


@pytest.mark.parametrize("request_", ["support takk", "great, can someone from IT call me?"])
def test_a_request_with_a_kind_word_still_reaches_a_person(request_: str) -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say(request_)
    assert chat.effects(HandoffRequest) != []


def at_the_service_check(lang: str) -> Chat:
    """At step 2 of mail-not-updating: the check "is the mail service up?"."""
    chat = real_chat(lang)
    chat.say("mail on my iphone does not fetch new messages" if lang == "en" else UPDATING_NB)
    chat.press(payloads.step("no", "mail-not-updating", 1))
    assert chat.state.step_index == 1
    assert shipped()[0].steps[shipped()[0].problems["mail-not-updating"].steps[1]].check
    return chat


UPDATING_NB = "mailen på iphonen henter ikke nye meldinger"


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_check_step_shows_its_two_answers_not_worked_or_not_helped(lang: str) -> None:
    chat = at_the_service_check(lang)
    knowledge = shipped()[0]
    check = knowledge.steps[knowledge.problems["mail-not-updating"].steps[1]].check
    assert check is not None
    assert check.fine.get(lang) in chat.labels and check.fault.get(lang) in chat.labels
    assert knowledge.text("button_worked", lang) not in chat.labels
    assert knowledge.text("button_not_helped", lang) not in chat.labels


@pytest.mark.parametrize(("lang", "works"), [("nb", "nå virker det!"), ("en", "it works now")])
def test_it_works_said_at_a_check_resolves_without_crediting_the_check(
    lang: str, works: str
) -> None:
    chat = at_the_service_check(lang)
    chat.say(works)
    assert chat.last.status is Status.RESOLVED
    knowledge = shipped()[0]
    assert knowledge.text("resolved_at_check", lang) in chat.text
    assert "2" not in chat.text.split("\n\n")[0]  # no "step 2 did it"
    [result] = chat.effects(StepResult)
    assert (result.step_number, result.outcome) == (2, "not_helped")


@pytest.mark.parametrize(
    ("lang", "answer"),
    [
        ("nb", "ja"),
        ("nb", "hjalp ikke"),
        # the fine button's words, typed; or some of them
        ("nb", "ja tjenesten er oppe"),
        ("nb", "den er oppe"),
        ("en", "yes it's up"),
        ("en", "it's up"),
        # "it works" said of what the check asks about is the answer, not "fixed"
        ("en", "it works for my colleagues"),
        ("nb", "alt ser fint ut"),
        ("en", "looks fine"),
        # a yes that goes on in the check's words, with more said (playtest 4)
        ("nb", "jo tjenesten e oppe, kollegan min får mail"),
        ("en", "service is up, my colleague gets mail fine"),
    ],
)
def test_the_fine_answer_typed_at_a_check_goes_on_to_the_next_step(lang: str, answer: str) -> None:
    chat = at_the_service_check(lang)
    chat.say(answer)
    assert chat.last.status is Status.ACTIVE
    assert chat.state.step_index == 2


@pytest.mark.parametrize(("lang", "answer"), [("nb", "nei, den er nede"), ("en", "it's down")])
def test_the_fault_answer_typed_at_a_check_hands_over(lang: str, answer: str) -> None:
    chat = at_the_service_check(lang)
    chat.say(answer)
    assert chat.last.status is Status.HANDED_OFF
    # the service is down (an outage check): more steps won't help, IT follows it up
    knowledge = shipped()[0]
    assert knowledge.topics["iphone-mail"].closing.get(lang) in chat.text
    assert knowledge.text("handoff_everyone_affected", lang) in chat.text
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "check_fault"


def test_a_check_that_finds_no_outage_hands_over_without_the_outage_advice() -> None:
    knowledge = shipped()[0]
    chat = real_chat("en")
    chat.say("my work email on the iphone is blocked, access denied")
    assert chat.state.problem == "exchange-blocked"
    check = step_at(chat).check
    while check is None:
        chat.tap("Didn't help")
        check = step_at(chat).check
    assert not check.outage
    chat.tap(check.fault.en)
    assert chat.last.status is Status.HANDED_OFF
    assert knowledge.topics["iphone-mail"].closing.en not in chat.text


BLOCKED = {
    "nb": "jobbmailen sier at telefonen er blokkert av administrator",
    "en": "my work email says this device is blocked by the administrator",
}


@pytest.mark.parametrize(("lang", "yes", "no"), [("nb", "ja", "nei"), ("en", "yes", "no")])
def test_yes_and_no_mean_what_the_checks_labels_say(lang: str, yes: str, no: str) -> None:
    # "does IT say the phone is blocked?": yes is the fault here, not "fine"
    blocked = real_chat(lang)
    blocked.say(BLOCKED[lang])
    assert blocked.state.problem == "exchange-blocked" and step_at(blocked).check is not None
    blocked.say(yes)
    assert blocked.last.status is Status.HANDED_OFF
    fine = real_chat(lang)
    fine.say(BLOCKED[lang])
    fine.say(no)
    assert fine.last.status is Status.ACTIVE and fine.state.step_index == 1


def at_step(lang: str, number: int) -> Chat:
    chat = real_chat(lang)
    chat.say("mail on my iphone does not fetch new messages" if lang == "en" else UPDATING_NB)
    for n in range(1, number):
        chat.press(payloads.step("no", "mail-not-updating", n))
    assert chat.state.problem == "mail-not-updating" and chat.state.step_index == number - 1
    return chat


def at_problem_step(problem: str, number: int, lang: str = "nb") -> Chat:
    """A chat with ``problem``'s fix picked and at its step ``number`` (1-based), each
    step before it answered "didn't help"."""
    chat = real_chat(lang)
    chat.press(payloads.pick(problem))
    for n in range(1, number):
        chat.press(payloads.step("no", problem, n))
    return chat


def step_at(chat: Chat) -> Any:
    knowledge = shipped()[0]
    problem = knowledge.problems[chat.state.problem or ""]
    return knowledge.steps[problem.steps[chat.state.step_index]]


@pytest.mark.parametrize(
    ("lang", "question"), [("nb", "hvorfor må jeg gjøre dette?"), ("en", "why should I do this?")]
)
def test_a_question_about_the_step_is_answered_with_its_why_and_no_pretence(
    lang: str, question: str
) -> None:
    chat = at_step(lang, 1)
    chat.say(question)
    knowledge = shipped()[0]
    why = step_at(chat).why.get(lang).strip()
    assert chat.text.startswith(knowledge.text("step_question_why", lang, why=why))
    assert knowledge.text("step_question_more", lang) in chat.text
    # the why, not a later step ("Det kommer vi til i steg ...")
    assert knowledge.text("step_later", lang, n=2, title="")[:15] not in chat.text
    assert payloads.step("ok", "mail-not-updating", 1) in chat.payloads
    cost = step_at(chat).cost
    if cost is not None:  # what the step risks is part of the answer
        assert knowledge.text("step_cost", lang, cost=cost.get(lang)) in chat.text


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_what_a_step_risks_is_told_when_asked_about_it(lang: str) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say("får ikke sendt e-post" if lang == "nb" else "i can't send email")
    step = step_at(chat)
    assert step.cost is not None
    chat.say("sletter det mailene mine?" if lang == "nb" else "will that delete my emails?")
    assert knowledge.text("step_cost", lang, cost=step.cost.get(lang)) in chat.text


@pytest.mark.parametrize(
    ("lang", "asked", "path"),
    [
        ("nb", "hvor finner jeg hent nye data?", "Innstillinger > Mail > Kontoer > Hent nye data"),
        ("en", "where is fetch new data?", "Settings > Mail > Accounts > Fetch New Data"),
    ],
)
def test_where_is_a_setting_another_step_uses_gets_its_path(
    lang: str, asked: str, path: str
) -> None:
    chat = at_step(lang, 1)  # restarting the phone: no menus in this step
    chat.say(asked)
    assert f"`{path}`" in chat.text
    assert shipped()[0].text("cannot_find", lang) not in chat.text
    assert chat.state.step_index == 0
    assert payloads.step("ok", "mail-not-updating", 1) in chat.payloads


def test_cannot_find_at_a_step_without_a_menu_path_claims_no_way_there() -> None:
    chat = at_step("nb", 2)  # the service check: a status page, no setting
    assert "`" not in step_at(chat).text.get("nb")
    chat.say("jeg finner det ikke")
    knowledge = shipped()[0]
    assert knowledge.text("cannot_find", "nb") not in chat.text
    assert knowledge.text("cannot_find_no_path", "nb") in chat.text


@pytest.mark.parametrize(("lang", "asked"), [("nb", "er du en bot?"), ("en", "are you a bot?")])
def test_asking_about_the_bot_mid_step_is_answered_then_the_step_offered(
    lang: str, asked: str
) -> None:
    chat = at_step(lang, 1)
    chat.say(asked)
    knowledge = shipped()[0]
    assert knowledge.lookalikes["about-bot"].answer.get(lang).strip()[:60] in chat.text
    assert knowledge.text("smalltalk_in_flow", lang) not in chat.text
    assert payloads.step("ok", "mail-not-updating", 1) in chat.payloads


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "hele avdelingen mangler e-post på mobilen i dag"),
        ("en", "nobody in our team gets mail on their phones today"),
    ],
)
def test_the_everyone_affected_reply_reads_as_one_outage_message(lang: str, said: str) -> None:
    chat = real_chat(lang)
    chat.say(said)
    assert chat.state.problem == "everyone-affected"
    knowledge = shipped()[0]
    text = chat.text
    assert knowledge.text("handoff_everyone_affected", lang) in text
    # no steps were shown, so none are spoken of; an outage is not "within a working day"
    for stitched in ("disse stegene", "these steps", "arbeidsdag", "working day", "stopp her"):
        assert stitched not in text


def test_a_whole_sentence_in_english_mid_fix_switches_and_short_replies_do_not() -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke på iphonen")
    chat.say("still broken")  # Norwegians answer in English too: no switch
    assert chat.state.language == "nb"
    assert chat.state.step_index == 1
    chat.say("could you please write in English, my manager is reading along")
    assert chat.state.language == "en"
    assert chat.state.step_index == 1  # the same step, now in English
    assert "Step 2 of" in chat.text
    chat.say("kan vi ta resten av dette på norsk igjen?")
    assert chat.state.language == "nb"
    assert "Steg 2 av" in chat.text


def test_a_second_problem_told_in_passing_mid_fix_is_offered() -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke på iphonen")
    chat.say("forresten, nå ser jeg at ingenting blir sendt heller, alt blir liggende i utboksen")
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    assert chat.state.problem == "mail-not-updating"  # offered, not switched unasked


@pytest.mark.parametrize(
    ("lang", "text"),
    [("nb", "skriveren på kontoret skriver ikke ut noe"), ("en", "what is the balance on my card")],
)
def test_something_else_is_told_it_is_something_else(lang: str, text: str) -> None:
    chat = real_chat(lang)
    chat.say(text)
    knowledge = shipped()[0]
    assert knowledge.text("none_outside", lang) in chat.text
    assert knowledge.text("none", lang) not in chat.text


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_gibberish_is_told_it_was_not_understood(lang: str) -> None:
    chat = real_chat(lang)
    chat.say("fjdksla qpwoeiru")
    knowledge = shipped()[0]
    assert knowledge.text("none", lang) in chat.text


@pytest.mark.parametrize(
    ("lang", "wait"),
    [
        ("en", "hold on"),
        ("en", "hang on"),
        ("nb", "vent litt"),
        # not done yet: no answer to "did it help?", and no step marked as failed
        ("nb", "har ikke prøvd enda"),
        ("en", "haven't tried it yet"),
        ("nb", "gi meg et minutt"),
    ],
)
def test_waiting_a_moment_keeps_the_place(lang: str, wait: str) -> None:
    # "hold on" shares its letters with the Norwegian "hold opp" (stop); it means wait
    chat = real_chat(lang)
    chat.say("mail on my iphone does not fetch new messages" if lang == "en" else UPDATING_NB)
    chat.say(wait)
    assert chat.last.status is Status.ACTIVE
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 0
    assert chat.effects(StepResult) == []


def test_hold_opp_still_stops() -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say("hold opp med dette")
    assert chat.last.status is Status.ENDED


@pytest.mark.parametrize(
    ("lang", "story", "question"),
    [
        (
            "nb",
            "tror noen har hacka mailen min, venner får rare lenker fra meg",
            "hva gjør jeg nå?",
        ),
        (
            "en",
            "I think my email got hacked, friends get weird links from me",
            "what do I do now??",
        ),
    ],
)
def test_a_question_after_the_hacked_account_alarm_gets_the_advice_again(
    lang: str, story: str, question: str
) -> None:
    chat = real_chat(lang)
    chat.say(story)
    assert chat.last.status is Status.HANDED_OFF
    chat.say(question)
    knowledge = shipped()[0]
    assert knowledge.text("case_status_urgent", lang) in chat.text
    assert knowledge.text("case_status_open", lang) not in chat.text  # not "in the queue"


@pytest.mark.parametrize(
    ("lang", "said", "lead"),
    [
        ("nb", "skal jeg bytte passord?", "case_added_change_password"),
        ("nb", "skal jeg bytte passord", "case_added_change_password"),  # no mark, still asks
        ("en", "how do I change my password?", "case_added_change_password"),
        ("nb", "har byttet passordet nå", "case_added_password_changed"),
        ("en", "I changed my password", "case_added_password_changed"),
        ("nb", "jeg har ikke byttet passordet ennå", "case_status_urgent"),
    ],
)
def test_password_news_after_the_hacked_account_alarm_is_answered_not_queued(
    lang: str, said: str, lead: str
) -> None:
    chat = real_chat(lang)
    chat.say(
        "tror noen har hacka mailen min, venner får rare lenker fra meg"
        if lang == "nb"
        else "I think my email got hacked, friends get weird links from me"
    )
    chat.say(said)
    assert [e.text for e in chat.effects(CaseAddition)] == [said]  # in the case, always
    knowledge = shipped()[0]
    assert knowledge.text(lead, lang) in chat.text
    assert chat.last.status is Status.HANDED_OFF


@pytest.mark.parametrize(
    ("lang", "question"), [("nb", "sletter dette noe?"), ("en", "is this safe?")]
)
def test_a_question_at_a_step_offers_the_answers_people_want_there(
    lang: str, question: str
) -> None:
    chat = at_step(lang, 7)
    assert step_at(chat).id == "reset-network"
    chat.say(question)
    assert payloads.pick("faq-reset-network") in chat.payloads
    chat.press(payloads.pick("faq-reset-network"))
    knowledge = shipped()[0]
    assert knowledge.questions["faq-reset-network"].answer.get(lang).strip()[:40] in chat.text
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 6


@pytest.mark.parametrize(
    ("lang", "works"),
    [
        ("nb", "glem det, det virker nå"),
        ("en", "it works now, never mind"),
        # playtest 14: "glem det" made it a stop, and the case went on as if nothing changed
        ("nb", "glem det, det løste seg av seg selv"),
    ],
)
def test_it_works_after_a_handoff_is_noted_in_the_case_and_said_so(lang: str, works: str) -> None:
    chat = real_chat(lang)
    chat.say("får ikke sendt mail" if lang == "nb" else "i can't send mail")
    chat.press(payloads.HUMAN)
    assert chat.last.status is Status.HANDED_OFF
    chat.say(works)
    assert [e.text for e in chat.effects(CaseAddition)] == [works]
    knowledge = shipped()[0]
    assert knowledge.text("case_added_works", lang) in chat.text
    assert knowledge.text("case_status_open", lang) not in chat.text


@pytest.mark.parametrize(
    "said",
    [
        "og nå ber den om passord også",
        "kan du fikse det?",
        "nå kommer det ingen mail heller",
        "det funket en stund, men nå sender den ikke igjen",
        "det funket en stund, men nå er den død igjen",
    ],
)
def test_news_after_a_handoff_is_never_taken_for_it_works(said: str) -> None:
    chat = real_chat("nb")
    chat.say("får ikke sendt mail")
    chat.press(payloads.HUMAN)
    chat.say(said)
    knowledge = shipped()[0]
    assert knowledge.text("case_added_works", "nb") not in chat.text
    assert knowledge.text("case_added", "nb") in chat.text
    assert [e.text for e in chat.effects(CaseAddition)] == [said]


def test_no_second_hello_after_something_else_is_chosen() -> None:
    chat = real_chat("nb")
    chat.say("mailen min funker ikke")
    assert chat.state.phase is Phase.CHOOSING
    chat.press(payloads.OTHER)
    chat.say("fjdksla qpwoeiru")
    assert "Hei! Jeg er fixbot" not in chat.text


@pytest.mark.parametrize(("lang", "asked"), [("nb", "hvem er du?"), ("en", "are you a robot?")])
def test_asking_who_fixbot_is_gets_the_introduction_and_what_is_wrong(
    lang: str, asked: str
) -> None:
    chat = real_chat(lang)
    chat.say(asked)
    knowledge = shipped()[0]
    about = knowledge.lookalikes["about-bot"]
    assert about.more is not None
    assert about.answer.get(lang).strip()[:60] in chat.text
    assert about.more.get(lang) in chat.text
    assert knowledge.text("lookalike_more", lang) not in chat.text  # no "want IT to look?"
    assert chat.state.phase is Phase.IDLE


@pytest.mark.parametrize(
    ("lang", "said"), [("nb", "kan du hjelpe meg?"), ("en", "can you help me with this?")]
)
def test_asking_fixbot_for_help_at_a_step_is_help_with_the_step_not_a_person(
    lang: str, said: str
) -> None:
    # playtest 14: "kan du hjelpe meg?" at step 1 handed the case to IT
    chat = at_step(lang, 1)
    chat.say(said)
    assert chat.effects(HandoffRequest) == []
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 0)
    knowledge = shipped()[0]
    again = [knowledge.text(key, lang) for key in ("cannot_find", "cannot_find_no_path")]
    assert any(line in chat.text for line in again)  # the step's instructions again
    assert payloads.step("ok", "mail-not-updating", 1) in chat.payloads


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "er du en ekte person eller en AI?"),
        ("nb", "snakker jeg med et menneske nå?"),
        ("en", "am I talking to a real person?"),
    ],
)
def test_asking_whether_fixbot_is_a_person_at_a_step_is_answered_not_handed_off(
    lang: str, said: str
) -> None:
    chat = at_step(lang, 1)
    chat.say(said)
    assert chat.effects(HandoffRequest) == []
    assert shipped()[0].lookalikes["about-bot"].answer.get(lang).strip()[:40] in chat.text
    assert payloads.step("ok", "mail-not-updating", 1) in chat.payloads


@pytest.mark.parametrize(
    ("lang", "said"),
    [("nb", "kan jeg snakke med et menneske?"), ("en", "can I talk to a real person?")],
)
def test_a_request_for_a_person_at_a_step_is_still_handed_off(lang: str, said: str) -> None:
    chat = at_step(lang, 1)
    chat.say(said)
    assert len(chat.effects(HandoffRequest)) == 1


def test_a_person_asked_for_after_a_question_is_asked_what_it_is_about_first() -> None:
    chat = real_chat("nb")
    chat.say("er du en robot?")
    chat.say("jeg vil snakke med IT")
    assert chat.effects(HandoffRequest) == []
    assert shipped()[0].text("human_ask_problem", "nb") in chat.text


@pytest.mark.parametrize("said", ["æ har restarta, hjalp ikkje", "I restarted, didn't help"])
def test_a_command_word_inflected_is_what_was_done_not_the_command(said: str) -> None:
    # "restarta" is a near spelling of the command "restart"; with "hjalp ikkje" it tells
    # what was done, and the fix that seemed to work goes on
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    assert chat.last.status is Status.RESOLVED
    chat.say(said)
    assert chat.last.status is Status.ACTIVE
    assert chat.state.problem == "mail-not-updating" and chat.state.step_index == 1


@pytest.mark.parametrize(
    ("lang", "text"),
    [("nb", "passordet mitt er [redacted] hvis det hjelper"), ("en", "my password is [redacted]")],
)
def test_a_masked_secret_is_said_to_be_hidden_before_the_answer(lang: str, text: str) -> None:
    # the service masks secrets before the dialog sees the text; the dialog says so
    chat = real_chat(lang)
    chat.say(
        "mailen spør om passord hele tiden" if lang == "nb" else "mail keeps asking for my password"
    )
    chat.say(text)
    assert chat.last.replies[0].text == shipped()[0].text("secret_masked", lang)
    assert chat.state.problem == "password-prompt"


@pytest.mark.parametrize(
    ("lang", "request_", "answer", "problem"),
    [
        (
            "nb",
            "kan jeg snakke med et menneske?",
            "det gjelder mailen på jobbtelefonen, den sender ikke",
            "cannot-send",
        ),
        (
            "en",
            "can I talk to a person?",
            "my mail app on the iphone stopped getting new emails",
            "mail-not-updating",
        ),
    ],
)
def test_the_problem_told_after_asking_for_a_person_reaches_it_with_its_fix_offered(
    lang: str, request_: str, answer: str, problem: str
) -> None:
    chat = real_chat(lang)
    chat.say(request_)
    assert chat.effects(HandoffRequest) == []
    chat.say(answer)
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.problem == problem and handoff.details["first_text"] == answer
    assert chat.last.status is Status.HANDED_OFF
    assert chat.payloads == [payloads.pick(problem)]


def test_thumbs_answer_a_step_as_yes_and_no_would() -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke på iphonen")
    chat.say("👎")  # "did this solve it?" no: the next step
    assert chat.state.step_index == 1
    [result] = chat.effects(StepResult)
    assert result.outcome == "not_helped"
    chat.say("👍🏼")  # "is the service up?" yes: nothing to wait for, the next step
    assert chat.state.step_index == 2
    chat.say("👍")  # "did this solve it?" yes
    assert chat.last.status is Status.RESOLVED


def test_already_done_in_dialect_skips_and_the_same_problem_again_keeps_the_step() -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke på iphonen")
    chat.say("mailen oppdateres ikke")  # told again: the step we are on, said once
    assert chat.state.step_index == 0
    assert chat.text.count("Steg 1 av") + chat.text.count("steg 1 av") == 1
    chat.say("har alt sjekka det")  # "alt": "allerede" in much of the country
    assert chat.state.step_index == 1


@pytest.mark.parametrize("first", ["hei", "/start"])
@pytest.mark.parametrize("text", ["cant send email", "inbox not updating"])
def test_english_after_only_a_greeting_is_answered_in_english(first: str, text: str) -> None:
    chat = real_chat("nb")  # the platform's hint, or the default, said Norwegian
    chat.say(first)
    assert chat.state.language == "nb"
    chat.say(text)
    assert chat.state.language == "en"
    assert "Step 1 of" in chat.text  # the fix, in English


def test_another_language_mid_conversation_is_answered_not_only_switched_to() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("skriveren på kontoret skriver ikke ut")
    assert knowledge.text("none_outside", "nb") in chat.text
    chat.say("Teams on my work PC won't start at all")
    # "that either": a second matter in a row is not told in the same words
    assert knowledge.text("none_outside_again", "en") in chat.text
    assert knowledge.text("language_switched", "en") not in chat.text
    asked = real_chat("nb")
    asked.say("skriveren på kontoret skriver ikke ut")
    asked.say("could you write in English please, my manager is reading along")
    assert knowledge.text("language_switched", "en") in asked.text


def test_start_while_it_has_the_case_shows_the_case_and_keeps_it() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("kan jeg snakke med et menneske?")
    chat.say("mailen min er helt død, ingenting virker")
    assert len(chat.effects(HandoffRequest)) == 1
    chat.press(payloads.MENU)  # /start, or the terminal chat opened again
    assert knowledge.text("handoff_already", "nb") in chat.text
    assert not chat.last.new_conversation
    chat.say("har IT sett på saken min?")
    assert chat.last.status is Status.HANDED_OFF and chat.effects(HandoffRequest) == []


def test_stopped_working_again_after_the_rating_goes_on_to_the_next_step() -> None:
    chat = real_chat("en")
    chat.say("my inbox is not updating on my iphone")
    chat.say("that fixed it")
    chat.press(payloads.rate(5))
    assert chat.last.status is Status.RESOLVED
    chat.say("hi again, it has stopped working again")
    assert chat.last.status is Status.ACTIVE and chat.state.step_index == 1


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_at_a_check_ok_and_a_miss_name_the_checks_own_buttons(lang: str) -> None:
    knowledge = shipped()[0]
    chat = at_the_service_check(lang)
    check = next(
        s.check
        for s in knowledge.steps.values()
        if s.check is not None and s.check.question.get(lang) in chat.text
    )
    labels = {"fine": check.fine.get(lang), "fault": check.fault.get(lang)}
    chat.say("ok")
    assert knowledge.text("ack_in_check", lang, **labels) in chat.text
    assert knowledge.text("ack_in_flow", lang) not in chat.text
    chat.say("banan")
    assert knowledge.text("none_in_check", lang, **labels) in chat.text


def test_starting_over_with_nothing_begun_is_only_the_menu() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("start på nytt")  # typed first, as "/start" in a terminal
    assert knowledge.text("restart", "nb") not in chat.text
    assert knowledge.text("menu_prompt", "nb") in chat.text
    chat.say("innboksen oppdateres ikke på iphonen")
    chat.say("start på nytt")
    assert knowledge.text("restart", "nb") in chat.text


@pytest.mark.parametrize(("lang", "back"), [("nb", "forrige"), ("en", "back")])
def test_back_at_the_first_step_says_there_is_none_before_it(lang: str, back: str) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 1)
    chat.say(back)
    assert chat.state.step_index == 0 and chat.effects(StepResult) == []
    assert knowledge.text("back_at_first", lang) in chat.text


def test_a_statement_that_shares_a_questions_words_is_not_answered_as_it() -> None:
    chat = at_step("nb", 2)
    knowledge = shipped()[0]
    answer = knowledge.questions["faq-reset-network"].answer.get("nb")
    # reads as the reset-network question to the matcher, but asks nothing
    chat.say("nettverket er tilbakestilt men mailen kommer ikke")
    assert answer not in chat.text
    # asked, even without the question mark, it is answered
    chat.say("hva sletter tilbakestilling av nettverket")
    assert answer in chat.text


def test_phishing_that_arrives_gets_its_advice_not_the_urgent_handoff() -> None:
    chat = real_chat("nb")
    knowledge = shipped()[0]
    chat.say("fikk en mail om at kontoen min stenges hvis jeg ikke logger inn, er det svindel?")
    assert knowledge.lookalikes["phishing-received"].answer.get("nb").strip() in chat.text
    assert chat.state.phase is not Phase.HANDED_OFF  # no case, let alone an urgent one
    assert payloads.HUMAN in chat.payloads
    chat.press(payloads.HUMAN)  # the person may still want IT: the case says what it was
    assert chat.state.phase is Phase.HANDED_OFF
    assert chat.state.first_text is not None and "svindel" in chat.state.first_text


def test_a_lookalike_mid_fix_is_answered_and_the_step_follows() -> None:
    chat = at_step("nb", 2)
    knowledge = shipped()[0]
    chat.say("forresten, tror kollegaen min er hacka, hun sendte meg en rar lenke")
    assert knowledge.lookalikes["someone-else-hacked"].answer.get("nb").strip() in chat.text
    assert chat.state.problem == "mail-not-updating" and chat.state.step_index == 1


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("nb", "har IT sett på saken min?"),
        ("nb", "hvor lenge tar det?"),
        ("en", "any update from IT?"),
    ],
)
def test_a_question_about_the_case_gets_its_status_and_adds_nothing(
    lang: str, question: str
) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say("får ikke sendt e-post" if lang == "nb" else "i can't send email")
    chat.press(payloads.HUMAN)
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say(question)
    assert chat.text == knowledge.text("case_status_open", lang)
    assert not any(isinstance(e, CaseAddition) for e in chat.last.effects)
    chat.say("det er jobbkontoen" if lang == "nb" else "it's the work account")
    assert any(isinstance(e, CaseAddition) for e in chat.last.effects)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "oi, trykket feil"),
        ("en", "that was a mistake"),
        # the mistake is the news however much else is said
        ("nb", "oi, trykket feil. kontoen min er ikke hacket, jeg mente at den ber om passord"),
        ("en", "sorry wrong button, my account is fine"),
    ],
)
def test_a_case_sent_by_mistake_is_noted_for_it_to_close(lang: str, said: str) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say("noen har hacket mailen min" if lang == "nb" else "someone hacked my email")
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say(said)
    assert chat.text == knowledge.text("case_added_mistake", lang)
    assert [e.text for e in chat.last.effects if isinstance(e, CaseAddition)] == [said]
    # the case is no longer pressed as urgent ("change the password now"), nor in the queue
    chat.say("har IT sett på saken min?" if lang == "nb" else "any update from IT?")
    assert chat.text == knowledge.text("case_status_withdrawn_plain", lang)


@pytest.mark.parametrize(
    ("lang", "said"), [("nb", "jeg har egentlig et helt annet problem"), ("en", "something else")]
)
def test_another_problem_unnamed_is_asked_about_not_guessed(lang: str, said: str) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 3)
    chat.say(said)
    assert chat.text == knowledge.text("other_problem_ask", lang)
    assert (chat.state.problem, chat.state.step_index) == ("mail-not-updating", 2)
    assert payloads.step("ok", "mail-not-updating", 3) in chat.payloads
    # the description that follows is offered as a switch
    chat.say("mailene mine er borte fra innboksen" if lang == "nb" else "my emails vanished")
    assert payloads.switch("mailbox-corrupt") in chat.payloads


@pytest.mark.parametrize(
    ("lang", "said"),
    [("nb", "dette er helt ubrukelig, jeg har ikke tid til dette!!"), ("en", "this is useless")],
)
def test_frustration_mid_fix_gets_an_apology_and_a_person(lang: str, said: str) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 3)
    chat.say(said)
    assert chat.text == knowledge.text("frustrated_in_flow", lang)
    assert payloads.HUMAN in chat.payloads
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 2
    chat.say("har ikke tid nå" if lang == "nb" else "no time right now")  # no frustration
    assert chat.text.startswith(knowledge.text("later_reply", lang, n=3, total=8)[:10])


@pytest.mark.parametrize(("lang", "hello"), [("nb", "hei"), ("en", "hello")])
def test_a_greeting_after_the_menu_is_no_second_introduction(lang: str, hello: str) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.press(payloads.MENU)
    introduction = chat.text.split("\n\n")[0]
    chat.say(hello)
    assert introduction not in chat.text
    assert chat.text.startswith(knowledge.text("greeting_again", lang))
    assert payloads.HUMAN in chat.payloads  # the menu is still there to pick from


@pytest.mark.parametrize(("lang", "said"), [("nb", "Noe annet"), ("en", "something else")])
def test_something_else_with_nothing_in_progress_asks_what(lang: str, said: str) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.press(payloads.MENU)
    chat.say(said)
    # the question, then the menu: no "sorry, I didn't understand"
    assert chat.text.split("\n\n")[0] == knowledge.text("other_problem_menu", lang)
    assert payloads.HUMAN in chat.payloads


@pytest.mark.parametrize(
    ("lang", "said", "lead"),
    [
        ("nb", "hopp over", "step_skipped_typed"),
        ("nb", "funka ikke", "step_not_helped_typed"),
        ("en", "didn't help", "step_not_helped_typed"),
        ("nb", "faen, dette hjelper jo ikke i det hele tatt", "step_moved_on_upset"),
    ],
)
def test_a_written_answer_to_a_step_is_acknowledged_before_the_next(
    lang: str, said: str, lead: str
) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 3)
    chat.say(said)
    assert chat.state.step_index == 3
    assert chat.text.startswith(knowledge.text(lead, lang))
    # a button needs no such line: what it means is on it
    chat.press(payloads.step("skip", "mail-not-updating", 4))
    assert chat.state.step_index == 4
    assert knowledge.text(lead, lang) not in chat.text


@pytest.mark.parametrize(
    ("lang", "first", "then"),
    [
        ("en", "got a fake invoice by email, is it a scam?", "how do I report it from my iPhone?"),
        ("nb", "fikk en mistenkelig mail med en lenke, er den falsk?", "hvordan gjør jeg det?"),
    ],
)
def test_a_follow_up_to_a_lookalike_answer_offers_a_person_once(
    lang: str, first: str, then: str
) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(first)
    assert chat.state.answered_lookalike == "phishing-received"
    chat.say(then)
    assert chat.text == knowledge.text("lookalike_follow_up", lang)
    assert chat.payloads == [payloads.HUMAN, payloads.OTHER]
    chat.say(then)  # once: after that, read as any message
    assert knowledge.text("lookalike_follow_up", lang) not in chat.text


@pytest.mark.parametrize(
    "said",
    ["can you speak english", "can u speak english pls", "sorry, I don't understand norwegian"],
)
def test_asking_for_a_language_mid_fix_switches_and_hands_nothing_off(said: str) -> None:
    knowledge = shipped()[0]
    chat = at_step("nb", 3)
    chat.say(said)
    assert chat.state.phase is Phase.IN_FLOW and chat.state.language == "en"
    assert chat.state.step_index == 2
    assert not chat.effects(HandoffRequest)
    assert knowledge.steps[step_at(chat).id].title.get("en") in chat.text


@pytest.mark.parametrize(
    ("lang", "said", "key"),
    [
        ("nb", "ok skal prøve", "ack_in_flow"),
        ("nb", "ok gjort", "done_reply"),
        ("en", "done", "done_reply"),
    ],
)
def test_small_words_mid_fix_get_their_own_answer_and_keep_the_step(
    lang: str, said: str, key: str
) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 3)
    chat.say(said)
    assert chat.state.step_index == 2
    assert chat.text.startswith(knowledge.text(key, lang))
    assert not chat.effects(StepResult)


def test_talk_to_it_pressed_by_mistake_mid_fix_offers_the_way_back() -> None:
    knowledge = shipped()[0]
    chat = at_step("nb", 3)
    chat.press(payloads.HUMAN)
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say("ojda trykket feil, ville ikke snakke med IT")
    assert chat.text.startswith(knowledge.text("case_added_mistake", "nb").split(".")[0])
    assert payloads.RESUME in chat.payloads
    chat.say("fortsett")
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 2)


def test_the_status_of_a_case_withdrawn_by_mistake_sends_no_new_one() -> None:
    knowledge = shipped()[0]
    chat = at_step("nb", 3)
    chat.press(payloads.HUMAN)
    chat.say("oi, trykket feil")
    chat.say("har IT sett på saken?")
    assert not chat.effects(HandoffRequest)
    assert chat.state.phase is not Phase.HANDED_OFF
    assert chat.text.startswith(knowledge.text("case_status_withdrawn", "nb").split(".")[0])
    chat.say("fortsett")
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 2)


@pytest.mark.parametrize(
    ("lang", "asked"),
    [
        ("nb", "har IT sett på saken min?"),
        ("nb", "når får jeg svar?"),
        ("en", "any news on my case?"),
    ],
)
def test_the_status_of_a_case_never_sent_says_there_is_none(lang: str, asked: str) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(asked)
    assert not chat.effects(HandoffRequest)
    assert knowledge.text("case_status_none", lang) in chat.text
    assert chat.state.phase is Phase.IDLE


def test_after_a_hacked_alarm_sent_by_mistake_a_new_problem_starts_afresh() -> None:
    chat = real_chat("nb")
    chat.say("noen har hacket mailen min")
    chat.say("oi, trykket feil")
    chat.say("mailen på iphonen oppdaterer seg ikke")
    assert chat.last.new_conversation
    assert chat.state.problem == "mail-not-updating"
    assert not chat.effects(CaseAddition)


@pytest.mark.parametrize(
    ("lang", "reply", "alarm"),
    [
        ("nb", "ja", True),
        ("nb", "shit, jeg skrev inn passordet mitt der", True),
        ("en", "yes I did that", True),
        ("nb", "nei, det har jeg ikke", False),
    ],
)
def test_a_yes_to_the_phishing_answers_question_is_the_hacked_account_alarm(
    lang: str, reply: str, alarm: bool
) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say("fikk en svindelmail" if lang == "nb" else "I got a phishing email")
    assert chat.state.answered_lookalike == "phishing-received"
    chat.say(reply)
    if alarm:
        assert (chat.state.problem, chat.state.phase) == ("account-compromised", Phase.HANDED_OFF)
    else:
        assert chat.text == knowledge.text("lookalike_no", lang)
        assert not chat.effects(HandoffRequest)


def test_every_title_fits_on_a_button_uncut() -> None:
    knowledge = shipped()[0]
    limit = Settings().limits.max_button_label_chars
    titled = [*knowledge.problems.values(), *knowledge.questions.values()]
    long = [
        t.title.get(lang) for t in titled for lang in ("nb", "en") if len(t.title.get(lang)) > limit
    ]
    assert long == []


def test_a_question_at_a_step_keeps_the_steps_buttons_first() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mailen min blir liggende i utboksen")
    problem = knowledge.problems[chat.state.problem or ""]
    with_question = next(i for i, s in enumerate(problem.steps) if knowledge.steps[s].questions)
    for number in range(1, with_question + 1):
        chat.press(payloads.step("no", problem.id, number))
    chat.say("hva gjør egentlig dette steget?")
    assert chat.payloads[:2] == [
        payloads.step("ok", problem.id, with_question + 1),
        payloads.step("no", problem.id, with_question + 1),
    ]
    related = knowledge.steps[problem.steps[with_question]].questions
    assert chat.payloads[-len(related) :] == [payloads.pick(q) for q in related]


@pytest.mark.parametrize(
    ("lang", "asked", "term"),
    [
        ("nb", "hva er smtp?", "term-smtp"),
        ("nb", "kva meiner du med utboks", "term-outbox"),
        ("en", "whats a captive portal", "term-captive-portal"),
    ],
)
def test_what_a_word_of_the_steps_means_is_explained_and_the_step_kept(
    lang: str, asked: str, term: str
) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 3)
    chat.say(asked)
    assert chat.text.startswith(knowledge.glossary[term].text.get(lang))
    assert chat.state.step_index == 2 and not chat.effects(StepResult)
    assert payloads.step("ok", "mail-not-updating", 3) in chat.payloads
    # with nothing in progress: the explanation, and no fix started
    idle = real_chat(lang)
    idle.say(asked)
    assert idle.text.startswith(knowledge.glossary[term].text.get(lang))
    assert idle.state.phase is Phase.IDLE and idle.state.problem is None


def test_every_glossary_name_is_found_in_a_question_about_it() -> None:
    knowledge = shipped()[0]
    glossary = Glossary(knowledge.glossary)
    for term in knowledge.glossary.values():
        for lang, name in term.names.items():
            asked = f"hva er {name}?" if lang == "nb" else f"what is {name}?"
            assert glossary.defined(asked) == term.id, asked


@pytest.mark.parametrize(
    ("lang", "described", "problem", "skipped"),
    [
        ("nb", "mail oppdaterer ikke, har prøvd å restarte telefonen", "mail-not-updating", 1),
        ("nb", "får ikke mail fra sjefen, har sjekket søppelpost", "one-sender-missing", 1),
        ("nb", "får ikke mail fra sjefen, har ikke sjekket søppelpost", "one-sender-missing", 0),
        ("en", "mail won't update, I already rebooted the phone", "mail-not-updating", 1),
    ],
)
def test_a_step_the_description_has_done_already_is_passed_over_and_named(
    lang: str, described: str, problem: str, skipped: int
) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(described)
    assert (chat.state.problem, chat.state.step_index) == (problem, skipped)
    first = knowledge.steps[knowledge.problems[problem].steps[0]].title.get(lang)
    note = knowledge.text("steps_answered", lang, titles=first)
    assert (note in chat.text) is bool(skipped)
    assert not chat.effects(StepResult)  # nothing recorded for a step not tried here


def test_a_step_done_already_is_passed_over_later_in_the_flow_too() -> None:
    knowledge = shipped()[0]
    chat = real_chat("en")
    chat.say("at the hotel wifi my mail won't load, but on 4G it's fine")
    steps = knowledge.problems["network-blocks-mail"].steps
    # mobile data works here, so the mobile-data step does not apply and is not named
    assert steps[:3] == ("mobile-data-for-mail", "turn-off-vpn", "other-network")
    assert (chat.state.problem, chat.state.step_index) == ("network-blocks-mail", 1)
    assert knowledge.text("button_back", "en") not in chat.labels  # nothing to go back to
    mobile = knowledge.steps["mobile-data-for-mail"].title.get("en")
    assert mobile not in chat.text
    chat.press(payloads.step("no", "network-blocks-mail", 2))
    assert chat.state.step_index == 3
    other = knowledge.steps["other-network"].title.get("en")
    assert knowledge.text("steps_answered", "en", titles=other) in chat.text
    assert mobile not in chat.text
    chat.press(payloads.step("back", "network-blocks-mail", 4))
    assert chat.state.step_index == 2  # going back shows it: nothing is hidden


@pytest.mark.parametrize(
    ("lang", "described", "first"),
    [
        ("nb", "mailen funker på wifi men ikke på 4g", "mobile-data-for-mail"),
        (
            "nb",
            "mail virker fint hjemme, men når jeg er ute på mobilnettet kommer ingenting",
            "mobile-data-for-mail",
        ),
        ("nb", "mail går på wifi men ikke på mobildata", "mobile-data-for-mail"),
        ("nb", "mailen virker ikke på wifien på kontoret, på 4g går det fint", "turn-off-vpn"),
        ("en", "mail works on wifi but not on cellular", "mobile-data-for-mail"),
        ("en", "since I turned on my VPN, Mail can't connect to the server", "turn-off-vpn"),
    ],
)
def test_a_step_only_for_mail_failing_on_mobile_data_opens_only_then(
    lang: str, described: str, first: str
) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(described)
    steps = knowledge.problems["network-blocks-mail"].steps
    assert chat.state.problem == "network-blocks-mail"
    assert steps[chat.state.step_index] == first
    # passed over as not applying, the mobile-data step is never named as done
    mobile_named = knowledge.steps["mobile-data-for-mail"].title.get(lang) in chat.text
    assert mobile_named is (first == "mobile-data-for-mail")


def test_a_reply_in_the_words_of_the_steps_done_if_moves_on() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mailen blir liggende i utboksen")
    steps = knowledge.problems["cannot-send"].steps
    assert steps[1] == "smtp-settings"
    chat.press(payloads.step("no", "cannot-send", 1))
    chat.say("de e exchange")  # "Exchange-kontoer har ikke dette valget"
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 2)  # no switch offer
    assert [e.outcome for e in chat.effects(StepResult)] == ["skipped"]
    assert chat.text.startswith(knowledge.text("step_skipped_typed", "nb"))


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "jeg må ha vpn på for å komme inn på jobbmailen"),
        ("en", "I need the vpn for work, can't turn it off"),
    ],
)
def test_a_reply_that_the_step_does_not_apply_moves_on_as_a_skip(lang: str, said: str) -> None:
    # playtest 19: the VPN step says "skip this if you need the VPN for work mail", and
    # saying so offered a switch to "work mail blocked" or was not understood
    knowledge = shipped()[0]
    steps = knowledge.problems["network-blocks-mail"].steps
    chat = real_chat(lang)
    chat.say("mailen virker ikke når vpn er på" if lang == "nb" else "mail fails when my vpn is on")
    assert steps[chat.state.step_index] == "turn-off-vpn"
    chat.say(said)
    assert chat.state.phase is Phase.IN_FLOW
    assert steps[chat.state.step_index] == "other-network"
    assert [e.outcome for e in chat.effects(StepResult)] == ["skipped"]


def test_a_description_that_the_step_does_not_apply_passes_it_over_without_a_word() -> None:
    knowledge = shipped()[0]
    steps = knowledge.problems["network-blocks-mail"].steps
    chat = real_chat("nb")
    chat.say("mailen virker ikke når vpn er på, og jeg må ha vpn for jobben")
    assert steps[chat.state.step_index] == "other-network"
    assert knowledge.steps["turn-off-vpn"].title.nb not in chat.text
    # ... and a plea for help beside the VPN is no such word
    chat = real_chat("nb")
    chat.say("jeg trenger hjelp, mailen stopper når vpn er på")
    assert steps[chat.state.step_index] == "turn-off-vpn"


def test_thanks_at_a_check_step_points_at_its_own_two_answers() -> None:
    knowledge = shipped()[0]
    chat = at_step("en", 2)  # "is the mail service up?"
    check = step_at(chat).check
    assert check is not None
    chat.say("thanks")
    assert chat.text.startswith(
        knowledge.text("thanks_in_check", "en", fine=check.fine.en, fault=check.fault.en)
    )


def test_mid_fix_the_phishing_answers_yes_in_words_is_the_alarm_but_a_bare_ja_is_not() -> None:
    chat = real_chat("nb")
    chat.say("mailen sender ikke")
    chat.say("forresten fikk jeg en svindelmail i går")
    assert chat.state.answered_lookalike == "phishing-received"
    chat.say("ja")  # answers the step ("Hjalp det?")
    assert chat.state.problem == "cannot-send"
    chat = real_chat("nb")
    chat.say("mailen sender ikke")
    chat.say("forresten fikk jeg en svindelmail i går")
    chat.say("ja jeg skrev inn passordet")
    assert (chat.state.problem, chat.state.phase) == ("account-compromised", Phase.HANDED_OFF)


def test_signs_of_a_hacked_account_mid_fix_are_the_alarm_at_once() -> None:
    chat = at_step("nb", 2)
    chat.say("noen har logget inn på kontoen min fra russland")
    assert (chat.state.problem, chat.state.phase) == ("account-compromised", Phase.HANDED_OFF)


@pytest.mark.parametrize(
    ("lang", "said", "key"),
    [
        ("nb", "mailen på pcen funker heller ikke", "fails_elsewhere_reply"),
        ("nb", "på pcen virker det fint", "works_elsewhere_reply"),
        ("nb", "nå kom det en feilmelding", None),
        ("en", "it worked but now it stopped again", None),
        ("nb", "skjønner ikke", None),
    ],
)
def test_replies_that_only_look_like_good_news(lang: str, said: str, key: str | None) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 3)
    chat.say(said)
    assert chat.state.phase is Phase.IN_FLOW  # never "glad that fixed it"
    if key is not None:
        assert chat.text.startswith(knowledge.text(key, lang))


@pytest.mark.parametrize(("lang", "reply"), [("nb", "har gjort det nå"), ("en", "did it")])
def test_a_step_said_done_is_asked_whether_mail_works_not_skipped(lang: str, reply: str) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "mailen oppdateres ikke på iphonen" if lang == "nb" else "mail won't update on my iphone"
    )
    assert (chat.state.problem, chat.state.step_index) == ("mail-not-updating", 0)
    chat.say(reply)
    assert chat.state.step_index == 0  # nothing recorded: whether it helped is not said
    assert not chat.effects(StepResult)
    assert knowledge.text("done_reply", lang) in chat.text


def test_done_at_a_check_step_asks_what_the_check_found() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mailen oppdateres ikke på iphonen")
    chat.tap("Hjalp ikke")
    check = knowledge.steps[knowledge.problems["mail-not-updating"].steps[1]].check
    assert check is not None and chat.state.step_index == 1
    chat.say("ok gjort")
    fine, fault = check.fine.get("nb"), check.fault.get("nb")
    assert knowledge.text("done_check_reply", "nb", fine=fine, fault=fault) in chat.text
    assert knowledge.text("done_reply", "nb") not in chat.text
    assert chat.state.step_index == 1


@pytest.mark.parametrize(
    ("lang", "question"),
    [("nb", "hvor lang tid tar dette?"), ("en", "how long does this step take?")],
)
def test_how_long_a_step_takes_is_its_minutes(lang: str, question: str) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "får ikke sendt mail fra iphonen" if lang == "nb" else "I can't send mail from my iPhone"
    )
    step = knowledge.steps[knowledge.problems["cannot-send"].steps[chat.state.step_index]]
    before = chat.state.step_index
    chat.say(question)
    assert knowledge.text("step_duration", lang, minutes=step.minutes) in chat.text
    assert chat.state.step_index == before


@pytest.mark.parametrize(
    ("lang", "asked"), [("nb", "har IT sett på saken min?"), ("en", "has IT looked at my case?")]
)
def test_asking_after_a_case_mid_fix_sends_none_and_keeps_the_step(lang: str, asked: str) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 2)
    before = (chat.state.problem, chat.state.step_index)
    chat.say(asked)
    assert not chat.effects(HandoffRequest)
    assert knowledge.text("case_status_none_in_flow", lang) in chat.text
    assert (chat.state.phase, chat.state.problem, chat.state.step_index) == (Phase.IN_FLOW, *before)


def test_the_status_of_an_alarm_withdrawn_by_mistake_is_not_the_queue() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("kontoen min er hacket")
    chat.say("oi, trykket feil")
    chat.say("har IT sett på saken min?")
    assert chat.text.startswith(knowledge.text("case_status_withdrawn_plain", "nb"))
    assert knowledge.text("case_status_open", "nb") not in chat.text


def test_a_setting_not_found_where_the_step_does_not_apply_moves_on() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mailen blir liggende i utboksen")
    assert knowledge.problems["cannot-send"].steps[1] == "smtp-settings"
    chat.press(payloads.step("no", "cannot-send", 1))
    chat.say("finner ikke SMTP, jeg har exchange")  # Exchange has no SMTP setting
    assert chat.state.step_index == 2
    assert [e.outcome for e in chat.effects(StepResult)] == ["skipped"]


def test_a_step_that_does_not_apply_is_skipped_when_told_as_cannot() -> None:
    # playtest 19: read as "unable" and answered "IT can help you with this step"
    chat = real_chat("nb")
    chat.say("mailen blir liggende i utboksen")
    chat.press(payloads.step("no", "cannot-send", 1))
    chat.say("jeg har exchange, så jeg har ikke SMTP")
    assert chat.state.step_index == 2
    assert [e.outcome for e in chat.effects(StepResult)] == ["skipped"]


def test_a_last_step_done_already_leaves_the_case_to_it_and_a_picked_problem_keeps_its_story() -> (
    None
):
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("har slettet kontoen og lagt den til igjen men får fortsatt ikke mail")
    chat.tap(knowledge.problems["mail-not-updating"].title.get("nb"))
    steps = knowledge.problems["mail-not-updating"].steps
    assert steps[-1] == "remove-readd-account"
    while chat.state.phase is Phase.IN_FLOW:
        assert steps[chat.state.step_index] != "remove-readd-account"
        check = knowledge.steps[steps[chat.state.step_index]].check
        chat.tap(check.fine.get("nb") if check else "Hjalp ikke")
    assert chat.state.phase is Phase.HANDED_OFF
    assert chat.effects(HandoffRequest)


@pytest.mark.parametrize(
    ("lang", "asked"),
    [("nb", "kor lenge må æ vente på IT?"), ("en", "how long until someone calls me back?")],
)
def test_how_long_the_case_takes_is_its_status_not_a_note(lang: str, asked: str) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 2)
    chat.press(payloads.HUMAN)
    chat.say(asked)
    assert chat.text == knowledge.text("case_status_open", lang)
    assert not chat.effects(CaseAddition)


@pytest.mark.parametrize(
    ("lang", "asked"), [("nb", "ka meine du med det?"), ("en", "what does that mean?")]
)
def test_what_a_step_means_is_its_terms_from_the_glossary(lang: str, asked: str) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "mailen kommer bare når jeg åpner appen"
        if lang == "nb"
        else "mail only arrives when I open the app"
    )
    steps = knowledge.problems["only-when-open"].steps
    chat.press(payloads.step("no", "only-when-open", 1))
    step = knowledge.steps[steps[chat.state.step_index]]
    assert "fetch" in step.text.get("en").casefold()  # the step names "Fetch New Data"
    chat.say(asked)
    assert knowledge.glossary["term-fetch-new-data"].text.get(lang) in chat.text
    assert not chat.effects(StepResult)


def test_what_a_step_without_terms_means_is_why_it_is_done() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mailen kommer bare når jeg åpner appen")
    step = knowledge.steps[knowledge.problems["only-when-open"].steps[0]]
    chat.say("hva betyr det?")
    assert step.why.get("nb").strip() in chat.text


@pytest.mark.parametrize(
    ("said", "alarm"), [("I did not click it", False), ("I clicked it and logged in", True)]
)
def test_an_english_answer_to_the_lookalikes_question_is_read_without_a_yes_or_no(
    said: str, alarm: bool
) -> None:
    knowledge = shipped()[0]
    chat = real_chat("en")
    chat.say("I think my colleague got hacked, I just got a strange link from her")
    assert chat.state.answered_lookalike == "someone-else-hacked"
    chat.say(said)
    assert (chat.state.problem == "account-compromised") is alarm
    if not alarm:
        assert chat.text.startswith(knowledge.text("lookalike_no", "en").split("!")[0])


def test_pressed_wrong_right_after_it_worked_takes_the_step_again() -> None:
    knowledge = shipped()[0]
    chat = at_step("nb", 2)
    chat.press(payloads.step("ok", "mail-not-updating", 2))
    assert chat.state.phase is Phase.RATING
    chat.say("oi, trykket feil")
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 1)
    assert chat.text.startswith(knowledge.text("worked_undone", "nb"))


def test_pressed_wrong_after_a_skip_goes_back_a_step() -> None:
    chat = at_step("nb", 3)
    chat.press(payloads.step("skip", "mail-not-updating", 3))
    assert chat.state.step_index == 3
    chat.say("oi, trykket feil")
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 2)


def test_what_a_step_means_is_not_a_term_it_names_only_in_passing() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mailen oppdateres ikke på iphonen")
    chat.press(payloads.step("no", "mail-not-updating", 1))
    step = knowledge.steps[knowledge.problems["mail-not-updating"].steps[1]]
    assert "Exchange" in step.text.get("nb")  # a provider in a list, not a setting to find
    chat.say("ka meine du med det?")
    assert knowledge.glossary["term-imap-exchange"].text.get("nb") not in chat.text
    assert step.why.get("nb").strip() in chat.text


def test_back_passes_over_a_step_that_does_not_apply() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mailen funker ikke på wifien, på 4g går det fint")
    steps = knowledge.problems["network-blocks-mail"].steps
    assert steps[0] == "mobile-data-for-mail" and chat.state.step_index == 1
    chat.press(payloads.step("no", "network-blocks-mail", 2))
    assert chat.state.step_index == 3  # "other network" is done already
    chat.press(payloads.step("back", "network-blocks-mail", 4))
    assert chat.state.step_index == 2  # a step done already is shown going back
    chat.press(payloads.step("back", "network-blocks-mail", 3))
    assert chat.state.step_index == 1
    back = knowledge.text("button_back", "nb")
    assert back not in chat.labels  # no step before it applies: no way back offered
    chat.press(payloads.step("back", "network-blocks-mail", 2))
    assert chat.state.step_index == 1  # pressed all the same (an old message): it stays
    assert knowledge.text("back_at_first", "nb") in chat.text
    assert chat.effects(StepResult) == []


def test_asking_after_a_case_once_it_worked_keeps_the_rating_prompt() -> None:
    knowledge = shipped()[0]
    chat = at_step("nb", 2)
    chat.press(payloads.step("ok", "mail-not-updating", 2))
    chat.say("har IT sett på saken min?")
    assert chat.text.startswith(knowledge.text("case_status_none_solved", "nb"))
    assert (chat.state.phase, chat.state.rated) == (Phase.RATING, False)
    assert not chat.effects(HandoffRequest)
    assert len(chat.labels) == 5  # the five ratings again


@pytest.mark.parametrize(
    ("lang", "first", "asked"),
    [
        ("nb", "fikk en mail om en pakke som må betales toll, slettet den", "er jeg hacket nå?"),
        ("en", "got a fake invoice by email, is it a scam?", "so am I hacked or not?"),
        ("nb", "fikk en mistenkelig mail med en lenke, er den falsk?", "skal jeg bytte passord?"),
    ],
)
def test_asking_if_hacked_after_the_phishing_answer_is_answered_not_an_alarm(
    lang: str, first: str, asked: str
) -> None:
    # playtest 12: "er jeg hacket nå?" right after "that's a scam, not a break-in" sent
    # an urgent case and told the person to change the password and warn colleagues
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(first)
    assert chat.state.answered_lookalike == "phishing-received"
    chat.say(asked)
    assert chat.text.startswith(knowledge.text("lookalike_am_i_hacked", lang))
    assert chat.state.problem is None and not chat.effects(HandoffRequest)
    # the question it asks again is still read as its answer
    chat.say(
        "yes, I typed my password on the page" if lang == "en" else "ja, jeg skrev inn passordet"
    )
    assert chat.state.problem == "account-compromised"


def test_declining_the_offered_problems_and_telling_the_symptom_starts_its_fix() -> None:
    # playtest 12: "none of those" read as "nobody gets mail", the everyone-affected handoff
    chat = real_chat("en")
    chat.say("email broken pls help")
    assert chat.state.phase is Phase.CHOOSING
    chat.say("none of those. I just dont get any new emails since this morning")
    assert (chat.state.phase, chat.state.problem) == (Phase.IN_FLOW, "mail-not-updating")


@pytest.mark.parametrize(
    "said",
    ["fiks mailen min", "kan du fikse mailen min?", "email broken pls help"],
)
def test_asking_to_have_the_mail_fixed_asks_which_problem(said: str) -> None:
    # playtest 12: "fiks mailen min" was the hacked-account alarm, and "email broken pls
    # help" asked between a person, the network and Exchange
    chat = real_chat("nb")
    chat.say(said)
    assert chat.state.phase is Phase.CHOOSING
    assert set(chat.state.candidates) >= {"mail-not-updating", "cannot-send"}
    assert not chat.effects(HandoffRequest)


@pytest.mark.parametrize(
    "said",
    [
        "forresten, printeren i 3. etasje virker ikke heller",
        "teams krasjer også, kan du se på det?",
        # playtest 14: "slow" is a fault too; it was "works elsewhere", so the account fine
        "teams er tregt",
    ],
)
def test_another_things_fault_mid_fix_is_an_aside_not_the_steps_answer(said: str) -> None:
    # playtest 12: the printer's "virker ikke" was read as "Hjalp ikke" and moved the fix on
    knowledge = shipped()[0]
    chat = at_step("nb", 4)
    chat.say(said)
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 3)
    assert chat.text.startswith(knowledge.text("elsewhere_in_flow", "nb"))
    chat.say("hjalp ikke")  # the step's own answer still moves it
    assert chat.state.step_index == 4


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "hvordan lager jeg signatur i mailen på iphone?"),
        ("nb", "korleis vidaresendar eg ein mail til ein kollega?"),
        ("en", "how do I set up automatic forwarding of my work email to my gmail"),
    ],
)
def test_a_how_to_of_mail_that_is_no_fault_is_told_so(lang: str, said: str) -> None:
    # playtest 12: "hvordan lager jeg signatur i mailen?" got "I didn't understand, I can
    # only help with Mail on iPhone", about a question about Mail on iPhone
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(said)
    assert knowledge.text("how_to_not_a_fault", lang) in chat.text
    assert knowledge.text("none", lang) not in chat.text
    assert chat.state.problem is None
    # a person and the menu, not the whole menu of faults (playtest 13)
    assert chat.payloads == [payloads.HUMAN, payloads.OTHER]


@pytest.mark.parametrize(
    ("lang", "clicked", "answer", "alarm"),
    [
        ("en", "I did click it actually", "no", False),
        ("en", "I did click it actually", "yes", True),
        ("nb", "ja, jeg trykket på lenken", "ja, skrev inn passordet", True),
    ],
)
def test_a_click_after_the_phishing_answer_asks_whether_anything_was_typed_in(
    lang: str, clicked: str, answer: str, alarm: bool
) -> None:
    # playtest 12: "I did click it actually" was the urgent handoff at once, though the
    # answer it replied to asks about a link clicked *and* a password typed in
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "got a fake invoice by email, is it a scam?"
        if lang == "en"
        else "fikk en falsk faktura på mail"
    )
    assert chat.state.answered_lookalike == "phishing-received"
    chat.say(clicked)
    assert chat.text.startswith(knowledge.text("lookalike_clicked", lang))
    assert chat.state.problem is None
    chat.say(answer)
    assert (chat.state.problem == "account-compromised") is alarm


def test_a_click_with_nothing_typed_in_after_the_phishing_answer_is_no_alarm() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("fikk en mistenkelig mail med en lenke, er den falsk?")
    chat.say("jeg trykket faktisk på lenken, men skrev ikke inn noe passord")
    assert chat.text.startswith(knowledge.text("lookalike_no", "nb").split("!")[0])
    assert chat.state.problem is None


@pytest.mark.parametrize(
    ("lang", "said", "found"),
    [
        ("nb", "den lå i søppelpost", True),
        ("en", "found it in the junk folder!", True),
        ("nb", "fant den ikke i søppelpost", False),
    ],
)
def test_the_mail_found_in_junk_at_the_junk_step_is_the_fix_not_spam_advice(
    lang: str, said: str, found: bool
) -> None:
    # playtest 12: "den lå i søppelpost" at "Sjekk søppelpost" got the phishing advice
    # ("slett den"), about the customer's real mail
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "jeg får ikke mail fra en bestemt kunde"
        if lang == "nb"
        else "I don't get emails from one particular client"
    )
    assert chat.state.problem == "one-sender-missing"
    chat.say(said)
    assert chat.state.answered_lookalike is None
    assert (chat.state.phase is Phase.RATING) is found
    assert knowledge.lookalikes["phishing-received"].answer.get(lang) not in chat.text


@pytest.mark.parametrize(
    ("lang", "asked"),
    [
        ("nb", "jeg vet ikke hvordan jeg bytter passord, hvor gjør jeg det?"),
        ("en", "sorry, where exactly do I change my password?"),
    ],
)
def test_how_to_change_the_password_after_the_alarm_is_answered_however_it_is_put(
    lang: str, asked: str
) -> None:
    # playtest 12: the longer question got the case's line again ("change it now"),
    # not where to change it
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "tror mailen min er hacket, den sender spam fra meg"
        if lang == "nb"
        else "my email is hacked, it sends spam from me"
    )
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say(asked)
    assert knowledge.text("case_added_change_password", lang).split(":")[0] in chat.text


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "nb",
            ["egentlig trykket jeg på lenken", "men jeg skrev ikke inn noe", "er jeg hacket nå?"],
        ),
        (
            "en",
            [
                "I did click it actually",
                "no, I just looked at the page and closed it",
                "am I hacked now?",
            ],
        ),
    ],
)
def test_am_i_hacked_after_the_no_is_answered_and_not_an_alarm(lang: str, lines: list[str]) -> None:
    # playtest 13: after "Så bra! Da er rådene over alt du trenger", "er jeg hacket nå?"
    # was the urgent handoff
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "fikk en mistenkelig mail med en lenke, er den falsk?"
        if lang == "nb"
        else "got a fake invoice by email, is it a scam?"
    )
    for line in lines:
        chat.say(line)
    assert chat.text.startswith(knowledge.text("lookalike_am_i_hacked", lang))
    assert chat.state.problem is None and not chat.effects(HandoffRequest)
    chat.say("ja" if lang == "nb" else "yes")  # its question is open again
    assert chat.state.problem == "account-compromised"


@pytest.mark.parametrize(
    ("lang", "said", "place"),
    [("nb", "den første", 0), ("en", "the second one", 1), ("nb", "2", 1)],
)
def test_a_choice_named_by_its_place_is_picked(lang: str, said: str, place: int) -> None:
    # playtest 13: "den første", "the second one" and "1" at "which of these?" were not
    # understood, or read as about something else
    chat = real_chat(lang)
    chat.say("kan du fikse mailen?" if lang == "nb" else "can you fix my email?")
    assert chat.state.phase is Phase.CHOOSING
    wanted = chat.state.candidates[place]
    chat.say(said)
    assert (chat.state.phase, chat.state.problem) == (Phase.IN_FLOW, wanted)


@pytest.mark.parametrize(
    "said",
    [
        "I accidentally deleted a folder with all my customer emails",
        "jeg slettet en mappe ved en feil",
    ],
)
def test_what_the_writer_did_by_mistake_is_no_break_in(said: str) -> None:
    # playtest 13: a folder deleted by mistake was the urgent hacked-account handoff
    chat = real_chat("en")
    chat.say(said)
    assert chat.state.problem != "account-compromised"
    assert not chat.effects(HandoffRequest)


def test_the_checks_before_step_one_come_only_before_problems_they_bear_on() -> None:
    # playtests 12 and 13: airplane mode, mobile data, date, storage and VPN before
    # "mail from one sender is missing", where other mail arrives fine
    knowledge = shipped()[0]
    header = knowledge.text("checks_header", "nb")
    chat = real_chat("nb")
    chat.say("jeg får ikke mail fra en bestemt kunde")
    assert chat.state.problem == "one-sender-missing"
    assert header not in chat.text
    assert not chat.state.checks_shown  # not used up by a problem that had none
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke på iphonen")
    assert header in chat.text and chat.state.checks_shown


def test_a_break_in_told_after_the_phishing_answer_is_the_alarm_though_it_asks() -> None:
    # review: any question with "hacket" after the answer got "not from this alone"
    chat = real_chat("nb")
    chat.say("fikk en mistenkelig mail med en lenke, er den falsk?")
    chat.say("nei")
    chat.say("hjelp, noen har logget inn på kontoen min fra Russland, er jeg hacket?")
    assert chat.state.problem == "account-compromised"


@pytest.mark.parametrize("said", ["søppelposten var tom", "it wasn't in junk", "junk is empty"])
def test_the_junk_folder_told_empty_is_not_the_fix_found(said: str) -> None:
    # review: "+var søppel" read "søppelposten var tom" as the mail found there
    chat = real_chat("nb")
    chat.say("jeg får ikke mail fra en bestemt kunde")
    chat.say(said)
    assert chat.state.phase is not Phase.RATING


@pytest.mark.parametrize(
    ("lang", "opening", "worked", "said", "key"),
    [
        # playtest 14: the usage help ("help" in "great help"), the self-introduction
        # and "about something else" after a fix that worked
        ("en", "inbox isn't updating", "that worked", "thanks a lot, great help!", "thanks_reply"),
        ("nb", UPDATING_NB, "det funket", "veldig fornøyd, takk!", "rating_thanks"),
        (
            "nb",
            UPDATING_NB,
            "det funket",
            "dårlig hjelp egentlig, det var bare omstart",
            "rating_thanks",
        ),
    ],
)
def test_words_after_a_fix_that_worked_are_thanks_or_feedback(
    lang: str, opening: str, worked: str, said: str, key: str
) -> None:
    chat = real_chat(lang)
    chat.say(opening)
    chat.say(worked)
    assert chat.state.phase is Phase.RATING
    chat.say(said)
    assert chat.text == shipped()[0].text(key, lang)
    assert chat.state.phase is Phase.RATING and chat.effects(HandoffRequest) == []


def test_a_fault_told_after_a_fix_is_not_taken_for_feedback() -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say("det funket")
    chat.say("skriveren på kontoret virker ikke")
    assert shipped()[0].text("rating_thanks", "nb") not in chat.text


def test_thanks_after_the_rating_is_thanks() -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say("det funket")
    chat.say("5")
    chat.say("veldig fornøyd, takk!")  # playtest 14: "about something else"
    assert chat.text == shipped()[0].text("thanks_reply", "nb")


def test_half_fixed_is_not_fixed_yet() -> None:
    chat = at_step("nb", 1)
    chat.say("det hjalp litt, noen mailer kom inn men ikke alle")  # playtest 14: not understood
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 1)


def test_nynorsk_that_it_went_through_is_the_fix() -> None:
    chat = real_chat("nb")
    chat.say("e-posten min står fast i utboksen, kva gjer eg?")
    assert chat.state.phase is Phase.IN_FLOW
    chat.say("det var ein stor video vedlagt, eg sletta han og no gjekk testen gjennom")
    assert chat.last.status is Status.RESOLVED


# A review of this session's rules found each of these turned the wrong way


@pytest.mark.parametrize(
    ("lang", "said"),
    [("nb", "skriveren skriver ikke ut, takk"), ("en", "thanks, my laptop won't start")],
)
def test_something_else_with_thanks_is_still_something_else(lang: str, said: str) -> None:
    chat = real_chat(lang)
    chat.say(said)
    assert shipped()[0].text("none_outside", lang) in chat.text


@pytest.mark.parametrize("said", ["samme problem på iPaden", "men nå får jeg feilmelding"])
def test_a_problem_after_a_fix_is_not_taken_for_feedback(said: str) -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say("det funket")
    chat.say(said)
    assert shipped()[0].text("rating_thanks", "nb") not in chat.text


def test_a_request_for_a_person_beside_a_question_about_fixbot_is_handed_off() -> None:
    chat = at_step("nb", 1)
    chat.say("er du en robot? jeg vil snakke med et menneske")
    assert len(chat.effects(HandoffRequest)) == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [("nb", "det virket i går. i dag samme feil"), ("en", "it worked yesterday. today same error")],
)
def test_it_worked_before_is_no_news_that_it_works_after_a_handoff(lang: str, said: str) -> None:
    chat = real_chat(lang)
    chat.say("får ikke sendt mail" if lang == "nb" else "i can't send mail")
    chat.press(payloads.HUMAN)
    chat.say(said)
    assert shipped()[0].text("case_added_works", lang) not in chat.text


def test_the_introduction_is_its_own_greeting() -> None:
    chat = real_chat("nb")
    chat.say("hvem er du?")
    assert chat.text.count("fixbot") == 1


def test_a_little_help_is_not_fixed() -> None:
    chat = at_step("nb", 1)
    chat.say("det hjalp litt")
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 1)


def test_a_new_fault_after_a_fix_starts_its_own_flow_not_the_old_one() -> None:
    # playtest 15: "nå sender den ikke" reopened the inbox flow at its step 2
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.say("det funka")
    assert chat.last.status is Status.RESOLVED
    chat.say("nå sender den ikke")
    assert chat.state.problem == "cannot-send"
    assert "Steg 1 av" in chat.text


def test_the_old_fault_back_after_a_fix_reopens_it() -> None:
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.say("det funka")
    chat.say("nei, det har slutta å virke igjen")
    assert chat.state.problem == "mail-not-updating"
    assert chat.state.step_index == 1


def test_a_printer_mid_fix_is_an_aside_and_a_pc_is_news_of_the_step() -> None:
    # playtest 15: "skriveren virker ikke heller" was read as "didn't help" and moved on
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.say("forresten, skriveren min virker ikke heller")
    assert chat.state.step_index == 0
    assert "noe annet enn Mail" in chat.text
    chat.say("på pc-en virker det ikke heller")
    assert chat.state.step_index == 1  # the mail on the PC too: not helped, next step


@pytest.mark.parametrize("text", ["password loop", "email broken"])
def test_a_short_first_message_understood_is_answered_in_its_language(text: str) -> None:
    # playtest 15: two English words from a Norwegian-hinted user got Norwegian steps
    chat = real_chat("nb")
    chat.say(text)
    assert chat.state.language == "en"
    assert "Steg" not in chat.text and "Hvilken" not in chat.text


@pytest.mark.parametrize("text", ["utboks stuck", "inbox tom", "mail"])
def test_a_short_first_message_of_mixed_words_keeps_the_platforms_language(text: str) -> None:
    # a review: "utboks stuck" (wordfreq does not know "utboks") turned the chat English
    chat = real_chat("nb")
    chat.say(text)
    assert chat.state.language == "nb"


@pytest.mark.parametrize(
    ("lang", "opening", "news"),
    [
        ("nb", "noen har hacket mailen min, den sender spam", "jeg har byttet passordet, hva nå?"),
        ("en", "someone hacked my mail, it sends spam", "I changed the password, what now?"),
    ],
)
def test_a_changed_password_then_what_now_is_the_news(lang: str, opening: str, news: str) -> None:
    # playtest 15: the question mark made it "how do I change it?", answered "change it now"
    chat = real_chat(lang)
    chat.say(opening)
    assert chat.last.status is Status.HANDED_OFF
    chat.say(news)
    assert shipped()[0].text("case_added_password_changed", lang) in chat.text


@pytest.mark.parametrize(
    ("lang", "remark"),
    [
        ("nb", "takk, det var til stor hjelp!"),
        ("nb", "men stegene kunne vært kortere"),
        ("nb", "botten var treg og ubrukelig"),
        ("en", "it took way too long and the steps were confusing"),
    ],
)
def test_a_remark_on_the_help_after_a_fix_is_feedback(lang: str, remark: str) -> None:
    # playtest 15: each got "not understood" or "about something else" and the menu
    chat = real_chat(lang)
    chat.say("mailen oppdaterer seg ikke" if lang == "nb" else "my mail won't update")
    chat.say("det funka" if lang == "nb" else "it worked")
    assert chat.state.phase is Phase.RATING
    chat.say(remark)
    assert shipped()[0].text("rating_thanks", lang) in chat.text
    assert chat.last.status is Status.RESOLVED


def test_any_news_after_a_handoff_is_the_cases_status() -> None:
    chat = real_chat("en")
    chat.say("my mail won't update")
    chat.say("talk to IT")
    assert chat.last.status is Status.HANDED_OFF
    chat.say("any news?")
    assert "added" not in chat.text


def test_colleagues_with_the_same_problem_at_the_outage_check_is_an_outage() -> None:
    # playtest 15: read as "it works for others" (service up) and moved on to step 3
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.press(payloads.step("no", "mail-not-updating", 1))
    assert chat.state.step_index == 1
    chat.say("kollegaene mine har det samme problemet")
    assert chat.last.status is Status.HANDED_OFF
    assert "e-posttjenesten er nede, eller flere har samme feil" in chat.text


@pytest.mark.parametrize(
    ("lang", "opening", "reply", "switch"),
    [
        ("en", "my mail won't update", "my colleagues have the same problem", True),
        ("nb", "mailen oppdaterer seg ikke", "kollegaene mine har ingen problemer", False),
    ],
)
def test_others_with_it_mid_fix_offer_the_problem_of_many(
    lang: str, opening: str, reply: str, switch: bool
) -> None:
    chat = real_chat(lang)
    chat.say(opening)
    chat.say(reply)
    assert (chat.state.pending_switch == "everyone-affected") is switch


def test_a_question_while_it_has_the_case_is_answered() -> None:
    # playtest 15: only noted in the case
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.say("snakk med IT")
    assert chat.last.status is Status.HANDED_OFF
    chat.say("sletter nullstill nettverksinnstillinger bildene mine?")
    assert shipped()[0].questions["faq-reset-network"].answer.nb in chat.text
    assert chat.last.status is Status.HANDED_OFF


@pytest.mark.parametrize("vent", ["faen ta denne botten", "jeg er så lei av dette"])
def test_venting_mid_fix_is_met_with_sorry_and_a_person(vent: str) -> None:
    # playtest 15: both got the 1,300-character self-introduction
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.say(vent)
    assert shipped()[0].text("frustrated_in_flow", "nb") in chat.text
    assert chat.state.step_index == 0


def test_venting_with_a_new_fault_is_the_new_fault() -> None:
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.say("faen, nå får jeg ikke sendt mail heller")
    assert shipped()[0].text("frustrated_in_flow", "nb") not in chat.text


def test_thanks_with_a_but_after_a_fix_is_no_mere_feedback() -> None:
    # a review of round nine: "takk" first was taken for feedback, whatever followed
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.say("det funka")
    chat.say("takk, men iPaden har det samme problemet")
    assert shipped()[0].text("rating_thanks", "nb") not in chat.text


def test_colleagues_whose_mail_works_at_the_outage_check_is_no_outage() -> None:
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.press(payloads.step("no", "mail-not-updating", 1))
    chat.say("kollegaene mine får mail som normalt, og de bruker samme server")
    assert chat.last.status is not Status.HANDED_OFF
    assert chat.state.step_index == 2


def test_venting_beside_a_new_fault_offers_the_new_fault() -> None:
    chat = real_chat("en")
    chat.say("my mail won't update")
    chat.say("tired of this, and now it keeps asking for my password")
    assert chat.state.pending_switch == "password-prompt"


def test_the_old_fault_back_beside_another_reopens_the_old() -> None:
    chat = real_chat("en")
    chat.say("I can't send mail from my iPhone")
    chat.say("it worked")
    chat.say("nope, still can't send, and it doesn't show in Sent either")
    assert (chat.state.problem, chat.state.step_index) == ("cannot-send", 1)


def test_a_question_after_a_handoff_is_also_in_the_case() -> None:
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.say("snakk med IT")
    said = "jeg har allerede nullstilt nettverksinnstillingene, sletter nullstilling bildene mine?"
    chat.say(said)
    assert [e.text for e in chat.effects(CaseAddition)] == [said]


def test_a_password_changed_by_it_is_not_the_writers_news() -> None:
    chat = real_chat("nb")
    chat.say("noen har hacket mailen min, den sender spam")
    chat.say("IT har byttet passordet mitt, hva er det nye?")
    assert shipped()[0].text("case_added_password_changed", "nb") not in chat.text


@pytest.mark.parametrize(
    ("lang", "answer", "down"),
    [
        ("nb", "ja den er nede", True),
        ("en", "yes it's down", True),
        ("nb", "nei den er ikke nede", False),
        ("nb", "ja, tjenesten er oppe", False),
    ],
)
def test_the_outage_checks_own_words_say_which_answer(lang: str, answer: str, down: bool) -> None:
    # playtest 16: "ja" opened "ja den er nede", and "ja" means "up" to "is it up?"
    chat = real_chat(lang)
    chat.say("mailen oppdaterer seg ikke" if lang == "nb" else "my mail won't update")
    chat.press(payloads.step("no", "mail-not-updating", 1))
    chat.say(answer)
    assert (chat.last.status is Status.HANDED_OFF) is down


def test_a_group_without_mail_named_as_a_first_message_is_the_problem_of_many() -> None:
    # playtest 16: "hele kontoret får ikke mail i dag" was not understood
    chat = real_chat("nb")
    chat.say("hele kontoret får ikke mail i dag")
    assert chat.state.problem == "everyone-affected"


def test_a_break_in_told_after_a_handoff_is_an_urgent_case_of_its_own() -> None:
    # playtest 16: added to the open case ("within one working day") with a button
    chat = real_chat("nb")
    chat.say("mail sendes ikke")
    chat.say("snakk med it")
    chat.say("noen har logget inn på kontoen min fra Russland")
    assert chat.state.problem == "account-compromised"
    assert chat.last.status is Status.HANDED_OFF


def test_a_case_raised_mid_fix_carries_the_message_that_raised_it() -> None:
    # the summary had only the first message: IT read "mailen oppdateres ikke" on a
    # hacked-account case, and had to open the transcript to learn why
    chat = real_chat("nb")
    chat.say("mailen oppdateres ikke på iphonen")
    chat.say("nei")
    chat.say("vent, kollegaene mine får rare mailer fra meg med en lenke")
    if chat.state.phase is Phase.CONFIRM_SWITCH:
        chat.tap("Ja, bytt")
    [handoff] = chat.effects(HandoffRequest)
    assert isinstance(handoff, HandoffRequest)
    assert handoff.problem == "account-compromised"
    assert "Første melding: «mailen oppdateres ikke på iphonen»" in handoff.summary
    told = (
        "Meldingen om dette problemet: «vent, kollegaene mine får rare mailer fra meg med en lenke»"
    )
    assert told in handoff.summary.splitlines()


@pytest.mark.parametrize(
    ("lang", "first", "said"),
    [
        (
            "nb",
            "mailen spør om passord hele tiden",
            "hjalp ikke. forresten har kollegene mine fått rare mailer fra meg i dag",
        ),
        ("nb", "mailen spør om passord hele tiden", "kollegene mine har fått rare mailer fra meg"),
        (
            "en",
            "my inbox isn't updating",
            "didn't help. also my friends say they got spam from my address",
        ),
    ],
)
def test_mail_from_me_told_mid_fix_is_the_alarm_at_once(lang: str, first: str, said: str) -> None:
    # playtest 20: after "hjalp ikke" the next step asked to approve sign-ins; alone, it was
    # only offered as a switch
    chat = real_chat(lang)
    chat.say(first)
    chat.say(said)
    assert (chat.state.phase, chat.state.problem) == (Phase.HANDED_OFF, "account-compromised")
    [handoff] = chat.effects(HandoffRequest)
    assert isinstance(handoff, HandoffRequest)
    assert handoff.reason == "urgent"
    assert said in handoff.summary


def test_a_step_answer_beside_other_news_is_still_the_answer() -> None:
    chat = real_chat("nb")
    chat.say("mailen spør om passord hele tiden")
    chat.say("hjalp ikke. forresten er jeg på hytta i dag")
    assert (chat.state.phase, chat.state.problem) == (Phase.IN_FLOW, "password-prompt")
    assert chat.state.step_index == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [("nb", "ha det"), ("nb", "takk for nå, ha det"), ("en", "bye"), ("en", "thanks, bye")],
)
def test_a_goodbye_mid_fix_is_leaving_for_now(lang: str, said: str) -> None:
    # playtest 20: "Skal vi fortsette der vi var?" to someone leaving
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say("innboksen oppdateres ikke" if lang == "nb" else "my inbox isn't updating")
    chat.say(said)
    total = len(knowledge.problems["mail-not-updating"].steps)
    assert chat.text == knowledge.text("later_reply", lang, n=1, total=total)
    assert (chat.state.phase, chat.state.step_index) == (Phase.IN_FLOW, 0)


@pytest.mark.parametrize(
    "said",
    ["gjorde det, ingen nye mail", "gjort, ingen mail enda", "ok jeg gjorde det. ingen nye brev"],
)
def test_the_step_done_and_the_fault_still_there_is_not_helped(said: str) -> None:
    # playtest 20: "does it work now?", "that is what we are working on", or "I'll
    # remember where we are"
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    chat.say(said)
    assert [e.outcome for e in chat.effects(StepResult)] == ["not_helped"]
    assert chat.state.step_index == 1


@pytest.mark.parametrize("said", ["æ gjorde det og no e alt i orden", "im so done, stop"])
def test_done_beside_news_of_a_fix_or_a_stop_is_not_a_fault(said: str) -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    chat.say(said)
    assert [e.outcome for e in chat.effects(StepResult)] != ["not_helped"]


def test_a_bare_number_at_a_step_presses_its_button_at_that_place() -> None:
    # playtest 20: "2" picked from the menu but was not understood at a step
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    assert chat.labels[1] == "Hjalp ikke"
    chat.say("2")
    assert [e.outcome for e in chat.effects(StepResult)] == ["not_helped"]
    assert chat.state.step_index == 1
    chat.say("5")  # the place of "Snakk med IT", no answer a stray digit gives
    assert chat.state.phase is Phase.IN_FLOW and not chat.effects(StepResult)


def test_venting_that_reads_a_problem_weakly_is_frustration() -> None:
    # playtest 20: "dette er bortkastet tid" read "mailbox corrupt" at 0.30 and got the
    # step's "why"
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    chat.say("dette er bortkastet tid")
    assert chat.text == knowledge.text("frustrated_in_flow", "nb")


def test_a_fix_of_one_step_is_not_counted() -> None:
    # playtest 20: "Steg 1 av 1"
    knowledge = shipped()[0]
    [only] = knowledge.problems["sent-not-visible"].steps
    chat = real_chat("nb")
    chat.say("sendte mailer vises ikke i sendt-mappen")
    assert chat.state.problem == "sent-not-visible"
    assert f"**{knowledge.steps[only].title.nb}**" in chat.text
    assert "Steg 1 av 1" not in chat.text
    # playtest 27: nor in the reminder after a mistyped reply, nor when asked how many
    # steps are left
    chat.say("blorp")
    assert "steg 1 av 1" not in chat.text
    assert f"**{knowledge.steps[only].title.nb}**" in chat.text
    chat.say("hvor mange steg er det igjen?")
    assert "steg 1 av 1" not in chat.text and "eneste steget" in chat.text


@pytest.mark.parametrize(
    ("lang", "first", "asked"),
    [
        ("nb", "mail sendes ikke", "er det noe jeg kan gjøre selv mens jeg venter?"),
        ("en", "my mail won't send", "so what now?"),
    ],
)
def test_asked_what_to_do_while_it_has_the_case_offers_the_steps(
    lang: str, first: str, asked: str
) -> None:
    # playtest 20: "Takk, jeg har lagt det til i saken din", twice
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(first)
    chat.say("snakk med it" if lang == "nb" else "talk to IT")
    chat.say(asked)
    assert not chat.effects(CaseAddition)
    title = knowledge.problems["cannot-send"].title.get(lang)
    assert chat.text.startswith(knowledge.text("case_meanwhile_fix", lang, title=title))
    assert chat.labels == [title]


def test_asked_what_now_after_every_step_was_tried_is_told_it_takes_over() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mail sendes ikke")
    while chat.state.phase is Phase.IN_FLOW:
        chat.tap("Hjalp ikke")
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say("hva nå?")
    assert chat.text.startswith(knowledge.text("case_meanwhile_wait", "nb"))
    assert not chat.labels


@pytest.mark.parametrize(
    ("lang", "first", "said"),
    [
        ("nb", "mailen blir liggende i utboksen", "det er jobbmail, trur det er exchange"),
        ("en", "mail keeps asking for my password", "I don't have an Exchange account, it's gmail"),
    ],
)
def test_which_account_it_is_told_mid_fix_is_no_new_problem(
    lang: str, first: str, said: str
) -> None:
    # playtest 20: offered a switch to "work mail blocked" or "Google asks to verify"
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(first)
    problem, index = chat.state.problem, chat.state.step_index
    chat.say(said)
    assert chat.text == knowledge.text("account_noted", lang)
    assert (chat.state.phase, chat.state.problem, chat.state.step_index) == (
        Phase.IN_FLOW,
        problem,
        index,
    )


def test_a_whole_norwegian_sentence_after_an_english_one_is_answered_in_norwegian() -> None:
    # playtest 20: the case's status was read before the language, and came in English
    chat = real_chat("nb")
    chat.say("jobbmailen er blokkert på iphonen")
    chat.say("I don't have Intune or Company Portal, what do I do")
    chat.say("snakk med it")
    chat.say("hei, har IT sett på saken min? har ikke hørt noe")
    assert chat.state.language == "nb"
    assert chat.text == shipped()[0].text("case_status_open", "nb")


@pytest.mark.parametrize(
    ("said", "problem"),
    [
        ("sende", "cannot-send"),
        ("innboksen", "mail-not-updating"),
        ("the password one", "password-prompt"),
    ],
)
def test_a_short_reply_to_which_of_these_picks_the_choice_it_reads_as(
    said: str, problem: str
) -> None:
    # playtest 20: "sende" got "which of these?" again
    chat = real_chat("nb")
    chat.say("mailen funke ikkje")
    assert chat.state.phase is Phase.CHOOSING
    assert problem in chat.state.candidates
    chat.say(said)
    assert (chat.state.phase, chat.state.problem) == (Phase.IN_FLOW, problem)


def test_a_miss_after_a_miss_is_not_told_about_something_else_in_the_same_words() -> None:
    # playtest 20: "Det ser ut til å gjelde noe annet" three times in a row to dialect
    # follow-ups of a mail problem
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("hva blir været i morgen?")
    assert knowledge.text("none_outside", "nb") in chat.text
    chat.say("ka meine du med det? ka for ein konto")
    assert knowledge.text("none_outside_again", "nb") in chat.text
    assert chat.payloads == [payloads.HUMAN, payloads.OTHER]


@pytest.mark.parametrize(("lang", "said"), [("nb", "tja, vet ikke helt"), ("en", "not sure tbh")])
def test_not_knowing_a_checks_answer_says_how_to_go_on(lang: str, said: str) -> None:
    # playtest 20: "then you can't do this step yourself", as to "I can't"
    knowledge = shipped()[0]
    chat = at_step(lang, 2)  # "is the mail service up?"
    check = step_at(chat).check
    assert check is not None
    chat.say(said)
    fine, fault = check.fine.get(lang), check.fault.get(lang)
    assert chat.text == knowledge.text("check_unsure", lang, fine=fine, fault=fault)
    assert chat.state.step_index == 1 and not chat.effects(StepResult)
    assert chat.labels[:2] == [fine, fault]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "hjalp ikke, og nå får jeg ikke sendt heller"),
        ("en", "didn't help, and now I can't send either"),
    ],
)
def test_not_helped_and_another_fault_too_records_the_step_and_offers_the_switch(
    lang: str, said: str
) -> None:
    # playtest 20: only "let's try the next step"
    chat = real_chat(lang)
    chat.say("innboksen oppdateres ikke" if lang == "nb" else "my inbox isn't updating")
    chat.say(said)
    assert [e.outcome for e in chat.effects(StepResult)] == ["not_helped"]
    assert (chat.state.phase, chat.state.pending_switch) == (Phase.CONFIRM_SWITCH, "cannot-send")
    chat.tap("Nei, fortsett her" if lang == "nb" else "No, stay here")
    assert (chat.state.problem, chat.state.step_index) == ("mail-not-updating", 1)


def test_mail_that_works_only_on_another_network_is_no_fix() -> None:
    # playtest 21: "ja mobildata funker, mailen kommer når jeg er på 4G" at the VPN step
    # closed the case as solved by that step
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("får ikke koblet meg på wifi på kontoret, derfor kommer ikke mailen")
    assert chat.state.problem == "network-blocks-mail"
    chat.say("ja mobildata funker, mailen kommer når jeg er på 4G")
    assert chat.text == knowledge.text("works_sometimes_reply", "nb")
    assert chat.state.phase is Phase.IN_FLOW and not chat.effects(StepResult)
    # "når det kommer mail" names no network: a fix told is a fix
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    chat.say("nå plinger det igjen når det kommer mail, så det funket")
    assert chat.state.phase is Phase.RATING


@pytest.mark.parametrize(
    ("lang", "said"), [("nb", "jeg vet ikke hva smtp er"), ("en", "I don't know what SMTP is")]
)
def test_not_knowing_what_a_word_is_gets_its_explanation(lang: str, said: str) -> None:
    # playtest 21: "then you can't do this step yourself"
    chat = real_chat(lang)
    chat.say("innboksen oppdateres ikke" if lang == "nb" else "my inbox isn't updating")
    chat.say(said)
    assert chat.text.startswith("**SMTP**")


def test_a_password_typed_in_again_and_again_did_not_help() -> None:
    chat = real_chat("nb")
    chat.say("mailen spør om passord hele tiden")
    chat.say("jeg har tastet det inn ti ganger")
    assert [e.outcome for e in chat.effects(StepResult)] == ["not_helped"]


def test_the_account_told_mid_fix_passes_over_its_later_steps_and_reaches_it() -> None:
    # playtest 21: "det er gmail forresten" was thanked for, then the IMAP-only SMTP step
    # came all the same, and IT was told to ask which account it is
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mailen blir liggende i utboksen")
    chat.say("det er exchange forresten")
    chat.tap("Hjalp ikke")
    steps = knowledge.problems["cannot-send"].steps
    assert steps[chat.state.step_index] != "smtp-settings"
    assert knowledge.steps["smtp-settings"].title.nb in chat.text  # said it was passed
    chat.tap("Snakk med IT")
    [handoff] = chat.effects(HandoffRequest)
    assert isinstance(handoff, HandoffRequest)
    assert "Om kontoen: «det er exchange forresten»" in handoff.summary.splitlines()


def test_a_step_tried_for_another_problem_is_not_asked_again_after_a_switch() -> None:
    # playtest 19: "skriv inn passordet på nytt", done for the inbox, came again for sending
    chat = real_chat("nb")
    chat.say("mailen oppdateres ikke på iphonen")
    inbox = shipped()[0].problems["mail-not-updating"].steps
    while inbox[chat.state.step_index] != "reenter-password":
        chat.press(payloads.step("no", "mail-not-updating", chat.state.step_index + 1))
    chat.tap("Hjalp ikke")
    chat.say("egentlig er det sending som ikke virker, mailene blir i utboksen")
    chat.tap("Ja, bytt")
    sending = shipped()[0].problems["cannot-send"].steps
    assert sending.index("reenter-password") == 2
    chat.tap("Hjalp ikke")
    chat.tap("Hjalp ikke")
    assert chat.state.problem == "cannot-send"
    assert chat.state.step_index == 3
    assert "Dette har du allerede prøvd" in chat.text
    assert "Skriv inn passordet på nytt" in chat.text


def test_a_switch_declined_leaves_its_message_out_of_the_case() -> None:
    chat = real_chat("nb")
    chat.say("mailen oppdateres ikke på iphonen")
    chat.say("nei")
    chat.say("forresten, mail blir liggende i utboksen også")
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    chat.tap("Nei, fortsett her")
    chat.say("snakk med it")
    [handoff] = chat.effects(HandoffRequest)
    assert isinstance(handoff, HandoffRequest)
    assert handoff.problem == "mail-not-updating"
    assert "Meldingen om dette problemet" not in handoff.summary
    assert handoff.details["told_text"] is None


@pytest.mark.parametrize(("lang", "said"), [("nb", "hva er status?"), ("en", "what's the status?")])
def test_status_asked_after_a_handoff_is_not_added_to_the_case(lang: str, said: str) -> None:
    chat = real_chat(lang)
    chat.say("mail sendes ikke" if lang == "nb" else "my mail won't send")
    chat.say("snakk med it" if lang == "nb" else "talk to IT")
    chat.say(said)
    assert not chat.effects(CaseAddition)


@pytest.mark.parametrize(
    "said", ["it's not a false alarm, they're still sending spam", "was it a false alarm?"]
)
def test_a_false_alarm_denied_or_asked_after_a_handoff_does_not_withdraw_the_case(
    said: str,
) -> None:
    # a review of round ten: "false alarm" withdrew the case whatever was said of it
    chat = real_chat("en")
    chat.say("someone hacked my mail, it sends spam")
    chat.say(said)
    assert shipped()[0].text("case_added_mistake", "en") not in chat.text
    assert chat.last.status is Status.HANDED_OFF


def test_more_about_a_break_in_after_its_urgent_handoff_is_a_note_not_a_second_case() -> None:
    chat = real_chat("nb")
    chat.say("noen har hacket mailen min")
    chat.say("de har også logget inn fra Russland på kontoen min")
    assert len(chat.effects(CaseAddition)) == 1


@pytest.mark.parametrize(
    ("said", "down"),
    [("hvordan ser jeg om den er nede?", False), ("jeg vet ikke om den er nede", False)],
)
def test_a_question_or_not_knowing_at_the_outage_check_is_no_answer(said: str, down: bool) -> None:
    chat = real_chat("nb")
    chat.say("mailen oppdaterer seg ikke")
    chat.press(payloads.step("no", "mail-not-updating", 1))
    chat.say(said)
    assert (chat.last.status is Status.HANDED_OFF) is down
    assert chat.state.step_index == 1


@pytest.mark.parametrize(("lang", "urgent"), [("nb", "det haster!"), ("en", "this is urgent")])
def test_urgency_mid_fix_offers_a_person_and_closes_nothing(lang: str, urgent: str) -> None:
    # playtest 16: "det haster!" read as "det funka" and closed the fix as solved
    knowledge = shipped()[0]
    chat = at_step(lang, 2)
    chat.say(urgent)
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 1
    assert chat.effects(StepResult) == [] and not chat.effects(HandoffRequest)
    assert knowledge.text("urgent_in_flow", lang) in chat.text
    assert knowledge.text("button_human", lang) in chat.labels
    # with a fault of its own, the fault is what counts
    chat.say(
        "det haster, og nå får jeg ikke sendt heller"
        if lang == "nb"
        else "urgent: now I can't send either"
    )
    assert knowledge.text("urgent_in_flow", lang) not in chat.text


def test_urgency_after_a_handoff_is_news_for_the_case_not_a_fix() -> None:
    knowledge = shipped()[0]
    chat = at_step("nb", 2)
    chat.press(payloads.HUMAN)
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say("det haster!")
    # the whole answer: not "usually within one working day" after it
    assert chat.text == knowledge.text("case_added_urgent", "nb")
    assert [a.text for a in chat.effects(CaseAddition)] == ["det haster!"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nb", "takk. hvor lang tid tar det?"),
        ("nb", "har jeg et saksnummer?"),
        ("en", "when will someone contact me?"),
    ],
)
def test_asking_after_the_case_with_thanks_or_in_other_words_gets_its_status(
    lang: str, text: str
) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 2)
    chat.press(payloads.HUMAN)
    chat.say(text)
    assert chat.text == knowledge.text("case_status_open", lang)
    assert chat.effects(CaseAddition) == []


def test_taking_it_in_english_is_a_language_switch_mid_fix() -> None:
    chat = at_step("nb", 2)
    chat.say("kan du ta det på engelsk?")
    assert chat.state.language == "en" and chat.state.step_index == 1


def test_forgot_to_check_is_no_forget_it() -> None:
    # "glemte" shares its lemma with "glem det" (stop): playtest 17 ended the fix here
    chat = at_step("nb", 2)
    chat.say("jeg glemte å sjekke port nummeret, hvilket skal det være?")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 1


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nb", "jeg fikk en mail som ba om passordet, og jeg skrev det inn"),
        ("en", "I got an email asking for my password and I entered it"),
    ],
)
def test_a_phishing_mail_told_with_the_password_typed_in_is_the_alarm(lang: str, text: str) -> None:
    # the phishing answer said "sounds like spam, not a break-in" and then asked whether a
    # password was typed in, which the message had told already
    chat = real_chat(lang)
    chat.say(text)
    assert (chat.state.phase, chat.state.problem) == (Phase.HANDED_OFF, "account-compromised")


@pytest.mark.parametrize(
    "text",
    [
        "fikk en mail som ber meg skrive inn passordet mitt",  # asked for, not given
        "fikk en phishing-mail, har ikke skrevet inn noe",
    ],
)
def test_a_phishing_mail_asking_for_the_password_gets_the_phishing_answer(text: str) -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say(text)
    assert chat.state.answered_lookalike == "phishing-received"
    assert knowledge.lookalikes["phishing-received"].answer.get("nb") in chat.text
    assert not chat.effects(HandoffRequest)


def test_small_talk_is_no_description_for_a_case() -> None:
    # playtest 17: "how are you today?" became the case's first text, and the request for
    # a person after it opened a case with nothing in it
    chat = real_chat("en")
    for text in ("hi", "are you a bot?", "how are you today?", "talk to a human please"):
        chat.say(text)
    assert chat.state.first_text is None
    assert chat.effects(HandoffRequest) == []
    assert chat.state.awaiting_problem
    # a fault of something else is a description, for IT if not for fixbot
    chat = real_chat("nb")
    chat.say("skriveren virker ikke")
    assert chat.state.first_text == "skriveren virker ikke"


@pytest.mark.parametrize(
    ("lang", "said", "feedback"),
    [
        # playtest 17: "about something other than Mail on iPhone", or a menu of problems
        ("en", "could have been quicker but ok", True),
        ("en", "the bot should have told me that first tbh", True),
        ("nb", "det kunne gått fortere", True),
        # review: "raskere", "faster" made these questions "Takk for tilbakemeldingen!"
        ("nb", "hvordan får jeg mailen til å komme raskere", False),
        ("nb", "burde jeg gjøre det samme på ipaden", False),
        ("en", "is there a way to make mail sync faster", False),
    ],
)
def test_a_judgement_after_the_rating_is_feedback_unless_asked(
    lang: str, said: str, feedback: bool
) -> None:
    chat = real_chat(lang)
    chat.say(UPDATING_NB if lang == "nb" else "mail on my iphone does not fetch new messages")
    chat.say("det funket" if lang == "nb" else "that worked")
    chat.say("4")
    chat.say(said)
    assert (chat.text == shipped()[0].text("rating_thanks", lang)) is feedback


ONE_SENDER = {
    "nb": "får ikke mail fra skolen, alt annet kommer",
    "en": "I never get emails from my kids school, everything else arrives",
}


@pytest.mark.parametrize(
    ("lang", "at", "said", "outcome"),
    [
        # found where the step looked: the fault is found (playtest 17: not understood)
        ("en", 2, "found it, the school was in my blocked list!! thanks", "worked"),
        ("nb", 2, "fant henne, hun sto under Blokkert", "worked"),
        ("en", 1, "found it in junk!", "worked"),
        # looked and found nothing: the step did not help (it offered another problem)
        ("nb", 2, "hun var ikke blokkert", "not_helped"),
        ("en", 1, "didn't find it in junk either", "not_helped"),
        ("nb", 2, "blokkert-listen var tom", "not_helped"),
        ("en", 2, "nobody is blocked", "not_helped"),
    ],
)
def test_what_a_step_looked_for_found_or_not(lang: str, at: int, said: str, outcome: str) -> None:
    chat = real_chat(lang)
    chat.say(ONE_SENDER[lang])
    assert chat.state.problem == "one-sender-missing"
    for number in range(1, at):
        chat.press(payloads.step("no", "one-sender-missing", number))
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert (result.step_number, result.outcome) == (at, outcome)


def test_frustration_in_the_plural_is_heard() -> None:
    # playtest 17: "Greit, da går vi videre." with no word for how it was said
    chat = at_step("nb", 2)
    chat.say("dette har jeg prøvd 100 ganger, dere er ubrukelige")
    assert chat.text.startswith(shipped()[0].text("step_moved_on_upset", "nb"))


def test_no_admin_password_at_the_quarantine_check_is_no_answer_to_it() -> None:
    # playtest 17: the "ikke" of "Nei, ikke blokkert" read "eg har ikkje admin-passord"
    # as "not blocked", and the check was passed
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("jobbmailen er blokkert på iphonen, står at enheten er i karantene")
    assert chat.state.problem == "exchange-blocked" and chat.state.step_index == 0
    chat.say("eg har ikkje admin-passord")
    assert chat.state.step_index == 0 and chat.effects(StepResult) == []
    assert knowledge.text("unable_reply", "nb") in chat.text
    chat.say("den er ikke blokkert")  # the label's words, negation and all, still answer
    assert chat.state.step_index == 1


@pytest.mark.parametrize(
    ("lang", "told", "asked"),
    [
        ("nb", "jobbmailen sier at telefonen er blokkert", False),
        ("en", "work mail says my iphone is in quarantine", False),
        ("nb", "jobbmailen synker ikke, den er ikke blokkert, exchange", True),
    ],
)
def test_a_check_the_description_answered_says_so_instead_of_asking(
    lang: str, told: str, asked: bool
) -> None:
    # the quarantine check asked "does Mail or IT say the phone is blocked?" right after
    # "jobbmailen sier at telefonen er blokkert" (Check.told_if)
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(told)
    assert chat.state.problem == "exchange-blocked" and chat.state.step_index == 0
    check = knowledge.steps["exchange-quarantine"].check
    assert check is not None
    question = check.question.get(lang)
    told_line = knowledge.text("check_told", lang, fault=check.fault.get(lang))
    assert (question in chat.text) is asked and (told_line in chat.text) is not asked
    assert check.fault.get(lang) in chat.labels  # the answer is still the person's to give


@pytest.mark.parametrize(
    "said", ["IT har ikke sagt noe", "står ikke noe om karantene", "ikke som jeg vet"]
)
def test_a_no_in_other_words_at_the_quarantine_check_is_not_blocked(said: str) -> None:
    # review: with negations left out of the answers' own words these were a case for IT,
    # a switch or "I can't do that"; the "unable" reading is asked of the act model instead
    chat = real_chat("nb")
    chat.say("jobbmailen er blokkert på iphonen, står at enheten er i karantene")
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert (result.step_id, result.outcome) == ("exchange-quarantine", "not_helped")
    assert chat.state.step_index == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "wait, I think low power mode is on. does that matter?"),
        ("nb", "strømsparing er på, har det noe å si?"),
    ],
)
def test_a_question_about_a_later_step_says_it_is_coming(lang: str, said: str) -> None:
    # playtest 17: the step's own "why" and "that's all I have", then the next step was
    # the one asked about
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "ny mail kommer først når jeg åpner mail-appen"
        if lang == "nb"
        else "new mail only shows up when I open the Mail app"
    )
    assert chat.state.problem == "only-when-open" and chat.state.step_index == 0
    chat.say(said)
    steps = knowledge.problems["only-when-open"].steps
    title = knowledge.steps["low-power-mode"].title.get(lang)
    n = steps.index("low-power-mode") + 1
    assert chat.text.startswith(knowledge.text("step_later", lang, n=n, title=title))
    assert chat.state.step_index == 0 and chat.effects(StepResult) == []


@pytest.mark.parametrize(
    ("lang", "said", "moved"),
    [
        # review: urgency won over the answer, the request and its own negation
        ("nb", "hjalp ikke, og det haster", True),
        ("nb", "hopp over, det haster", True),
        ("nb", "det haster ikke", False),
        ("en", "it's not urgent", False),
    ],
)
def test_urgency_beside_an_answer_or_denied_is_not_the_urgency_reply(
    lang: str, said: str, moved: bool
) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 1)
    chat.say(said)
    assert knowledge.text("urgent_in_flow", lang) not in chat.text
    assert (chat.state.step_index == 1) is moved


def test_urgency_with_a_request_for_a_person_hands_off() -> None:
    chat = at_step("en", 1)
    chat.say("urgent, can I talk to a human?")
    assert chat.state.phase is Phase.HANDED_OFF


def test_urgency_denied_after_a_handoff_is_not_noted_as_urgent() -> None:
    knowledge = shipped()[0]
    chat = at_step("nb", 2)
    chat.press(payloads.HUMAN)
    chat.say("det haster ikke, bare når dere får tid")
    assert knowledge.text("case_added_urgent", "nb") not in chat.text


def test_found_nothing_there_but_something_after_is_not_the_step_failing() -> None:
    # review: "men nå kom mailen" is the news, not "didn't help"
    chat = real_chat("nb")
    chat.say(ONE_SENDER["nb"])
    chat.say("ingenting i søppelpost, men nå kom mailen")
    assert not [r for r in chat.effects(StepResult) if r.outcome == "not_helped"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [("nb", "det var det"), ("en", "that was it"), ("nb", "ja, det var alt")],
)
def test_function_words_said_just_so_still_tell_it_worked(lang: str, said: str) -> None:
    # review: the word of its own a decisive act needs took these from "worked"
    chat = at_step(lang, 1)
    chat.say(said)
    assert chat.last.status is Status.RESOLVED


def test_something_else_under_an_answer_after_a_fix_is_the_menu() -> None:
    # review: "Noe annet" worked only in the idle phase; after a fix it was a stale button
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say("det funket")
    chat.say("fikk en rar mail med lenke, er det svindel?")
    assert payloads.OTHER in chat.payloads
    chat.press(payloads.OTHER)
    assert shipped()[0].text("menu_prompt", "nb") in chat.text
    assert shipped()[0].text("stale_button", "nb") not in chat.text


def test_something_else_for_it_is_a_description_for_the_case() -> None:
    # review: "about something else" is no small talk: IT may help with it
    chat = real_chat("nb")
    chat.say("printeren på 3. etasje er tom for papir")
    assert chat.state.first_text == "printeren på 3. etasje er tom for papir"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "no outage"),
        ("en", "no issues reported"),
        ("en", "nope, nothing down"),
        ("nb", "ingen problemer der"),
    ],
)
def test_trouble_denied_at_the_outage_check_is_the_service_up(lang: str, said: str) -> None:
    # review: the label "No, it's down" shares "no" with these, which were handed off
    chat = at_step(lang, 2)
    chat.say(said)
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 2
    assert not chat.effects(HandoffRequest)


@pytest.mark.parametrize(("lang", "said"), [("en", "No, it's down"), ("nb", "Nei, den er nede")])
def test_the_outage_answer_in_its_own_words_is_still_the_outage(lang: str, said: str) -> None:
    chat = at_step(lang, 2)
    chat.say(said)
    assert chat.state.phase is Phase.HANDED_OFF


@pytest.mark.parametrize(
    ("lang", "said"), [("nb", "kan dere ringe meg?"), ("en", "can someone call me?")]
)
def test_a_call_asked_for_after_a_handoff_asks_for_the_number(lang: str, said: str) -> None:
    # playtest 17: only noted, with no number for IT to call
    knowledge = shipped()[0]
    chat = at_step(lang, 2)
    chat.press(payloads.HUMAN)
    chat.say(said)
    assert chat.text.startswith(knowledge.text("case_added_call", lang))
    assert [a.text for a in chat.effects(CaseAddition)] == [said]
    chat.say("ring meg på 955 12 345" if lang == "nb" else "call me on 955 12 345")
    assert knowledge.text("case_added_call", lang) not in chat.text  # the number is given


SENDING = {"nb": "jeg får ikke sendt mail fra iphonen", "en": "I can't send email from my iPhone"}


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "utboksen er tom, ingenting står fast der"),
        ("en", "the outbox is empty"),
        ("en", "no attachments on it at all"),  # "just"/"bare" is no turn to news
        ("en", "there are no attachments, it's just a short text"),
    ],
)
def test_nothing_where_the_outbox_step_looks_is_the_step_not_helping(lang: str, said: str) -> None:
    # playtest 18: "Utboksen var tom. Ingen vedlegg" got "that is what we are working on"
    chat = real_chat(lang)
    chat.say(SENDING[lang])
    assert chat.state.problem == "cannot-send" and chat.state.step_index == 0
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert (result.step_number, result.outcome) == (1, "not_helped")
    assert chat.state.step_index == 1


def test_a_correction_to_another_problem_is_offered_not_called_the_same() -> None:
    # playtest 18: the problem under way was second among the candidates, and the reply
    # got "Det er akkurat det vi jobber med nå"; the person stayed in the wrong fix
    chat = real_chat("en")
    chat.say(SENDING["en"])
    chat.say("hold on, it's actually receiving that's broken, no new mail comes in")
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    assert chat.state.pending_switch == "mail-not-updating"


def test_a_weak_reading_of_the_alarm_mid_fix_is_asked_not_raised() -> None:
    # playtest 18: a sending complaint read as a hacked account at 0.14 started the
    # urgent handoff at once; a clear break-in still does (test above, playtest 16)
    chat = at_step("en", 1)
    chat.say("actually my problem is that mail I send doesn't reach people")
    assert chat.state.phase is not Phase.HANDED_OFF
    assert chat.effects(HandoffRequest) == []


def test_giving_up_at_a_check_stops_and_offers_the_way_back_and_a_person() -> None:
    # playtest 18: "jeg gir opp" at the service-status check was read as its answer and
    # the fix went on; a stop offered nobody
    chat = at_step("nb", 2)
    assert chat.state.step_index == 1 and step_at(chat).check is not None
    chat.say("jeg gir opp")
    assert chat.state.phase is Phase.ENDED and chat.effects(StepResult) == []
    assert chat.payloads == [payloads.RESUME, payloads.HUMAN]
    chat.press(payloads.HUMAN)
    assert chat.state.phase is Phase.HANDED_OFF
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "asked"


def test_a_check_is_still_answered_in_words_after_the_commands_come_first() -> None:
    chat = at_step("nb", 2)
    chat.say("ja den er oppe")
    [result] = chat.effects(StepResult)
    assert result.step_number == 2 and chat.state.step_index == 2


@pytest.mark.parametrize(
    ("lang", "said", "works"),
    [
        ("en", "hang on, the email just went through! never mind", True),
        ("nb", "vent, nå gikk den! glem det", True),
        ("en", "never mind, it still doesn't work", False),
        ("nb", "det virket i går. i dag samme feil", False),
    ],
)
def test_it_works_before_a_stop_after_a_handoff_is_news_for_the_case(
    lang: str, said: str, works: bool
) -> None:
    # playtest 18: "oh wait, it just went through! never mind" was only "added to the case"
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(SENDING[lang])
    chat.press(payloads.HUMAN)
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say(said)
    assert chat.text.startswith(knowledge.text("case_added_works", lang)) is works
    assert chat.state.phase is Phase.HANDED_OFF  # IT closes the case, the person is told


def test_stopping_because_it_works_now_is_the_step_that_helped() -> None:
    # playtest 18: "glem det, nå kom de plutselig inn" stopped the fix instead of solving it
    chat = at_step("nb", 1)
    chat.say("glem det, nå kom mailene plutselig inn")
    [result] = chat.effects(StepResult)
    assert (result.step_number, result.outcome) == (1, "worked")


def test_giving_up_because_of_the_effort_is_a_stop_not_an_aside() -> None:
    # "orker ikke" is a fault's word for the aside check (another app's fault, said so)
    chat = at_step("nb", 1)
    chat.say("glem det, orker ikke mer")
    assert chat.state.phase is Phase.ENDED


def test_a_person_asked_for_mid_fix_is_not_told_the_steps_ran_out() -> None:
    # playtest 18: "kan jeg få snakke med IT?" at step 1 of 8 opened "Nå bør IT se på
    # det", the problem's text for when the steps have run out
    knowledge = shipped()[0]
    escalation = knowledge.problems["mail-not-updating"].escalation.get("nb")
    chat = at_step("nb", 1)
    chat.say("kan jeg få snakke med noen på IT?")
    assert chat.state.phase is Phase.HANDED_OFF
    assert escalation not in chat.text
    chat = at_step("nb", 1)
    for number in range(1, 9):  # every step tried: the case says what IT will check
        chat.press(payloads.step("no", "mail-not-updating", number))
    assert chat.state.phase is Phase.HANDED_OFF and escalation in chat.text


@pytest.mark.parametrize(
    ("said", "asked"),
    [("kan noen ringe meg?", True), ("kan noen fra IT ringe meg på 912 34 567?", False)],
)
def test_a_call_asked_for_mid_fix_asks_for_the_number(said: str, asked: bool) -> None:
    # playtest 18: the case went to IT with no number to call and no question about it
    knowledge = shipped()[0]
    chat = at_step("nb", 1)
    chat.say(said)
    assert chat.state.phase is Phase.HANDED_OFF
    assert chat.text.endswith(knowledge.text("case_added_call", "nb")) is asked


CASE_NEWS_KEYS = ("password_changed", "change_password")


@pytest.mark.parametrize(
    ("lang", "said", "lead"),
    [
        # playtest 18: both were only "added to the case", with "change it now" after
        ("nb", "hvordan endrer jeg passordet på jobbkontoen? finner det ikke", "change_password"),
        ("en", "ok I changed the password on my work laptop. what now?", "password_changed"),
        ("nb", "har byttet passordet fra PC-en nå", "password_changed"),
        # no news: not done, or done by IT
        ("en", "I haven't changed the password yet", None),
        ("en", "IT changed the password, what is the new one?", None),
    ],
)
def test_password_news_and_questions_after_a_break_in_in_other_words(
    lang: str, said: str, lead: str | None
) -> None:
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "someone logged into my email from another country"
        if lang == "en"
        else "noen har logget inn på mailen min fra utlandet"
    )
    assert chat.state.problem == "account-compromised"
    chat.say(said)
    leads = {key: knowledge.text(f"case_added_{key}", lang) for key in CASE_NEWS_KEYS}
    found = [key for key, text in leads.items() if chat.text.startswith(text)]
    assert found == ([] if lead is None else [lead])


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "how many more steps are there?"),
        ("nb", "hvor mange steg er det igjen?"),
        ("nb", "hvor lang tid tar alle stegene til sammen?"),
    ],
)
def test_how_far_the_fix_has_come_is_answered(lang: str, said: str) -> None:
    # playtest 18: "how many steps more?" was not understood, and "hvor lang tid tar alle
    # stegene til sammen?" got the minutes of the step alone
    knowledge = shipped()[0]
    problem = knowledge.problems["mail-not-updating"]
    chat = at_step(lang, 3)
    chat.say(said)
    minutes = sum(knowledge.steps[step_id].minutes for step_id in problem.steps[2:])
    expected = knowledge.text("step_progress", lang).format(
        n=3, total=len(problem.steps), minutes=minutes
    )
    assert chat.text == expected
    assert chat.state.step_index == 2 and chat.effects(StepResult) == []


def test_the_step_before_again_is_no_question_of_progress() -> None:
    # "steg igjen" is in both "hvor mange steg er det igjen?" and this
    chat = at_step("nb", 3)
    chat.say("kan du vise forrige steg igjen?")
    assert chat.state.step_index == 1


@pytest.mark.parametrize(
    "said", ["kollegaen min får mail helt fint", "sjefen sier at mailen virker for ham"]
)
def test_mail_that_works_for_someone_else_at_the_outage_check_is_the_service_up(
    said: str,
) -> None:
    # playtest 18: "kollegaen min får mail fint" was offered "others have it too", the
    # opposite; "... virker for henne" got the look-alike of someone else's hacked account
    chat = at_step("nb", 2)
    assert step_at(chat).check is not None and step_at(chat).check.outage
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert result.step_number == 2 and chat.state.step_index == 2


@pytest.mark.parametrize(
    ("said", "problem"),
    [
        ("Ja, bytt", "mail-not-updating"),
        ("bytt", "mail-not-updating"),
        ("yes switch", "mail-not-updating"),
        ("Nei, fortsett her", "cannot-send"),
        ("stay here", "cannot-send"),
    ],
)
def test_a_switch_offers_button_typed_is_pressed(said: str, problem: str) -> None:
    # playtest 19: "Ja, bytt" typed was not understood, and the offer was lost
    chat = real_chat("nb")
    chat.say(SENDING["nb"])
    chat.say("vent, det er egentlig mottak som er problemet, det kommer ingen nye mailer inn")
    assert chat.state.phase is Phase.CONFIRM_SWITCH
    chat.say(said)
    assert chat.state.phase is Phase.IN_FLOW and chat.state.problem == problem


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        # playtest 19: each reopened the solved fix at its next step
        ("litt mange steg, men det gikk", "rating_thanks"),
        ("men det var litt tungvint", "rating_thanks"),
        ("ikke noe mer, takk", "bye_reply"),
    ],
)
def test_remarks_after_a_rated_fix_do_not_reopen_it(said: str, reply: str) -> None:
    knowledge = shipped()[0]
    chat = at_step("nb", 1)
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    chat.press(payloads.rate(4))
    assert chat.state.rated
    chat.say(said)
    assert chat.text.startswith(knowledge.text(reply, "nb"))
    assert chat.effects(StepResult) == [] and chat.state.phase is Phase.RATING


def test_the_fault_back_after_a_rated_fix_reopens_it() -> None:
    chat = at_step("nb", 1)
    chat.press(payloads.step("ok", "mail-not-updating", 1))
    chat.press(payloads.rate(4))
    chat.say("det har slutta å virke igjen")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "there is a security alert, it says a Windows PC in Lagos, that's not me"),
        ("nb", "nei, det var ikke meg"),
    ],
)
def test_a_sign_in_disowned_at_the_google_step_is_the_break_in(lang: str, said: str) -> None:
    # playtest 19: the step says "tap No and tell me here: your account may be hacked";
    # the reply got the step again, or "didn't help" and the next step
    chat = real_chat(lang)
    chat.say(
        "Google keeps asking me to verify my iPhone, sign-in blocked"
        if lang == "en"
        else "Google ber meg bekrefte at det er meg, påloggingen er blokkert"
    )
    assert chat.state.problem == "gmail-verify" and step_at(chat).if_disowned
    chat.say(said)
    assert (chat.state.problem, chat.state.phase) == ("account-compromised", Phase.HANDED_OFF)
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "urgent"


@pytest.mark.parametrize(
    ("said", "asked"),
    [
        ("ok men nå kommer det en feilmelding", True),
        ("det kom ei feilmelding nå", True),
        ("ingen feilmelding, det skjer bare ingenting", False),
        ("det står: Kan ikke hente e-post", False),  # what it says is told
        ("nope, fortsatt samme feilmelding", False),  # told before: didn't help
    ],
)
def test_an_error_told_without_its_words_is_asked_for(said: str, asked: bool) -> None:
    # playtest 19: read as "didn't help", and the next step shown
    knowledge = shipped()[0]
    chat = at_step("nb", 1)
    chat.say(said)
    assert (chat.text == knowledge.text("error_what", "nb")) is asked
    if asked:
        assert chat.state.step_index == 0 and chat.effects(StepResult) == []


@pytest.mark.parametrize(
    ("lang", "said", "asked"),
    [
        ("nb", "funker ikke", True),
        ("en", "it doesn't work", True),
        ("nb", "printeren virker ikke", False),  # another thing named: about it, not ours
    ],
)
def test_a_fault_told_of_nothing_first_is_asked_what(lang: str, said: str, asked: bool) -> None:
    # playtest 19: "funker ikke" got "I didn't understand, I only help with Mail"
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(said)
    assert (knowledge.text("fault_unnamed", lang) in chat.text) is asked
    if asked:
        menu = [p.title.get(lang) for p in knowledge.problems.values() if not p.urgent]
        assert set(menu) & set(chat.labels)


@pytest.mark.parametrize(
    ("lang", "said", "term"),
    [
        # playtest 19: the step's "why", or "that's all I know about this step"
        ("nb", "hva er egentlig forskjellen på push og hent?", "term-fetch-new-data"),
        ("nb", "hva e SMTP for nåkka?", "term-smtp"),
        ("en", "IT told me to make an app password, what is that?", "term-app-password"),
    ],
)
def test_a_word_of_the_steps_asked_about_anywhere_in_a_question_is_explained(
    lang: str, said: str, term: str
) -> None:
    knowledge = shipped()[0]
    chat = at_step(lang, 1)
    chat.say(said)
    assert knowledge.glossary[term].text.get(lang) in chat.text
    assert chat.state.step_index == 0 and chat.effects(StepResult) == []


# --- a review of round thirteen's rules: ordinary messages they must leave alone ------


def test_mail_from_me_that_does_not_arrive_is_no_break_in() -> None:
    chat = real_chat("nb")
    chat.say("mailen blir liggende i utboksen")
    chat.say("hjalp ikke. kollegaene mine får fortsatt ikke mailene fra meg")
    assert chat.state.phase is not Phase.HANDED_OFF
    assert chat.state.problem == "cannot-send"


def test_not_knowing_what_is_wrong_in_a_first_message_is_the_fault_it_tells() -> None:
    chat = real_chat("nb")
    chat.say("vet ikke hva som er galt, mailene blir liggende i utboksen")
    assert chat.state.problem == "cannot-send"


def test_an_exchange_account_denied_does_not_pass_over_the_smtp_step() -> None:
    knowledge = shipped()[0]
    chat = real_chat("en")
    chat.say("my mail won't send, it sits in the outbox")
    chat.say("I don't have an Exchange account, it's gmail")
    chat.tap("Didn't help")
    steps = knowledge.problems["cannot-send"].steps
    assert steps[chat.state.step_index] == "smtp-settings"


@pytest.mark.parametrize(
    "said", ["det funker nå når jeg har skrudd på mobildata for Mail", "nå funker det, bare fint"]
)
def test_a_fix_told_with_a_network_now_is_a_fix(said: str) -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    chat.say(said)
    assert chat.state.phase is Phase.RATING


def test_a_step_not_done_yet_is_not_recorded_as_not_helped() -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    chat.say("jeg har ikke gjort det, for jeg finner ikke innstillingen")
    assert not chat.effects(StepResult)


def test_also_tried_something_is_no_second_fault() -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    chat.say("hjalp ikke, har også prøvd å slå av wifi")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.pending_switch is None


def test_asked_for_english_mid_fix_says_it_switched() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    chat.say("can you write in English from now on?")
    assert chat.state.language == "en"
    assert knowledge.text("language_switched", "en") in chat.text


@pytest.mark.parametrize("said", ["²", "١", "0", "12"])
def test_a_digit_that_is_no_button_place_presses_nothing(said: str) -> None:
    chat = real_chat("nb")
    chat.say("innboksen oppdateres ikke")
    chat.say(said)
    assert chat.state.step_index == 0 and not chat.effects(StepResult)


def test_not_knowing_a_checks_answer_in_a_hurry_offers_a_person_too() -> None:
    # playtest 22: "Vet du at flere har samme feil" at the quarantine check (the outage
    # check's words), and nothing for "jeg har et møte om 10 min og trenger mailen NÅ"
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("jobbmailen min virker ikke, exchange")
    assert chat.state.problem == "exchange-blocked" and chat.state.step_index == 0
    chat.say(
        "jeg vet ikke?? dette er så irriterende, jeg har et møte om 10 min og trenger mailen NÅ"
    )
    assert knowledge.text("urgent_in_flow", "nb") in chat.text
    assert "flere har samme feil" not in chat.text and "Ja, den er blokkert" in chat.text
    assert chat.state.step_index == 0 and chat.effects(StepResult) == []
    chat.say("vet ikke")  # no hurry told: how to answer, and no person pressed on them
    assert knowledge.text("urgent_in_flow", "nb") not in chat.text


def test_an_exchange_account_told_at_the_imap_folder_step_skips_it() -> None:
    # playtest 22: "det er jobbkontoen (exchange tror jeg)" at "Koble mappene til serveren"
    # (IMAP only, as the step says) got the step again, then the hacked-account alarm
    chat = real_chat("nb")
    chat.say("sendt e-post vises ikke i sendt-mappen på pc-en")
    assert chat.state.problem == "sent-not-visible"
    chat.say("hmm jeg har ikke noe som heter avansert. det er jobbkontoen (exchange tror jeg)")
    [result] = chat.effects(StepResult)
    assert (result.step_id, result.outcome) == ("mailbox-mapping", "skipped")
    assert chat.state.problem == "sent-not-visible" and chat.state.phase is Phase.HANDED_OFF


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "det funka! men nå kommer ikke ny mail inn også"),
        ("en", "that worked, but now new mail doesn't arrive too"),
    ],
)
def test_a_step_that_worked_and_a_second_fault_credits_it_and_starts_the_next(
    lang: str, said: str
) -> None:
    # playtest 22: "didn't help" was recorded for the step that fixed sending, and the
    # password prompt offered for the answer's "passordet"
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say("mail blir liggende i utboksen" if lang == "nb" else "mail is stuck in my outbox")
    assert chat.state.problem == "cannot-send"
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert result.problem == "cannot-send" and result.outcome == "worked"
    assert chat.state.problem == "mail-not-updating" and chat.state.phase is Phase.IN_FLOW
    title = knowledge.problems["cannot-send"].title.get(lang)
    assert knowledge.text("worked_then_next", lang, title=title) in chat.text


def test_a_second_fault_after_an_answer_the_model_cannot_read_is_offered_as_itself() -> None:
    # the words before the second fault read as no answer: the whole reply's reading, and
    # the second fault read from its own clause ("passordet" is not the other problem)
    chat = real_chat("nb")
    chat.say("mail blir liggende i utboksen")
    chat.say("ja det va passordet. men no får æ ikkje motta heller, innboksen e tom")
    assert chat.state.pending_switch == "mail-not-updating"


@pytest.mark.parametrize(
    ("lang", "asked"),
    [
        ("nb", "mister eg mailane mine om eg slår av den bryteren? eg har pop konto trur eg"),
        ("en", "will I lose my emails if I do that?"),
    ],
)
def test_asked_what_a_step_loses_the_step_says_what_it_costs(lang: str, asked: str) -> None:
    # playtest 22: "Hvorfor dette steget: ..." answered "will I lose my mail?", and the POP
    # account's risk was never said
    knowledge = shipped()[0]
    chat = at_step(lang, 3)  # Slå Mail av og på
    step = knowledge.steps["toggle-mail"]
    assert step.cost is not None
    chat.say(asked)
    assert step.cost.get(lang) in chat.text and "POP" in chat.text
    assert step.why.get(lang) not in chat.text
    assert chat.state.step_index == 2 and chat.effects(StepResult) == []


def test_a_handoff_of_another_problem_while_a_case_is_open_is_a_case_of_its_own() -> None:
    # only the same problem joins the open case: a new fault is IT's to see as new
    chat = real_chat("nb")
    chat.say("jobbmailen på iphonen er blokkert, exchange")
    chat.tap("Snakk med IT")
    assert chat.state.phase is Phase.HANDED_OFF and chat.effects(HandoffRequest)
    chat.say("sendte mailer blir liggende i utboksen nå også")
    chat.tap(chat.labels[0])  # the other problem's fix, offered
    assert chat.state.problem == "cannot-send" and chat.state.case_before
    chat.tap("Snakk med IT")
    assert chat.effects(HandoffRequest) and not chat.effects(CaseAddition)


def test_a_case_closed_by_it_is_not_carried_into_the_next_conversation() -> None:
    chat = real_chat("nb")
    chat.say("jobbmailen på iphonen er blokkert, exchange")
    chat.tap("Snakk med IT")
    chat.case_status = "closed"
    chat.say("sendte mailer blir liggende i utboksen nå")
    chat.tap(chat.labels[0])
    assert chat.state.problem == "cannot-send" and not chat.state.case_before


@pytest.mark.parametrize(("lang", "said"), [("en", "not really"), ("nb", "egentlig ikke")])
def test_a_softened_no_at_a_step_is_didnt_help(lang: str, said: str) -> None:
    # playtest 22: "not really" got "You're welcome!", "egentlig ikke" was not understood
    chat = at_step(lang, 1)
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert result.outcome == "not_helped" and chat.state.step_index == 1


def test_after_a_break_in_is_handed_off_the_follow_ups_are_answered() -> None:
    # playtest 22: "har byttet passord nå. men ... ikke" got "Har du ikke byttet passordet
    # ennå, gjør det nå"; how to turn on two-step verification and whether someone set
    # up forwarding were only added to the case
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("tror mailen min er hacket, venner får spam fra meg")
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say("har byttet passord nå. men mailen på iphonen henter fortsatt ikke noe")
    assert chat.text == knowledge.text("case_added_password_changed", "nb")
    assert chat.effects(CaseAddition)
    chat.say("hvordan slår jeg på totrinnsbekreftelse?")
    assert chat.text == knowledge.glossary["term-two-step"].text.nb
    chat.say("kan noen ha lagt inn videresending på kontoen min?")
    assert chat.text == knowledge.glossary["term-forwarding"].text.nb
    assert chat.state.phase is Phase.HANDED_OFF


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "sjekka telenor sin side, der står det ingenting om feil"),
        ("en", "checked their status page, nothing about an outage"),
    ],
)
def test_nothing_wrong_found_at_the_service_check_is_its_fine_answer(lang: str, said: str) -> None:
    # playtest 22: "Det forstod jeg ikke" to a plain report that the service is fine
    chat = at_step(lang, 2)
    chat.say(said)
    [result] = chat.effects(StepResult)
    # a check fixes nothing, whatever it finds: "not helped" for the statistics
    assert (result.step_id, result.outcome) == ("provider-status", "not_helped")
    assert chat.state.step_index == 2 and chat.state.phase is Phase.IN_FLOW


def test_meanwhile_offers_no_fix_that_opens_by_asking_it_and_names_webmail() -> None:
    # playtest 22: offered for the wait, the work-mail fix's first step was "ask IT"
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("jobbmailen på iphonen er blokkert, exchange")
    chat.tap("Snakk med IT")
    chat.say("hva gjør jeg i mellomtiden?")
    assert chat.labels == [] and "webmailen" in chat.text
    assert knowledge.text("case_meanwhile_wait", "nb") in chat.text


def test_a_step_that_fixed_it_says_how_it_stays_fixed() -> None:
    # playtest 22: "fant den i søppelpost! men hvordan hindrer jeg at det skjer igjen?"
    knowledge = shipped()[0]
    after = knowledge.steps["check-junk-folder"].after
    assert after is not None
    chat = real_chat("nb")
    chat.say("får ikke mail fra en bestemt kunde, alle andre kommer fram")
    assert chat.state.problem == "one-sender-missing"
    chat.say("fant den i søppelpost!")
    assert chat.state.phase is Phase.RATING and after.nb in chat.text


def test_mail_drop_named_by_the_outbox_step_is_explained_when_asked() -> None:
    # playtest 22: "what's mail drop and how do i use it" got the step's "why"
    knowledge = shipped()[0]
    chat = real_chat("en")
    chat.say("mail is stuck in my outbox")
    assert chat.state.problem == "cannot-send"
    chat.say("what's mail drop and how do i use it")
    assert knowledge.glossary["term-mail-drop"].text.en in chat.text
    assert chat.state.problem == "cannot-send" and chat.effects(StepResult) == []


@pytest.mark.parametrize("said", ["not really sure", "egentlig ikke forstått"])
def test_a_no_that_says_more_is_no_plain_didnt_help(said: str) -> None:
    # review: the lexicon's "no" covered 60% of these, and the step was recorded as tried
    chat = at_step("en" if said.startswith("not") else "nb", 1)
    chat.say(said)
    assert chat.effects(StepResult) == []


def test_losing_time_is_no_question_of_what_the_step_loses() -> None:
    # review: "lost" alone dropped the step's why
    knowledge = shipped()[0]
    chat = at_step("en", 3)
    chat.say("why do I need to do this? I've already lost a whole morning on this")
    assert knowledge.steps["toggle-mail"].why.en in chat.text


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "la inn passordet på nytt, fortsatt fast"),
        ("en", "re-entered my password, it accepted it fine. still stuck at 8:54"),
        ("nb", "eg skreiv inn passordet på nytt, men det hjelpte ikkje"),
    ],
)
def test_typing_the_password_again_as_the_step_asks_is_no_break_in(lang: str, said: str) -> None:
    # playtest 23: each was handed to IT as an urgent hacked account
    chat = at_step(lang, 4)  # "Skriv inn passordet på nytt"
    chat.say(said)
    assert chat.state.problem == "mail-not-updating" and not chat.effects(HandoffRequest)
    [result] = chat.effects(StepResult)
    assert result.outcome == "not_helped"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nb", "ja det funka! men no får æ ikkje motta heller, innboksen e tom"),
        ("en", "that worked, but now I don't get any new mail either"),
    ],
)
def test_worked_but_not_either_is_no_fix_and_offers_the_other_problem(lang: str, said: str) -> None:
    # review: "not ... either" says the fault before is still there too; and "either"
    # must not read as others having it (the other problem is the writer's own)
    chat = real_chat(lang)
    chat.say("mail blir liggende i utboksen" if lang == "nb" else "mail is stuck in my outbox")
    chat.say(said)
    [result] = chat.effects(StepResult)
    assert result.outcome == "not_helped"
    assert chat.state.pending_switch == "mail-not-updating"


@pytest.mark.parametrize(
    "said",
    [
        "that worked! but outlook on my laptop doesn't get new mail either",
        "that worked! my colleague can't send emails either though",
    ],
)
def test_a_second_fault_of_another_device_or_person_starts_no_fix(said: str) -> None:
    chat = real_chat("en")
    chat.say("my inbox isn't updating")
    chat.say(said)
    assert chat.state.problem == "mail-not-updating" and chat.state.pending_switch is None


def _trying_meanwhile(lang: str = "nb") -> Chat:
    chat = real_chat(lang)
    chat.say("jeg vil snakke med IT")
    chat.say("innboksen på iphonen oppdaterer seg ikke")
    chat.say("hva kan jeg gjøre i mellomtiden?")
    chat.tap(chat.labels[0])
    assert chat.state.case_before and chat.state.problem == "mail-not-updating"
    return chat


@pytest.mark.parametrize("said", ["har du sendt saken min videre?", "har IT fått saken min?"])
def test_asked_after_the_open_case_while_trying_meanwhile_the_status_and_the_step(
    said: str,
) -> None:
    # review: "har du sendt saken min videre?" was read as a skip
    chat = _trying_meanwhile()
    chat.say(said)
    assert shipped()[0].text("case_status_open", "nb") in chat.text
    assert chat.state.phase is Phase.IN_FLOW and chat.effects(StepResult) == []


def test_a_call_asked_for_with_the_case_question_is_for_the_case() -> None:
    chat = _trying_meanwhile("en")
    chat.say("please call me on my mobile, did IT get my case?")
    assert chat.effects(CaseAddition) and not chat.effects(HandoffRequest)
    assert shipped()[0].text("case_added_call", chat.state.language) in chat.text


def test_asked_after_the_open_case_once_the_steps_fixed_it_opens_no_second_case() -> None:
    chat = _trying_meanwhile()
    chat.say("det funket!")
    assert chat.state.phase is Phase.RATING
    chat.say("har IT fått saken min?")
    assert not chat.effects(HandoffRequest) and chat.state.phase is Phase.RATING


def test_working_on_another_network_shows_the_network_is_the_fault() -> None:
    # playtest 23: "funka på 4g" at "try another network" was "glad that fixed it!",
    # where the step itself says the network blocks the mail
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mail blir liggende i utboksen")
    for _ in range(3):
        chat.tap("Hjalp ikke")
    assert knowledge.problems["cannot-send"].steps[chat.state.step_index] == "other-network"
    chat.say("funka på 4g")
    [result] = chat.effects(StepResult)
    assert (result.step_id, result.outcome) == ("other-network", "not_helped")
    assert chat.state.problem == "network-blocks-mail" and chat.state.phase is Phase.IN_FLOW
    title = knowledge.problems["network-blocks-mail"].title.nb
    assert knowledge.text("step_shows", "nb", title=title) in chat.text
    # the step tried for the first problem is not asked again
    assert knowledge.problems["network-blocks-mail"].steps[chat.state.step_index] != "other-network"


@pytest.mark.parametrize(
    ("lang", "asked"),
    [
        ("nb", "hva betyr stjernene? er 5 best?"),
        ("nb", "hvilken er best, 1 eller 5?"),
        ("en", "what do the numbers mean"),
        ("en", "is 5 the highest?"),
    ],
)
def test_a_question_about_the_rating_scale_is_answered_not_stored(lang: str, asked: str) -> None:
    # playtest 23: "hva betyr stjernene? er 5 best?" was stored as five stars
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(UPDATING_NB if lang == "nb" else "mail on my iphone does not fetch new messages")
    chat.say("det funket" if lang == "nb" else "that worked")
    chat.say(asked)
    assert chat.effects(RatingGiven) == []
    assert knowledge.text("rating_scale", lang) in chat.text
    assert len(chat.labels) == 5 and chat.state.phase is Phase.RATING
    chat.say("5")  # then the rating is taken as usual
    assert chat.effects(RatingGiven) == [RatingGiven(5)]


@pytest.mark.parametrize("typed", ["4?", "5 stjerner?"])
def test_a_score_given_with_a_doubt_is_still_the_rating(typed: str) -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say("det funket")
    chat.say(typed)
    assert chat.effects(RatingGiven) == [RatingGiven(int(typed[0]))]


def test_a_word_of_the_steps_asked_about_is_understood_as_a_question() -> None:
    # blind replies, round fifteen: "hva er SMTP?" was answered but recorded as not
    # understood, so the review site listed it among the failures
    chat = real_chat("nb")
    chat.say("mailen blir liggende i utboksen")
    chat.tap("Hjalp ikke")
    chat.say("hva er SMTP?")
    assert [(u.intent, u.decision) for u in chat.effects(Understood)] == [("question", "lexicon")]
    assert chat.state.misses == 0 and "SMTP" in chat.text


@pytest.mark.parametrize(
    "asked",
    [
        "hvor ser jeg om det er driftsproblemer? vi bruker outlook på jobb",
        "ok. e Teams på pcen nede òg eller e det bare mæ?",
    ],
)
def test_a_question_at_a_check_is_not_its_answer(asked: str) -> None:
    # playtest 24: both passed the outage check as fine and went on without a word
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.tap("Hjalp ikke")
    check_step = knowledge.problems["mail-not-updating"].steps[chat.state.step_index]
    assert knowledge.steps[check_step].check is not None
    chat.say(asked)
    assert chat.effects(StepResult) == []
    assert knowledge.problems["mail-not-updating"].steps[chat.state.step_index] == check_step
    assert "Ja, tjenesten er oppe" in chat.labels


def test_a_button_of_the_phone_asked_about_is_no_stop() -> None:
    # playtest 24: "avbryt" (the phone's Cancel) ended the fix
    chat = real_chat("nb")
    chat.say("iphone spør om passord hele tiden")
    chat.say("kan jeg bare trykke avbryt på passordboksen?")
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 0
    assert chat.effects(StepResult) == []


def test_a_question_in_the_words_of_a_steps_condition_does_not_skip_it() -> None:
    # playtest 24: "slette" is how the outbox step is done, but asked about it skipped it
    chat = real_chat("nb")
    chat.say("mailen blir liggende i utboksen")
    chat.say("ka skjer med mailen som står i utboksen om æ slette den?")
    assert chat.effects(StepResult) == [] and chat.state.step_index == 0


@pytest.mark.parametrize(
    ("said", "key"),
    [
        ("nei andre mail uten vedlegg står også fast", "same_problem"),
        ("er det vanlig at mail blir liggende i utboksen?", "same_problem_asked"),
    ],
)
def test_the_problem_under_way_told_or_asked_about_again(said: str, key: str) -> None:
    # playtest 24: "Det er akkurat det vi jobber med nå" answered facts and questions alike
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("mailen blir liggende i utboksen")
    chat.tap("Hjalp ikke")
    chat.say(said)
    assert chat.text.startswith(knowledge.text(key, "nb"))
    assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 1


@pytest.mark.parametrize(
    "said", ["ok I'm on wifi at home now and it sent everything!", "it works now, I'm on 4g"]
)
def test_working_on_another_network_is_not_the_password_steps_fix(said: str) -> None:
    # playtest 24: "Step 3 did it: Re-enter your password", a step the person never did
    knowledge = shipped()[0]
    chat = real_chat("en")
    chat.say("my mail is stuck in the outbox")
    chat.tap("Didn't help")
    chat.tap("Didn't help")
    assert knowledge.problems["cannot-send"].steps[chat.state.step_index] == "reenter-password"
    chat.say(said)
    assert chat.effects(StepResult) == [] and chat.state.phase is Phase.IN_FLOW
    assert knowledge.text("works_sometimes_reply", "en") in chat.text


def test_found_where_an_earlier_step_looked_credits_that_step() -> None:
    # playtest 24: "fant den i søppelpost!" at the blocked-senders step got the advice for
    # spam received, and the junk-folder step stayed "didn't help"
    chat = real_chat("nb")
    chat.say("får ikke mail fra banken, alt annet kommer")
    chat.tap("Hjalp ikke")
    chat.say("fant den i søppelpost!")
    [result] = chat.effects(StepResult)
    assert (result.step_id, result.outcome) == ("check-junk-folder", "worked")
    assert chat.state.phase is Phase.RATING


def _handed_off(lang: str = "nb") -> Any:
    chat = real_chat(lang)
    chat.say("jeg vil snakke med et menneske" if lang == "nb" else "I want to talk to a person")
    chat.say("mailen virker ikke på iphonen" if lang == "nb" else "mail on my iphone is broken")
    assert chat.state.phase is Phase.HANDED_OFF
    return chat


def test_a_number_given_after_a_handoff_is_said_to_be_in_the_case_and_not_asked_again() -> None:
    # playtest 24: "kan dere ringe meg? 98765432" got "added to your case", and the next
    # urgent message asked for the number
    knowledge = shipped()[0]
    chat = _handed_off()
    chat.say("kan dere ringe meg? 98765432")
    assert chat.effects(CaseAddition)
    assert chat.text == knowledge.text("case_added_number", "nb")
    chat.say("det haster, jeg har møte med kunde om en time og trenger mailen")
    assert chat.text == knowledge.text("case_added_urgent_number", "nb")
    chat.say("finnes det et telefonnummer til IT?")
    assert chat.text == knowledge.text("it_phone_given", "nb")


@pytest.mark.parametrize(
    ("lang", "asked"),
    [("nb", "finnes det et telefonnummer til IT?"), ("en", "is there a phone number for IT?")],
)
def test_asked_for_its_phone_number_the_persons_own_is_asked_for(lang: str, asked: str) -> None:
    # playtest 24: only "added to your case"
    knowledge = shipped()[0]
    chat = _handed_off(lang)
    chat.say(asked)
    assert chat.text == knowledge.text("it_phone", lang)
    assert not chat.effects(CaseAddition) and not chat.effects(HandoffRequest)


@pytest.mark.parametrize("asked", ["når svarer de?", "når kommer IT tilbake til meg?"])
def test_asked_when_after_a_handoff_gets_the_cases_status(asked: str) -> None:
    chat = _handed_off()
    chat.say(asked)
    assert [u.intent for u in chat.effects(Understood)] == ["case_status"]
    assert not chat.effects(CaseAddition)


@pytest.mark.parametrize(
    ("first", "said"),
    [
        ("mailen blir liggende i utboksen", "æ trur æ bruke gmail"),
        ("iphone spør om passord hele tiden", "jeg har outlook/office 365 på jobb"),
    ],
)
def test_the_account_named_in_dialect_or_with_work_is_no_other_problem(
    first: str, said: str
) -> None:
    # playtest 24: offered a switch to "Google asks to verify" and "others have it too"
    chat = real_chat("nb")
    chat.say(first)
    problem = chat.state.problem
    chat.say(said)
    assert chat.state.phase is Phase.IN_FLOW and chat.state.problem == problem
    assert [u.intent for u in chat.effects(Understood)] == ["account_kind"]


def test_steps_said_done_by_number_are_tried_and_the_fix_goes_on_after_them() -> None:
    # playtest 24: "I already did steps 1 to 3" moved one step on
    knowledge = shipped()[0]
    chat = real_chat("en")
    chat.say("my inbox is not updating")
    chat.say("I already did steps 1 to 3")
    steps = knowledge.problems["mail-not-updating"].steps
    assert [(r.step_id, r.outcome) for r in chat.effects(StepResult)] == [
        (step, "not_helped") for step in steps[:3]
    ]
    assert chat.state.step_index == 3 and chat.state.phase is Phase.IN_FLOW
    assert chat.text.startswith(knowledge.text("steps_done_told", "en"))


@pytest.mark.parametrize(("said", "index"), [("step 5 please", 4), ("gå til steg 3", 2)])
def test_a_step_asked_for_by_number_is_gone_to(said: str, index: int) -> None:
    # playtest 24: "step 5 please" got "There's no step before this one."
    chat = real_chat("en")
    chat.say("my inbox is not updating")
    chat.say(said)
    assert chat.state.step_index == index
    assert {r.outcome for r in chat.effects(StepResult)} == {"skipped"}


@pytest.mark.parametrize("said", ["what is step 3?", "step 1 didn't help", "step 12 please"])
def test_a_step_number_asked_about_or_answered_moves_nowhere_by_number(said: str) -> None:
    chat = real_chat("en")
    chat.say("my inbox is not updating")
    chat.say(said)
    assert "steps_named" not in [u.intent for u in chat.effects(Understood)]


def test_the_fault_told_again_after_the_step_is_not_a_question() -> None:
    # playtest 24: "spør" (asks) made the act model read a question; the step's "why" came
    chat = real_chat("nb")
    chat.say("iphone spør om passord hele tiden")
    chat.say("jeg skriver inn det nye passordet men den spør igjen etter 5 min")
    [result] = chat.effects(StepResult)
    assert result.outcome == "not_helped" and chat.state.step_index == 1


def test_a_mail_from_me_i_never_sent_told_mid_fix_is_the_alarm_at_once() -> None:
    # playtest 24: "I never sent" read as a sending fault made the alarm a switch offer
    chat = real_chat("en")
    chat.say("my iphone won't send emails, they just sit there")
    chat.tap("Didn't help")
    chat.say(
        "hold on, my colleague just called, she got a weird email from me with a link I never sent"
    )
    assert chat.state.problem == "account-compromised"
    assert chat.state.phase is Phase.HANDED_OFF
    [request] = chat.effects(HandoffRequest)
    assert request.reason == "urgent"


@pytest.mark.parametrize(
    ("lang", "asked"),
    [
        ("en", "do I need to change my password on the phone too after?"),
        ("nb", "må jeg bytte passordet på telefonen også?"),
    ],
)
def test_changing_the_password_on_the_phone_asked_after_the_alarm(lang: str, asked: str) -> None:
    # playtest 24: "on the phone too" got how to change it on the website
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(
        "someone hacked my email, my contacts get spam from me"
        if lang == "en"
        else "noen har hacket eposten min, kontaktene mine får spam fra meg"
    )
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say(asked)
    assert chat.text.startswith(knowledge.text("case_added_password_on_phone", lang))


def test_an_exchange_accounts_page_described_at_the_smtp_step_skips_it() -> None:
    # playtest 24: "I only see Mail, Contacts, Calendars" (an Exchange account, which has no
    # SMTP setting) got the SMTP path again
    chat = real_chat("en")
    chat.say("my mail is stuck in the outbox")
    chat.tap("Didn't help")
    chat.say("can't find that menu, I only see Mail, Contacts, Calendars under the account")
    [result] = chat.effects(StepResult)
    assert (result.step_id, result.outcome) == ("smtp-settings", "skipped")


@pytest.mark.parametrize(
    ("lang", "asked", "rate_first"),
    [
        ("nb", "hva var det egentlig som var feil?", False),
        ("en", "so what was wrong?", True),
    ],
)
def test_what_was_wrong_asked_after_a_fix_gets_what_the_step_fixes(
    lang: str, asked: str, rate_first: bool
) -> None:
    # playtest 24: the self-introduction ("Jeg er fixbot, en chatbot ...")
    knowledge = shipped()[0]
    chat = real_chat(lang)
    chat.say(UPDATING_NB if lang == "nb" else "mail on my iphone does not fetch new messages")
    chat.say("det funket" if lang == "nb" else "that worked")
    if rate_first:
        chat.say("5")
    chat.say(asked)
    step = knowledge.steps[knowledge.problems["mail-not-updating"].steps[0]]
    assert step.why.get(lang) in chat.text
    assert chat.effects(RatingGiven) == []
    assert (len(chat.labels) == 5) is not rate_first  # the rating asked again if still open


@pytest.mark.parametrize("said", ["not really sure", "ikke helt sikker"])
def test_not_sure_at_a_check_is_no_answer_to_it(said: str) -> None:
    # review: "not really sure" read as a plain "no": the outage found, the case to IT
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.tap("Hjalp ikke")
    chat.say(said)
    assert chat.state.phase is Phase.IN_FLOW and not chat.effects(HandoffRequest)
    assert chat.effects(StepResult) == []


def test_found_where_a_later_step_looks_credits_that_step() -> None:
    # playtest 25: "found it ... on my blocked list" at the junk-folder step was "about
    # something other than Mail on iPhone"
    chat = real_chat("en")
    chat.say("I never get emails from my bank, everything else arrives")
    chat.say("ok found it, the bank was on my blocked list! removed it now")
    [result] = chat.effects(StepResult)
    assert (result.step_id, result.outcome) == ("check-blocked-senders", "worked")
    assert chat.state.phase is Phase.RATING


def test_a_bare_no_at_the_outage_check_is_asked_again_before_an_outage_is_reported() -> None:
    # playtest 25: "nix" (meaning "didn't help") told IT of an outage nobody had seen
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.tap("Hjalp ikke")
    chat.say("nix")
    assert not chat.effects(HandoffRequest) and not chat.effects(StepResult)
    assert "Nei, den er nede" in chat.labels
    assert chat.text.startswith(knowledge.text("check_asked_again", "nb").split(":")[0])
    chat.say("nei")  # said again: taken as it is
    assert chat.effects(HandoffRequest) and chat.state.phase is Phase.HANDED_OFF


def test_the_outage_told_in_words_at_the_check_is_not_asked_again() -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.tap("Hjalp ikke")
    chat.say("nei, den er nede")
    assert chat.effects(HandoffRequest)


def test_an_outage_case_offers_no_fix_for_the_phone() -> None:
    # playtest 25: during an office-wide outage, "should I delete the account?" got how to
    # delete it, "the webmail doesn't work either" three fixes for the phone, and "how
    # long does it last?" the IT queue's "within one working day"
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say("ingen på kontoret får mail i dag, vi har domeneshop")
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say("ska æ slett kontoen og legg den inn igjen?")
    assert chat.text == knowledge.text("outage_no_fix", "nb")
    chat.say("webmailen funke ikkje heller")
    assert chat.labels == [] and knowledge.text("case_status_outage", "nb") in chat.text
    chat.say("kor lenge pleie sånt å vare?")
    assert chat.text == knowledge.text("case_status_outage", "nb")


def test_the_service_found_down_at_the_check_is_an_outage_case_too() -> None:
    knowledge = shipped()[0]
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.tap("Hjalp ikke")
    chat.tap("Nei, den er nede")
    assert chat.state.phase is Phase.HANDED_OFF
    chat.say("hvor lenge tar det?")
    assert chat.text == knowledge.text("case_status_outage", "nb")


@pytest.mark.parametrize(
    ("said", "offered"),
    [
        ("hei igjen, det funker ikke likevel", True),
        ("hva var det vi gjorde i går igjen?", True),
        ("mailen blir liggende i utboksen", False),  # another problem: its fix
        ("printeren virker ikke", False),  # another thing
    ],
)
def test_a_fix_stopped_half_way_is_offered_back_when_it_is_what_the_message_is_about(
    said: str, offered: bool
) -> None:
    # playtest 25: the day after "I'll remember we're at step 2", "hei igjen, det funker
    # ikke likevel" was "about something other than Mail on iPhone"
    chat = real_chat("nb")
    chat.say("iphone spør om passord hele tiden")
    chat.tap("Hjalp ikke")
    paused = chat.state.paused()
    assert paused is not None
    chat.state = paused  # as the service carries it into the next conversation
    chat.say(said)
    assert ("Fortsett der vi slapp" in chat.labels) is offered
    if offered:
        chat.tap("Fortsett der vi slapp")
        assert chat.state.phase is Phase.IN_FLOW and chat.state.step_index == 1


def test_a_person_asked_for_after_a_fix_gets_that_fixs_story() -> None:
    # playtest 25: "kan noen ringe meg" after a fix opened an empty case ("ukjent problem,
    # ingen steg prøvd") while the reply said nothing needed telling again
    chat = real_chat("nb")
    chat.say("mailene mine er borte og mappene er tomme")
    chat.tap("Det fungerte")
    chat.say("nei")  # no rating
    chat.say("kan noen ringe meg")
    [request] = chat.effects(HandoffRequest)
    assert request.problem == "mailbox-corrupt"
    assert "mailene mine er borte" in request.summary
    assert chat.state.phase is Phase.HANDED_OFF


def test_not_finding_a_word_of_the_glossary_at_a_check_explains_it_and_answers_nothing() -> None:
    # playtest 25: "Jeg finner ikke noe som heter Company Portal" passed the quarantine
    # check as "not blocked" and went on to a 30-minute iOS update
    chat = real_chat("nb")
    chat.say("jobbmailen sier at iphonen er blokkert")
    chat.say("Jeg finner ikke noe som heter Company Portal på telefonen")
    assert chat.effects(StepResult) == [] and chat.state.step_index == 0
    assert "**Company Portal**" in chat.text


@pytest.mark.parametrize(
    "said", ["FÅR DU IKKE MED DEG AT INGENTING AV DETTE FUNKER???", "helt ubrukelig bot"]
)
def test_anger_after_a_handoff_is_met_with_sorry_not_thanks(said: str) -> None:
    # playtest 25: "Takk, jeg har lagt det til i saken din"
    knowledge = shipped()[0]
    chat = _handed_off()
    chat.say(said)
    assert chat.text.startswith(knowledge.text("case_added_upset", "nb"))
    assert chat.effects(CaseAddition)


def test_fixing_it_oneself_while_it_is_away_gets_the_steps() -> None:
    # playtest 25: "IT er på ferie ... Kan jeg ikke bare fikse det selv?" was only added
    chat = _handed_off()
    chat.say("IT er på ferie til neste uke. Kan jeg ikke bare fikse det selv?")
    assert "meanwhile" in [u.intent for u in chat.effects(Understood)]
    assert chat.labels  # the fix offered as a button


# A review of round fifteen's rules reproduced these misreadings; each stays fixed.


@pytest.mark.parametrize(
    ("said", "phase", "index"),
    [
        ("gjorde steg 1 og nå funker det!", Phase.RATING, 0),  # the step worked
        ("jeg har ikke gjort steg 1 ennå", Phase.IN_FLOW, 0),  # denied
        ("må jeg ha gjort steg 1 før steg 2?", Phase.IN_FLOW, 0),  # asked
        ("I've tried that step 3 times already", Phase.IN_FLOW, 1),  # a count of tries
    ],
)
def test_step_numbers_that_name_no_steps_done_or_asked_for(
    said: str, phase: Phase, index: int
) -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say(said)
    assert (chat.state.phase, chat.state.step_index) == (phase, index)
    assert "steps_named" not in [u.intent for u in chat.effects(Understood)]


@pytest.mark.parametrize(
    "said",
    [
        "can someone from IT call me? my number is 98765432",
        "can I talk to a person? what number should I call?",
    ],
)
def test_a_person_asked_for_at_the_rating_prompt_is_no_question_about_the_scale(said: str) -> None:
    chat = real_chat("en")
    chat.say("mail on my iphone does not fetch new messages")
    chat.say("that worked")
    chat.say(said)
    assert chat.effects(HandoffRequest)


def test_a_score_offered_as_a_question_is_the_rating() -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say("det funket")
    chat.say("kan jeg gi deg 5 stjerner?")
    assert chat.effects(RatingGiven) == [RatingGiven(5)]


@pytest.mark.parametrize(
    "said",
    [
        "siste mail kom 07.12.2026, etter det ingenting",
        "error code 0x800CCC0E, happened at 10:45 and 13:20",
        "når jeg logger inn på outlook.com ligger alle mailene der",
        "IMAP, SSL PÅ, PORT 993, SMTP PORT 587",
    ],
)
def test_dates_codes_when_clauses_and_capitals_after_a_handoff_are_news_for_the_case(
    said: str,
) -> None:
    knowledge = shipped()[0]
    chat = _handed_off()
    chat.say(said)
    assert chat.effects(CaseAddition)
    for key in ("case_added_number", "case_added_upset"):
        assert knowledge.text(key, chat.state.language) not in chat.text
    assert not chat.state.phone_given


@pytest.mark.parametrize(
    "said",
    ["hvorfor skal jeg trykke så mye? jeg gir opp", "why do I have to tap through all this? stop"],
)
def test_a_word_of_pressing_in_a_complaint_does_not_undo_a_stop(said: str) -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.say(said)
    assert chat.state.phase is Phase.ENDED


@pytest.mark.parametrize(
    "said",
    [
        "det funka! takk, nå kan jeg endelig jobbe hjemme",
        "det virker nå, skrev inn passordet på kontoret",
    ],
)
def test_a_place_named_with_a_fix_is_no_condition(said: str) -> None:
    chat = real_chat("nb")
    chat.say("iphone spør om passord hele tiden")
    chat.say(said)
    assert chat.state.phase is Phase.RATING


def test_a_question_about_where_a_later_step_looks_credits_no_step() -> None:
    chat = real_chat("nb")
    chat.say("får ikke mail fra banken, alt annet kommer")
    chat.say("ikke i søppelpost. tror du han står på blokkert-lista?")
    assert chat.state.phase is Phase.IN_FLOW
    assert "worked" not in [r.outcome for r in chat.effects(StepResult)]


def test_a_new_problem_with_a_request_for_a_person_after_a_fix_is_a_case_of_its_own() -> None:
    chat = real_chat("en")
    chat.say("mail on my iphone does not fetch new messages")
    chat.say("that worked")
    chat.say("5")
    chat.say("can I talk to a person? my Teams keeps crashing")
    [request] = chat.effects(HandoffRequest)
    assert request.problem is None


@pytest.mark.parametrize(
    "said",
    ["how do I add a second email account?", "takk for hjelpen i går, det ordnet seg av seg selv"],
)
def test_coming_back_with_something_else_is_not_offered_the_old_fix(said: str) -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.tap("Hjalp ikke")
    chat.state = chat.state.paused()
    chat.say(said)
    assert (
        "Fortsett der vi slapp" not in chat.labels
        and "Carry on where we left off" not in chat.labels
    )


def test_the_outage_told_before_a_question_at_the_check_is_its_answer() -> None:
    chat = real_chat("nb")
    chat.say(UPDATING_NB)
    chat.tap("Hjalp ikke")
    chat.say("nei, outlook er nede for alle på kontoret. hva gjør vi?")
    assert chat.effects(HandoffRequest)


@pytest.mark.parametrize(
    ("lang", "said", "path"),
    [
        ("en", "which menu? can't see it", "`Settings > Mail > Accounts`"),
        ("nb", "hvilken meny? ser den ikke", "`Innstillinger > Mail > Kontoer`"),
    ],
)
def test_a_question_that_denies_seeing_it_is_not_finding_it(
    lang: str, said: str, path: str
) -> None:
    # held-out replies: "hvilken meny? ser den ikke" got the step's why, as a question
    # about what was found
    chat = at_step(lang, 3)
    chat.say(said)
    assert [e.intent for e in chat.effects(Understood)] == ["cannot_find"]
    assert path in chat.text
