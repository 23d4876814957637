"""A message split, folded and lemmatised: its words as typed, tokens and lemmas.

Every signal of one reader (the model's features, the scope evidence, near
copies) works on the same ``Analysis``. The three sequences are aligned:
``tokens[i]`` and ``lemmas[i]`` come from ``words[i]``. (Mid-flow a reply is
analysed by the act reader and, when it is no answer, again by the matcher;
lemmas are cached, so the second costs little.)
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.understanding.lemmas import Lemmatizer
from bot.understanding.text import fold_word, words


@dataclass(frozen=True, slots=True)
class Analysis:
    words: tuple[str, ...]  # casefolded as typed, æøå kept (what wordfreq and simplemma know)
    tokens: tuple[str, ...]  # folded: "få", "faa" and "fa" are one token
    lemmas: tuple[str, ...]  # folded lemma of each word ("kontoene" -> "konto")

    @property
    def folded(self) -> str:
        """The folded tokens as one string: what the character n-grams read."""
        return " ".join(self.tokens)

    @property
    def lemma_text(self) -> str:
        """The lemmas as one string: what the word n-grams read."""
        return " ".join(self.lemmas)


def analyse(text: str, lemmatizer: Lemmatizer) -> Analysis:
    """``text`` split into words, folded and lemmatised."""
    typed = tuple(words(text))
    tokens = tuple(fold_word(word) for word in typed)
    lemmas = tuple(fold_word(lemmatizer.lemma(word)) for word in typed)
    return Analysis(typed, tokens, lemmas)
