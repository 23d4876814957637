"""Rendering fixbot markup for Telegram: escaping, bold, paths, lists, splitting, keyboards."""

from __future__ import annotations

import re

import pytest

from adapters.telegram import render as telegram_render
from adapters.telegram.render import keyboard, messages, render, size, split_html
from bot.events import Button


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('Tom & Jerry\'s "mail"', 'Tom &amp; Jerry\'s "mail"'),
        ("Trykk **Lagre** nå", "Trykk <b>Lagre</b> nå"),
        ("**<b>x</b>**", "<b>&lt;b&gt;x&lt;/b&gt;</b>"),
        (
            "Gå til `Innstillinger > Mail > Kontoer`",
            "Gå til <code>Innstillinger &gt; Mail &gt; Kontoer</code>",
        ),
        ("**Open `Settings > Mail`**", "<b>Open <code>Settings &gt; Mail</code></b>"),
        ("`a **b** c`", "<code>a **b** c</code>"),
        ("- first\n- second", "• first\n• second"),
        ("1. one\n2. two", "1. one\n2. two"),
        ("a - b stays", "a - b stays"),
        ("an ** unbalanced marker", "an ** unbalanced marker"),
        ("one\n\n\n\ntwo", "one\n\ntwo"),
        ("  \n\nhello\r\n\r\nworld\n\n", "hello\n\nworld"),
    ],
)
def test_render(source: str, expected: str) -> None:
    assert render(source) == expected


def test_short_text_is_one_message() -> None:
    assert messages("Hei **du**") == ["Hei <b>du</b>"]


def test_long_text_splits_at_paragraphs_within_the_limit() -> None:
    paragraphs = [f"Paragraph {n}: " + "word " * 150 for n in range(14)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 10_000
    parts = messages(text)
    assert len(parts) >= 3
    assert all(size(part) <= 4096 for part in parts)
    # Every split fell on a paragraph boundary: each part starts a paragraph.
    assert all(part.startswith("Paragraph ") for part in parts)
    rejoined = "\n\n".join(parts)
    assert rejoined == render(text)


def test_one_huge_paragraph_splits_at_lines_then_spaces() -> None:
    lines = "\n".join(f"- item {n} " + "x" * 50 for n in range(200))
    parts = messages(lines, limit=500)
    assert all(size(part) <= 500 for part in parts)
    assert all(part.startswith("• item") for part in parts)

    one_line = " ".join(["ord"] * 1000)
    parts = messages(one_line, limit=100)
    assert all(size(part) <= 100 for part in parts)
    assert " ".join(parts).split() == one_line.split()


def test_hard_split_keeps_tags_balanced_and_entities_whole() -> None:
    text = "**" + "<&>" * 400 + "**"  # no spaces at all, every character escaped
    parts = messages(text, limit=100)
    assert len(parts) > 1
    for part in parts:
        assert size(part) <= 100
        assert part.startswith("<b>") and part.endswith("</b>")
        assert part.count("<b>") == part.count("</b>") == 1
        # No entity cut in half: every '&' starts a complete entity.
        assert re.fullmatch(r"(?:<b>|</b>|&lt;|&amp;|&gt;)+", part)
    visible = "".join(re.sub(r"</?b>", "", part) for part in parts)
    assert visible == "&lt;&amp;&gt;" * 400


def test_bold_cut_at_a_space_is_closed_and_reopened() -> None:
    parts = split_html("<b>" + "abc " * 100 + "</b>", limit=60)
    assert all(size(part) <= 60 for part in parts)
    assert all(part.startswith("<b>") and part.endswith("</b>") for part in parts)


def test_emoji_count_double_toward_the_limit() -> None:
    parts = messages("😀" * 3000)
    assert len(parts) == 2
    assert all(size(part) <= 4096 for part in parts)


def test_keyboard_pairs_short_labels_and_drops_oversized_payloads(
    caplog: pytest.LogCaptureFixture,
) -> None:
    markup = keyboard(
        [
            Button("Det funka", "step:ok:mail-not-updating:1"),
            Button("Hjalp ikke", "step:no:mail-not-updating:1"),
            Button("Too long", "x" * 65),
            Button("Æøå", "pick:" + "æ" * 29),  # 63 bytes: fits
        ]
    )
    assert markup is not None
    rows = [[button.callback_data for button in row] for row in markup.inline_keyboard]
    assert rows == [
        ["step:ok:mail-not-updating:1", "step:no:mail-not-updating:1"],
        ["pick:" + "æ" * 29],
    ]
    assert "Too long" in caplog.text


def test_keyboard_long_labels_one_per_row_and_empty_is_none() -> None:
    markup = keyboard([Button("Innboksen oppdateres ikke", "pick:a"), Button("Annet", "other")])
    assert markup is not None
    assert [len(row) for row in markup.inline_keyboard] == [1, 1]
    assert keyboard([]) is None
    assert keyboard([Button("x", "")]) is None
    assert telegram_render.MAX_CALLBACK_BYTES == 64
