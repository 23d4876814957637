"""Keeping the Telegram bot token out of every log record.

Telegram puts the token in every request URL (``/bot<token>/sendMessage``),
and httpx logs request URLs at INFO; an exception from the HTTP layer can carry
the URL too. So ``protect`` quiets the httpx loggers to WARNING and registers
the token, and anything shaped like a bot token, with the process's log mask
(``bot.log_masking``). Nothing happens at import.
"""

from __future__ import annotations

import logging
import re

from bot.log_masking import MASK, SecretMask, mask_all_log_records

__all__ = ["MASK", "TOKEN_SHAPE", "protect"]

# Telegram bot tokens look like 123456789:AAE-...; matched with or without a "bot" prefix.
TOKEN_SHAPE = re.compile(r"\d{6,12}:[A-Za-z0-9_-]{30,}")
NOISY_LOGGERS = ("httpx", "httpcore")


def protect(*tokens: str) -> SecretMask:
    """Keep ``tokens`` out of all logging from now on, and quiet httpx. Idempotent."""
    mask = mask_all_log_records()
    mask.add(*tokens, shape=TOKEN_SHAPE)
    for name in NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)
    return mask
