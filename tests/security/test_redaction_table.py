"""The blind redaction table (``redaction_phrasings.yaml``, written without seeing the
code): no secret survives in the stored message, the search text, the conversation
state, the handoff summary and details, the posted notice or the log; a secret sent
as a button payload neither; and ordinary support talk keeps its words."""

from __future__ import annotations

import itertools
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text as sql

from bot.dialog import payloads
from bot.events import Inbound
from bot.redact import redact

TABLE = yaml.safe_load((Path(__file__).with_name("redaction_phrasings.yaml")).read_text("utf-8"))
SECRETS: list[dict[str, str]] = TABLE["secrets"]
KEEPS: list[dict[str, str]] = TABLE["keep"]
_ids = itertools.count(1)


def _event(chat: str, *, text: str | None = None, payload: str | None = None) -> Inbound:
    return Inbound(
        platform="test",
        user_id=f"u-{chat}",
        chat_key=chat,
        event_id=f"ev{next(_ids)}",
        received_at=datetime.now(UTC),
        text=text,
        payload=payload,
    )


def _stored(service: Any, conversation_id: int) -> dict[str, str]:
    """Everything stored of one conversation, by where it is kept."""
    queries = {
        "message": "SELECT text || ' ' || coalesce(payload, '') FROM messages "
        "WHERE conversation_id = :id",
        "search text": "SELECT search_text FROM conversations WHERE id = :id",
        "state": "SELECT CAST(state AS TEXT) FROM conversations WHERE id = :id",
        "handoff summary": "SELECT summary FROM handoffs WHERE conversation_id = :id",
        "handoff details": "SELECT CAST(details AS TEXT) FROM handoffs WHERE conversation_id = :id",
    }
    with service.store.engine.connect() as connection:
        return {
            where: "\n".join(str(row[0]) for row in connection.execute(sql(query), {"id": i}))
            for where, query in queries.items()
            for i in [conversation_id]
        }


def test_no_secret_of_the_table_survives_anywhere(
    service: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    leaks: list[str] = []
    for number, row in enumerate(SECRETS):
        chat = f"c{number}"
        said = service.handle(_event(chat, text=row["text"]))
        handed = service.handle(_event(chat, payload=payloads.HUMAN))
        pressed = service.handle(_event(f"p{number}", payload=row["text"] + "\x00\x1b[2J"))
        posted = " ".join(notice.summary for notice in handed.handoffs)
        places = _stored(service, said.conversation.conversation_id)
        places["posted notice"] = posted
        places["payload"] = "\n".join(
            _stored(service, pressed.conversation.conversation_id).values()
        )
        for where, content in places.items():
            if row["secret"] in json_unescaped(content):
                leaks.append(f"{where}: {row['text']!r}")
        for where, content in places.items():
            assert "\x00" not in content and "\x1b" not in content, where
    if any(row["secret"] in caplog.text for row in SECRETS):
        leaks.append("log")
    print(f"redaction table: {len(SECRETS)} secrets, {len(leaks)} leaks")
    assert leaks == [], "\n".join(leaks)


def json_unescaped(content: str) -> str:
    """JSON columns escape non-ASCII and quotes; compare with the plain characters too."""
    try:
        decoded = content.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        decoded = content
    return content + "\n" + decoded


@pytest.mark.parametrize("row", SECRETS, ids=[row["text"][:40] for row in SECRETS])
def test_each_secret_is_masked(row: dict[str, str]) -> None:
    assert row["secret"] not in redact(row["text"])


@pytest.mark.parametrize("row", KEEPS, ids=[row["text"][:40] for row in KEEPS])
def test_ordinary_talk_keeps_its_words(row: dict[str, str]) -> None:
    assert row["must_keep"] in redact(row["text"])


def test_real_support_messages_are_never_masked() -> None:
    """Every labelled message of the eval sets (support talk, no secrets) stays as it is:
    the dialog reads redacted text, so a masked symptom word would cost understanding."""
    from tests.paths import FIXTURES

    changed = []
    for path in sorted(FIXTURES.glob("eval_*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            text = json.loads(line).get("text") if line.strip() else None
            if text and redact(text) != text:
                changed.append(f"{path.name}: {text!r} -> {redact(text)!r}")
    assert changed == [], "\n".join(changed)
