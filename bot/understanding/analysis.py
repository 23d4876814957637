"""A message split, folded and lemmatised: its words as typed, tokens and lemmas.

Every signal of one reader (the model's features, the scope evidence, near
copies) works on the same ``Analysis``. The three sequences are aligned:
``tokens[i]`` and ``lemmas[i]`` come from ``words[i]``. (Mid-flow a reply is
analysed by the act reader and, when it is no answer, again by the matcher;
lemmas are cached, so the second costs little.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.understanding.lemmas import Lemmatizer
from bot.understanding.text import fold_word, words

# the end of a sentence: "?", "!" or "." and then a space or the end
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
# a server's or domain's name, in quotes or not ("imap.domeneshop.no", "smtp.office365.com")
_HOST = re.compile(r"[\"'«»“”]?(?<![\w.])[\w-]*[^\W\d_][\w-]*(?:\.[\w-]+)+(?![\w.])[\"'«»“”]?")


@dataclass(frozen=True, slots=True)
class Analysis:
    words: tuple[str, ...]  # casefolded as typed, æøå kept (what wordfreq and simplemma know)
    tokens: tuple[str, ...]  # folded: "få", "faa" and "fa" are one token
    lemmas: tuple[str, ...]  # folded lemma of each word ("kontoene" -> "konto")
    # where each sentence after the first begins, as an index into ``tokens`` ("is this a
    # scam? someone changed my password": 4); the folded tokens have lost the marks
    sentence_starts: tuple[int, ...] = ()
    # the folded text without server names: what an alert quoted with its server in it
    # is compared as ('The mail server "imap.domeneshop.no" is not responding'); empty
    # when the text names none
    folded_without_hosts: str = ""

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
    hostless = _HOST.sub(" ", text)
    plain = " ".join(fold_word(word) for word in words(hostless)) if hostless != text else ""
    return Analysis(typed, tokens, lemmas, _sentence_starts(text, len(typed)), plain)


def _sentence_starts(text: str, count: int) -> tuple[int, ...]:
    """Where each sentence after the first begins among the ``count`` words of ``text``;
    none when the sentences' words do not add up to the text's ("3.5", "gmail.com")."""
    pieces = [len(words(piece)) for piece in _SENTENCE_END.split(text)]
    if sum(pieces) != count or len(pieces) < 2:
        return ()
    starts, at = [], 0
    for size in pieces[:-1]:
        at += size
        if 0 < at < count:
            starts.append(at)
    return tuple(dict.fromkeys(starts))
