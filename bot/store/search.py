"""The text the review site searches: what people wrote, kept on their conversation.

``conversations.search_text`` holds the inbound messages of a conversation,
already redacted, normalised (Unicode NFC, casefolded, runs of whitespace made
one space; accents kept) and joined by newlines, up to ``SEARCH_CHARS``. The
service extends it in the same UPDATE it already runs per message, so a search
is one LIKE over one column of one table, on any database, with no extension.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# The first this many characters of what a person wrote are searchable; the
# problem is told at the start, and a short column keeps the scan fast.
SEARCH_CHARS = 1000
SEPARATOR = "\n"  # between messages, so a search never matches across two of them


def normalise(text: str) -> str:
    """``text`` as stored and searched: NFC, casefolded, whitespace collapsed, accents kept."""
    return " ".join(unicodedata.normalize("NFC", text.casefold()).split())


def extended(existing: str, text: str | None) -> str:
    """``existing`` search text with the message ``text`` added (up to ``SEARCH_CHARS``)."""
    if not text or len(existing) >= SEARCH_CHARS:
        return existing
    piece = normalise(text)
    if not piece:
        return existing
    joined = f"{existing}{SEPARATOR}{piece}" if existing else piece
    return joined[:SEARCH_CHARS]


def searchable(texts: Iterable[str | None]) -> str:
    """The search text of a conversation whose inbound messages were ``texts``, in order."""
    found = ""
    for text in texts:
        found = extended(found, text)
    return found
