"""The Telegram handoff notice: who the person is, the support chat id, the text."""

from __future__ import annotations

from telegram import User

from adapters.telegram.handoff import notice_text, person, support_chat_id
from bot.events import HandoffNotice
from bot.knowledge import default_knowledge_dir, load_knowledge

UI = load_knowledge(default_knowledge_dir())


def test_the_person_is_as_findable_as_telegram_allows() -> None:
    full = User(7, "Emma", False, last_name="Berg", username="emma_b")
    assert person(full, "7") == "Emma Berg (@emma_b, id 7)"
    assert person(User(8, "Ola", False), "8") == "Ola (id 8)"
    assert person(None, "9") == "id 9"


def test_the_support_chat_is_a_number_or_a_channel_name() -> None:
    assert support_chat_id("-1001234") == -1001234
    assert support_chat_id("@it_support") == "@it_support"


def test_the_notice_has_summary_person_and_path() -> None:
    notice = HandoffNotice(3, 12, "Sak fra fixbot", "telegram", "7")
    text = notice_text(notice, UI, "Emma (id 7)")
    assert text.splitlines()[0] == "Sak fra fixbot"
    assert "Fra Telegram: Emma (id 7)" in text
    assert text.endswith("/conversations/12")
