"""The memory of recent readings: same answers as reading again, bounded, no text kept."""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge import load_knowledge
from bot.settings import MatcherSettings
from bot.understanding.matcher import Matcher
from bot.understanding.memo import Memo, digest
from tests.paths import FIXTURES

TEXTS = (
    "e-posten blir liggende i utboksen",
    "my outbox is full of mail that will not go out",
    "kalenderen er borte",
    "hei",
    "",
    "\ud800 lone surrogate",
)


def test_a_remembered_answer_is_the_one_computed() -> None:
    memo: Memo[int] = Memo(2)
    calls: list[str] = []

    def compute(name: str, value: int) -> int:
        calls.append(name)
        return value

    assert memo.get(b"a", lambda: compute("a", 1)) == 1
    assert memo.get(b"a", lambda: compute("a", 2)) == 1
    assert calls == ["a"]


def test_the_least_recently_used_answer_goes_first() -> None:
    memo: Memo[str] = Memo(2)
    memo.get(b"a", lambda: "a")
    memo.get(b"b", lambda: "b")
    memo.get(b"a", lambda: "a")  # used again: b is now the oldest
    memo.get(b"c", lambda: "c")
    assert len(memo) == 2
    assert memo.get(b"b", lambda: "b again") == "b again"
    assert memo.get(b"c", lambda: "c again") == "c"


def test_size_zero_remembers_nothing() -> None:
    memo: Memo[int] = Memo(0)
    assert memo.get(b"a", lambda: 1) == 1
    assert memo.get(b"a", lambda: 2) == 2
    assert len(memo) == 0


def test_keys_are_digests_that_tell_inputs_apart() -> None:
    key = digest("classify", "hei", None, False)
    assert len(key) == 16 and b"hei" not in key
    assert key != digest("classify", "hei", "nb", False)
    assert key != digest("classify", "hei", None, True)
    assert key == digest("classify", "hei", None, False)


def test_the_matcher_reads_the_same_with_and_without_its_memory() -> None:
    remembering = Matcher.build(load_knowledge(FIXTURES / "knowledge_small"), MatcherSettings())
    forgetting = replace(remembering, settings=replace(remembering.settings, memo_size=0))
    for _ in range(2):  # the second round is answered from memory
        for text in TEXTS:
            for prior in (None, "nb", "en"):
                for in_topic in (False, True):
                    assert remembering.classify(
                        text, prior, in_topic=in_topic
                    ) == forgetting.classify(text, prior, in_topic=in_topic)
            for rating in (False, True):
                assert remembering.read_reply(text, rating=rating) == forgetting.read_reply(
                    text, rating=rating
                )


def test_the_lexicon_reads_the_same_with_and_without_its_memory() -> None:
    from bot.understanding.lexicon import Lexicon

    knowledge = load_knowledge(FIXTURES / "knowledge_small")
    remembering, forgetting = Lexicon(knowledge.lexicon, 64), Lexicon(knowledge.lexicon)
    texts = (*TEXTS, "ja", "nei, det funka ikke", "yes", "stopp", "det virker")
    for _ in range(2):
        for text in texts:
            for keys in (None, ("yes", "no"), frozenset({"no", "yes", "stop"})):
                assert remembering.read(text, keys) == forgetting.read(text, keys)
