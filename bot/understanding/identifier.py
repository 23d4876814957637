"""py3langid's model, restricted to the languages fixbot tells apart, in a few MiB.

py3langid reads its byte n-gram features with a DFA: 38,000 distinct rows of
256 next states (39 MiB of 32-bit integers) and two Python lists of 100,000
integers, about 50 MiB in all, of which fixbot needs the scores of five
languages. The DFA is Aho-Corasick's: after reading some bytes it is in the node
of the longest suffix that begins a feature, and that node names the feature
counted there (or none). ``CompactIdentifier`` keeps exactly that: every node's
byte string, packed into a 64-bit key, in a sorted array with the feature it
names, and the feature scores of the chosen languages only. A message's state at
each byte is then the longest of its last few bytes found in the table, one
binary search per n-gram length for the whole message, and the scores are
py3langid's own arithmetic (``_decide`` with ``norm_probs``), so the answers are
the same to the last bit (a test compares them).

The table is built once from py3langid's model (about 2 s) and saved beside the
fitted models; later start-ups read it in a few milliseconds instead of
decompressing the model (0.5 s).
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.understanding.cached import package_version, read_or_build

# Bumped whenever the table's layout changes, so an old file is not misread.
TABLE_FORMAT = 1
# A node's bytes go in the low 56 bits of its key and its length in the top 8:
# seven bytes is deeper than any node of py3langid's model (six).
MAX_NODE_BYTES = 7


class CompactIdentifier:
    """``classify(text) -> (language, probability)`` over a fixed set of languages."""

    def __init__(
        self,
        keys: np.ndarray,
        features: np.ndarray,
        scores: np.ndarray,
        priors: np.ndarray,
        languages: tuple[str, ...],
    ) -> None:
        self._keys = keys  # sorted uint64: (length << 56) | bytes, one per DFA node
        self._features = features  # int32: the feature each node counts, -1 for none
        self._scores = scores  # float16 (features x languages): py3langid's nb_ptc columns
        self._priors = priors  # float32 (languages): its nb_pc
        self.languages = languages
        self._depth = int(keys.max() >> np.uint64(56)) if len(keys) else 0

    def classify(self, text: str) -> tuple[str, float]:
        """The most likely language of ``text`` and its probability, as py3langid's
        ``LanguageIdentifier(norm_probs=True).classify`` with these languages."""
        data = encode(text)
        scores = self._raw_scores(data)
        scores *= 1.0 / math.sqrt(len(data) or 1)  # py3langid's length temperature
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        best = int(scores.argmax())
        return self.languages[best], float(scores[best])

    def _raw_scores(self, data: bytes) -> np.ndarray:
        counted = [f for f in self._features_at(data).tolist() if f >= 0]
        if not counted:
            return np.zeros(len(self.languages), dtype=np.float32)
        visits = Counter(counted)  # first-seen order, as py3langid sums them
        index = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
        counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
        return np.log1p(counts) @ self._scores[index] + self._priors

    def _features_at(self, data: bytes) -> np.ndarray:
        """The feature counted at each byte: that of the longest suffix that is a node."""
        raw = np.frombuffer(data, dtype=np.uint8).astype(np.uint64)
        size = len(raw)
        if not size or not self._depth:
            return np.full(size, -1, dtype=np.int32)
        # windows[k, i] = the k + 1 bytes ending at i, big-endian, tagged with their
        # length; 0 (no node has length 0) where fewer bytes came before
        windows = np.zeros((self._depth, size), dtype=np.uint64)
        windows[0] = raw
        for k in range(1, self._depth):
            windows[k, k:] = (windows[k - 1, k - 1 : -1] << np.uint64(8)) | raw[k:]
        for k in range(self._depth):
            windows[k, k:] |= np.uint64((k + 1) << 56)
        where = np.searchsorted(self._keys, windows.ravel())
        where[where == len(self._keys)] = 0
        hit = (self._keys[where] == windows.ravel()).reshape(windows.shape)
        # the longest node wins: it is the DFA's state (its feature may be none)
        longest = self._depth - 1 - np.argmax(hit[::-1], axis=0)
        columns = np.arange(size)
        features = self._features[where.reshape(windows.shape)[longest, columns]]
        return np.where(hit[longest, columns], features, -1)

    def to_bytes(self) -> bytes:
        """The table as an ``.npz`` file's bytes (``from_bytes`` reads it)."""
        buffer = io.BytesIO()
        np.savez(
            buffer,
            keys=self._keys,
            features=self._features,
            scores=self._scores,
            priors=self._priors,
            languages=np.array(self.languages),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> CompactIdentifier:
        with np.load(io.BytesIO(data), allow_pickle=False) as saved:
            table = cls(
                saved["keys"],
                saved["features"],
                saved["scores"],
                saved["priors"],
                tuple(str(language) for language in saved["languages"]),
            )
        if len(table._features) != len(table._keys) or table._scores.shape[1] != len(
            table.languages
        ):
            raise ValueError("a language table whose parts do not fit together")
        return table

    @classmethod
    def from_py3langid(cls, languages: tuple[str, ...]) -> CompactIdentifier:
        """Built from py3langid's shipped model: its DFA walked breadth-first from the
        start, so each node is reached first by its own bytes."""
        from py3langid.langid import MODEL_DIR, MODEL_FILE
        from py3langid.modelio import load_model

        ptc, pc, classes, nextmove, row_of, output = load_model(MODEL_DIR / MODEL_FILE)
        # in the model's order, as py3langid's set_languages keeps it (ties go to the first)
        columns = sorted(classes.index(language) for language in languages)
        rows = np.frombuffer(nextmove, dtype=np.dtype(nextmove.typecode)).reshape(-1, 256)
        row_of_state = np.frombuffer(row_of, dtype=np.dtype(row_of.typecode))
        states = len(row_of_state)
        key = np.zeros(states, dtype=np.uint64)
        depth = np.full(states, -1, dtype=np.int64)
        depth[0] = 0
        frontier = np.array([0])
        symbols = np.arange(256, dtype=np.uint64)
        while len(frontier):
            targets = rows[row_of_state[frontier]].astype(np.int64).ravel()
            parents = np.repeat(frontier, 256)
            bytes_read = np.tile(symbols, len(frontier))
            new = depth[targets] == -1
            targets, first = np.unique(targets[new], return_index=True)
            parents, bytes_read = parents[new][first], bytes_read[new][first]
            depth[targets] = depth[parents] + 1
            key[targets] = (key[parents] << np.uint64(8)) | bytes_read
            frontier = targets
        if depth.max() > MAX_NODE_BYTES or (depth < 0).any():
            raise ValueError("py3langid's model is not the DFA this table reads")
        nodes = np.arange(1, states)  # the start state is no node: nothing matched
        packed = key[nodes] | (depth[nodes].astype(np.uint64) << np.uint64(56))
        order = np.argsort(packed)
        features = np.asarray(output, dtype=np.int32)[nodes][order]
        scores = np.ascontiguousarray(np.asarray(ptc)[:, columns])
        priors = np.asarray(pc, dtype=np.float32)[columns]
        return cls(packed[order], features, scores, priors, tuple(classes[c] for c in columns))


def encode(text: str) -> bytes:
    """The bytes py3langid reads for ``text`` (``LanguageIdentifier._encode``)."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


@lru_cache(maxsize=4)
def compact_identifier(languages: tuple[str, ...], cache_dir: Path | None) -> CompactIdentifier:
    """The process's table for ``languages``, read from ``cache_dir`` or built (then
    saved there); shared by every matcher, as it is read-only."""
    path = None
    if cache_dir is not None:
        version = package_version("py3langid")
        name = "-".join(languages)
        path = cache_dir / f"langid-{name}-py3langid{version}-v{TABLE_FORMAT}.npz"
    return read_or_build(
        path,
        CompactIdentifier.from_bytes,
        lambda: CompactIdentifier.from_py3langid(languages),
        CompactIdentifier.to_bytes,
    )
