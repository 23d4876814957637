"""Cutting a long text into messages within a platform's limit, keeping its markup whole.

One splitter for every platform: the dialog fits its replies to the core's
limit, Telegram to 4,096 UTF-16 code units of HTML, Slack to 3,000 characters
of mrkdwn per section. They differ only in how length is measured and in what
must not be cut (a tag, an entity, a bold span), so both are parameters. Cuts
fall between paragraphs where they can, then between lines, then at a space,
then anywhere between two markup atoms; an HTML tag open at a cut is closed
before it and opened again after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Measure = Callable[[str], int]


@dataclass(frozen=True, slots=True)
class Markup:
    """What a cut must respect: ``atoms`` are never cut inside; with ``tags``, atoms
    that look like ``<b>``/``</b>`` are balanced across a cut."""

    atoms: re.Pattern[str] | None = None
    tags: bool = False


PLAIN = Markup()
# fixbot's own markup (docs/knowledge-format.md): **bold** and `settings paths`.
FIXBOT_MARKUP = Markup(re.compile(r"\*\*[^*\n]+\*\*|`[^`\n]+`"))


def utf16_units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le")) // 2


def chunk(text: str, limit: int, *, measure: Measure = len, markup: Markup = PLAIN) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` by ``measure``; blank pieces dropped."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    paragraphs = re.split(r"\n[ \t]*\n+", text.replace("\r\n", "\n").strip())
    splitter = _Splitter(limit, measure, markup)
    chunks = splitter.pack(paragraphs, "\n\n", splitter.lines)
    return [piece for piece in chunks if piece.strip()]


class _Splitter:
    def __init__(self, limit: int, measure: Measure, markup: Markup) -> None:
        self.limit = limit
        self.measure = measure
        self.markup = markup
        atoms = markup.atoms.pattern + "|" if markup.atoms else ""
        self.tokens = re.compile(f"{atoms} |.", re.S)

    def pack(
        self, parts: Sequence[str], separator: str, oversize: Callable[[str], list[str]]
    ) -> list[str]:
        """Join ``parts`` greedily into chunks within the limit; ``oversize`` cuts a part
        that does not fit on its own."""
        chunks: list[str] = []
        current = ""
        for part in parts:
            if self.measure(part) > self.limit:
                if current:
                    chunks.append(current)
                    current = ""
                chunks.extend(oversize(part))
                continue
            candidate = f"{current}{separator}{part}" if current else part
            if self.measure(candidate) <= self.limit:
                current = candidate
            else:
                chunks.append(current)
                current = part
        if current:
            chunks.append(current)
        return chunks

    def lines(self, paragraph: str) -> list[str]:
        return self.pack(paragraph.split("\n"), "\n", self.words)

    def words(self, line: str) -> list[str]:
        """One line cut at spaces (else anywhere between atoms); open tags closed at a
        cut and reopened in the next chunk."""
        line_cutter = _LineCutter(self)
        for token in self.tokens.findall(line):
            line_cutter.add(token)
        return line_cutter.finish()

    def is_tag(self, token: str) -> bool:
        return self.markup.tags and len(token) > 1 and token.startswith("<")


class _LineCutter:
    def __init__(self, splitter: _Splitter) -> None:
        self.splitter = splitter
        self.chunks: list[str] = []
        self._restart([])

    def _restart(self, tokens: list[str]) -> None:
        self.current: list[str] = []
        self.open_tags: list[str] = []
        self.used = 0
        # the last space: its index in ``current`` and the tags open there
        self.cut: tuple[int, list[str]] | None = None
        for token in tokens:
            self._take(token)

    def _take(self, token: str) -> None:
        self.current.append(token)
        self.used += self.splitter.measure(token)
        if self.splitter.is_tag(token):
            if token.startswith("</"):
                if self.open_tags:
                    self.open_tags.pop()
            else:
                self.open_tags.append(token.strip("</>").split()[0])
        elif token == " " and self._has_text(self.current[:-1]):
            self.cut = (len(self.current) - 1, list(self.open_tags))

    def _has_text(self, tokens: list[str]) -> bool:
        return any(not self.splitter.is_tag(token) for token in tokens)

    def _closing(self, tags: list[str]) -> str:
        return "".join(f"</{tag}>" for tag in reversed(tags))

    def add(self, token: str) -> None:
        measure, limit = self.splitter.measure, self.splitter.limit
        if measure(token) > limit and not self.splitter.is_tag(token):
            # an atom longer than a whole message (a 5,000-character code span)
            for char in token:
                self.add(char)
            return
        while (
            self.current
            and self.used + measure(token) + measure(self._closing(self.open_tags)) > limit
        ):
            if self.cut is not None:
                index, tags = self.cut
                head, tail = self.current[:index], self.current[index + 1 :]
            else:
                head, tail, tags = self.current, [], list(self.open_tags)
            self.chunks.append("".join(head) + self._closing(tags))
            self._restart([f"<{tag}>" for tag in tags] + tail)
            if self.cut is None and not self._has_text(self.current):
                break  # only reopened tags left: the token goes in regardless
        self._take(token)

    def finish(self) -> list[str]:
        if self._has_text(self.current):
            self.chunks.append("".join(self.current) + self._closing(self.open_tags))
        return self.chunks
