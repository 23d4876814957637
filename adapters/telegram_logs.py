"""Keeping the Telegram bot token out of every log record.

Telegram puts the token in every request URL (``/bot<token>/sendMessage``),
and httpx logs request URLs at INFO; an exception from the HTTP layer can carry
the URL too. So once ``protect`` has run, the httpx loggers are quieted to
WARNING, and every log record made in the process, whatever its logger or
handler, passes through ``TokenMask`` on creation: the known tokens and
anything shaped like a bot token are replaced by ``<token>`` in the message,
its arguments and its formatted traceback. Nothing happens at import.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from collections.abc import Callable
from typing import Any

MASK = "<token>"
# Telegram bot tokens look like 123456789:AAE-...; matched with or without a "bot" prefix.
TOKEN_SHAPE = re.compile(r"\d{6,12}:[A-Za-z0-9_-]{30,}")
NOISY_LOGGERS = ("httpx", "httpcore")


class TokenMask(logging.Filter):
    """Masks bot tokens in a log record (message, arguments, exception text); never drops it."""

    def __init__(self) -> None:
        super().__init__()
        self._tokens: set[str] = set()
        self._lock = threading.Lock()

    def add(self, token: str) -> None:
        """Mask ``token`` from now on, whatever its shape."""
        with self._lock:
            self._tokens.add(token)

    def mask(self, text: str) -> str:
        """``text`` with every known token and every token-shaped string masked."""
        for token in self._tokens:
            text = text.replace(token, MASK)
        return TOKEN_SHAPE.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error report
            return True
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


_mask: TokenMask | None = None  # the installed mask, once ``protect`` has run
_install_lock = threading.Lock()


def protect(*tokens: str) -> TokenMask:
    """Keep ``tokens`` out of all logging from now on, and quiet httpx.

    Idempotent: the first call installs the masking record factory, later calls
    only add tokens; called by whoever builds the Application.
    """
    global _mask
    with _install_lock:
        if _mask is None:
            installed = TokenMask()
            # A record factory, not a handler filter: it covers every logger and every
            # handler, including ones added later (pytest's caplog among them).
            previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

            def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                installed.filter(record)
                return record

            logging.setLogRecordFactory(masked_record)
            _mask = installed
        for token in tokens:
            _mask.add(token)
    for name in NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
    return _mask
