"""The glossary: which word of the steps a message asks the meaning of."""

from __future__ import annotations

import pytest

from bot.knowledge import Phrases, Term, Text
from bot.understanding.glossary import Glossary

TERMS = {
    "term-outbox": Term("term-outbox", Phrases(("utboks",), ("outbox",)), Text("U", "O")),
    "term-fetch": Term(
        "term-fetch",
        Phrases(("hent nye data", "hent"), ("fetch new data", "fetch")),
        Text("H", "F"),
    ),
    "term-dns": Term("term-dns", Phrases(("dns",), ("dns",)), Text("D", "D")),
}


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("hva er utboks?", "term-outbox"),
        ("Hva er en utboks", "term-outbox"),  # one word between
        ("kva meiner du med utboksen", "term-outbox"),  # an ending on the name
        ("whats the outbox", "term-outbox"),
        ("hva betyr hent nye data?", "term-fetch"),  # the longest name
        ("what does fetch mean", "term-fetch"),
        ("utboks??", "term-outbox"),  # the name alone
        ("hva er dns", "term-dns"),
    ],
)
def test_a_question_about_what_a_word_means_finds_it(text: str, term: str) -> None:
    assert Glossary(TERMS).defined(text) == term


@pytest.mark.parametrize(
    "text",
    [
        "hva er galt med utboksen min?",  # a problem, not a meaning
        "mailen blir liggende i utboksen",
        "hva er dnsen",  # a short name takes no ending
        "hva er været i morgen",
        "",
    ],
)
def test_other_messages_ask_no_meaning(text: str) -> None:
    assert Glossary(TERMS).defined(text) is None


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Slå av privat DNS, så sjekk Utboks.", ("term-dns", "term-outbox")),  # in order
        ("Gå til Hent nye data og velg Hent.", ("term-fetch",)),  # once, however often
        ("Start telefonen på nytt.", ()),
    ],
)
def test_the_terms_a_text_names_in_order(text: str, named: tuple[str, ...]) -> None:
    assert Glossary(TERMS).named_in(text) == named
