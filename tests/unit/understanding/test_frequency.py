"""The compact frequency tables answer what wordfreq answers, for the words people write."""

from __future__ import annotations

import pytest
import wordfreq

from bot.understanding.frequency import WordFrequencies, word_frequencies
from tests.paths import labelled_texts


@pytest.fixture(scope="module")
def tables() -> WordFrequencies:
    return word_frequencies()


def _labelled_words() -> list[str]:
    words: set[str] = set()
    for text in labelled_texts():
        words.update(text.casefold().split())
    return sorted(words)


def test_every_word_of_the_labelled_sets_has_wordfreqs_frequency(tables: WordFrequencies) -> None:
    words = _labelled_words()
    assert len(words) > 2_000
    for language in ("nb", "en"):
        differ = [
            word
            for word in words
            if tables.frequency(word, language) != wordfreq.word_frequency(word, language)
        ]
        assert differ == [], (language, differ[:10])


@pytest.mark.parametrize(
    ("word", "language"),
    [
        ("e-post", "en"),  # two tokens in English: combined as 1/f = 1/f1 + 1/f2
        ("tlf'n", "nb"),
        ("iphone15", "en"),  # digits smoothed
        ("2024", "nb"),
        ("utboksen", "nb"),  # not listed: 0
        ("", "en"),
        ("🙂", "nb"),
        ("passord", "nb"),
        ("the", "en"),
    ],
)
def test_odd_words_match_wordfreq(tables: WordFrequencies, word: str, language: str) -> None:
    assert tables.frequency(word, language) == wordfreq.word_frequency(word, language)
    assert tables.zipf(word, language) == wordfreq.zipf_frequency(word, language)


def test_common_words_are_frequent_and_rare_ones_are_not(tables: WordFrequencies) -> None:
    assert tables.zipf("og", "nb") > 6.0
    assert tables.zipf("innboks", "nb") < 3.0
    assert tables.frequency("qwzxv", "en") == 0.0
