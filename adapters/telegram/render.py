"""Telegram rendering: fixbot markup to Telegram HTML, split to fit, and inline keyboards.

fixbot's markup (docs/knowledge-format.md) is ``**bold**``, settings paths in
backticks, lists starting with ``- `` or ``1. `` and blank-line paragraphs.
Everything is HTML-escaped first, so user-derived text can never inject a tag;
only then are the markup's own tags added. Telegram rejects messages over
4,096 characters and callback data over 64 bytes and python-telegram-bot checks
neither, so both are enforced here.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.events import Button

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4096  # Telegram's limit, counted in UTF-16 code units
MAX_CALLBACK_BYTES = 64  # Telegram's callback data limit
PAIR_LABEL_CHARS = 16  # buttons this short sit two to a row

_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^(\s*)- ")
# One rendered unit: a tag, an HTML entity, or one character.
_TOKEN = re.compile(r"<[^>]+>|&[#\w]+;|.", re.DOTALL)


def size(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def render_line(line: str) -> str:
    """One line of fixbot markup as Telegram HTML, everything escaped first."""
    escaped = html.escape(line, quote=False)  # no attributes are ever built: quotes stay
    codes: list[str] = []

    def park(match: re.Match[str]) -> str:
        # Code spans are set aside so bold markers inside a path stay literal.
        codes.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    parked = _CODE.sub(park, escaped)
    bolded = _BOLD.sub(r"<b>\1</b>", parked)
    restored = re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], bolded)
    return _BULLET.sub(r"\1• ", restored)


def render(text: str) -> str:
    """fixbot markup as Telegram HTML: paragraphs separated by one blank line."""
    paragraphs = re.split(r"\n[ \t]*\n+", text.replace("\r\n", "\n").strip())
    return "\n\n".join(
        "\n".join(render_line(line.rstrip()) for line in paragraph.split("\n"))
        for paragraph in paragraphs
        if paragraph.strip()
    )


def split_html(rendered: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split rendered HTML into messages of at most ``limit``: at paragraphs, then lines,
    then spaces, then anywhere, never inside a tag or an entity."""

    def by_lines(paragraph: str) -> list[str]:
        return _pack(paragraph.split("\n"), "\n", limit, lambda line: _cut_line(line, limit))

    chunks = _pack(rendered.split("\n\n"), "\n\n", limit, by_lines)
    return [chunk for chunk in chunks if chunk.strip()]


def messages(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """fixbot markup to the Telegram HTML messages that carry it, each within ``limit``."""
    return split_html(render(text), limit)


def _pack(
    parts: Sequence[str], separator: str, limit: int, oversize: Callable[[str], list[str]]
) -> list[str]:
    """Join ``parts`` greedily into chunks within ``limit``; ``oversize`` splits a part
    that does not fit on its own."""
    chunks: list[str] = []
    current = ""
    for part in parts:
        if size(part) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.extend(oversize(part))
            continue
        candidate = f"{current}{separator}{part}" if current else part
        if size(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def _closing(tags: Iterable[str]) -> str:
    return "".join(f"</{tag}>" for tag in reversed(list(tags)))


def _tag_name(token: str) -> str:
    return token.strip("</>").split()[0]


def _cut_line(line: str, limit: int) -> list[str]:
    """Split one rendered line at spaces (else anywhere), closing the tags open at a cut
    and reopening them in the next chunk."""
    chunks: list[str] = []
    current: list[str] = []
    open_tags: list[str] = []
    used = 0
    cut: tuple[int, list[str]] | None = None  # last space: index in ``current``, open tags

    def restart(tokens: list[str]) -> None:
        nonlocal current, open_tags, used, cut
        current, open_tags, used, cut = [], [], 0, None
        for token in tokens:
            take(token)

    def take(token: str) -> None:
        nonlocal used, cut
        current.append(token)
        used += size(token)
        if token.startswith("</"):
            if open_tags:
                open_tags.pop()
        elif token.startswith("<"):
            open_tags.append(_tag_name(token))
        elif token == " " and any(not t.startswith("<") for t in current[:-1]):
            cut = (len(current) - 1, list(open_tags))

    for token in _TOKEN.findall(line):
        while current and used + size(token) + size(_closing(open_tags)) > limit:
            if cut is not None:
                index, tags = cut
                head, tail = current[:index], current[index + 1 :]
            else:
                head, tail, tags = current, [], list(open_tags)
            chunks.append("".join(head) + _closing(tags))
            restart([f"<{tag}>" for tag in tags] + tail)
            if cut is None and all(t.startswith("<") for t in current):
                break  # only reopened tags left: the token goes in regardless
        take(token)
    if any(not t.startswith("<") for t in current):
        chunks.append("".join(current) + _closing(open_tags))
    return chunks


def keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """The core's buttons as an inline keyboard; a payload Telegram would reject
    (empty or over 64 bytes) drops its button, with a warning in the log."""
    valid: list[InlineKeyboardButton] = []
    for button in buttons:
        data_bytes = len(button.payload.encode("utf-8"))
        if not 1 <= data_bytes <= MAX_CALLBACK_BYTES:
            log.warning(
                "dropping button %r: payload is %d bytes (Telegram allows 1..%d)",
                button.label,
                data_bytes,
                MAX_CALLBACK_BYTES,
            )
            continue
        valid.append(InlineKeyboardButton(button.label, callback_data=button.payload))
    if not valid:
        return None
    width = 2 if all(len(b.text) <= PAIR_LABEL_CHARS for b in valid) else 1
    rows = [valid[i : i + width] for i in range(0, len(valid), width)]
    return InlineKeyboardMarkup(rows)
