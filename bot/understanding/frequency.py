"""wordfreq's word frequencies, held compactly: general language to weigh words against.

wordfreq keeps each language's list as a Python dict of about half a million
strings, 35-40 MiB a language once loaded, for as long as the process lives.
fixbot asks it one thing, how often a word occurs, so the lists are read once
into two numpy arrays per language (a sorted 64-bit hash of each word, and its
frequency bucket), about 10 bytes a word, and wordfreq's own copy is never
kept. Words are split and digits smoothed by wordfreq's own functions, so the
answers are wordfreq's (``tests/understanding/test_frequency.py`` compares).

Hashes are Python's own string hashes, so the table is built per process (about
0.4 s for Norwegian and English, in the background at start-up), never saved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from threading import Lock

import numpy as np

WORDLIST = "best"
# wordfreq's Zipf scale starts at 0: once per billion words, or not listed at all
ZIPF_FLOOR = 1e-9


@dataclass(frozen=True, slots=True)
class _Table:
    hashes: np.ndarray  # int64, sorted
    buckets: np.ndarray  # uint16: the word's frequency is 10 ** (-bucket / 100)

    def centibels(self, word: str) -> int | None:
        """The bucket of ``word``, or None when the list does not have it."""
        key = hash(word)
        at = int(np.searchsorted(self.hashes, key))
        if at < len(self.hashes) and int(self.hashes[at]) == key:
            return int(self.buckets[at])
        return None


class WordFrequencies:
    """``frequency(word, language)`` as ``wordfreq.word_frequency`` answers it, from
    compact tables; a language's table is read on its first use."""

    def __init__(self) -> None:
        self._tables: dict[str, _Table] = {}
        self._lock = Lock()

    def frequency(self, word: str, language: str) -> float:
        """How often ``word`` occurs in general text of ``language`` (0.0: not listed).

        Several tokens ("e-post" in English) combine as wordfreq combines them:
        ``1 / f = 1 / f1 + 1 / f2 + ...``, so the rarest dominates.
        """
        from wordfreq import digit_freq, lossy_tokenize, smash_numbers

        tokens = lossy_tokenize(word, language)
        if not tokens:
            return 0.0
        table = self._table(language)
        one_over = 0.0
        for token in tokens:
            smashed = smash_numbers(token)
            bucket = table.centibels(smashed)
            if bucket is None:
                return 0.0
            frequency = 10.0 ** (-bucket / 100.0)
            if smashed != token:
                frequency *= digit_freq(token)
            one_over += 1.0 / frequency
        # wordfreq's lists are precise to about 1%: it rounds to three significant digits
        value = 1.0 / one_over
        return round(value, math.floor(-math.log10(value)) + 3)

    def zipf(self, word: str, language: str) -> float:
        """``frequency`` on the Zipf scale (log10 of occurrences per billion words),
        rounded to two decimals as ``wordfreq.zipf_frequency``."""
        value = max(self.frequency(word, language), ZIPF_FLOOR)
        return round(math.log10(value) + 9.0, 2)

    def warm(self, languages: tuple[str, ...]) -> None:
        """Read the tables of ``languages`` now (the bot does it in the background)."""
        for language in languages:
            self._table(language)

    def _table(self, language: str) -> _Table:
        table = self._tables.get(language)
        if table is None:
            with self._lock:
                table = self._tables.get(language)
                if table is None:
                    table = self._tables[language] = _read(language)
        return table


def _read(language: str) -> _Table:
    """One language's list from wordfreq's data file, without wordfreq's cached dict."""
    from wordfreq import available_languages, read_cBpack

    buckets = read_cBpack(available_languages(WORDLIST)[language])
    hashes = np.fromiter(
        (hash(word) for bucket in buckets for word in bucket),
        dtype=np.int64,
        count=sum(len(bucket) for bucket in buckets),
    )
    levels = np.repeat(
        np.arange(len(buckets), dtype=np.uint16), [len(bucket) for bucket in buckets]
    )
    del buckets  # the strings: most of the memory, let go before sorting
    order = np.argsort(hashes, kind="stable")
    return _Table(hashes[order], levels[order])


@lru_cache(maxsize=1)
def word_frequencies() -> WordFrequencies:
    """The process's one set of tables: they are read-only and large, so every reader
    (the matcher, the language vote, redaction) shares them, as they shared wordfreq's
    own cache before."""
    return WordFrequencies()
