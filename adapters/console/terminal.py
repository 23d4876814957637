"""Reading a person's lines in a terminal: line editing, history, and any bytes decoded.

``readline`` gives arrow keys, Ctrl-A/E and history (kept in the user's data
directory between chats). Input that is not UTF-8 (a Latin-1 terminal typing
æøå) is decoded with the undecodable bytes replaced, so it is answered like
any other line instead of ending the chat.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from bot.settings import data_dir

logger = logging.getLogger(__name__)
HISTORY_LINES = 500  # lines of chat history kept between sessions


def decode_line(raw: bytes) -> str:
    """One line of raw input as text: UTF-8, with undecodable bytes as U+FFFD."""
    return raw.decode("utf-8", errors="replace")


def piped_lines(stream: IO[str]) -> Iterator[str]:
    """Lines from a pipe or file; bytes that are not UTF-8 become U+FFFD, never an error."""
    raw = getattr(stream, "buffer", None)
    if raw is None:  # already text (a StringIO in tests)
        yield from stream
        return
    for line in raw:
        yield decode_line(line)


class TypedLines:
    """Lines typed at a prompt with ``readline`` editing and history, until Ctrl-D.

    Ctrl-C at the prompt raises ``KeyboardInterrupt`` to the caller, which says
    goodbye; ``history_file`` (None: no history kept) is written on close.
    """

    def __init__(self, stdin: IO[str], prompt: str = "> ", history_file: Path | None = None):
        self.prompt = prompt
        self.history_file = history_file
        if isinstance(stdin, io.TextIOWrapper):
            # input() decodes with stdin's error handler: replace, never raise.
            stdin.reconfigure(errors="replace")
        self._readline = _load_readline()
        if self._readline is not None and history_file is not None:
            self._readline.set_history_length(HISTORY_LINES)
            with contextlib.suppress(OSError):
                self._readline.read_history_file(history_file)

    def __iter__(self) -> Iterator[str]:
        while True:
            try:
                yield input(self.prompt)
            except EOFError:
                return

    def close(self) -> None:
        """Keep the history for the next chat; a read-only home is no error."""
        if self._readline is None or self.history_file is None:
            return
        try:
            self.history_file.parent.mkdir(parents=True, exist_ok=True)
            self._readline.write_history_file(self.history_file)
            self.history_file.chmod(0o600)  # what people typed is theirs
        except OSError as error:
            logger.debug("chat history not saved: %s", error)


def _load_readline():  # type: ignore[no-untyped-def]
    """The ``readline`` module (importing it is what turns editing on for ``input``)."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input still works
        return None
    return readline


def default_history_file() -> Path:
    """Where the terminal chat keeps its history: the user's data directory."""
    return data_dir() / "chat_history"
