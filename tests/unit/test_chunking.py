"""One splitter for every platform: each piece within the limit, markup whole, no text lost.

Random texts (seeded) made of fixbot markup, emoji, entities and long unbroken
runs are cut for the core's replies, Telegram (4,096 UTF-16 units of HTML)
and Slack (3,000 characters of mrkdwn per section).
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

import pytest

from adapters.slack.blocks import SECTION_TEXT_LIMIT, split_text, to_mrkdwn
from adapters.telegram.render import MAX_MESSAGE_CHARS, messages
from bot.chunking import FIXBOT_MARKUP, Markup, chunk, utf16_units
from bot.settings import Limits

WORDS = [
    "mail",
    "Innstillinger",
    "Kontoer",
    "æøå",
    "🙂",
    "&",
    "<x>",
    "**Hent nye data**",
    "`Innstillinger > Mail`",
    "utboks",
    "a" * 300,
    "👍🏽",
    "ok.",
]


def _text(seed: int, size: int) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    while sum(map(len, out)) < size:
        out.append(rng.choice(WORDS))
        out.append(rng.choice([" ", " ", " ", "\n", "\n\n", ""]))
    return "".join(out)


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.broken = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.broken = True


@pytest.mark.parametrize("seed", range(12))
def test_telegram_pieces_fit_in_utf16_units_with_balanced_tags(seed: int) -> None:
    text = _text(seed, 14_000)
    pieces = messages(text)
    assert len(pieces) >= 3
    for piece in pieces:
        assert utf16_units(piece) <= MAX_MESSAGE_CHARS
        parser = _Balance()
        parser.feed(piece)
        assert not parser.broken and not parser.open, piece[:200]
        assert not re.search(r"&[#\w]*$", piece), "an entity was cut"
    # the visible text survives: tags and whitespace aside, nothing lost or added
    visible = _words(re.sub(r"<[^>]+>", "", "".join(pieces)))
    assert visible == _words(re.sub(r"<[^>]+>", "", "".join(messages(text, 10**6))))


@pytest.mark.parametrize("seed", range(12))
def test_slack_sections_fit_without_cutting_entities(seed: int) -> None:
    mrkdwn = to_mrkdwn(_text(seed, 10_000))
    pieces = split_text(mrkdwn)
    assert len(pieces) >= 3
    for piece in pieces:
        assert len(piece) <= SECTION_TEXT_LIMIT
        assert not re.search(r"&[a-z]{0,3}$", piece) and not re.match(r"^[a-z]{1,3};", piece)
    assert _words("".join(pieces)) == _words(mrkdwn)


@pytest.mark.parametrize("seed", range(12))
def test_core_replies_fit_the_limit_and_keep_bold_whole(seed: int) -> None:
    limit = Limits().max_text_chars
    text = _text(seed, 12_000)
    pieces = chunk(text, limit, markup=FIXBOT_MARKUP)
    for piece in pieces:
        assert len(piece) <= limit
        assert piece.count("**") % 2 == 0 and piece.count("`") % 2 == 0
    assert _words("".join(pieces)) == _words(text)


def test_cuts_fall_between_paragraphs_first_then_lines_then_spaces() -> None:
    paragraphs = ["x" * 40, "y" * 40, "z" * 40]
    assert chunk("\n\n".join(paragraphs), 85) == ["x" * 40 + "\n\n" + "y" * 40, "z" * 40]
    assert chunk("aaaa\nbbbb\ncccc", 9) == ["aaaa\nbbbb", "cccc"]
    assert chunk("one two three four", 9) == ["one two", "three", "four"]
    assert chunk("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_an_atom_is_moved_whole_to_the_next_piece_not_cut() -> None:
    bold = Markup(re.compile(r"\*\*[^*\n]+\*\*"))
    assert chunk("ab**cd**", 6, markup=bold) == ["ab", "**cd**"]
    # an atom longer than a whole piece has to be cut, but nothing is lost
    assert "".join(chunk("**" + "x" * 20 + "**", 8, markup=bold)) == "**" + "x" * 20 + "**"


def test_html_tags_open_at_a_cut_are_closed_and_reopened() -> None:
    html = Markup(re.compile(r"<[^>]+>|&[#\w]+;"), tags=True)
    assert chunk("<b>one two three</b>", 16, markup=html) == ["<b>one two</b>", "<b>three</b>"]


def test_blank_text_gives_no_pieces_and_a_bad_limit_is_refused() -> None:
    assert chunk("  \n\n ", 10) == []
    with pytest.raises(ValueError):
        chunk("x", 0)
