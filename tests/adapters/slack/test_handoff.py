"""The Slack handoff notice: escaped summary, a mention only for a real user id, the path."""

from __future__ import annotations

from adapters.slack.handoff import notice_text
from bot.events import HandoffNotice
from bot.knowledge import default_knowledge_dir, load_knowledge

UI = load_knowledge(default_knowledge_dir())


def notice(user_id: str = "U0NORA", summary: str = "Sak: <b>&</b>") -> HandoffNotice:
    return HandoffNotice(7, 42, summary, "slack", user_id)


def test_the_summary_is_escaped_and_the_person_is_a_mention() -> None:
    text = notice_text(notice(), UI)
    assert text.startswith("Sak: &lt;b&gt;&amp;&lt;/b&gt;")
    assert "Fra Slack: <@U0NORA>" in text
    assert text.endswith("/conversations/42")


def test_an_odd_user_id_is_escaped_not_mentioned() -> None:
    text = notice_text(notice(user_id="<!channel>"), UI)
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
