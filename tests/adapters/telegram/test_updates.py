"""Reading Telegram updates: languages, conversation keys and mentions, without a server."""

from __future__ import annotations

import pytest
from telegram import Chat

from adapters.telegram.updates import chat_key, language_of, without_mention


@pytest.mark.parametrize(
    ("code", "language"),
    [("nb", "nb"), ("no", "nb"), ("nn-NO", "nb"), ("nb_NO", "nb"), ("en-GB", "en"), ("de", "en")],
)
def test_language_of(code: str, language: str) -> None:
    assert language_of(code) == language


def test_no_language_code_is_no_language() -> None:
    assert language_of(None) is None and language_of("") is None


def test_a_private_chat_is_one_conversation_and_a_group_one_per_person() -> None:
    assert chat_key(Chat(42, Chat.PRIVATE), 42) == "42"
    assert chat_key(Chat(-100, Chat.SUPERGROUP), 7) == "-100:7"


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("@fixbot_bot mailen virker ikke", "mailen virker ikke"),
        ("mailen  @FIXBOT_BOT virker ikke", "mailen virker ikke"),
        ("@fixbot_botten hei", "@fixbot_botten hei"),  # another bot's name
        ("@fixbot_bot", ""),
    ],
)
def test_without_mention(text: str, left: str) -> None:
    assert without_mention(text, "fixbot_bot") == left
