"""Look-alikes: off-topic messages with an answer of their own (spam that arrives, a
colleague's hacked account, a forgotten password). Still "none", never a fix flow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load_knowledge
from bot.settings import MatcherSettings
from bot.understanding.matcher import Matcher
from tests.paths import FIXTURES

LOOKALIKE = """\
lookalikes:
  - id: weather
    answer: {nb: "Se på yr.no.", en: "Have a look at yr.no."}
    phrases:
      nb: ["hvordan blir været i morgen", "blir det regn i helgen", "er det meldt sol"]
      en: ["what's the weather tomorrow", "will it rain this weekend", "is sun forecast"]
"""


def _with(tmp_path: Path, extra: str) -> Path:
    directory = tmp_path / "kb"
    shutil.copytree(FIXTURES / "knowledge_small", directory)
    (directory / "more.yaml").write_text(extra, encoding="utf-8")
    return directory


def test_a_lookalikes_phrases_are_off_topic_phrases_too(tmp_path: Path) -> None:
    knowledge = load_knowledge(_with(tmp_path, LOOKALIKE))
    assert "blir det regn i helgen" in knowledge.offtopic.nb
    assert knowledge.lookalike_of()["will it rain this weekend"] == "weather"
    assert knowledge.lookalikes["weather"].answer.get("en") == "Have a look at yr.no."


def test_a_lookalike_needs_an_answer_in_both_languages(tmp_path: Path) -> None:
    broken = LOOKALIKE.replace(', en: "Have a look at yr.no."', "")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(_with(tmp_path, broken))
    assert any("'answer' has no en text" in str(i) for i in caught.value.issues)


def test_a_glossary_term_needs_names_and_text_in_both_languages(tmp_path: Path) -> None:
    glossary = 'glossary:\n  - id: term-x\n    names: {nb: [x], en: [x]}\n    text: {nb: "X"}\n'
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(_with(tmp_path, glossary))
    assert any("'text' has no en text" in str(i) for i in caught.value.issues)
    fine = glossary.replace('{nb: "X"}', '{nb: "X", en: "X"}')
    loaded = load_knowledge(_with(tmp_path / "fine", fine))
    assert loaded.glossary["term-x"].names.get("en") == ("x",)


def test_a_lookalike_escalates_only_to_a_known_problem(tmp_path: Path) -> None:
    broken = LOOKALIKE.replace("  - id: weather\n", "  - id: weather\n    escalates_to: no-such\n")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(_with(tmp_path, broken))
    assert any("unknown problem id 'no-such'" in str(i) for i in caught.value.issues)


def test_a_message_like_a_lookalikes_phrases_is_none_with_its_id(tmp_path: Path) -> None:
    matcher = Matcher.build(load_knowledge(_with(tmp_path, LOOKALIKE)), MatcherSettings())
    result = matcher.classify("blir det regn i morgen?")
    assert (result.decision, result.lookalike) == ("none", "weather")
    assert matcher.classify("mailen blir liggende i utboksen").lookalike is None


@pytest.mark.parametrize(
    ("text", "lookalike"),
    [
        (
            "fikk en mail om at kontoen min stenges hvis jeg ikke logger inn, er det svindel?",
            "phishing-received",
        ),
        ("tror kollegaen min er hacka, hun sendte meg en rar lenke", "someone-else-hacked"),
        (
            "sjefen min sin konto er hacket tror jeg, fikk en rar lenke fra han",
            "someone-else-hacked",
        ),
        ("jeg har glemt passordet til jobbmailen", "password-forgotten"),
        # "glemt" is also a word of other things ("... til Vipps"), but of this one too
        ("jeg har glemt passordet mitt", "password-forgotten"),
        ("I forgot my password", "password-forgotten"),
        ("fikk ny iphone i dag, hvordan får jeg inn jobbmailen?", "add-account"),
        # a click alone gives nothing away (playtests 12 and 13: it was the urgent handoff
        # at once); the answer asks whether a password was typed in, and a yes is the alarm
        ("I got a phishing email asking for my password, I clicked the link", "phishing-received"),
        ("I opened a spam email by mistake, am I hacked now?", "phishing-received"),
        # a mail that asks for the password has taken nothing yet (playtest 16: the urgent
        # handoff); the answer asks whether it was typed in
        ("fikk en mail som ber meg skrive inn passordet mitt", "phishing-received"),
        ("got an email asking me to confirm my password", "phishing-received"),
    ],
)
def test_the_shipped_lookalikes(shipped: Matcher, text: str, lookalike: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.lookalike) == ("none", lookalike)


@pytest.mark.parametrize(
    "text",
    [
        "folk får rare mailer fra meg som jeg ikke har sendt",
        # a close call with phishing that arrived: "fra adressen min" makes it the alarm
        "kundene har fått en rar mail fra adressen min med et vedlegg",
        # phishing that got the password is a hacked account (playtest 8)
        "fikk en phishing mail, trykket på linken og logget inn",
        "I got a phishing email asking for my password, I clicked the link and typed it in",
    ],
)
def test_a_hacked_account_of_ones_own_is_still_the_alarm(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.intent) == ("match", "account-compromised")


def test_a_story_close_to_the_alarm_and_a_lookalike_gets_the_lookalike(shipped: Matcher) -> None:
    # the alarm wins close calls in a story, but not against a look-alike, whose answer
    # says how to raise the alarm after all
    result = shipped.classify("en kunde fikk en falsk faktura fra et domene som ligner vårt")
    assert (result.decision, result.lookalike) == ("none", "phishing-received")


@pytest.mark.parametrize(
    "text", ["Eg har gløymt passordet til Vipps", "outlook på macen sender ikke mail"]
)
def test_another_app_or_device_named_gets_no_mail_lookalike(shipped: Matcher, text: str) -> None:
    result = shipped.classify(text)
    assert (result.decision, result.lookalike) == ("none", None)
