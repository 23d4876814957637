"""TF-IDF features: fitted by scikit-learn, computed per message without it.

The vectoriser is scikit-learn's ``TfidfVectorizer`` twice: character 3-5-grams
inside word boundaries over the folded text (typos, compounds, dialect
endings) and word 1-2-grams over the lemmas (meaning, word order). Fitting
uses scikit-learn; ``TextFeatures.transform`` recomputes the same vector in
plain Python from the fitted vocabularies, because scikit-learn's per-call
overhead (about 1 ms for one short message) is most of the matching budget
and importing it most of the start-up one. ``tests/unit`` checks the two
agree (to floating-point rounding, 1e-16).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from bot.understanding.analysis import Analysis

CHAR_NGRAMS = (3, 5)
WORD_NGRAMS = (1, 2)
# Words whose character n-gram columns are kept (``Block.word_columns``).
WORD_COLUMNS_CACHE_SIZE = 100_000


@dataclass(frozen=True)
class Block:
    """One fitted vectoriser: n-gram -> column, and each column's IDF."""

    vocabulary: Mapping[str, int]
    idf: np.ndarray
    offset: int  # where this block's columns start in the joined vector

    @cached_property
    def idf_values(self) -> list[float]:
        """``idf`` as Python floats: indexing a numpy array costs ten times as much per
        n-gram, and a message has about a hundred."""
        return [float(v) for v in self.idf]

    def word_columns(self, word: str) -> tuple[int, ...]:
        """The columns of one word's known character n-grams (``char_wb`` grams never
        cross words, so a message's are its words'); kept per word, as words repeat."""
        cache: dict[str, tuple[int, ...]] = self.__dict__.setdefault("_word_columns", {})
        found = cache.get(word)
        if found is None:
            vocabulary = self.vocabulary
            found = tuple(
                column for gram in char_ngrams(word) if (column := vocabulary.get(gram)) is not None
            )
            if len(cache) < WORD_COLUMNS_CACHE_SIZE:
                cache[word] = found
        return found


@dataclass(frozen=True)
class TextFeatures:
    """Both blocks; ``transform`` gives a message's sparse, L2-normalised-per-block vector."""

    chars: Block
    lemmas: Block

    @property
    def size(self) -> int:
        return self.lemmas.offset + len(self.lemmas.idf)

    def transform(self, analysis: Analysis) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of the message's features; empty when nothing is known."""
        columns: list[int] = []
        values: list[float] = []
        chars: list[int] = []
        for token in analysis.tokens:
            chars.extend(self.chars.word_columns(token))
        _weigh(self.chars, chars, columns, values)
        vocabulary = self.lemmas.vocabulary
        lemmas = [vocabulary.get(gram) for gram in word_ngrams(analysis.lemma_text)]
        _weigh(self.lemmas, [c for c in lemmas if c is not None], columns, values)
        return np.asarray(columns, dtype=np.int64), np.asarray(values, dtype=np.float64)


def _weigh(block: Block, found: list[int], columns: list[int], values: list[float]) -> None:
    """Sublinear TF x IDF of the known n-grams' columns, L2-normalised, appended."""
    if not found:
        return
    idf = block.idf_values
    weights = {column: (1.0 + math.log(n)) * idf[column] for column, n in Counter(found).items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    for column, weight in weights.items():
        columns.append(block.offset + column)
        values.append(weight / norm)


def char_ngrams(text: str, sizes: tuple[int, int] = CHAR_NGRAMS) -> list[str]:
    """Character n-grams inside word boundaries, exactly as scikit-learn's ``char_wb``."""
    low, high = sizes
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


def word_ngrams(text: str, sizes: tuple[int, int] = WORD_NGRAMS) -> list[str]:
    """Word n-grams of whitespace-separated tokens, as scikit-learn's ``word`` analyzer."""
    tokens = text.split()
    low, high = sizes
    grams: list[str] = []
    for n in range(low, min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def fit_features(analyses: Sequence[Analysis]) -> tuple[TextFeatures, Any]:
    """Fit both vectorisers on ``analyses``; also the training matrix (scipy sparse)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    def vectorizer(analyzer: str, sizes: tuple[int, int]) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=analyzer,
            ngram_range=sizes,
            sublinear_tf=True,
            lowercase=False,
            token_pattern=r"\S+" if analyzer == "word" else None,
            dtype=np.float64,
        )

    blocks = []
    matrices = []
    offset = 0
    for vectorizer_, texts in (
        (vectorizer("char_wb", CHAR_NGRAMS), [a.folded for a in analyses]),
        (vectorizer("word", WORD_NGRAMS), [a.lemma_text for a in analyses]),
    ):
        try:
            matrices.append(vectorizer_.fit_transform(texts))
        except ValueError:  # "empty vocabulary": phrases of emoji or digits only
            matrices.append(csr_matrix((len(texts), 0)))
            blocks.append(Block({}, np.zeros(0), offset))
            continue
        blocks.append(Block(dict(vectorizer_.vocabulary_), vectorizer_.idf_.copy(), offset))
        offset += len(vectorizer_.idf_)
    return TextFeatures(blocks[0], blocks[1]), hstack(matrices).tocsr()
