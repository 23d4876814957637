"""Delivering to Telegram: replies as HTML messages, pressed-button edits, bounded retries.

The application's ``AIORateLimiter`` keeps bursts within Telegram's flood
limits and retries a 429 ``RetryAfter``; ``retrying`` adds our own bounded
retry for network errors (and a 429 the limiter gave up on), so a reply is not
dropped on a transient fault. A request Telegram rejects (``BadRequest``) is
not retried: sending it again cannot help.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Bot, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut

from adapters.telegram import render as telegram_render
from bot.events import Reply

log = logging.getLogger(__name__)

T = TypeVar("T")

SEND_ATTEMPTS = 4
FIRST_BACKOFF = 0.5  # seconds; doubled on each network error
MAX_RETRY_WAIT = 30.0
CHOICE_MARK = "▸"  # precedes the pressed button's label in the edited message
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def maybe_arrived(error: NetworkError) -> bool:
    """Whether a failed request may still have reached Telegram: it was written out and
    the answer never came (a read timeout, a connection dropped mid-answer).

    A connect or pool timeout, or a refused connection, never left this machine.
    Telegram has no idempotency key, so sending such a request again is what
    makes a duplicate.
    """
    if isinstance(error, BadRequest | RetryAfter):
        return False
    cause = error.__cause__
    if cause is None:
        return isinstance(error, TimedOut)
    name = type(cause).__name__
    return not name.startswith(("Connect", "Pool", "Write", "Unsupported", "Local"))


async def retrying(call: Callable[[], Awaitable[T]], what: str) -> T:
    """``call()``, retried on a network error or a 429 that outlived the rate limiter.

    A request that may have arrived (``maybe_arrived``) is not sent again: the
    error is raised, so the caller decides (the outbox's worker records it).
    """
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as error:
            if attempt == SEND_ATTEMPTS:
                raise
            wait = error.retry_after
            delay = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            log.warning("%s: flood control, retry %d in %.1f s", what, attempt, delay)
        except BadRequest:
            raise  # a subclass of NetworkError, but sending it again cannot help
        except NetworkError as error:
            if attempt == SEND_ATTEMPTS or maybe_arrived(error):
                raise
            delay = FIRST_BACKOFF * 2 ** (attempt - 1)
            log.warning("%s failed (%s); retry %d in %.1f s", what, error, attempt, delay)
        await asyncio.sleep(min(delay, MAX_RETRY_WAIT))
    raise AssertionError("unreachable")


async def send_reply(bot: Bot, chat_id: int, reply: Reply, *, reply_to: int | None = None) -> None:
    """One core reply: as many messages as its length needs, the buttons under the last;
    each part replies to ``reply_to`` when given."""
    parts = telegram_render.messages(reply.text) or ["…"]  # Telegram rejects empty text
    markup = telegram_render.keyboard(reply.buttons)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await send_html(
            bot,
            chat_id,
            part,
            reply_to=reply_to,
            markup=markup if last else None,
        )


async def send_html(
    bot: Bot, chat_id: int | str, text: str, *, reply_to: int | None = None, markup: Any = None
) -> bool:
    """Send one HTML message; a failure after retries is logged, never raised."""
    try:
        await send_html_message(bot, chat_id, text, reply_to=reply_to, markup=markup)
        return True
    except TelegramError:
        log.exception("could not deliver a message to Telegram chat %s", chat_id)
        return False


async def send_html_message(
    bot: Bot, chat_id: int | str, text: str, *, reply_to: int | None = None, markup: Any = None
) -> Message:
    """Send one HTML message (retried like every send) and return it; raises
    ``TelegramError`` when it could not be sent, for the caller to log once."""
    params: dict[str, Any] = {
        "chat_id": chat_id,
        "reply_markup": markup,
        "link_preview_options": NO_PREVIEW,
    }
    if reply_to is not None:
        params["reply_parameters"] = ReplyParameters(reply_to, allow_sending_without_reply=True)
    try:
        return await retrying(
            lambda: bot.send_message(text=text, parse_mode=ParseMode.HTML, **params),
            "sendMessage",
        )
    except BadRequest as error:
        if "pars" not in str(error).lower():
            raise
        # Cannot happen while everything is escaped, but a plain message beats none.
        plain = html.unescape(re.sub(r"<[^>]+>", "", text))
        return await retrying(lambda: bot.send_message(text=plain, **params), "sendMessage")


def pressed_label(message: Message, payload: str) -> str | None:
    """The label of the button under ``message`` that carries ``payload``."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup else ()
    for row in rows:
        for button in row:
            if button.callback_data == payload:
                return button.text
    return None


async def show_choice(bot: Bot, message: Message, payload: str) -> None:
    """Edit the pressed message to show the choice and lose its buttons.

    Falls back to removing only the buttons when the text cannot take the label
    (too long, or not a text message). Failures (such as "message is not
    modified" on a second press) are logged and otherwise ignored.
    """
    chat_id, message_id = message.chat.id, message.message_id
    label = pressed_label(message, payload)
    try:
        if label and message.text:
            text = f"{message.text_html}\n\n<b>{CHOICE_MARK} {html.escape(label, quote=False)}</b>"
            if telegram_render.size(text) <= telegram_render.MAX_MESSAGE_CHARS:
                # Without reply_markup, editMessageText removes the inline keyboard.
                await retrying(
                    lambda: bot.edit_message_text(
                        text,
                        chat_id=chat_id,
                        message_id=message_id,
                        parse_mode=ParseMode.HTML,
                        link_preview_options=NO_PREVIEW,
                    ),
                    "editMessageText",
                )
                return
        await retrying(
            lambda: bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=None
            ),
            "editMessageReplyMarkup",
        )
    except TelegramError as error:
        log.info("could not edit the pressed message in chat %s: %s", chat_id, error)
