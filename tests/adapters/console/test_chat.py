"""``fixbot chat`` end to end: the real command line, the real service, the test database."""

from __future__ import annotations

import io
import json

import pytest

from adapters.cli.main import main
from bot.dialog import payloads
from bot.knowledge import default_knowledge_dir, load_knowledge

# Wording comes from the knowledge base, so the tests read it from there too.
UI = load_knowledge(default_knowledge_dir())


def step_header(language: str, n: int, *, plain: bool = False) -> str:
    """The start of "Steg n av N" / "Step n of N" as the bot writes it (``plain``: as the
    terminal shows it, without the bold markup)."""
    header = UI.text("step_header", language, n=n, total="\x00", title="").split("\x00")[0]
    return header.replace("**", "") if plain else header


def chat(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    lines: list[str],
    *argv: str,
) -> tuple[int, str]:
    """Run ``fixbot chat ARGV`` with ``lines`` on standard input; its exit code and output."""
    monkeypatch.setenv("FIXBOT_DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in lines)))
    code = main(["chat", *argv])
    return code, capsys.readouterr().out


def jsonl(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_a_norwegian_fix_from_symptom_to_rating_in_json_lines(monkeypatch, capsys, database_url):
    lines = [
        jsonl(user="kari", text="mailen på iPhonen oppdaterer seg ikke lenger"),
        jsonl(user="kari", text="nei, hjalp ikke"),
        jsonl(user="kari", text="ja det funka!"),
        jsonl(user="kari", button=payloads.rate(5)),
    ]
    code, out = chat(monkeypatch, capsys, database_url, lines, "--jsonl")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert answers[0]["state"] == {"status": "active", "intent": "mail-not-updating", "step": 1}
    assert step_header("nb", 1) in answers[0]["replies"][-1]["text"]
    labels = [b["label"] for b in answers[0]["replies"][-1]["buttons"]]
    assert labels[:2] == [UI.text("button_worked", "nb"), UI.text("button_not_helped", "nb")]
    assert answers[1]["state"]["step"] == 2
    assert answers[2]["state"]["status"] == "resolved"
    assert answers[3]["state"]["status"] == "resolved"


def test_an_english_handoff_and_a_duplicate_event_in_json_lines(monkeypatch, capsys, database_url):
    lines = [
        jsonl(user="ola", text="my iPhone keeps asking for my mail password", event="e1"),
        jsonl(user="ola", text="my iPhone keeps asking for my mail password", event="e1"),
        "this is not json",
        jsonl(user="ola", text="I want to talk to a person", event="e2"),
    ]
    code, out = chat(monkeypatch, capsys, database_url, lines, "--jsonl")
    first, again, broken, handed = (json.loads(line) for line in out.splitlines())
    assert code == 0
    assert first["state"]["intent"] == "password-prompt"
    assert step_header("en", 1) in first["replies"][-1]["text"]
    assert again["replies"] == [] and again["duplicate"] is True
    assert "error" in broken
    assert handed["state"]["status"] == "handed_off"
    assert "IT" in handed["replies"][0]["text"]


def test_the_terminal_chat_presses_numbered_buttons_and_resumes_a_user(
    monkeypatch, capsys, database_url
):
    # A first session: the greeting menu, then the second problem by its number.
    code, out = chat(monkeypatch, capsys, database_url, ["2"], "--user", "per")
    assert code == 0
    assert "[1] " in out and step_header("nb", 1, plain=True) in out
    # A second session as the same person: fixbot shows where they were.
    not_helped = UI.text("button_not_helped", "nb")
    code, out = chat(monkeypatch, capsys, database_url, [not_helped], "--user", "per")
    assert code == 0
    assert UI.text("greeting_in_flow", "nb") in out
    assert step_header("nb", 2, plain=True) in out


def test_the_numbers_run_on_across_the_replies_of_one_answer(monkeypatch, capsys, database_url):
    # a question mid-step: the step's buttons first (1 is still "That worked", as on
    # every step), the suggested question after them, and its number presses it
    lines = ["my mail folders are empty and the app crashes", "nope", "nope"]
    lines += ["will this delete my emails?", "6"]
    code, out = chat(monkeypatch, capsys, database_url, lines, "--user", "kari")
    assert code == 0
    answer = UI.questions["faq-delete-account"].answer.en[:20]
    suggested, pressed = out.rsplit(UI.text("step_question_related", "en"), 1)[1].split(answer)
    buttons = [line for line in suggested.splitlines() if line.startswith("  [")]
    assert [b.split("]")[0] for b in buttons] == [f"  [{n}" for n in range(1, 7)]
    assert buttons[0] == f"  [1] {UI.text('button_worked', 'en')}"
    assert buttons[-1] == f"  [6] {UI.questions['faq-delete-account'].title.en}"
    assert UI.text("rating_prompt", "en") not in pressed
