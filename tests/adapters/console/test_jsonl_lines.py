"""``fixbot chat --jsonl`` and piped input: every bad line gets its own answer, then the next."""

from __future__ import annotations

import json
from pathlib import Path
from subprocess import CompletedProcess

from bot.knowledge import default_knowledge_dir, load_knowledge
from tests.cli_run import fixbot

UI = load_knowledge(default_knowledge_dir())


def test_each_bad_line_has_a_specific_error_and_the_stream_goes_on(
    database_url: str, tmp_path: Path
) -> None:
    lines = [
        '{"user": "u", "text": "\\ud800 mail"}',  # a lone surrogate
        '{"user": "u", "button": "a\\u0000b"}',  # NUL, which PostgreSQL refuses
        '{"user": "u", "text": "hei", "event": 1' + "0" * 4300 + "}",
        "[" * 100_000 + "]" * 100_000,
        '{"user": "u\\tx", "text": "hei"}',
        '{"user": "u", "text": "\\u001b[31mmailen sender ikke\\u001b[0m"}',
        '{"user": "u", "button": "2"}',
        '{"user": "u", "button": "' + UI.text("button_not_helped", "nb") + '"}',
    ]
    done = fixbot(
        "chat",
        "--jsonl",
        stdin="\n".join(lines) + "\n",
        env={"FIXBOT_DATABASE_URL": database_url},
        data_dir=tmp_path,
    )
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(lines)
    assert "replies" in answers[0] and "replies" in answers[1]
    assert answers[2] == {"error": "invalid JSON: a number too long to read"}
    assert answers[3] == {"error": "invalid JSON: nested too deeply"}
    assert "'user'" in answers[4]["error"]
    # the colour codes went, the words stayed: the fix starts at its first step
    assert answers[5]["state"]["intent"] == "cannot-send"
    assert answers[5]["state"]["step"] == 1
    # A button's number, then its label, press it like its payload ("Hjalp ikke" twice).
    assert answers[6]["state"]["step"] == 2
    assert answers[7]["state"]["step"] == 3


def test_help_documents_the_jsonl_format() -> None:
    done = fixbot("chat", "--help")
    assert '"button"' in done.stdout and "label" in done.stdout and '"error"' in done.stdout


def test_piped_latin1_is_answered(database_url: str, tmp_path: Path) -> None:
    done = fixbot(
        "chat",
        stdin=b"f\xe5r ikke sendt e-post\n",
        env={"FIXBOT_DATABASE_URL": database_url},
        data_dir=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    header = UI.text("step_header", "nb", n=1, total="\x00", title="").split("\x00")[0]
    assert header.replace("**", "") in done.stdout


def test_the_menu_keeps_its_numbers_and_names_the_button_to_type(
    database_url: str, tmp_path: Path
) -> None:
    done = _chat_as_nils("fjdksla qpwoeiru\nqpwoeiru fjdksla\n", database_url, tmp_path)
    human = UI.text("button_human", "nb")
    menus = [part.strip() for part in done.stdout.split("\n\n") if "  [1] " in part]
    assert len(menus) == 3  # the greeting's menu and one after each miss
    assert menus[0] == menus[1] == menus[2]
    count = menus[0].count("  [")
    assert f"  [{count}] {human}" in menus[0]
    assert f"Velg {count} ({human})" in done.stdout  # not "Trykk Snakk med IT [13]"
    assert f"rykk {count} (" not in done.stdout


def test_something_else_names_the_person_button_by_its_number(
    database_url: str, tmp_path: Path
) -> None:
    done = _chat_as_nils("hva er været i morgen\n", database_url, tmp_path)
    human = UI.text("button_human", "nb")
    assert f"  [1] {human}" in done.stdout
    assert f"Velg 1 ({human})" in done.stdout


def _chat_as_nils(stdin: str, database_url: str, tmp_path: Path) -> CompletedProcess[str]:
    """``fixbot chat`` as one person typing ``stdin``; it must exit cleanly."""
    done = fixbot(
        "chat",
        "--user",
        "nils",
        stdin=stdin,
        env={"FIXBOT_DATABASE_URL": database_url},
        data_dir=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    return done
