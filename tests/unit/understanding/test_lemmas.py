"""The compact lemma tables give simplemma's own lemmas, and are saved and read back."""

from __future__ import annotations

from pathlib import Path

import pytest
import simplemma

from bot.understanding.lemmas import LANGUAGES, CompactDictionaries, CompactMapping, Lemmatizer
from bot.understanding.text import spoken_lemmas
from tests.paths import labelled_texts


def _labelled_words() -> list[str]:
    words: set[str] = set()
    for text in labelled_texts():
        words.update(w for w in text.casefold().split() if w.isalpha())
    return sorted(words)


def _simplemmas(word: str) -> str:
    """What ``Lemmatizer.lemma`` made of simplemma's own answer before the tables (a
    spoken form aside: ``test_spoken_forms_have_the_bokmal_lemma``)."""
    if word in spoken_lemmas():
        return spoken_lemmas()[word]
    if len(word) < 3:
        return word
    lemma = simplemma.lemmatize(word, lang=LANGUAGES)
    return (lemma.casefold().replace("-", "").replace(".", "") if lemma else "") or word


@pytest.fixture(scope="module")
def cached(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lemma-cache")


def test_every_word_of_the_labelled_sets_gets_simplemmas_lemma(cached: Path) -> None:
    words = _labelled_words()
    assert len(words) > 2_000
    built = Lemmatizer(cache_dir=cached)
    differ = [word for word in words if built.lemma(word) != _simplemmas(word)]
    assert differ == []
    # a second lemmatizer reads the saved tables, and answers the same
    assert sorted(p.name.split("-")[1] for p in cached.glob("lemmas-*.npz")) == sorted(LANGUAGES)
    read = Lemmatizer(cache_dir=cached)
    assert [read.lemma(word) for word in words] == [built.lemma(word) for word in words]


def test_spoken_forms_have_the_bokmal_lemma() -> None:
    lemmatizer = Lemmatizer()
    said = "æ vil prate med nån, kjem te å gjøre det sjøl"
    assert [lemmatizer.lemma(word) for word in said.replace(",", "").split()] == [
        "jeg", "ville", "prate", "med", "noen", "komme", "til", "å", "gjøre", "den", "selv",
    ]  # fmt: skip
    # English words that a dialect form would have been are left out of the table
    assert {"no", "me", "eg", "kan", "i"}.isdisjoint(spoken_lemmas())


def test_a_form_listed_under_two_lemmas_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.understanding import text

    monkeypatch.setattr(text, "_read", lambda name: {"jeg": ["æ"], "meg": ["æ"]})
    text.spoken_lemmas.cache_clear()
    try:
        with pytest.raises(ValueError, match="two lemmas"):
            text.spoken_lemmas()
    finally:
        text.spoken_lemmas.cache_clear()


def test_a_damaged_table_is_built_again(cached: Path, tmp_path: Path) -> None:
    for saved in cached.glob("lemmas-*.npz"):
        (tmp_path / saved.name).write_bytes(saved.read_bytes()[:100])  # cut short
    dictionaries = CompactDictionaries(tmp_path)
    assert dictionaries.get_dictionary("nb").get("kontoene") == "konto"
    assert len((tmp_path / next(cached.glob("lemmas-nb-*")).name).read_bytes()) > 100


def test_a_read_only_cache_still_lemmatises(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    assert Lemmatizer(cache_dir=blocked).lemma("kontoene") == "konto"


def test_the_mapping_answers_lookups_and_says_it_cannot_be_listed() -> None:
    table = CompactMapping.of({"kontoene": "konto", "kontoen": "konto", "mailer": "mail"})
    assert table.get("kontoen") == "konto"
    assert table["mailer"] == "mail"
    assert table.get("passord") is None
    assert len(table) == 3
    with pytest.raises(KeyError):
        table["passord"]
    with pytest.raises(TypeError):
        list(table)
    again = CompactMapping.from_bytes(table.to_bytes())
    assert again.get("kontoene") == "konto" and again.get("x") is None
