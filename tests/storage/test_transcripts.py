"""``fixbot transcripts``: list, show, export and purge against a real database."""

from __future__ import annotations

import argparse
import csv
import json
from datetime import UTC, datetime, timedelta

import pytest

from adapters.cli.commands import CommandError, transcripts
from bot.settings import Settings
from tests.storage.conftest import inbound, rows


def _run(database_url: str, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    transcripts.register(parser)
    return transcripts.run(parser.parse_args(argv), Settings(database_url=database_url))


@pytest.fixture
def filled(fake_service, database_url):
    now = datetime.now(UTC)
    fake_service.handle(inbound("fix mail", chat="a", at=now))
    fake_service.handle(inbound("passordet mitt er Hemmelig1", chat="a", at=now))
    fake_service.handle(inbound(payload="ok", chat="a", at=now))
    fake_service.handle(inbound("hei", chat="b", user="u2", at=now - timedelta(days=200)))
    return database_url


def test_list_filters_by_status(filled, capsys):
    assert _run(filled, "list", "--status", "resolved") == 0
    out = capsys.readouterr().out
    assert "resolved" in out and "mail" in out and "u2" not in out


def test_show_prints_messages_in_order_redacted(filled, capsys):
    _run(filled, "list", "--intent", "mail")
    conversation_id = capsys.readouterr().out.splitlines()[1].split()[0]
    assert _run(filled, "show", conversation_id) == 0
    out = capsys.readouterr().out
    # a press shows the label the person saw (the fake service labels "ok" its own way)
    assert out.index("fix mail") < out.index("[redacted]") < out.index("[pressed ")
    assert "Hemmelig1" not in out


def test_show_unknown_conversation_is_an_error(filled):
    with pytest.raises(CommandError, match="no conversation 999"):
        _run(filled, "show", "999")


def test_export_jsonl_and_csv(filled, tmp_path):
    jsonl = tmp_path / "t.jsonl"
    assert _run(filled, "export", "--format", "jsonl", "--output", str(jsonl)) == 0
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(records) == 2
    assert [m["direction"] for m in records[0]["messages"]][:2] == ["in", "out"]
    table = tmp_path / "t.csv"
    assert _run(filled, "export", "--format", "csv", "-o", str(table), "--since", "30d") == 0
    with table.open() as handle:
        lines = list(csv.DictReader(handle))
    assert {line["platform"] for line in lines} == {"test"}
    assert len(lines) == 6  # three events, in and out, of the recent conversation


def test_purge_deletes_old_conversations_with_their_messages(filled, fake_service, capsys):
    assert _run(filled, "purge", "--older-than", "90d", "--yes") == 0
    assert "deleted 1 conversations" in capsys.readouterr().out
    assert rows(fake_service, "SELECT count(*) FROM conversations") == [(1,)]
    assert rows(fake_service, "SELECT count(*) FROM messages") == [(6,)]
    assert rows(fake_service, "SELECT external_id FROM users") == [("u1",)]
    # The purged chat starts afresh.
    again = fake_service.handle(inbound("hei", chat="b", user="u2"))
    assert again.replies[0].text == "turn 1: hei"


def test_purge_without_yes_off_a_terminal_refuses(filled):
    with pytest.raises(CommandError, match="--yes"):
        _run(filled, "purge", "--older-than", "90d")


@pytest.mark.parametrize(("age", "days"), [("90d", 90), ("2w", 14), ("48h", 2)])
def test_ages(age, days):
    assert transcripts.parse_age(age) == timedelta(days=days)


def test_bad_age():
    with pytest.raises(CommandError):
        transcripts.parse_age("soon")


def test_csv_export_defuses_spreadsheet_formulas(fake_service, database_url, tmp_path):
    fake_service.handle(inbound('=HYPERLINK("http://evil.example","klikk")', chat="f"))
    table = tmp_path / "t.csv"
    assert _run(database_url, "export", "--format", "csv", "-o", str(table)) == 0
    with table.open() as handle:
        texts = [line["text"] for line in csv.DictReader(handle)]
    assert '\'=HYPERLINK("http://evil.example","klikk")' in texts
    assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)


def test_close_idle_marks_only_idle_active_conversations_abandoned(
    fake_service, database_url, capsys
):
    now = datetime.now(UTC)
    fake_service.handle(inbound("hei", chat="old", at=now - timedelta(hours=30)))
    fake_service.handle(inbound("hei", chat="new", user="u2", at=now - timedelta(hours=1)))
    assert _run(database_url, "close-idle") == 0
    assert "marked 1 idle conversations abandoned" in capsys.readouterr().out
    statuses = rows(fake_service, "SELECT status FROM conversations ORDER BY id")
    assert statuses == [("abandoned",), ("active",)]


def test_show_and_export_carry_the_rating(fake_service, database_url, capsys, tmp_path):
    now = datetime.now(UTC)
    fake_service.handle(inbound("fix mail", chat="r", at=now))
    fake_service.handle(inbound(payload="ok", chat="r", at=now))
    fake_service.handle(inbound("rate 4", chat="r", at=now))
    _run(database_url, "list", "--intent", "mail")
    conversation_id = capsys.readouterr().out.splitlines()[1].split()[0]
    assert _run(database_url, "show", conversation_id) == 0
    assert "rating: 4/5" in capsys.readouterr().out
    out = tmp_path / "all.jsonl"
    assert _run(database_url, "export", "--output", str(out)) == 0
    assert [json.loads(line)["rating"] for line in out.read_text().splitlines()] == [4]
