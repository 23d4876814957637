"""Lemmas from simplemma, so "kontoene", "kontoen" and "konto" are one word to the models.

simplemma covers Bokmål, Nynorsk and English; a word is looked up in that
order and left as it is when none of them knows it (typos, names, words typed
without æøå: the character n-grams still see those).

simplemma keeps each dictionary as a dict of about a million strings (54 MiB
for the three); its ``low_memory`` mode reads the compressed stream in place
(8 MiB) but decodes a block of it for every probe, and a word it does not know
is probed dozens of times (affixes, compounds): 0.14 ms more CPU per new
message. ``CompactDictionaries`` holds each as a sorted array of 64-bit hashes
of the forms and an index into the distinct lemmas (about 20 MiB for the three),
a lookup being a binary search, as fast as the dict for what fixbot does. The
tables are built from simplemma's dictionaries once (about 1.5 s) and saved
beside the fitted models; later start-ups read them in a few milliseconds.

Spoken forms come first (``data/dialect_lemmas.yaml``): "æ", "nån", "dokker" and
"kjem" are "jeg", "noen", "dere" and "komme", which simplemma's dictionaries do not
say, so "æ vil prate med nån" shares the word features of "jeg vil snakke med noen".
"""

from __future__ import annotations

import io
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path
from threading import Lock
from typing import Any, TypeVar

import numpy as np

from bot.understanding.cached import package_version, read_or_build
from bot.understanding.text import spoken_lemmas

LANGUAGES = ("nb", "nn", "en")
CACHE_SIZE = 100_000
# Bumped whenever the table's layout or hash changes, so an old file is not misread.
TABLE_FORMAT = 1
_T = TypeVar("_T")


class Lemmatizer:
    """A cached word -> lemma lookup over nb, nn and en; ``cache_dir`` keeps the compact
    dictionaries between runs (None: built in memory at each start)."""

    def __init__(
        self, languages: tuple[str, ...] = LANGUAGES, cache_dir: Path | None = None
    ) -> None:
        self.languages = languages
        self.cache_dir = cache_dir
        self.lemma = lru_cache(maxsize=CACHE_SIZE)(self._lemma)
        self._spoken = spoken_lemmas()
        self._simplemma: Any = None
        self._lock = Lock()

    def _lemma(self, word: str) -> str:
        """The lemma of one casefolded word; the word itself when no dictionary has it."""
        spoken = self._spoken.get(word)
        if spoken is not None:
            return spoken
        if not word.isalpha() or len(word) < 3:
            return word
        lemma = self._loaded().lemmatize(word, lang=self.languages)
        # a lemma is one word as the tokens are: "popup" -> "pop-up" stays "popup"
        lemma = lemma.casefold().replace("-", "").replace(".", "") if lemma else ""
        return lemma or word

    def _loaded(self) -> Any:
        with self._lock:
            if self._simplemma is None:
                import simplemma  # imported here: its dictionaries are read on first use
                from simplemma.strategies import DefaultStrategy

                factory = compact_dictionaries(self.cache_dir)
                strategy = DefaultStrategy(dictionary_factory=factory)
                self._simplemma = simplemma.Lemmatizer(lemmatization_strategy=strategy)
            return self._simplemma


def form_hash(form: bytes) -> int:
    """A 64-bit hash of a form's UTF-8 that is the same in every process (Python's own
    string hash is salted per process, so a saved table could not use it)."""
    return int.from_bytes(blake2b(form, digest_size=8).digest(), "little", signed=True)


class CompactMapping(Mapping[str, str]):
    """One language's form -> lemma dictionary: sorted ``form_hash``es, and per form the
    index of its lemma among the distinct lemmas, which are kept as one string.

    The forms themselves are not kept, so the mapping cannot be listed; simplemma only
    looks words up (``get``)."""

    def __init__(self, hashes: np.ndarray, lemma_of: np.ndarray, lemmas: list[str]) -> None:
        order = np.argsort(hashes, kind="stable")
        # stdlib arrays: bisect searches them four times faster than numpy a scalar
        self._hashes = array("q", np.ascontiguousarray(hashes[order], dtype=np.int64).tobytes())
        self._lemma_of = array("i", np.ascontiguousarray(lemma_of[order], dtype=np.int32).tobytes())
        # one string, so no small string of the dictionary read outlives it (they would
        # pin its freed memory); a lookup cuts its lemma out
        self._lemmas = "".join(lemmas)
        starts = np.zeros(len(lemmas) + 1, dtype=np.int64)
        np.cumsum([len(lemma) for lemma in lemmas], out=starts[1:])
        self._starts = array("q", starts.tobytes())

    @classmethod
    def of(cls, entries: Mapping[str, str] | Mapping[bytes, bytes]) -> CompactMapping:
        """From forms to lemmas, as text or as UTF-8 (simplemma's own store)."""
        found: dict[str | bytes, int] = {}
        hashes = np.empty(len(entries), dtype=np.int64)
        lemma_of = np.empty(len(entries), dtype=np.int32)
        pairs: Iterable[tuple[str | bytes, str | bytes]] = entries.items()
        for i, (form, lemma) in enumerate(pairs):
            hashes[i] = form_hash(form.encode() if isinstance(form, str) else form)
            lemma_of[i] = found.setdefault(lemma, len(found))
        lemmas = [lemma.decode() if isinstance(lemma, bytes) else lemma for lemma in found]
        return cls(hashes, lemma_of, lemmas)

    def get(self, key: str, default: _T | None = None) -> str | _T | None:  # type: ignore[override]
        wanted = form_hash(key.encode())
        at = bisect_left(self._hashes, wanted)
        if at < len(self._hashes) and self._hashes[at] == wanted:
            which = self._lemma_of[at]
            return self._lemmas[self._starts[which] : self._starts[which + 1]]
        return default

    def __getitem__(self, key: str) -> str:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __len__(self) -> int:
        return len(self._hashes)

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a CompactMapping keeps hashes of its forms, not the forms")

    def to_bytes(self) -> bytes:
        """The table as an ``.npz`` file's bytes (``from_bytes`` reads it)."""
        buffer = io.BytesIO()
        np.savez(
            buffer,
            hashes=np.frombuffer(self._hashes, dtype=np.int64),
            lemma_of=np.frombuffer(self._lemma_of, dtype=np.int32),
            starts=np.frombuffer(self._starts, dtype=np.int64),
            lemmas=np.array(self._lemmas),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> CompactMapping:
        with np.load(io.BytesIO(data), allow_pickle=False) as saved:
            table = cls.__new__(cls)
            table._hashes = array("q", saved["hashes"].astype(np.int64).tobytes())
            table._lemma_of = array("i", saved["lemma_of"].astype(np.int32).tobytes())
            table._starts = array("q", saved["starts"].astype(np.int64).tobytes())
            table._lemmas = str(saved["lemmas"])
        if len(table._lemma_of) != len(table._hashes) or table._starts[-1] != len(table._lemmas):
            raise ValueError("a lemma table whose parts do not fit together")
        return table


class CompactDictionaries:
    """A simplemma ``DictionaryFactory`` of ``CompactMapping``s, each read from
    ``cache_dir`` or built from simplemma's own dictionary (then saved there)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._built: dict[str, CompactMapping] = {}
        self._lock = Lock()

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        found = self._built.get(lang)
        if found is None:
            with self._lock:
                found = self._built.get(lang)
                if found is None:
                    found = self._built[lang] = self._read_or_build(lang)
        return found

    def _read_or_build(self, lang: str) -> CompactMapping:
        def build() -> CompactMapping:
            from simplemma.strategies.dictionaries import DefaultDictionaryFactory

            full = DefaultDictionaryFactory(cache_max_size=0).get_dictionary(lang)
            # simplemma 2 keeps UTF-8 behind its str view: read that when it is there
            return CompactMapping.of(getattr(full, "_dict", full))

        return read_or_build(
            self._path(lang), CompactMapping.from_bytes, build, CompactMapping.to_bytes
        )

    def _path(self, lang: str) -> Path | None:
        if self.cache_dir is None:
            return None
        version = package_version("simplemma")
        return self.cache_dir / f"lemmas-{lang}-simplemma{version}-v{TABLE_FORMAT}.npz"


@lru_cache(maxsize=4)
def compact_dictionaries(cache_dir: Path | None) -> CompactDictionaries:
    """The process's tables for ``cache_dir``: read-only and large, so every lemmatizer
    (the matcher's, the act model's, each knowledge reload) shares them, as they shared
    simplemma's own dictionaries before."""
    return CompactDictionaries(cache_dir)
