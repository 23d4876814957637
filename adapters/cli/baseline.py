"""The plain baseline every change to understanding is judged against.

What a practitioner builds first (the same as ``shared/tools/kb_baseline.py``):
TF-IDF over character 2-5-grams and word 1-2-grams of the raw phrases, a
linear SVM, trained on every knowledge phrase with the off-topic phrases as
"none". ``fixbot eval`` prints its accuracy beside fixbot's on the same file.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.knowledge import Knowledge
from bot.understanding.intents import NONE_INTENT


def baseline_accuracy(knowledge: Knowledge, texts: Sequence[str], labels: Sequence[str]) -> float:
    """The baseline's share of ``labels`` it predicts right on ``texts``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    phrases, intents = [], []
    for intent, _language, phrase in knowledge.intent_phrases():
        phrases.append(phrase)
        intents.append(intent)
    for _language, phrase in knowledge.offtopic.items():
        phrases.append(phrase)
        intents.append(NONE_INTENT)
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
    )
    model = make_pipeline(features, LinearSVC(C=1.0)).fit(phrases, intents)
    predicted = model.predict(list(texts))
    right = sum(str(p) == label for p, label in zip(predicted, labels, strict=True))
    return right / len(labels) if labels else 0.0
