"""Replies within the platform limits, the handoff summary, and the state's JSON form."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.dialog import payloads
from bot.dialog.conversation import DialogState, HandoffRequest, Phase, Turn
from bot.dialog.machine import Dialog, advance
from bot.dialog.replies import Replies
from bot.events import Reply
from bot.knowledge import Text
from bot.settings import Limits, Settings
from tests.unit.dialog.dialog_support import ANSWERS, Chat, FakeClassifier, fixture_knowledge


def check_limits(replies: list[Reply], limits: Limits) -> None:
    for reply in replies:
        assert 0 < len(reply.text) <= limits.max_text_chars
        for button in reply.buttons:
            assert len(button.label) <= limits.max_button_label_chars
            assert len(button.payload.encode("utf-8")) <= limits.max_payload_bytes


SCRIPT = [
    ("press", payloads.MENU),
    ("say", "skriveren min virker ikke i det hele tatt"),
    ("say", "skriveren min virker ikke i det hele tatt"),
    ("say", "innboksen min oppdateres ikke"),
    ("say", "hvor mye lagring trenger mail"),
    ("say", "nei"),
    ("say", "jeg får ikke sendt e-post"),
    ("press", payloads.STAY),
    ("say", "english please"),
    ("press", "bogus"),
    ("say", "still broken"),
    ("say", "hjelp"),
    ("press", payloads.step("ok", "mail-not-updating", 1)),
    ("say", "mailen er rar"),
    ("say", "alle kollegene mine har samme feil"),
    ("say", "hi"),
]


@pytest.mark.parametrize("max_text", [4096, 300, 120])
def test_every_reply_of_a_long_conversation_fits(max_text: int) -> None:
    limits = Limits(max_text_chars=max_text)
    chat = Chat(settings=Settings(limits=limits))
    for action, value in SCRIPT:
        getattr(chat, action)(value)
        check_limits(list(chat.last.replies), limits)
        assert chat.last.replies


def test_a_huge_step_is_split_at_paragraphs_with_buttons_on_the_last_part() -> None:
    knowledge = fixture_knowledge()
    paragraph = "Trykk på knappen. " * 40
    huge = "\n\n".join([paragraph.strip()] * 15)  # about 10,000 characters
    steps = dict(knowledge.steps)
    steps["restart-phone"] = replace(steps["restart-phone"], text=Text(huge, huge))
    big = replace(knowledge, steps=steps)
    transition = advance(
        DialogState(),
        Turn(text="innboksen min oppdateres ikke"),
        big,
        FakeClassifier(ANSWERS),
        Settings(),
    )
    replies = list(transition.replies)
    check_limits(replies, Limits())
    assert len(replies) >= 4
    assert replies[-1].buttons and not any(r.buttons for r in replies[:-1])
    assert sum(len(r.text) for r in replies) > len(huge)


def test_one_line_longer_than_the_limit_is_cut_hard() -> None:
    say = Replies(fixture_knowledge(), "nb", Limits(max_text_chars=50))
    replies = say.fit(["x" * 120])
    assert [len(r.text) for r in replies] == [50, 50, 20]


def test_long_button_labels_are_shortened() -> None:
    knowledge = fixture_knowledge()
    problems = dict(knowledge.problems)
    long_title = Text(
        "Et veldig langt problemnavn som ikke får plass",
        "A very long problem name that does not fit",
    )
    problems["cannot-send"] = replace(problems["cannot-send"], title=long_title)
    say = Replies(replace(knowledge, problems=problems), "en", Limits())
    labels = [b.label for r in say.menu() for b in r.buttons]
    assert "A very long problem name that…" in labels
    assert all(len(label) <= 30 for label in labels)


# --- the handoff summary --------------------------------------------------------------


def test_handoff_summary_is_norwegian_and_complete_for_an_english_conversation() -> None:
    chat = Chat(language_hint="en")
    chat.say("my inbox is not updating")
    chat.tap("Didn't help")
    chat.tap("Skip")
    chat.tap("Back")
    chat.tap("Talk to IT")
    [handoff] = chat.effects(HandoffRequest)
    assert isinstance(handoff, HandoffRequest)
    lines = handoff.summary.splitlines()
    assert lines[0] == "Sak fra fixbot: Innboksen oppdateres ikke (ba om å snakke med IT)"
    assert "Første melding: «my inbox is not updating»" in lines
    assert "Språk: en" in lines
    assert lines[-3:] == [
        "- Innboksen oppdateres ikke, steg 1: Start iPhone på nytt – hjalp ikke",
        "- Innboksen oppdateres ikke, steg 2: Slå Mail av og på – hoppet over",
        "- Innboksen oppdateres ikke, steg 3: Skriv inn passordet på nytt – gikk tilbake",
    ]
    assert handoff.details == {
        "reason": "asked",
        "problem": "mail-not-updating",
        "language": "en",
        "first_text": "my inbox is not updating",
        "told_text": None,
        "account_told": None,
        "steps": [
            {
                "problem": "mail-not-updating",
                "step_id": "restart-phone",
                "number": 1,
                "outcome": "not_helped",
            },
            {
                "problem": "mail-not-updating",
                "step_id": "toggle-mail",
                "number": 2,
                "outcome": "skipped",
            },
            {
                "problem": "mail-not-updating",
                "step_id": "reenter-password",
                "number": 3,
                "outcome": "back",
            },
        ],
    }
    json.dumps(handoff.details)  # the store keeps it as JSON


def test_handoff_without_a_problem_says_so() -> None:
    chat = Chat()
    chat.press(payloads.HUMAN)
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.problem is None
    assert "ukjent problem" in handoff.summary
    assert "Ingen steg er prøvd." in handoff.summary
    # nothing was tried, nor said: not "with what you've tried", nor "so you won't have
    # to explain it all again", but a line about it asked for
    assert chat.text.endswith(fixture_knowledge().text("handoff_nothing_said", "nb"))


def test_a_handoff_after_every_step_was_skipped_does_not_say_they_were_tried() -> None:
    chat = Chat()
    chat.say("jeg får ikke sendt e-post")
    chat.tap("Hopp over")
    chat.tap("Hopp over")
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "steps_exhausted"  # for the statistics, the steps ran out
    assert "(alle steg hoppet over, ingen prøvd)" in handoff.summary.splitlines()[0]
    tried = Chat()
    tried.say("jeg får ikke sendt e-post")
    tried.tap("Hjalp ikke")
    tried.tap("Hopp over")
    [handoff] = tried.effects(HandoffRequest)
    assert "(alle steg prøvd)" in handoff.summary.splitlines()[0]


def test_handoff_summary_covers_steps_of_every_problem_tried() -> None:
    chat = Chat()
    chat.say("innboksen min oppdateres ikke")
    chat.tap("Hjalp ikke")
    chat.say("jeg får ikke sendt e-post")
    chat.tap("Ja, bytt")
    chat.tap("Hjalp ikke")
    chat.tap("Hjalp ikke")
    [handoff] = chat.effects(HandoffRequest)
    assert handoff.reason == "steps_exhausted"
    assert handoff.problem == "cannot-send"
    assert [s["problem"] for s in handoff.details["steps"]] == [
        "mail-not-updating",
        "cannot-send",
        "cannot-send",
    ]


# --- the state survives the store ---------------------------------------------------


def test_state_round_trips_through_json() -> None:
    chat = Chat()
    chat.say("innboksen min oppdateres ikke")
    chat.tap("Hjalp ikke")
    chat.say("mailen er rar")
    state = chat.state
    again = DialogState.from_json(json.loads(json.dumps(state.to_json())))
    assert again == state
    assert again.phase is Phase.IN_FLOW
    assert DialogState.from_json({}) == DialogState()


def test_a_dialog_is_the_service_s_advance_function() -> None:
    knowledge, settings = fixture_knowledge(), Settings()
    classifier = FakeClassifier(ANSWERS)
    dialog = Dialog(knowledge, classifier, settings)
    turn = Turn(text="innboksen min oppdateres ikke")
    expected = advance(DialogState(), turn, knowledge, classifier, settings)
    assert dialog(DialogState(), turn, knowledge, classifier, settings) == expected
    other = Settings(limits=Limits(max_text_chars=100))
    short = dialog(DialogState(), turn, knowledge, classifier, other)
    assert all(len(r.text) <= 100 for r in short.replies)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_question_about_a_step_with_no_why_says_so_honestly(lang: str) -> None:
    knowledge = fixture_knowledge()
    problem = knowledge.problems["mail-not-updating"]
    first = problem.steps[0]
    steps = {**knowledge.steps, first: replace(knowledge.steps[first], why=Text("", ""))}
    bare = replace(knowledge, steps=steps)
    text = "\n\n".join(r.text for r in Replies(bare, lang, Limits()).step_question(problem, 0))
    assert text.startswith(knowledge.text("step_question_nothing", lang))
    assert knowledge.text("step_question_more", lang) not in text
