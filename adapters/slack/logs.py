"""Keeping Slack's tokens and signing secret out of every log record in the process.

``protect`` registers the known secrets, and anything shaped like a Slack
token, with the process's log mask (``bot.log_masking``), and drops Bolt's
noisy token warning. Nothing happens at import; ``protect`` is called by
whoever builds the bot, with the secrets it knows.
"""

from __future__ import annotations

import logging
import re

from bot.log_masking import MASK, SecretMask, mask_all_log_records

__all__ = ["MASK", "TOKEN_SHAPE", "library_logger", "protect"]

BOLT_LOGGER = "fixbot.slack.bolt"
WEB_API_LOGGER = "fixbot.slack.web"
SOCKET_MODE_LOGGER = "fixbot.slack.socket"
# Bot, user and app-level tokens: xoxb-..., xoxp-..., xapp-...
TOKEN_SHAPE = re.compile(r"\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{6,}")


def _drop_token_warning(record: logging.LogRecord) -> bool:
    """Drop Bolt's warning that our client's token wins over ``SLACK_BOT_TOKEN``.

    Bolt reads the variable by itself even when given a client; the two are the
    same token, so the warning would only alarm whoever reads the log.
    """
    return not str(record.msg).startswith("As you gave `client` as well")


def protect(*secrets: str | None) -> SecretMask:
    """Mask ``secrets`` (None and empty ones skipped) in every log record from now on."""
    mask = mask_all_log_records()
    mask.add(*secrets, shape=TOKEN_SHAPE)
    logging.getLogger(BOLT_LOGGER).addFilter(_drop_token_warning)  # a no-op when already added
    return mask


def library_logger(name: str, level: str | int) -> logging.Logger:
    """The logger to give slack-bolt or slack_sdk, with its level set explicitly.

    Both libraries test ``logger.level <= DEBUG`` (not ``isEnabledFor``) before
    formatting debug text, and a logger left at NOTSET (0) passes that test:
    every Web API call then formats its whole request, blocks and all, for a
    message nobody logs (about a tenth of the process's CPU per call under load).
    The level set is the configured one, so what is logged does not change.
    """
    logger = logging.getLogger(name)
    logger.setLevel(level)
    return logger
