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
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chunking import Markup, chunk, utf16_units
from bot.events import Button

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4096  # Telegram's limit, counted in UTF-16 code units
MAX_CALLBACK_BYTES = 64  # Telegram's callback data limit
PAIR_LABEL_CHARS = 16  # buttons this short sit two to a row

_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^(\s*)- ")
# Never cut inside a tag or an entity; tags open at a cut are closed and reopened.
HTML = Markup(re.compile(r"<[^>]+>|&[#\w]+;"), tags=True)
size = utf16_units


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
    """Split rendered HTML into messages of at most ``limit`` UTF-16 units: at paragraphs,
    then lines, then spaces, then anywhere, never inside a tag or an entity."""
    return chunk(rendered, limit, measure=utf16_units, markup=HTML)


def messages(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """fixbot markup to the Telegram HTML messages that carry it, each within ``limit``."""
    return split_html(render(text), limit)


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
