"""Keeping secrets out of every log record in the process: message, arguments, traceback.

An exception from deep inside an HTTP library may quote a URL with a token in
it, so masking at one handler is not enough. ``mask_all_log_records`` installs
(once per process) a log-record factory that passes every record, whatever its
logger or handler, through one ``SecretMask``; each adapter then adds the
secrets it knows and the shapes of its platform's tokens. Nothing happens at
import time.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from collections.abc import Callable
from typing import Any

MASK = "[redacted]"


class SecretMask(logging.Filter):
    """Masks known secrets and secret-shaped strings in a record; never drops it."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        self.shapes: list[re.Pattern[str]] = []
        self._lock = threading.Lock()

    def add(self, *secrets: str | None, shape: re.Pattern[str] | None = None) -> None:
        """Mask ``secrets`` (None and empty ones skipped) and, if given, anything ``shape``d."""
        with self._lock:
            self.secrets.update(secret for secret in secrets if secret)
            if shape is not None and shape not in self.shapes:
                self.shapes.append(shape)

    def mask(self, text: str) -> str:
        """``text`` with every known secret and every secret-shaped string masked."""
        for secret in tuple(self.secrets):
            text = text.replace(secret, MASK)
        for shape in tuple(self.shapes):
            text = shape.sub(MASK, text)
        return text

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
            # Formatters use exc_text when it is set, so the traceback is shown masked.
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


_installed: SecretMask | None = None  # logging's record factory is process-wide, so is this
_install_lock = threading.Lock()


def mask_all_log_records() -> SecretMask:
    """The process's ``SecretMask``, installed as a log-record factory on first call.

    A record factory rather than a handler filter covers every logger and every
    handler, including ones added later (pytest's caplog among them).
    """
    global _installed
    with _install_lock:
        if _installed is None:
            mask = SecretMask()
            previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

            def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                mask.filter(record)
                return record

            logging.setLogRecordFactory(masked_record)
            _installed = mask
        return _installed
