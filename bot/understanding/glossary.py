"""Finding the word of the steps a message asks about ("hva er SMTP?", "what's push?").

The knowledge's glossary names each term in both languages; a message names one when
the name's words are in it in a row, its last word also with an ending of a few
letters ("utboksen" for "utboks", "karantenen" for "karantene"). The longest name
found wins: "Hent nye data" before "hent".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.knowledge import Term
from bot.understanding.text import definition_openers, tokens

# an ending a name's last word may carry ("utboks" -> "utboksen"), at most this long
MAX_ENDING = 3
# and only on a word at least this long: "dns" is not "dnsen", "pop" is not "popup"
MIN_INFLECTED = 5
# words between a definition's opener and the name: "hva er en utboks", "what's an app
# password"
MAX_GAP = 1


class Glossary:
    """The terms of one knowledge base, by their folded names; build once, ``find`` often."""

    def __init__(self, terms: Mapping[str, Term]) -> None:
        names = {
            (tuple(folded), term.id)
            for term in terms.values()
            for _, name in term.names.items()
            if (folded := tokens(name))
        }
        self._names = sorted(names, key=lambda pair: (-len(pair[0]), pair))

    def defined(self, text: str) -> str | None:
        """The term ``text`` asks the meaning of, by its first words: "hva er SMTP?",
        "kva meiner du med utboks", "what's an app password" (an opener from the text
        rules, then the name, at most ``MAX_GAP`` words later), or by naming it and
        nothing else ("smtp?"). "Hva er galt med utboksen?" asks no meaning: it
        reports a problem."""
        words = tokens(text)
        for name, term_id in self._names:
            if len(words) == len(name) and _contains(words, name):
                return term_id  # the name alone: "smtp?", "Utboks??"
        for opener in definition_openers():
            if tuple(words[: len(opener)]) != opener:
                continue
            rest = words[len(opener) :]
            for name, term_id in self._names:
                if any(_contains(rest[gap : gap + len(name)], name) for gap in range(MAX_GAP + 1)):
                    return term_id
        return None

    def named_in(self, text: str) -> tuple[str, ...]:
        """The terms ``text`` names, in the order of their first name in it: what a step
        asks the person to find ("Hent nye data", "Push") when they ask what it means."""
        words = tokens(text)
        found: dict[str, int] = {}
        for name, term_id in self._names:
            size = len(name)
            for i in range(len(words) - size + 1):
                if _contains(words[i : i + size], name):
                    found[term_id] = min(found.get(term_id, i), i)
                    break
        return tuple(sorted(found, key=found.__getitem__))


def _contains(words: Sequence[str], name: tuple[str, ...]) -> bool:
    size = len(name)
    for i in range(len(words) - size + 1):
        if tuple(words[i : i + size - 1]) == name[:-1] and _same_word(
            words[i + size - 1], name[-1]
        ):
            return True
    return False


def _same_word(word: str, name: str) -> bool:
    if word == name:
        return True
    return (
        len(name) >= MIN_INFLECTED and word.startswith(name) and len(word) - len(name) <= MAX_ENDING
    )
