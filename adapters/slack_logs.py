"""Keeping Slack's tokens and signing secret out of every log record in the process.

An exception from deep in a library may quote a token, so once ``protect`` has
run, every record made in the process, whatever its logger or handler, is
masked on creation: the known secrets, and anything shaped like a Slack token,
become ``[redacted]`` in the message and in the formatted traceback. Nothing
happens at import; ``protect`` is called by whoever builds the bot, with the
secrets it knows.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any

MASK = "[redacted]"
BOLT_LOGGER = "fixbot.slack.bolt"
# Bot, user and app-level tokens: xoxb-..., xoxp-..., xapp-...
TOKEN_SHAPE = re.compile(r"\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{6,}")


class SecretFilter(logging.Filter):
    """Masks the known secrets and token-shaped strings in a record; never drops it."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def mask(self, text: str) -> str:
        for secret in tuple(self.secrets):
            text = text.replace(secret, MASK)
        return TOKEN_SHAPE.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error report
            return True
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # Formatters use exc_text when it is set, so the traceback is shown masked.
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


_filter: SecretFilter | None = None  # the installed filter, once ``protect`` has run
_install_lock = threading.Lock()


def _drop_token_warning(record: logging.LogRecord) -> bool:
    """Drop Bolt's warning that our client's token wins over ``SLACK_BOT_TOKEN``.

    Bolt reads the variable by itself even when given a client; the two are the
    same token, so the warning would only alarm whoever reads the log.
    """
    return not str(record.msg).startswith("As you gave `client` as well")


def protect(*secrets: str | None) -> SecretFilter:
    """Mask ``secrets`` (None and empty ones skipped) in every log record from now on.

    Idempotent: the first call installs the masking record factory, later calls
    only add secrets.
    """
    global _filter
    with _install_lock:
        if _filter is None:
            installed = SecretFilter()
            # A record factory, not a handler filter: it covers every logger and every
            # handler, including ones added later (pytest's caplog among them).
            previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

            def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                installed.filter(record)
                return record

            logging.setLogRecordFactory(masked_record)
            _filter = installed
        _filter.secrets.update(secret for secret in secrets if secret)
    logging.getLogger(BOLT_LOGGER).addFilter(_drop_token_warning)  # a no-op when already added
    return _filter
