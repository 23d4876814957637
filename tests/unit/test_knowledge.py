"""Broken knowledge directories: every issue reported with its file, line and message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from adapters.cli.main import main
from bot.knowledge import KnowledgeError, load_knowledge
from tests.paths import FIXTURES

FIXTURE = FIXTURES / "knowledge_small"

PROBLEM = """\
problems:
  - id: {id}
    topic: demo
    title: {{nb: "Tittel", en: "Title"}}
    understood: {{nb: "Forstått.", en: "Understood."}}
    steps: [{steps}]
    escalation: {{nb: "Videre.", en: "Onwards."}}
    phrases:
      nb: {nb}
      en: ["the extra problem"]
"""


def _directory(tmp_path: Path, extra: str) -> Path:
    """The fixture knowledge plus one file, more.yaml, holding ``extra``."""
    directory = tmp_path / "kb"
    shutil.copytree(FIXTURE, directory)
    (directory / "more.yaml").write_text(extra, encoding="utf-8")
    return directory


def _issues(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return [str(issue) for issue in caught.value.issues]


def _problem(id: str = "extra", steps: str = "restart", nb: str = '["et ekstra problem"]') -> str:
    return PROBLEM.format(id=id, steps=steps, nb=nb)


def _step_with(line: str) -> str:
    """A knowledge file with one step, ``extra-step``, that has ``line`` as well."""
    return f"""steps:
  - id: extra-step
    title: {{nb: "Steg", en: "Step"}}
    text: {{nb: "Gjør det.", en: "Do it."}}
    why: {{nb: "Fordi.", en: "Because."}}
    minutes: 1
    {line}
"""


def test_the_fixture_is_clean() -> None:
    assert "outbox-stuck" in load_knowledge(FIXTURE).problems


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("problems:\n  - id: [unclosed\n", "more.yaml:3: invalid YAML: "),
        (_problem(steps="restart, no-such-step"), "more.yaml:2: unknown step id 'no-such-step'"),
        (
            _problem(id="outbox-stuck"),
            "more.yaml:2: duplicate id 'outbox-stuck' (first defined at kb.yaml:",
        ),
        (_problem(nb="[]"), "more.yaml:9: extra: empty nb phrases list"),
        (
            _problem(id="x" * 60),
            f"more.yaml:2: id '{'x' * 60}' makes button payload 'step:skip:{'x' * 60}:99' "
            "longer than Telegram's 64 bytes",
        ),
        (
            _problem().replace('title: {nb: "Tittel", en: "Title"}', 'title: {nb: "Tittel"}'),
            "more.yaml:4: extra: 'title' has no en text",
        ),
    ],
    ids=[
        "invalid-yaml",
        "unknown-step",
        "duplicate-id",
        "empty-phrases",
        "long-payload",
        "missing-language",
    ],
)
def test_each_error_names_file_line_and_problem(tmp_path: Path, extra: str, expected: str) -> None:
    issues = _issues(_directory(tmp_path, extra))
    assert any(issue.startswith(expected) for issue in issues), issues


def test_every_issue_is_collected_not_only_the_first(tmp_path: Path) -> None:
    extra = _problem(steps="ghost-one") + _problem(id="other", steps="ghost-two").replace(
        "problems:\n", ""
    )
    issues = _issues(_directory(tmp_path, extra))
    assert any("unknown step id 'ghost-one'" in i for i in issues)
    assert any("unknown step id 'ghost-two'" in i for i in issues)


def test_offtopic_section_needs_both_languages(tmp_path: Path) -> None:
    issues = _issues(_directory(tmp_path, 'offtopic:\n  nb: ["hei"]\n'))
    assert any(i.startswith("more.yaml:2: offtopic: empty en offtopic list") for i in issues), (
        issues
    )


def test_kb_check_reports_every_issue_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = _directory(tmp_path, _problem(steps="ghost", nb="[]"))
    assert main(["kb", "check", str(directory)]) == 1
    err = capsys.readouterr().err
    assert "more.yaml:2: unknown step id 'ghost'" in err
    assert "more.yaml:9: extra: empty nb phrases list" in err
    assert "2 error(s)" in err


def test_kb_check_clean_directory_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check", str(FIXTURE)]) == 0
    out = capsys.readouterr().out.strip()
    assert out.endswith("ok: 1 topics, 3 problems, 1 steps, 1 questions, 1 requests, 29 phrases")
    assert len(out.splitlines()) == 1


def test_kb_check_warns_about_a_phrase_two_intents_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = _directory(tmp_path, _problem(nb='["Kontaktene mangler!"]'))
    assert main(["kb", "check", str(directory)]) == 0
    assert (
        "warning: phrase 'kontaktene mangler' is listed by contacts-missing, extra"
        in capsys.readouterr().err
    )


def test_the_shipped_knowledge_passes_kb_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check"]) == 0
    assert " ok: " in capsys.readouterr().out


def test_a_steps_questions_must_be_known_questions(tmp_path: Path) -> None:
    step = """steps:
  - id: extra-step
    questions: [no-such-question]
    title: {nb: "Steg", en: "Step"}
    text: {nb: "Gjør det.", en: "Do it."}
    why: {nb: "Fordi.", en: "Because."}
    minutes: 1
"""
    issues = _issues(_directory(tmp_path, step))
    assert any("unknown question id 'no-such-question'" in issue for issue in issues), issues


def test_a_topics_vague_phrases_are_read_and_need_both_languages(tmp_path: Path) -> None:
    assert load_knowledge(FIXTURE).topics["demo"].vague_phrases.nb == ()  # optional
    topic = (
        'topics:\n  - id: other\n    title: {nb: "Annet", en: "Other"}\n'
        '    before_you_start: {nb: ["a"], en: ["b"]}\n'
        '    closing: {nb: "c", en: "d"}\n'
        '    vague_phrases: {nb: ["noe er galt"]}\n'
    )
    issues = _issues(_directory(tmp_path, topic))
    assert any("other: empty en vague_phrases list" in i for i in issues), issues
    fixed = topic.replace('{nb: ["noe er galt"]}', '{nb: ["noe er galt"], en: ["not right"]}')
    (tmp_path / "kb" / "more.yaml").write_text(fixed, encoding="utf-8")
    loaded = load_knowledge(tmp_path / "kb").topics["other"].vague_phrases
    assert (loaded.nb, loaded.en) == (("noe er galt",), ("not right",))


def test_a_checks_outage_flag_must_be_true_or_false(tmp_path: Path) -> None:
    step = """steps:
  - id: extra-check
    title: {nb: "Steg", en: "Step"}
    text: {nb: "Sjekk det.", en: "Check it."}
    why: {nb: "Fordi.", en: "Because."}
    minutes: 1
    check:
      question: {nb: "Er den oppe?", en: "Is it up?"}
      fine: {nb: "Ja", en: "Yes"}
      fault: {nb: "Nei", en: "No"}
      outage: "yes"
"""
    issues = _issues(_directory(tmp_path, step))
    assert any("'outage' must be true or false" in issue for issue in issues), issues


@pytest.mark.parametrize(
    ("words", "right"), [('[["!blokkert"], [blocked]]', True), ("[blokkert]", False)]
)
def test_a_checks_told_if_is_a_list_of_word_lists(tmp_path: Path, words: str, right: bool) -> None:
    step = f"""steps:
  - id: extra-check
    title: {{nb: "Steg", en: "Step"}}
    text: {{nb: "Sjekk det.", en: "Check it."}}
    why: {{nb: "Fordi.", en: "Because."}}
    minutes: 1
    check:
      question: {{nb: "Er den blokkert?", en: "Is it blocked?"}}
      fine: {{nb: "Nei", en: "No"}}
      fault: {{nb: "Ja", en: "Yes"}}
      told_if: {words}
"""
    directory = _directory(tmp_path, step)
    if right:
        check = load_knowledge(directory).steps["extra-check"].check
        assert check is not None and check.told_if == (("!blokkert",), ("blocked",))
    else:
        issues = _issues(directory)
        assert any("extra-check: 'told_if' must be a list of word lists" in i for i in issues)


@pytest.mark.parametrize(
    ("key", "words", "right"),
    [
        ("done_if", '[["!restart"], [wifi, 4g]]', True),
        ("done_if", "[restart]", False),  # a list of words, not of word lists
        ("done_if", "[[turned, mail, off]]", False),  # YAML reads an unquoted off as false
        ("done_if", "[[]]", False),
        ("only_if", '[["!restart"], [wifi, 4g]]', True),
        ("only_if", "[4g]", False),
        ("only_if", "[[]]", False),
        ("found_if", '[["!restart"], [wifi, 4g]]', True),
        ("found_if", "[fant]", False),
        ("skip_if", '[["!restart"], [wifi, 4g]]', True),
        ("skip_if", "[vpn]", False),
    ],
)
def test_a_steps_done_if_only_if_and_found_if_are_lists_of_word_lists(
    tmp_path: Path, key: str, words: str, right: bool
) -> None:
    directory = _directory(tmp_path, _step_with(f"{key}: {words}"))
    if right:
        loaded = getattr(load_knowledge(directory).steps["extra-step"], key)
        assert loaded == (("!restart",), ("wifi", "4g"))
    else:
        issues = _issues(directory)
        assert any(f"'{key}' must be a list of word lists" in i for i in issues), issues


@pytest.mark.parametrize(
    ("value", "issue"),
    [
        ("outbox-stuck", None),
        ("no-such-problem", "unknown problem id 'no-such-problem'"),
        ("[outbox-stuck]", "'if_disowned' must be a problem id"),
    ],
)
@pytest.mark.parametrize("key", ["if_disowned", "shows"])
def test_a_steps_if_disowned_names_a_problem(
    tmp_path: Path, key: str, value: str, issue: str | None
) -> None:
    directory = _directory(tmp_path, _step_with(f"{key}: {value}"))
    if issue is None:
        assert getattr(load_knowledge(directory).steps["extra-step"], key) == value
    else:
        issues = _issues(directory)
        assert any(issue.replace("if_disowned", key) in i for i in issues), issues


def test_a_problems_checks_flag_must_be_true_or_false(tmp_path: Path) -> None:
    wrong = _problem().replace("    steps: [restart]\n", '    steps: [restart]\n    checks: "no"\n')
    issues = _issues(_directory(tmp_path, wrong))
    assert any("'checks' must be true or false" in issue for issue in issues), issues
    right = _problem().replace(
        "    steps: [restart]\n", "    steps: [restart]\n    checks: false\n"
    )
    assert load_knowledge(_directory(tmp_path / "ok", right)).problems["extra"].checks is False


LOOKALIKE = """lookalikes:
  - id: who
    answer: {{nb: "Jeg er en bot.", en: "I'm a bot."}}
{more}    phrases:
      nb: ["hvem er du?"]
      en: ["who are you?"]
"""


def test_a_lookalike_may_say_what_follows_its_answer(tmp_path: Path) -> None:
    more = '    more: {nb: "Hva er galt?", en: "What is wrong?"}\n'
    knowledge = load_knowledge(_directory(tmp_path, LOOKALIKE.format(more=more)))
    assert knowledge.lookalikes["who"].more is not None
    assert knowledge.lookalikes["who"].more.get("en") == "What is wrong?"
    plain = load_knowledge(_directory(tmp_path / "plain", LOOKALIKE.format(more="")))
    assert plain.lookalikes["who"].more is None


def test_a_lookalikes_more_needs_both_languages(tmp_path: Path) -> None:
    more = '    more: {nb: "Hva er galt?"}\n'
    issues = _issues(_directory(tmp_path, LOOKALIKE.format(more=more)))
    assert any("who: 'more' has no en text" in i for i in issues), issues


def test_a_problem_may_be_shared_by_many(tmp_path: Path) -> None:
    shared = _problem().replace(
        "    steps: [restart]\n", "    steps: [restart]\n    shared: true\n"
    )
    assert "shared: true" in shared
    assert load_knowledge(_directory(tmp_path, shared)).problems["extra"].shared
    wrong = shared.replace("shared: true", "shared: maybe")
    assert any(
        "'shared' must be true or false" in i for i in _issues(_directory(tmp_path / "x", wrong))
    )


def test_a_problem_may_be_seen_on_another_device(tmp_path: Path) -> None:
    seen = _problem().replace(
        "    steps: [restart]\n", "    steps: [restart]\n    seen_elsewhere: [sendt, sent]\n"
    )
    assert "seen_elsewhere" in seen
    loaded = load_knowledge(_directory(tmp_path, seen)).problems["extra"]
    assert loaded.seen_elsewhere == ("sendt", "sent")
    wrong = seen.replace("[sendt, sent]", "yes")
    assert any(
        "'seen_elsewhere' must be a list of phrases" in i
        for i in _issues(_directory(tmp_path / "x", wrong))
    )


@pytest.mark.parametrize("flag", ["one_sender", "sending", "shared"])
def test_a_problems_flags_are_true_or_false(tmp_path: Path, flag: str) -> None:
    flagged = _problem().replace(
        "    steps: [restart]\n", f"    steps: [restart]\n    {flag}: true\n"
    )
    problem = load_knowledge(_directory(tmp_path, flagged)).problems["extra"]
    assert getattr(problem, flag) is True
    assert (
        getattr(load_knowledge(_directory(tmp_path / "plain", _problem())).problems["extra"], flag)
        is False
    )
    wrong = flagged.replace(f"{flag}: true", f"{flag}: often")
    assert any(
        f"'{flag}' must be true or false" in i for i in _issues(_directory(tmp_path / "x", wrong))
    )


def test_a_steps_after_text_is_read_in_both_languages(tmp_path: Path) -> None:
    directory = _directory(
        tmp_path, _step_with('after: {nb: "Slå den på igjen.", en: "Turn it back on."}')
    )
    after = load_knowledge(directory).steps["extra-step"].after
    assert after is not None and (after.nb, after.en) == ("Slå den på igjen.", "Turn it back on.")


def test_a_problems_fault_verbs_are_a_list_of_words(tmp_path: Path) -> None:
    verbs = _problem().replace(
        "    steps: [restart]\n", "    steps: [restart]\n    fault_verbs: [spør, ask]\n"
    )
    assert load_knowledge(_directory(tmp_path, verbs)).problems["extra"].fault_verbs == (
        "spør",
        "ask",
    )
    wrong = verbs.replace("[spør, ask]", "spør")
    assert any(
        "extra: 'fault_verbs' must be a list of words" in i
        for i in _issues(_directory(tmp_path / "x", wrong))
    )
