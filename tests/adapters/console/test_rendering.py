"""The terminal chat's rendering, button choice and JSON-lines protocol, with a fake core."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from adapters.console.chat import (
    ConsoleChat,
    JsonlChat,
    JsonlError,
    choose_button,
    number_buttons,
    parse_jsonl_request,
    render_text,
)
from bot.events import Button, ConversationView, Inbound, Outcome, Reply

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
BUTTONS = (Button("Det fungerte", "step:ok:p:1"), Button("Hjalp ikke", "step:no:p:1"))


class RecordingCore:
    """Answers every event with one reply carrying BUTTONS, and remembers the events."""

    def __init__(self) -> None:
        self.events: list[Inbound] = []

    def handle(self, event: Inbound) -> Outcome:
        self.events.append(event)
        said = event.text if event.text is not None else f"pressed {event.payload}"
        view = ConversationView(1, "active", "p", 1, "nb")
        return Outcome(replies=(Reply(said, BUTTONS),), conversation=view)


def test_render_text_plain_and_ansi() -> None:
    text = "Gå til `Innstillinger > Mail` og trykk **Kontoer**"
    assert render_text(text, ansi=False) == "Gå til Innstillinger > Mail og trykk Kontoer"
    assert "\033[1mKontoer\033[0m" in render_text(text, ansi=True)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1", BUTTONS[0]), ("2", BUTTONS[1]), ("hjalp ikke", BUTTONS[1]), ("3", None), ("ja", None)],
)
def test_choose_button_by_number_or_label(typed: str, expected: Button | None) -> None:
    assert choose_button(BUTTONS, typed) == expected


def test_console_chat_presses_numbered_buttons_and_sends_text() -> None:
    core, out = RecordingCore(), io.StringIO()
    ConsoleChat(core=core, user="kari", output=out, clock=lambda: NOW).run(["2\n", "hei\n", "\n"])
    assert [e.payload for e in core.events] == ["menu", "step:no:p:1", None]
    assert core.events[2].text == "hei"
    assert "[1] Det fungerte" in out.getvalue()
    assert len({e.event_id for e in core.events}) == 3


class QuietCore(RecordingCore):
    """Answers a typed line with no buttons at all (an urgent handoff does that)."""

    def handle(self, event: Inbound) -> Outcome:
        outcome = super().handle(event)
        return replace(outcome, replies=(Reply("ok", ()),)) if event.text else outcome


def test_a_number_after_an_answer_without_buttons_is_sent_as_text() -> None:
    core, out = QuietCore(), io.StringIO()
    ConsoleChat(core=core, user="kari", output=out, clock=lambda: NOW).run(["hacka\n", "1\n"])
    assert [(e.text, e.payload) for e in core.events] == [
        (None, "menu"),
        ("hacka", None),
        ("1", None),
    ]


class EnglishCore:
    """Answers in English with a button the text tells the person to tap."""

    def handle(self, event: Inbound) -> Outcome:
        talk = (Button("Talk to IT", "human"),)
        view = ConversationView(1, "active", "p", 1, "en")
        return Outcome(replies=(Reply("Tap **Talk to IT**.", talk),), conversation=view)


def test_a_reply_that_switches_to_english_names_buttons_in_english() -> None:
    out = io.StringIO()
    words = {("console_tap", "nb"): "trykk", ("console_choose", "nb"): "velg"}
    words |= {("console_tap", "en"): "tap", ("console_choose", "en"): "choose"}
    chat = ConsoleChat(
        core=EnglishCore(),
        user="kari",
        output=out,
        clock=lambda: NOW,
        wording=lambda key, language: words[(key, language)],
    )
    chat.run([])
    assert "Choose 1 (Talk to IT)." in out.getvalue()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"text": "hei"}', "'user'"),
        ('{"user": "u1"}', "exactly one"),
        ('{"user": "u1", "text": "a", "button": "menu"}', "exactly one"),
        ('{"user": "u1", "text": 5}', "'text' must be a string"),
        ('{"user": "u1", "button": ""}', "'button'"),
        ('{"user": "' + "u" * 129 + '", "text": "hei"}', "'user' is too long"),
        ('{"user": "u\\u0000x", "text": "hei"}', "'user' is too long or has control"),
        ('{"user": "u1", "text": "hei", "event": "' + "e" * 201 + '"}', "'event' is too long"),
    ],
)
def test_parse_jsonl_request_rejects_malformed_lines(line: str, message: str) -> None:
    with pytest.raises(JsonlError, match=message):
        parse_jsonl_request(line, NOW)


def test_parse_jsonl_request_keeps_given_event_id() -> None:
    event = parse_jsonl_request('{"user": "u1", "button": "menu", "event": 7}', NOW)
    assert (event.user_id, event.payload, event.event_id) == ("u1", "menu", "7")


def test_jsonl_chat_answers_every_line_and_reports_bad_ones() -> None:
    core, out = RecordingCore(), io.StringIO()
    lines = ['{"user": "u1", "text": "hei"}\n', "oops\n", '{"user": "u2", "button": "menu"}\n']
    errors = JsonlChat(core=core, output=out, clock=lambda: NOW).run(lines)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert errors == 1
    assert answers[0]["replies"][0]["text"] == "hei"
    assert answers[0]["replies"][0]["buttons"][0] == {
        "label": "Det fungerte",
        "payload": "step:ok:p:1",
    }
    assert answers[0]["state"] == {"status": "active", "intent": "p", "step": 1}
    assert "error" in answers[1]
    assert answers[2]["user"] == "u2"


class FailingCore:
    """A core that fails on the user "boom" (a bug, a database error) and answers others."""

    def handle(self, event: Inbound) -> Outcome:
        if event.user_id == "boom":
            raise RuntimeError("something broke")
        return RecordingCore().handle(event)


def test_jsonl_chat_survives_a_failing_line() -> None:
    out = io.StringIO()
    lines = ['{"user": "boom", "text": "hei"}\n', '{"user": "u2", "text": "hei"}\n']
    errors = JsonlChat(core=FailingCore(), output=out, clock=lambda: NOW).run(lines)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert errors == 1
    assert answers[0] == {"error": "internal error; see the log"}
    assert answers[1]["replies"][0]["text"] == "hei"


def test_button_references_read_as_choices_in_a_terminal() -> None:
    buttons = (Button("Det fungerte", "ok"), Button("Hjalp ikke", "no"), Button("Hopp over", "s"))
    text = "Prøv steget, og trykk **Det fungerte** eller **Hjalp ikke**. Trykk **Hopp over**!"
    assert number_buttons(text, buttons, ("trykk", "velg")) == (
        "Prøv steget, og velg 1 (**Det fungerte**) eller 2 (**Hjalp ikke**). "
        "Velg 3 (**Hopp over**)!"
    )
    talk = (Button("Talk to IT", "human"),)
    assert number_buttons("Tap **Talk to IT**.", talk, ("tap", "choose")) == (
        "Choose 1 (**Talk to IT**)."
    )
    # a label the buttons do not have is left alone, and so is its verb
    assert number_buttons("Trykk **Noe annet**.", talk, ("trykk", "velg")) == (
        "Trykk **Noe annet**."
    )


class PlainCore(RecordingCore):
    """Answers "urgent" with a reply without buttons, everything else as RecordingCore."""

    def handle(self, event: Inbound) -> Outcome:
        if event.text == "urgent":
            self.events.append(event)
            view = ConversationView(1, "handed_off", "p", None, "nb")
            return Outcome(replies=(Reply("sent to IT", ()),), conversation=view)
        return super().handle(event)


def test_jsonl_chat_presses_a_number_only_of_the_latest_reply_it_printed() -> None:
    # playtest 12: a "1" after a reply without buttons pressed an older reply's first
    # button, and in a new process a number was sent on as a payload nobody knew
    core, out = PlainCore(), io.StringIO()
    lines = [
        '{"user": "u1", "button": "1"}\n',  # a new process: no buttons known yet
        '{"user": "u1", "text": "hei"}\n',
        '{"user": "u1", "button": "2"}\n',  # the latest reply's second button
        '{"user": "u1", "text": "urgent"}\n',
        '{"user": "u1", "button": "1"}\n',  # the latest reply had none
    ]
    errors = JsonlChat(core=core, output=out, clock=lambda: NOW).run(lines)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert errors == 2
    assert "none is known yet" in answers[0]["error"]
    assert core.events[1].payload == BUTTONS[1].payload
    assert "had none" in answers[4]["error"]
    assert len(core.events) == 3  # the refused presses reached nothing
