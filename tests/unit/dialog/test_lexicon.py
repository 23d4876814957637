"""Reading short answers against the lexicon: table-driven, on the fixture lexicon."""

from __future__ import annotations

import pytest

from bot.knowledge import Phrases
from bot.understanding.lexicon import Lexicon
from tests.unit.dialog.dialog_support import fixture_knowledge


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(fixture_knowledge().lexicon)


@pytest.mark.parametrize(
    ("text", "key", "language"),
    [
        ("ja", "yes", "nb"),
        ("Ja!", "yes", "nb"),
        ("yes", "yes", "en"),
        ("ok", "ack", None),  # "I read it", never "it worked"; in both languages
        ("nei", "no", "nb"),
        ("no", "no", "en"),
        ("det funka!", "worked", "nb"),
        ("ja det funka", "worked", "nb"),
        ("ok takk det funka", "worked", "nb"),
        ("yes that fixed it", "worked", "en"),
        ("It works now.", "worked", "en"),
        ("virker fortsatt ikke", "not_helped", "nb"),
        ("det funka ikke", "not_helped", "nb"),
        ("det fungerte ikke", "not_helped", "nb"),
        ("nei, det virker ikke", "not_helped", "nb"),
        ("still broken", "not_helped", "en"),
        ("not fixed", "not_helped", "en"),
        ("didn't help", "not_helped", "en"),
        ("hopp over", "skip", "nb"),
        ("tilbake", "back", "nb"),
        ("Stopp!", "stop", "nb"),
        ("avbryt", "stop", "nb"),
        ("cancel", "stop", "en"),
        ("start på nytt", "restart", "nb"),
        ("restart", "restart", "en"),
        ("hei", "greeting", "nb"),
        ("Hello!", "greeting", "en"),
        ("tusen takk", "thanks", "nb"),
        ("hjelp", "help", "nb"),
        ("english please", "to_en", "en"),
        ("på norsk", "to_nb", "nb"),
        ("avbrytt", "stop", "nb"),  # a small typo
    ],
)
def test_reads_short_answers(lexicon: Lexicon, text: str, key: str, language: str | None) -> None:
    hit = lexicon.read(text)
    assert hit is not None
    assert (hit.key, hit.language) == (key, language)


@pytest.mark.parametrize(
    "text",
    [
        "jeg kan ikke sende mail",
        "hei, mailen min på iphone synkroniserer ikke lenger",
        "my mail is not working on my phone since yesterday",
        "",
        "!!!",
        "skriveren",
    ],
)
def test_leaves_longer_messages_to_the_matcher(lexicon: Lexicon, text: str) -> None:
    assert lexicon.read(text) is None


def test_reads_only_the_keys_asked_for(lexicon: Lexicon) -> None:
    assert lexicon.read("ja", keys=("stop", "greeting")) is None
    hit = lexicon.read("det funka ikke", keys=("not_helped",))
    assert hit is not None and hit.key == "not_helped"
    assert lexicon.read("det funka", keys=("not_helped",)) is None


def test_commands_beat_answers() -> None:
    lexicon = Lexicon({"yes": Phrases(("ja",), ("yes",)), "stop": Phrases(("stopp",), ("stop",))})
    hit = lexicon.read("ja stopp")
    assert hit is not None and hit.key == "stop"


@pytest.mark.parametrize("text", ["pa norsk", "På NORSK!", "paa norsk"])
def test_reads_norwegian_letters_however_they_are_typed(lexicon: Lexicon, text: str) -> None:
    hit = lexicon.read(text)
    assert hit is not None and hit.key == "to_nb"


@pytest.mark.parametrize(
    ("text", "key"),
    [("👍", "yes"), ("👍🏽", "yes"), ("👍 👍", "yes"), ("✔️", "yes"), ("👎", "no"), ("😀", None)],
)
def test_a_reply_of_listed_symbols_only_is_their_answer(text: str, key: str | None) -> None:
    symbols = Lexicon(
        {"yes": Phrases(("ja", "👍", "✔️"), ("yes", "👍")), "no": Phrases(("👎",), ())}
    )
    hit = symbols.read(text)
    assert (hit.key if hit else None) == key
    if hit:
        assert hit.language is None  # a symbol is no language
    assert symbols.read(text, ("no",) if key == "yes" else ("yes",)) is None
    assert symbols.read(f"{text} ja", ("no",)) is None  # with words, the words are read


def test_a_mentioned_phrase_is_found_anywhere_in_a_message_and_only_whole() -> None:
    lexicon = Lexicon(
        {"frustration": Phrases(nb=("ubrukelig", "kaste bort tiden"), en=("waste of time",))}
    )
    assert lexicon.mentions("dette er helt ubrukelig, har ikke tid!!", "frustration")
    assert lexicon.mentions("what a waste of time", "frustration")
    assert not lexicon.mentions("vil ikke kaste tiden bort", "frustration")  # not the phrase
    assert not lexicon.mentions("brukelig nok", "frustration")
    assert not lexicon.mentions("ubrukelig", "help")  # a key it does not look for
