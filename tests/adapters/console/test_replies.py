"""Typed replies in the middle of a fix, through ``fixbot chat --jsonl``: one test per case
the issue "Understanding what people type in the middle of a fix" lists under "Why".

Each test walks a real conversation (real knowledge, matcher, act model and database) to
step 2 of the cannot-send flow and asserts the state after the reply, and that no other
intent's answer was given.
"""

from __future__ import annotations

import json

import pytest

from bot.knowledge import default_knowledge_dir, load_knowledge
from tests.adapters.console.test_chat import chat, jsonl

KB = load_knowledge(default_knowledge_dir())
OPENING = "jeg får ikke sendt e-post fra iPhonen"  # cannot-send, step 1 of 5
TO_STEP_2 = "hjalp ikke"
FAQ_ANSWERS = {qid: q.answer.get("nb")[:60] for qid, q in KB.questions.items()}


def replies_after(monkeypatch, capsys, database_url, *texts: str, user: str = "kari"):
    """The answers to OPENING, TO_STEP_2 and then ``texts``; the last ones only."""
    lines = [jsonl(user=user, text=t) for t in (OPENING, TO_STEP_2, *texts)]
    code, out = chat(monkeypatch, capsys, database_url, lines, "--jsonl")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert answers[1]["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    return answers[2:]


def said(answer: dict) -> str:
    return "\n".join(reply["text"] for reply in answer["replies"])


def no_faq_answer(answer: dict) -> bool:
    return not any(start in said(answer) for start in FAQ_ANSWERS.values())


@pytest.mark.parametrize(
    "text",
    [
        "fortsatt ikke",
        "hjelpte ikke",
        "gjort det, ingen forskjell",
        "nope still stuck",
        "nope, nothing",
        "gjort det, men samme feil",
    ],
)
def test_didnt_help_goes_to_the_next_step(monkeypatch, capsys, database_url, text):
    (answer,) = replies_after(monkeypatch, capsys, database_url, text)
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 3}
    assert no_faq_answer(answer)


def test_it_worked_resolves(monkeypatch, capsys, database_url):
    (answer,) = replies_after(monkeypatch, capsys, database_url, "ja nå kom mailen inn!")
    assert answer["state"]["status"] == "resolved"


@pytest.mark.parametrize("text", ["glem det, jeg gir opp", "orker ikke mer"])
def test_giving_up_stops(monkeypatch, capsys, database_url, text):
    (answer,) = replies_after(monkeypatch, capsys, database_url, text)
    assert answer["state"]["status"] == "ended"


@pytest.mark.parametrize("text", ["har ikke tid nå", "kan jeg gjøre dette senere?"])
def test_later_keeps_the_place_and_says_how_to_come_back(monkeypatch, capsys, database_url, text):
    answer, back = replies_after(monkeypatch, capsys, database_url, text, "hei")
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    assert KB.text("later_reply", "nb", n=2, total=5) in said(answer)
    assert no_faq_answer(answer)
    assert back["state"] == {"status": "active", "intent": "cannot-send", "step": 2}


@pytest.mark.parametrize("text", ["stopp litt", "hold on", "vent litt"])
def test_a_pause_is_not_a_stop(monkeypatch, capsys, database_url, text):
    (answer,) = replies_after(monkeypatch, capsys, database_url, text)
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    assert KB.text("later_reply", "nb", n=2, total=5) in said(answer)


@pytest.mark.parametrize("text", ["ok, nå er jeg klar", "fortsett", "back now", "jeg er tilbake"])
def test_ready_after_a_pause_shows_the_same_step_and_resolves_nothing(
    monkeypatch, capsys, database_url, text
):
    _, answer = replies_after(monkeypatch, capsys, database_url, "har ikke tid nå", text)
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    assert KB.text("ready_reply", "nb", n=2, total=5) in said(answer)
    assert KB.steps[KB.problems["cannot-send"].steps[1]].title.get("nb") in said(answer)


@pytest.mark.parametrize("text", ["fortsett", "ok, nå er jeg klar til å fortsette"])
def test_a_stopped_fix_picks_up_where_it_stopped(monkeypatch, capsys, database_url, text):
    stopped, answer, passed = replies_after(
        monkeypatch, capsys, database_url, "stopp", text, "hjalp ikke"
    )
    assert stopped["state"]["status"] == "ended"
    assert KB.text("stop_in_flow", "nb", n=2, total=5) in said(stopped)
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    assert KB.text("resumed", "nb", n=2, total=5) in said(answer)
    assert passed["state"] == {"status": "active", "intent": "cannot-send", "step": 3}


def replies_to_buttons(monkeypatch, capsys, database_url, *turns: str) -> list[dict]:
    """As ``replies_after``, with "#N" for the Nth button of the latest reply."""
    lines = [
        jsonl(user="kari", button=t[1:]) if t.startswith("#") else jsonl(user="kari", text=t)
        for t in (OPENING, TO_STEP_2, *turns)
    ]
    code, out = chat(monkeypatch, capsys, database_url, lines, "--jsonl")
    assert code == 0
    return [json.loads(line) for line in out.splitlines()][2:]


def test_hello_after_a_stop_offers_the_stopped_fix_back(monkeypatch, capsys, database_url):
    stopped, hello, resumed = replies_to_buttons(
        monkeypatch, capsys, database_url, "stopp", "hei igjen", "#1"
    )
    assert stopped["state"]["status"] == "ended"
    title = KB.steps[KB.problems["cannot-send"].steps[1]].title.get("nb")
    assert title in said(hello)
    labels = [b["label"] for r in hello["replies"] for b in r["buttons"]]
    assert labels == [KB.text("button_resume", "nb"), KB.text("button_other", "nb")]
    assert resumed["state"] == {"status": "active", "intent": "cannot-send", "step": 2}


def test_something_else_after_the_offer_is_the_menu(monkeypatch, capsys, database_url):
    _, hello, other = replies_to_buttons(monkeypatch, capsys, database_url, "stopp", "hei", "#2")
    assert KB.text("resume_offer", "nb").split("{")[0] in said(hello)
    assert other["state"]["status"] == "active" and other["state"]["intent"] is None
    assert KB.text("button_resume", "nb") not in json.dumps(other, ensure_ascii=False)


def test_it_stopped_working_again_after_a_fix_goes_on_to_the_next_step(
    monkeypatch, capsys, database_url
):
    fixed, again = replies_to_buttons(
        monkeypatch, capsys, database_url, "det funka!", "det har slutta å virke igjen"
    )
    assert fixed["state"]["status"] == "resolved"
    assert again["state"] == {"status": "active", "intent": "cannot-send", "step": 3}


def test_after_a_stop_a_new_problem_still_starts_fresh(monkeypatch, capsys, database_url):
    _, answer = replies_after(
        monkeypatch, capsys, database_url, "stopp", "iphonen spør hele tiden om passordet"
    )
    assert answer["state"] == {"status": "active", "intent": "password-prompt", "step": 1}


@pytest.mark.parametrize(
    ("text", "language", "key"),
    [
        # the person cannot do the step: IT is offered, and skipping
        ("jeg har ikke passordet", "nb", "unable_reply"),
        ("I don't have admin rights on this phone", "en", "unable_reply"),
        ("tør ikke gjøre det selv", "nb", "unable_reply"),  # afraid to: IT can do it
        ("could you do that for me instead?", "en", "unable_reply"),
        # something else works: news that keeps the step
        ("forresten så virker Outlook på PC-en helt fint", "nb", "works_elsewhere_reply"),
        ("det fungerer på webmail", "nb", "works_elsewhere_reply"),
        ("btw Teams notifications work fine on the phone", "en", "works_elsewhere_reply"),
    ],
)
def test_a_reply_that_is_news_about_the_step_keeps_it(
    monkeypatch, capsys, database_url, text, language, key
):
    (answer,) = replies_after(monkeypatch, capsys, database_url, text)
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    assert KB.text(key, language) in said(answer)
    labels = [button["label"] for reply in answer["replies"] for button in reply["buttons"]]
    assert KB.text("button_human", language) in labels
    assert no_faq_answer(answer)


@pytest.mark.parametrize(
    "text", ["det løste seg ikke", "problemet løste seg ikke", "fikk ikke løst det"]
)
def test_not_solved_is_not_helped_never_a_resolved_case(monkeypatch, capsys, database_url, text):
    (answer,) = replies_after(monkeypatch, capsys, database_url, text)
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 3}


def test_a_step_done_without_its_outcome_is_asked_about(monkeypatch, capsys, database_url):
    (answer,) = replies_after(
        monkeypatch, capsys, database_url, "jeg har lagt inn det nye passordet"
    )
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    assert KB.text("done_reply", "nb") in said(answer)


def test_a_new_symptom_said_with_now_is_no_success(monkeypatch, capsys, database_url):
    (answer,) = replies_after(monkeypatch, capsys, database_url, "og nå ber den om passord også")
    assert answer["state"]["status"] == "active"
    assert "password-prompt" in json.dumps(answer["replies"])  # offered as a switch


def test_hopp_skips_forward_and_never_loops(monkeypatch, capsys, database_url):
    answers = replies_after(monkeypatch, capsys, database_url, "hopp", "hopp", "hopp", "hopp")
    steps = [a["state"]["step"] for a in answers[:3]]
    assert steps == [3, 4, 5]
    assert answers[3]["state"]["status"] == "handed_off"  # the steps ran out: IT takes over


def test_two_replies_not_understood_in_a_row_offer_a_person(monkeypatch, capsys, database_url):
    first, second = replies_after(monkeypatch, capsys, database_url, "blorp qwerty", "zxcv asdf")
    assert KB.text("none_in_flow", "nb") in said(first)
    assert KB.text("none_in_flow_again", "nb") in said(second)
    assert second["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    labels = [b["label"] for r in second["replies"] for b in r.get("buttons", [])]
    assert KB.text("button_human", "nb") in labels


@pytest.mark.parametrize("text", ["hva gjør det steget egentlig?", "er det trygt å gjøre dette?"])
def test_a_question_about_the_step_gets_the_steps_help(monkeypatch, capsys, database_url, text):
    (answer,) = replies_after(monkeypatch, capsys, database_url, text)
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    step = KB.steps[KB.problems["cannot-send"].steps[1]]
    assert KB.text("step_question_more", "nb") in said(answer)
    assert step.why.get("nb") in said(answer)
    assert no_faq_answer(answer)


@pytest.mark.parametrize("text", ["jeg finner ikke den innstillingen", "hvor er innstillinger?"])
def test_cannot_find_gets_the_way_there_and_the_offer_to_skip(
    monkeypatch, capsys, database_url, text
):
    (answer,) = replies_after(monkeypatch, capsys, database_url, text)
    assert answer["state"] == {"status": "active", "intent": "cannot-send", "step": 2}
    step = KB.steps[KB.problems["cannot-send"].steps[1]]
    assert step.text.get("nb").strip()[:40] in said(answer)
    assert KB.text("cannot_find", "nb") in said(answer)
    labels = [b["label"] for r in answer["replies"] for b in r.get("buttons", [])]
    assert {KB.text("button_skip", "nb"), KB.text("button_human", "nb")} <= set(labels)
    assert no_faq_answer(answer)


@pytest.mark.parametrize("text", ["fem", "ganske fornøyd", "★★★★★", "meh", "5"])
def test_a_typed_rating_is_recorded(monkeypatch, capsys, database_url, text):
    answer, rated = replies_after(monkeypatch, capsys, database_url, "det funka!", text)
    assert answer["state"]["status"] == "resolved"
    assert rated["state"]["status"] == "resolved"
    thanks = {KB.text("rating_thanks", "nb"), KB.text("rating_low_thanks", "nb")}
    assert any(t in said(rated) for t in thanks)


def test_a_typed_5_at_the_terminals_rating_prompt_rates(monkeypatch, capsys, database_url):
    lines = [OPENING, "det funka!", "5"]
    code, out = chat(monkeypatch, capsys, database_url, lines, "--user", "per")
    assert code == 0
    assert KB.text("rating_thanks", "nb").replace("**", "") in out
    assert out.count(KB.problems["cannot-send"].understood.get("nb")) == 1  # no new problem


def test_an_unanswered_rating_prompt_lets_a_new_problem_through(monkeypatch, capsys, database_url):
    answer, new = replies_after(
        monkeypatch, capsys, database_url, "det funka!", "nå spør den om passordet hele tiden"
    )
    assert answer["state"]["status"] == "resolved"
    assert new["state"] == {"status": "active", "intent": "password-prompt", "step": 1}


def test_a_correction_offers_the_problem_it_names(monkeypatch, capsys, database_url):
    lines = [
        jsonl(user="ola", text="Exchange-kontoen min er blokkert på iPhonen"),
        jsonl(user="ola", text="nei den er ikke blokkert, innboksen bare oppdaterer seg ikke"),
    ]
    code, out = chat(monkeypatch, capsys, database_url, lines, "--jsonl")
    assert code == 0
    first, correction = (json.loads(line) for line in out.splitlines())
    assert first["state"]["intent"] == "exchange-blocked"
    payloads = [b["payload"] for r in correction["replies"] for b in r.get("buttons", [])]
    assert "switch:mail-not-updating" in payloads
    assert no_faq_answer(correction)


def at_the_service_check(monkeypatch, capsys, database_url, *texts: str) -> list[dict]:
    """mail-not-updating's step 2 asks "is the service up?"; the answers to ``texts``."""
    opening = ["mailen på iPhonen henter ikke ny e-post", "hjalp ikke"]
    lines = [jsonl(user="siri", text=t) for t in (*opening, *texts)]
    code, out = chat(monkeypatch, capsys, database_url, lines, "--jsonl")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert answers[1]["state"] == {"status": "active", "intent": "mail-not-updating", "step": 2}
    question = KB.steps["provider-status"].check.question.get("nb")  # type: ignore[union-attr]
    assert question in said(answers[1])
    return answers[2:]


def test_the_service_told_down_at_its_check_hands_the_case_to_it(monkeypatch, capsys, database_url):
    (answer,) = at_the_service_check(monkeypatch, capsys, database_url, "nei, den er nede")
    assert answer["state"]["status"] == "handed_off"


def test_a_bare_no_at_the_service_check_is_asked_again_first(monkeypatch, capsys, database_url):
    # a bare "nei" is often the usual "didn't help": what each answer means, before IT is
    # told of an outage nobody saw (playtest 25)
    (answer,) = at_the_service_check(monkeypatch, capsys, database_url, "nei")
    assert answer["state"] == {"status": "active", "intent": "mail-not-updating", "step": 2}
    assert "Nei, den er nede" in said(answer)


@pytest.mark.parametrize("text", ["ja", "ja, alt er oppe"])
def test_yes_at_a_service_check_goes_on(monkeypatch, capsys, database_url, text):
    (answer,) = at_the_service_check(monkeypatch, capsys, database_url, text)
    assert answer["state"] == {"status": "active", "intent": "mail-not-updating", "step": 3}


@pytest.mark.parametrize("text", ["hjelp", "hva mener du?"])
def test_words_that_are_no_rating_are_not_taken_for_one(monkeypatch, capsys, database_url, text):
    answer, reply = replies_after(monkeypatch, capsys, database_url, "det funka!", text)
    assert answer["state"]["status"] == "resolved"
    assert KB.text("rating_thanks", "nb") not in said(reply)
    assert KB.text("rating_low_thanks", "nb") not in said(reply)
