"""Sending one outbox row to Telegram (``sendMessage``) and sorting how it went.

The row's destination is ``chat_id|reply_to_message_id``. A long reply is
several messages (buttons under the last); a retry resumes at
``row.parts_sent``, and each part but the last is recorded as it arrives
(``progress``), so a process that takes the row over after a kill does not send
the earlier parts again. A send that may have arrived though no answer came (a read
timeout: ``delivery.maybe_arrived``) is reported ``uncertain``, never repeated
here: the outbox worker decides (``DeliverySettings.resend_uncertain``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from adapters.delivery import Kind, Result, join_destination, split_destination
from adapters.telegram import render as telegram_render
from adapters.telegram.delivery import NO_PREVIEW, maybe_arrived
from bot.events import Button
from bot.store.outbox import OutboxRow


def destination(chat_id: int, reply_to: int | None) -> str:
    """Where a chat's replies go, as the outbox stores it."""
    return join_destination(chat_id, reply_to)


def place_of(row: OutboxRow) -> tuple[int, int | None]:
    chat, reply_to = split_destination(row.destination)
    return int(chat), int(reply_to) if reply_to else None


class TelegramSender:
    """``await sender(row)``: send the row's messages from ``row.parts_sent`` on."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        # Records that a long reply's first parts arrived (the worker's record_progress).
        self.progress: Callable[[OutboxRow, int], Awaitable[None]] | None = None

    async def __call__(self, row: OutboxRow) -> Result:
        chat_id, reply_to = place_of(row)
        parts = telegram_render.messages(row.body) or ["…"]  # Telegram rejects empty text
        markup = telegram_render.keyboard(tuple(Button(label, data) for label, data in row.buttons))
        sent = row.parts_sent
        last_id: str | None = None
        for index in range(sent, len(parts)):
            params: dict[str, Any] = {
                "chat_id": chat_id,
                "reply_markup": markup if index == len(parts) - 1 else None,
                "link_preview_options": NO_PREVIEW,
            }
            if reply_to is not None:
                params["reply_parameters"] = ReplyParameters(
                    reply_to, allow_sending_without_reply=True
                )
            try:
                message = await self._send(parts[index], params)
            except RetryAfter as error:
                wait = error.retry_after
                after = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                return Result("retry", sent, retry_after=after, error="429 flood control")
            except (BadRequest, Forbidden) as error:
                return Result("failed", sent, error=error.message)
            except NetworkError as error:
                kind: Kind = "uncertain" if maybe_arrived(error) else "retry"
                return Result(kind, sent, error=f"{type(error).__name__}: {error.message}")
            except TelegramError as error:
                return Result("retry", sent, error=error.message)
            sent += 1
            last_id = str(message.message_id)
            if sent < len(parts) and self.progress is not None:
                await self.progress(row, sent)
        return Result("sent", sent, sent_id=last_id)

    async def _send(self, text: str, params: dict[str, Any]) -> Any:
        try:
            return await self.bot.send_message(text=text, parse_mode=ParseMode.HTML, **params)
        except BadRequest as error:
            if "pars" not in str(error).lower():
                raise
            # Cannot happen while everything is escaped, but a plain message beats none.
            plain = html.unescape(re.sub(r"<[^>]+>", "", text))
            return await self.bot.send_message(text=plain, **params)
