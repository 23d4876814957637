"""Lemmas from simplemma, so "kontoene", "kontoen" and "konto" are one word to the models.

simplemma covers Bokmål, Nynorsk and English; a word is looked up in that
order and left as it is when none of them knows it (typos, names, words typed
without æøå: the character n-grams still see those). The dictionaries take
about 0.4 s to load, so they load on the first lookup, not at import.
"""

from __future__ import annotations

from functools import lru_cache

LANGUAGES = ("nb", "nn", "en")
CACHE_SIZE = 100_000


class Lemmatizer:
    """A cached word -> lemma lookup over nb, nn and en."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self.languages = languages
        self.lemma = lru_cache(maxsize=CACHE_SIZE)(self._lemma)

    def _lemma(self, word: str) -> str:
        """The lemma of one casefolded word; the word itself when no dictionary has it."""
        if not word.isalpha() or len(word) < 3:
            return word
        import simplemma  # imported here: reading the dictionaries costs ~0.3 s

        # low_memory: simplemma reads its compressed dictionaries in place (8 MiB for the
        # three languages) instead of unpacking them into dicts (54 MiB); a lookup is a
        # few microseconds slower, and ``lemma`` is cached anyway
        lemma = simplemma.lemmatize(word, lang=self.languages, low_memory=True)
        # a lemma is one word as the tokens are: "popup" -> "pop-up" stays "popup"
        lemma = lemma.casefold().replace("-", "").replace(".", "") if lemma else ""
        return lemma or word
