"""Slack's message formats: fixbot replies rendered as Block Kit, and Slack text read back.

Pure functions, no I/O: the Slack adapter posts what these build. Slack's limits
(https://api.slack.com/reference/block-kit) are respected here, in one place:
3,000 characters of text per section block, 50 blocks per message, 25 elements
per actions block, 75 characters per button label, 2,000 per button value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.chunking import Markup, chunk
from bot.dialog import payloads
from bot.events import Button, Reply
from bot.knowledge import Knowledge

SECTION_TEXT_LIMIT = 3000
BLOCKS_PER_MESSAGE = 50
ELEMENTS_PER_ACTIONS = 25
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
HEADER_TEXT_LIMIT = 150
HOME_VIEW_BLOCKS = 100
FALLBACK_TEXT_LIMIT = 3000
# Reply texts whose rendering is kept (the knowledge's texts repeat; each is a few KB).
TEXT_PARTS_CACHE_SIZE = 1024
ACTION_PREFIX = "fixbot:"
"""Every button fixbot renders has an ``action_id`` starting with this."""

Block = dict[str, Any]

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_BOLD_MRKDWN = re.compile(r"\*(\S(?:[^*\n]*\S)?)\*")
_BULLET = re.compile(r"^(\s*)- ", re.MULTILINE)
_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")
# What a cut keeps whole: the entities escape() makes, bold spans and code.
MRKDWN = Markup(re.compile(r"&(?:amp|lt|gt);|\*\S(?:[^*\n]*\S)?\*|`[^`\n]+`"))
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One chat.postMessage worth of content: fallback ``text`` and ``blocks``."""

    text: str
    blocks: tuple[Block, ...]


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    """fixbot markup (see docs/knowledge-format.md) as Slack mrkdwn, with everything escaped.

    ``**bold**`` becomes ``*bold*``; backticked settings paths stay code; ``- ``
    list items become bullets; numbered lists and blank-line paragraphs are
    already what Slack shows.
    """
    text = escape(text.replace("\r\n", "\n"))
    text = _BOLD.sub(_as_mrkdwn_bold, text)
    return _BULLET.sub(_as_bullet, text)


# Replacements as functions, not templates ("*\\1*"): re expands a template in Python
# on every match: a third of rendering a reply (issue 14).
def _as_mrkdwn_bold(match: re.Match[str]) -> str:
    return f"*{match.group(1)}*"


def _as_bullet(match: re.Match[str]) -> str:
    return f"{match.group(1)}• "


def _first_group(match: re.Match[str]) -> str:
    return match.group(1)


def to_plain(text: str) -> str:
    """A reply as notification text: markup removed, still escaped (Slack reads it as mrkdwn)."""
    plain = _BOLD.sub(_first_group, text.replace("\r\n", "\n")).replace("`", "")
    return _cut(escape(plain), FALLBACK_TEXT_LIMIT)


def split_text(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Split mrkdwn into chunks of at most ``limit`` characters.

    Cuts between paragraphs where it can, then between lines, then at a space,
    then anywhere but inside an escaped entity such as ``&amp;`` or a ``*bold*``
    span. Empty chunks are dropped.
    """
    return chunk(text, limit, markup=MRKDWN)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = limit - 1
    tail = _ENTITY_TAIL.search(text[:cut])
    if tail:
        cut = tail.start()
    return text[:cut] + "…"


def button_element(button: Button, index: int) -> Block:
    """One Block Kit button; its ``action_id`` is unique within the message."""
    label = button.label.strip() or button.payload
    if len(label) > BUTTON_LABEL_LIMIT:
        label = label[: BUTTON_LABEL_LIMIT - 1] + "…"
    return {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{index}",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "value": button.payload[:BUTTON_VALUE_LIMIT],
    }


def actions_blocks(buttons: Sequence[Button], block_prefix: str = "fixbot-actions") -> list[Block]:
    """Buttons in actions blocks of at most 25 elements each."""
    blocks: list[Block] = []
    for start in range(0, len(buttons), ELEMENTS_PER_ACTIONS):
        elements = [
            button_element(button, start + offset)
            for offset, button in enumerate(buttons[start : start + ELEMENTS_PER_ACTIONS])
        ]
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{block_prefix}-{start // ELEMENTS_PER_ACTIONS}",
                "elements": elements,
            }
        )
    return blocks


def render_reply(reply: Reply) -> list[SlackMessage]:
    """A reply as one Slack message, or several when it exceeds 50 blocks.

    The text goes in section blocks; the buttons go in actions blocks at the
    end of the last message, so they sit under the text they answer.
    """
    chunks, plain = _text_parts(reply.text)
    sections: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunks
    ]
    actions = actions_blocks(reply.buttons)
    if not sections and not actions:
        return []
    fallback = plain or _cut(
        " · ".join(escape(button.label) for button in reply.buttons), FALLBACK_TEXT_LIMIT
    )
    groups = [
        sections[start : start + BLOCKS_PER_MESSAGE]
        for start in range(0, len(sections), BLOCKS_PER_MESSAGE)
    ]
    if groups and len(groups[-1]) + len(actions) <= BLOCKS_PER_MESSAGE:
        groups[-1] = groups[-1] + actions
    else:
        groups.extend(
            actions[start : start + BLOCKS_PER_MESSAGE]
            for start in range(0, len(actions), BLOCKS_PER_MESSAGE)
        )
    return [
        SlackMessage(text=_message_text(group, fallback), blocks=tuple(group)) for group in groups
    ]


@lru_cache(maxsize=TEXT_PARTS_CACHE_SIZE)
def _text_parts(text: str) -> tuple[tuple[str, ...], str]:
    """A reply text's mrkdwn section chunks and its plain fallback, kept for the texts
    used most (strings only: every message gets block dicts of its own).

    fixbot's replies are mostly the knowledge's own texts, rendered again for every
    outbox row the delivery worker posts, on the event loop (issue 14).
    """
    return tuple(split_text(to_mrkdwn(text))), to_plain(text)


def _message_text(blocks: Iterable[Block], fallback: str) -> str:
    """Notification text for one message: its first section's words, else the reply's."""
    for block in blocks:
        if block["type"] == "section":
            return _cut(_BOLD_MRKDWN.sub(_first_group, block["text"]["text"]), FALLBACK_TEXT_LIMIT)
    return fallback


def chosen_blocks(blocks: Sequence[Mapping[str, Any]], label: str) -> list[Block]:
    """A message's blocks after a button press: buttons removed, the choice shown below."""
    kept = [dict(block) for block in blocks if block.get("type") != "actions"]
    kept = kept[: BLOCKS_PER_MESSAGE - 1]
    kept.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"➜ *{escape(label)}*"}],
        }
    )
    return kept


def home_view(knowledge: Knowledge, language: str) -> Block:
    """The App Home tab: each topic's title, then its problems as buttons (the problem menu)."""
    blocks: list[Block] = []
    for topic_id, topic in knowledge.topics.items():
        problems = [
            Button(problem.title.get(language), payloads.pick(problem_id))
            for problem_id, problem in knowledge.problems.items()
            if problem.topic == topic_id
        ]
        if not problems:
            continue
        title = topic.title.get(language)[:HEADER_TEXT_LIMIT]
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": title}})
        blocks.extend(actions_blocks(problems, block_prefix=f"fixbot-home-{topic_id}"))
    return {"type": "home", "blocks": blocks[:HOME_VIEW_BLOCKS]}


def read_text(text: str, bot_user_id: str | None = None) -> str:
    """Slack message text as the person typed it.

    Removes the mention of fixbot itself, shows other mentions as ``@U123``,
    links as their label (or address), and undoes Slack's ``&amp;``,
    ``&lt;`` and ``&gt;`` escaping.
    """

    def mention(match: re.Match[str]) -> str:
        return "" if match.group(1) == bot_user_id else f"@{match.group(1)}"

    def link(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if label:
            return label
        if target.startswith("mailto:"):
            return target[len("mailto:") :]
        return target.lstrip("#!@")

    text = _MENTION.sub(mention, text)
    text = _LINK.sub(link, text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"[ \t]{2,}", " ", text).strip()
