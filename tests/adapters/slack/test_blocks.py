"""Block Kit rendering: Slack's limits, mrkdwn escaping, fixbot markup, and reading Slack text."""

from __future__ import annotations

import pytest

from adapters.slack.blocks import (
    ACTION_PREFIX,
    BLOCKS_PER_MESSAGE,
    BUTTON_LABEL_LIMIT,
    ELEMENTS_PER_ACTIONS,
    SECTION_TEXT_LIMIT,
    chosen_blocks,
    escape,
    read_text,
    render_reply,
    split_text,
    to_mrkdwn,
)
from adapters.slack.people import language_from_locale
from bot.events import Button, Reply


def sections(reply: Reply) -> list[str]:
    return [
        block["text"]["text"]
        for message in render_reply(reply)
        for block in message.blocks
        if block["type"] == "section"
    ]


@pytest.mark.parametrize(
    ("markup", "mrkdwn"),
    [
        ("**Steg 1**: gjør dette", "*Steg 1*: gjør dette"),
        (
            "Gå til `Innstillinger > Mail > Kontoer`",
            "Gå til `Innstillinger &gt; Mail &gt; Kontoer`",
        ),
        ("- én\n- to", "• én\n• to"),
        ("1. én\n2. to", "1. én\n2. to"),
        ("Avsnitt\n\nAvsnitt to", "Avsnitt\n\nAvsnitt to"),
        ("<script>&amp;</script>", "&lt;script&gt;&amp;amp;&lt;/script&gt;"),
        (
            "<!channel> <@U123> <https://evil.example|klikk>",
            "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|klikk&gt;",
        ),
    ],
)
def test_fixbot_markup_becomes_escaped_mrkdwn(markup: str, mrkdwn: str) -> None:
    assert to_mrkdwn(markup) == mrkdwn


def test_escape_only_touches_the_three_control_characters() -> None:
    assert escape("a & b < c > d *e* _f_") == "a &amp; b &lt; c &gt; d *e* _f_"


def test_a_short_reply_is_one_section_with_a_plain_fallback() -> None:
    [message] = render_reply(Reply("**Hei** & velkommen"))
    assert message.blocks == (
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Hei* &amp; velkommen"}},
    )
    assert message.text == "Hei &amp; velkommen"


def test_long_text_is_split_into_sections_within_the_limit_at_paragraphs() -> None:
    paragraph = "Ord " * 500  # 2,000 characters
    reply = Reply("\n\n".join([paragraph.strip()] * 4))
    texts = sections(reply)
    assert len(texts) == 4
    assert all(len(text) <= SECTION_TEXT_LIMIT for text in texts)


def test_a_paragraph_without_breaks_is_cut_without_breaking_an_entity() -> None:
    text = "x" * (SECTION_TEXT_LIMIT - 2) + "&&&&" + "y" * 5000
    chunks = split_text(to_mrkdwn(text))
    assert all(len(chunk) <= SECTION_TEXT_LIMIT for chunk in chunks)
    assert "".join(chunks) == to_mrkdwn(text)
    assert all(not chunk.endswith(("&", "&a", "&am", "&amp")) for chunk in chunks)


def test_more_than_fifty_blocks_become_several_messages_with_buttons_on_the_last() -> None:
    text = "\n\n".join(f"{n}: " + "z" * (SECTION_TEXT_LIMIT - 10) for n in range(120))
    reply = Reply(text, (Button("Det fungerte", "step:ok:p:1"),))
    messages = render_reply(reply)
    assert len(messages) == 3
    assert all(len(message.blocks) <= BLOCKS_PER_MESSAGE for message in messages)
    assert sum(len(message.blocks) for message in messages) == 121
    assert messages[-1].blocks[-1]["type"] == "actions"
    assert all(b["type"] == "section" for m in messages[:-1] for b in m.blocks)
    assert all(message.text for message in messages)


def test_buttons_fill_actions_blocks_of_at_most_25_with_unique_action_ids() -> None:
    buttons = tuple(Button(f"Valg {n}", f"pick:p{n}") for n in range(30))
    [message] = render_reply(Reply("Velg", buttons))
    actions = [block for block in message.blocks if block["type"] == "actions"]
    assert [len(block["elements"]) for block in actions] == [ELEMENTS_PER_ACTIONS, 5]
    elements = [element for block in actions for element in block["elements"]]
    assert [element["value"] for element in elements] == [b.payload for b in buttons]
    ids = [element["action_id"] for element in elements]
    assert len(set(ids)) == len(ids) and all(i.startswith(ACTION_PREFIX) for i in ids)
    assert len({block["block_id"] for block in actions}) == len(actions)


def test_labels_are_plain_text_and_cut_to_75_characters() -> None:
    long_label = "Å " * 60
    [message] = render_reply(Reply("", (Button(long_label, "human"), Button("<b>&", "menu"))))
    first, second = message.blocks[0]["elements"]
    assert len(first["text"]["text"]) == BUTTON_LABEL_LIMIT
    assert first["text"]["text"].endswith("…")
    assert second["text"] == {"type": "plain_text", "text": "<b>&", "emoji": True}
    assert message.text  # buttons only: the labels make the fallback


def test_an_empty_reply_renders_nothing() -> None:
    assert render_reply(Reply("")) == []


def test_a_pressed_message_loses_its_buttons_and_shows_the_choice() -> None:
    [message] = render_reply(Reply("Virker det nå?", (Button("Ja", "ok"), Button("Nei", "no"))))
    blocks = chosen_blocks(message.blocks, "Nei <takk>")
    assert [block["type"] for block in blocks] == ["section", "context"]
    assert blocks[-1]["elements"][0]["text"] == "➜ *Nei &lt;takk&gt;*"


@pytest.mark.parametrize(
    ("slack", "typed"),
    [
        ("<@UFIXBOT> mailen virker ikke", "mailen virker ikke"),
        ("hei <@UFIXBOT>, kan du hjelpe?", "hei , kan du hjelpe?"),
        ("spør <@U0ERIK|erik>", "spør @U0ERIK"),
        ("se <https://support.example/x|supportsiden>", "se supportsiden"),
        ("se <https://support.example/x>", "se https://support.example/x"),
        ("mail <mailto:ola@example.no|ola@example.no>", "mail ola@example.no"),
        ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
        ("&amp;lt;", "&lt;"),
    ],
)
def test_slack_text_is_read_as_typed(slack: str, typed: str) -> None:
    assert read_text(slack, "UFIXBOT") == typed


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("nb-NO", "nb"),
        ("nn-NO", "nb"),
        ("no-NO", "nb"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("de-DE", None),
        (None, None),
        ("", None),
    ],
)
def test_slack_locales_become_language_hints(locale: str | None, language: str | None) -> None:
    assert language_from_locale(locale) == language
