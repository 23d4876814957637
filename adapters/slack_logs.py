"""Keeping Slack's tokens and signing secret out of the Slack adapter's log records.

An exception from deep in a library may quote a token, so every record of the
adapter's loggers is rewritten before any handler formats it: the configured
secrets, and anything shaped like a Slack token, become ``[redacted]`` in the
message and in the formatted traceback.
"""

from __future__ import annotations

import logging
import re

from bot.settings import Settings

MASK = "[redacted]"
LOGGERS = ("fixbot.slack", "fixbot.slack.bolt", "fixbot.slack.socket")
# Bot, user and app-level tokens: xoxb-..., xoxp-..., xapp-...
TOKEN_SHAPE = re.compile(r"\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{6,}")


class SecretFilter(logging.Filter):
    """Masks the known secrets and token-shaped strings in a record; never drops it."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return TOKEN_SHAPE.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = self.mask(message), ()
        if record.exc_text:
            # The masked text stands in for the traceback; exc_info would be re-formatted.
            record.exc_info, record.exc_text = None, self.mask(record.exc_text)
        return True


_secret_filter = SecretFilter()


def _drop_token_warning(record: logging.LogRecord) -> bool:
    """Drop Bolt's warning that our client's token wins over ``SLACK_BOT_TOKEN``.

    Bolt reads the variable by itself even when given a client; the two are the
    same token, so the warning would only alarm whoever reads the log.
    """
    return not str(record.msg).startswith("As you gave `client` as well")


def guard_logs(settings: Settings) -> None:
    """Mask ``settings``' Slack secrets in every record the adapter's loggers write."""
    for secret in (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    ):
        if secret:
            _secret_filter.secrets.add(secret)
    for name in LOGGERS:
        logging.getLogger(name).addFilter(_secret_filter)
    logging.getLogger("fixbot.slack.bolt").addFilter(_drop_token_warning)
