"""Reading a reply in the middle of a fix: what the person means at this point.

The acts are learned from the knowledge, with the same model machinery as
symptom matching: the lexicon's labelled examples per act and language
(``worked``, ``not_helped``, ``skip``, ``back``, ``stop``, ``question``,
``cannot_find``, ``later``, ``smalltalk``, ``rating_1``..``rating_5``), the
request phrases (``human``) and the problems' symptom phrases
(``new_problem``: a new or corrected problem, which the matcher then reads).
So whole sentences, dialect, typos and mixed language are read, not only the
listed short forms; a reply that carries an act and more ("gjort det, men
samme feil") is read as the act.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.knowledge import Knowledge
from bot.understanding.analysis import analyse
from bot.understanding.intents import ReadAct
from bot.understanding.lemmas import Lemmatizer
from bot.understanding.model import LinearModel, ModelCache

STEP_ACTS = ("worked", "not_helped", "skip", "back", "stop", "question", "cannot_find", "later")
RATING_ACTS = tuple(f"rating_{n}" for n in range(1, 6))
# lexicon keys read as small talk mid-flow
SMALLTALK_KEYS = ("smalltalk", "thanks", "greeting", "bye", "ack")
NEW_PROBLEM = "new_problem"
# acts people often tell together with the symptom, in its words
WITH_SYMPTOM_ACTS = ("worked", "not_helped", "question", "cannot_find", "skip", "stop")
SYMPTOMS_PER_EXAMPLE = 1
SYMPTOM_STRIDE = 37  # coprime with any phrase count that matters; spreads the picks
HUMAN = "human"
SMALLTALK = "smalltalk"


@dataclass
class ReplyReader:
    """The act model; ``read(text, rating=...)`` gives the best act."""

    model: LinearModel
    lemmatizer: Lemmatizer

    @classmethod
    def build(cls, knowledge: Knowledge, lemmatizer: Lemmatizer, cache: ModelCache) -> ReplyReader:
        """Fit (or load) the act model from the knowledge's lexicon, requests and problems."""
        texts: list[str] = []
        labels: list[str] = []
        for key, phrases in knowledge.lexicon.items():
            act = SMALLTALK if key in SMALLTALK_KEYS else key
            if act not in (*STEP_ACTS, *RATING_ACTS, SMALLTALK):
                continue
            for _language, phrase in phrases.items():
                texts.append(phrase)
                labels.append(act)
        for request in knowledge.requests.values():
            for _language, phrase in request.phrases.items():
                texts.append(phrase)
                labels.append(request.id if request.id == HUMAN else SMALLTALK)
        symptoms: dict[str, list[str]] = {}
        for problem in knowledge.problems.values():
            for language, phrase in problem.phrases.items():
                texts.append(phrase)
                labels.append(NEW_PROBLEM)
                symptoms.setdefault(language, []).append(phrase)
        texts_with, labels_with = _with_symptoms(knowledge, symptoms)
        texts += texts_with
        labels += labels_with
        model = cache.fit(
            "acts", texts, labels, 1.0, lambda t: analyse(t, lemmatizer), balanced=True
        )
        return cls(model, lemmatizer)

    def read(self, text: str, *, rating: bool = False) -> ReadAct | None:
        """The best act for ``text``: among ratings when ``rating``, else among the rest."""
        analysis = analyse(text, self.lemmatizer)
        if not analysis.tokens and not _stars(text):
            return None
        if rating and _stars(text):
            return ReadAct(f"rating_{_stars(text)}", 1.0, 1.0)
        scores = self.model.scores(analysis)
        labels = self.model.labels
        allowed = [
            i
            for i, label in enumerate(labels)
            if (label in RATING_ACTS) == rating or (rating and label == HUMAN)
        ]
        if not allowed:
            return None
        ranked = sorted(allowed, key=lambda i: -scores[i])
        best = ranked[0]
        second = float(scores[ranked[1]]) if len(ranked) > 1 else -np.inf
        return ReadAct(labels[best], float(scores[best]), float(scores[best]) - second)


def _with_symptoms(
    knowledge: Knowledge, symptoms: dict[str, list[str]]
) -> tuple[list[str], list[str]]:
    """Replies that carry an act and a symptom ("gjort, men mailen ligger fortsatt i
    utboksen"): each act example joined with symptom phrases, labelled with the act.

    People tell what happened in the words of the problem; without these, any mail word
    would pull a reply towards "new problem". The symptoms are picked by a fixed stride,
    so the training data (and the cached model) is the same on every start.
    """
    texts: list[str] = []
    labels: list[str] = []
    for key in WITH_SYMPTOM_ACTS:
        phrases = knowledge.lexicon.get(key)
        if phrases is None:
            continue
        for number, (language, phrase) in enumerate(phrases.items()):
            pool = symptoms.get(language) or []
            if not pool:
                continue
            for pick in range(SYMPTOMS_PER_EXAMPLE):
                index = (number * SYMPTOMS_PER_EXAMPLE + pick) * SYMPTOM_STRIDE
                symptom = pool[index % len(pool)].rstrip(".!?")
                flip = (number + pick) % 2 == 1
                first, second = (symptom, phrase) if flip else (phrase, symptom)
                texts.append(f"{first.rstrip('.!?')}, {second[:1].lower()}{second[1:]}")
                labels.append(key)
    return texts, labels


def _stars(text: str) -> int:
    """★★★★ -> 4 (1..5), else 0."""
    count = sum(1 for ch in text if ch in "★⭐*")
    return count if 1 <= count <= 5 and not any(ch.isalnum() for ch in text) else 0
