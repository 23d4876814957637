"""``fixbot transcripts``: filters that check their values; show and export carry the story."""

from __future__ import annotations

import json
from pathlib import Path

from bot.knowledge import default_knowledge_dir, load_knowledge
from tests.cli_run import fixbot

UI = load_knowledge(default_knowledge_dir())


def test_a_terminal_chat_is_found_shown_and_exported_as_it_happened(
    database_url: str, tmp_path: Path
) -> None:
    env = {"FIXBOT_DATABASE_URL": database_url}
    skip = UI.text("button_skip", "nb").lower()
    chat = fixbot(
        "chat", "--user", "eva", stdin=f"2\n{skip}\nsnakk med IT\n", env=env, data_dir=tmp_path
    )
    assert chat.returncode == 0, chat.stderr

    listed = fixbot("transcripts", "list", "--platform", "cli", env=env, data_dir=tmp_path)
    assert listed.returncode == 0 and "(eva)" in listed.stdout
    conversation_id = listed.stdout.splitlines()[1].split()[0]

    shown = fixbot("transcripts", "show", conversation_id, env=env, data_dir=tmp_path)
    assert "handoff summary:" in shown.stdout
    assert f"[pressed {UI.text('button_skip', 'nb')}]" in shown.stdout
    assert "[pressed step:" not in shown.stdout

    exported = fixbot("transcripts", "export", env=env, data_dir=tmp_path)
    record = json.loads(exported.stdout.splitlines()[0])
    assert record["handoff_summary"] and "rating" in record


def test_unknown_filter_values_are_errors_not_empty_lists(database_url: str) -> None:
    env = {"FIXBOT_DATABASE_URL": database_url}
    for argv in (("--status", "open"), ("--intent", "no-such-problem"), ("--platform", "irc")):
        done = fixbot("transcripts", "list", *argv, env=env)
        assert done.returncode == 2, argv
        assert len(done.stderr.strip().splitlines()) == 1 and "no conversations" not in done.stdout
