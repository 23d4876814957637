"""Coming back after a handoff: what the person writes joins their case, with its status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bot.knowledge import default_knowledge_dir, load_knowledge
from bot.store.database import create_engine_for
from tests.cli_run import fixbot

UI = load_knowledge(default_knowledge_dir())


def _line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def _answers(lines: list[str], database_url: str, tmp_path: Path) -> list[dict[str, Any]]:
    """Each line through `fixbot chat --jsonl` on the database; one answer per line."""
    done = fixbot(
        "chat", "--jsonl", stdin="\n".join(lines) + "\n",
        env={"FIXBOT_DATABASE_URL": database_url}, data_dir=tmp_path,
    )  # fmt: skip
    return [json.loads(line) for line in done.stdout.splitlines()]


def _column(database_url: str, sql: str) -> list[Any]:
    """The first column of a query's rows on the chat's database."""
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            return [row[0] for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_news_after_the_handoff_is_added_to_the_case_and_a_status_question_answered(
    database_url: str, tmp_path: Path
) -> None:
    lines = [
        _line(user="siri", text="får ikke sendt e-post fra iphonen"),
        _line(user="siri", text="kan jeg snakke med et menneske"),
        _line(user="siri", text="har IT sett på saken min?"),
        _line(user="siri", text="det gjelder jobbkontoen siri@firma.no"),
        # a detail that reads as a problem of its own: in the case too, its fix only offered
        _line(user="siri", text="og nå ber iphonen om passordet hele tiden også"),
    ]
    answers = _answers(lines, database_url, tmp_path)
    assert answers[1]["state"]["status"] == "handed_off"
    for answer in answers[2:]:
        said = " ".join(reply["text"] for reply in answer["replies"])
        # "har IT sett på saken min?" asks how it goes: the status, nothing added
        added = answer is not answers[2]
        assert (UI.text("case_added", "nb") in said) is added
        assert UI.text("case_status_open", "nb") in said
        assert answer["state"]["status"] == "handed_off"
        assert UI.text("greeting", "nb", topics="").split("**")[0] not in said
    [cases] = _column(database_url, "SELECT count(*) FROM handoffs")
    notes = _column(database_url, "SELECT text FROM handoff_notes ORDER BY id")
    assert cases == 1  # one case, not a second one
    assert notes == [
        "det gjelder jobbkontoen siri@firma.no",
        "og nå ber iphonen om passordet hele tiden også",
    ]
    offered = [b["payload"] for reply in answers[-1]["replies"] for b in reply["buttons"]]
    assert offered == ["pick:password-prompt"]


def test_asking_for_a_person_with_nothing_described_asks_what_it_is_about_first(
    database_url: str, tmp_path: Path
) -> None:
    lines = [
        _line(user="ola", text="kan jeg snakke med et menneske"),
        _line(user="ola", text="skjermen på telefonen er knust"),
    ]
    question, handed = _answers(lines, database_url, tmp_path)
    said = " ".join(reply["text"] for reply in question["replies"])
    assert UI.text("human_ask_problem", "nb") in said
    labels = [button["label"] for reply in question["replies"] for button in reply["buttons"]]
    assert labels[-1] == UI.text("button_human_direct", "nb")
    assert question["state"]["status"] == "active"
    assert handed["state"]["status"] == "handed_off"
    summaries = _column(database_url, "SELECT summary FROM handoffs")
    [summary] = summaries  # one case, with the story told in the answer
    assert "skjermen på telefonen er knust" in summary


def test_steps_tried_meanwhile_join_the_open_case_instead_of_a_second_one(
    database_url: str, tmp_path: Path
) -> None:
    # playtest 22: after a handoff, the steps offered for the wait were tried, "har IT fått
    # saken min?" was "about something else", and "Snakk med IT" opened a second case
    lines = [
        _line(user="kai", text="kan jeg snakke med et menneske"),
        _line(user="kai", text="innboksen på iphonen oppdaterer seg ikke"),
        _line(user="kai", text="hva kan jeg gjøre i mellomtiden?"),
        _line(user="kai", button="pick:mail-not-updating"),
        _line(user="kai", text="har IT fått saken min eller ikke?"),
        _line(user="kai", button="human"),
    ]
    answers = _answers(lines, database_url, tmp_path)
    assert answers[1]["state"]["status"] == "handed_off"
    offered = [b["payload"] for reply in answers[2]["replies"] for b in reply["buttons"]]
    assert offered == ["pick:mail-not-updating"]
    assert answers[3]["state"]["intent"] == "mail-not-updating"
    asked = " ".join(reply["text"] for reply in answers[4]["replies"])
    assert UI.text("case_status_open", "nb") in asked
    assert answers[4]["state"]["status"] == "active"  # the step stays
    handed = " ".join(reply["text"] for reply in answers[5]["replies"])
    assert UI.text("case_added_tried", "nb") in handed
    [cases] = _column(database_url, "SELECT count(*) FROM handoffs")
    notes = _column(database_url, "SELECT text FROM handoff_notes ORDER BY id")
    assert cases == 1
    assert len(notes) == 1 and "Innboksen oppdateres ikke" in notes[0]
