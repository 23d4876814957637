"""A problem's alerts: what the phone says, quoted in a message, names the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load_knowledge
from bot.settings import MatcherSettings
from bot.understanding.matcher import Matcher
from tests.paths import FIXTURES

ALERTS = """\
    alerts:
      nb: ["Tjeneren avviste avsenderadressen"]
      en: ["The server rejected the sender address"]
"""


def _with_alerts(tmp_path: Path, alerts: str = ALERTS) -> Path:
    """The small fixture knowledge with ``alerts`` on its outbox problem."""
    directory = tmp_path / "kb"
    shutil.copytree(FIXTURES / "knowledge_small", directory)
    kb = directory / "kb.yaml"
    text = kb.read_text(encoding="utf-8")
    anchor = '    escalation: {nb: "Vi sender saken videre.", en: "We pass it on."}\n'
    at = text.index(anchor) + len(anchor)  # the first problem's: outbox-stuck
    kb.write_text(text[:at] + alerts + text[at:], encoding="utf-8")
    return directory


def test_an_alert_quoted_in_a_sentence_names_its_problem(tmp_path: Path) -> None:
    matcher = Matcher.build(load_knowledge(_with_alerts(tmp_path)), MatcherSettings())
    text = "hver gang står det «tjeneren avviste avsenderadressen», hva betyr det?"
    assert matcher.classify(text).intent == "outbox-stuck"
    assert matcher.classify(text).decision == "match"
    # the same words without the alert on file say nothing the small model knows
    bare = Matcher.build(load_knowledge(FIXTURES / "knowledge_small"), MatcherSettings())
    assert bare.classify(text).intent != "outbox-stuck"


def test_a_typo_in_the_alert_still_counts_but_a_fragment_does_not(tmp_path: Path) -> None:
    matcher = Matcher.build(load_knowledge(_with_alerts(tmp_path)), MatcherSettings())
    assert matcher.classify("The server rejectd the sender adress").intent == "outbox-stuck"
    assert matcher.classify("the server").decision == "none"


def test_alerts_need_both_languages(tmp_path: Path) -> None:
    one_language = '    alerts:\n      nb: ["Tjeneren avviste avsenderadressen"]\n'
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(_with_alerts(tmp_path, one_language))
    assert any("empty en alerts list" in str(i) for i in caught.value.issues)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Tilkoblingen til tjeneren mislyktes", "mail-not-updating"),
        ("it keeps saying The connection to the server failed", "mail-not-updating"),
        ("får «Kan ikke bekrefte tjeneridentitet» på hotellet", "network-blocks-mail"),
        ("Får 'brukernavnet eller passordet er feil' hele tiden", "password-prompt"),
        # iOS puts the server's name in the alert (playtest 19: read as an outage)
        ("it says: The mail server 'mail.example.org' is not responding", "mail-not-updating"),
        ("E-posttjeneren «imap.domeneshop.no» svarer ikke", "mail-not-updating"),
    ],
)
def test_the_shipped_alerts_name_their_problems(shipped: Matcher, text: str, intent: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", intent)


def test_an_alert_on_another_device_is_still_not_this_topics_problem(shipped: Matcher) -> None:
    result = shipped.classify("Tilkoblingen til tjeneren mislyktes i Outlook på PC-en")
    assert result.decision == "none"
    assert result.outside
