"""A linear text classifier over ``TextFeatures``: fitted with scikit-learn, scored with numpy.

One model class serves both readers: the ``Matcher`` (labels are intents and
"none") and the ``ReplyReader`` (labels are reply acts). Fitting takes a
fraction of a second at the shipped size; a fitted model is saved as one
``.npz`` file keyed by a hash of its training data, so later start-ups load it
instead of importing scikit-learn (see ``ModelCache``).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.understanding.analysis import Analysis
from bot.understanding.cached import package_version, read_or_build
from bot.understanding.features import CHAR_NGRAMS, WORD_NGRAMS, Block, TextFeatures, fit_features
from bot.understanding.scope import Scope
from bot.understanding.text import DATA_DIR

log = logging.getLogger(__name__)
CODE_DIR = Path(__file__).resolve().parent
# A cache file that cannot be read: missing, cut short, corrupted or of another version.
# Bumped whenever features or fitting change, so an old cache is not read as a new model.
MODEL_FORMAT = 2
# Up to this many labels the SVM is fitted exactly (liblinear); above, by SGD.
MAX_EXACT_LABELS = 200
SGD_PASSES = 8


@dataclass(frozen=True)
class LinearModel:
    """Labels, features and a weight per (feature, label); ``scores`` is X . W + b."""

    labels: tuple[str, ...]
    features: TextFeatures
    weights: np.ndarray  # (features, labels), float32
    bias: np.ndarray  # (labels,)

    def scores(self, analysis: Analysis) -> np.ndarray:
        """The decision value of every label for one message (higher is more likely)."""
        scores = self.known_scores(analysis)
        return self.bias.astype(np.float64) if scores is None else scores

    def known_scores(self, analysis: Analysis) -> np.ndarray | None:
        """``scores``, or None when the message shares no feature with the training text
        (the answer would be the bias alone)."""
        columns, values = self.features.transform(analysis)
        if len(columns) == 0:
            return None
        return values @ self.weights[columns] + self.bias


def fit_model(
    analyses: Sequence[Analysis], labels: Sequence[str], c: float, *, balanced: bool = False
) -> LinearModel:
    """A linear SVM (one vs rest) on TF-IDF features of ``analyses``; ``balanced`` weighs
    each label by the inverse of its number of examples (the act model, where symptom
    phrases outnumber any one act twenty to one)."""
    from sklearn.linear_model import SGDClassifier
    from sklearn.svm import LinearSVC

    features, matrix = fit_features(analyses)
    names = tuple(sorted(set(labels)))
    if len(names) < 2 or matrix.shape[1] == 0:
        # one label, or phrases without a single letter: nothing to tell apart; the one
        # label (or the first) is every message's answer, as a model with no weights
        weights_t = np.zeros((features.size, len(names)), dtype=np.float32)
        bias = np.array([1.0 if i == 0 else 0.0 for i in range(len(names))])
        return LinearModel(names, features, weights_t, bias)
    weights = "balanced" if balanced else None
    classifier: LinearSVC | SGDClassifier
    if len(set(labels)) <= MAX_EXACT_LABELS:
        # liblinear shuffles its coordinates: without a fixed seed two fits of the same
        # data differ in their near-zero weights, and a word's support for an act could
        # flip between runs (a test failed one run in a few)
        classifier = LinearSVC(C=c, class_weight=weights, random_state=0)
    else:
        # liblinear fits one SVM per label to convergence: 6 minutes at 1,000 problems.
        # A few passes of stochastic gradient descent on the same hinge loss take 30 s.
        classifier = SGDClassifier(
            loss="hinge",
            alpha=1.0 / (c * matrix.shape[0]),
            max_iter=SGD_PASSES,
            tol=None,
            class_weight=weights,
            random_state=0,
        )
    classifier.fit(matrix, list(labels))
    names = tuple(str(label) for label in classifier.classes_)
    coef = classifier.coef_
    bias = classifier.intercept_
    if len(names) == 2:  # scikit-learn keeps one row for two classes: +w for the second
        coef = np.vstack([-coef[0], coef[0]])
        bias = np.array([-bias[0], bias[0]])
    return LinearModel(names, features, np.ascontiguousarray(coef.T, dtype=np.float32), bias)


def training_key(
    kind: str, texts: Sequence[str], labels: Sequence[str], options: Sequence[object]
) -> str:
    """A hash of everything a fit depends on: the data, the options, the understanding
    code and text rules, and the versions of the libraries that lemmatise, count and fit.
    A change to any of them is a new key, so a stale model is never read."""
    digest = hashlib.sha256()
    versions = [
        package_version(name) for name in ("simplemma", "wordfreq", "scikit-learn", "numpy")
    ]
    header = [MODEL_FORMAT, kind, list(options), CHAR_NGRAMS, WORD_NGRAMS, versions]
    digest.update(json.dumps(header, default=str).encode())
    digest.update(_code_digest())
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()[:32]


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """The understanding code and text rules, hashed once per process (three caches use it)."""
    digest = hashlib.sha256()
    for source in sorted([*DATA_DIR.glob("*.yaml"), *CODE_DIR.glob("*.py")]):
        digest.update(source.read_bytes())
    return digest.digest()


@dataclass(frozen=True)
class ModelCache:
    """Fitted models on disk, one ``<kind>-<key>.npz`` each; ``None`` directory: no cache."""

    directory: Path | None

    def fit(
        self,
        kind: str,
        texts: Sequence[str],
        labels: Sequence[str],
        c: float,
        analyse: Callable[[str], Analysis],
        *,
        balanced: bool = False,
    ) -> LinearModel:
        """The model for this training data: loaded when cached, else fitted (and saved)."""
        path = None
        if self.directory is not None:
            key = training_key(kind, texts, labels, (c, balanced))
            path = self.directory / f"{kind}-{key}.npz"
        return read_or_build(
            path,
            _model_from_bytes,
            lambda: fit_model([analyse(text) for text in texts], labels, c, balanced=balanced),
            _model_bytes,
        )

    def scope(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        context: Sequence[str],
        build: Callable[[], Scope],
    ) -> Scope:
        """The scope table for this training data and ``context`` (the topics' devices and
        problems, which shape it too): loaded when cached, else built (and saved)."""
        path = None
        if self.directory is not None:
            key = training_key("scope", texts, labels, context)
            path = self.directory / f"scope-{key}.json"
        return read_or_build(
            path,
            lambda data: Scope.from_json(json.loads(data.decode("utf-8"))),
            build,
            lambda scope: json.dumps(scope.to_json()).encode(),
        )


def _model_bytes(model: LinearModel) -> bytes:
    """The model as an ``.npz`` file's bytes (``_model_from_bytes`` reads it)."""
    arrays = {
        "labels": np.array("\n".join(model.labels)),
        "weights": model.weights,
        "bias": model.bias,
    }
    for name, block in (("chars", model.features.chars), ("lemmas", model.features.lemmas)):
        grams = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
        arrays[f"{name}_vocabulary"] = np.array("\n".join(grams))
        arrays[f"{name}_idf"] = block.idf
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def _model_from_bytes(saved: bytes) -> LinearModel:
    with np.load(io.BytesIO(saved), allow_pickle=False) as data:
        chars = _block(str(data["chars_vocabulary"]), data["chars_idf"], 0)
        lemmas = _block(str(data["lemmas_vocabulary"]), data["lemmas_idf"], len(chars.idf))
        features = TextFeatures(chars, lemmas)
        labels = tuple(str(data["labels"]).split("\n"))
        weights, bias = data["weights"], data["bias"]
    if weights.shape != (features.size, len(labels)):
        raise ValueError("the saved weights do not fit the vocabulary")
    return LinearModel(labels, features, weights, bias)


def _block(grams: str, idf: np.ndarray, offset: int) -> Block:
    vocabulary = {gram: column for column, gram in enumerate(grams.split("\n"))} if grams else {}
    if len(vocabulary) != len(idf):
        raise ValueError("vocabulary and IDF differ in length")
    return Block(vocabulary, idf, offset)
