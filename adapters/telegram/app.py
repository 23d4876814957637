"""``fixbot serve telegram``: the python-telegram-bot Application, by long polling or webhook.

The handlers live in ``telegram_channel``, reading updates in
``telegram_updates``, sending in ``telegram_delivery``, rendering in
``telegram_render`` and keeping the token out of logs in ``telegram_logs``.
This module builds the Application (API root, timeouts, rate limiter,
concurrency), checks at start-up that the token and the API root work, and
runs it until Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder
from telegram.request import HTTPXRequest

from adapters.delivery import DeliveryWorker
from adapters.errors import StartupError
from adapters.telegram.channel import Core, TelegramChannel
from adapters.telegram.intake import UpdateQueue
from adapters.telegram.logs import protect
from adapters.telegram.sending import TelegramSender
from adapters.telegram.updates import PLATFORM
from adapters.telegram.webhook import run_webhook
from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
ALLOWED_UPDATES = ("message", "callback_query")  # edited messages are not even fetched
CONCURRENT_UPDATES = 32  # updates in flight at once; each chat still goes one at a time
RATE_LIMIT_RETRIES = 3  # AIORateLimiter's retries after a 429 RetryAfter
POLL_TIMEOUT = 10  # seconds a getUpdates long poll is held by Telegram
WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts

TelegramApp = Application[Any, Any, Any, Any, Any, Any]


def build_application(settings: Settings, service: Core) -> TelegramApp:
    """The Application with fixbot's handlers, its API root, timeouts and rate limiter."""
    token = settings.require("telegram_bot_token")
    protect(token)
    base_url = api_root(settings)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .request(
            HTTPXRequest(
                connection_pool_size=settings.intake.http_connections,
                connect_timeout=10.0,
                read_timeout=20.0,
                write_timeout=20.0,
                pool_timeout=10.0,
            )
        )
        # PTB adds the long-poll timeout to this read timeout for getUpdates.
        .get_updates_request(
            HTTPXRequest(connection_pool_size=2, connect_timeout=10.0, read_timeout=10.0)
        )
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(CONCURRENT_UPDATES)
        # Past this many unfinished updates, polling (or the webhook's answer) waits.
        .update_queue(UpdateQueue(settings.intake.max_in_flight))
    )
    if base_url.endswith("/bot"):
        builder = builder.base_file_url(base_url.removesuffix("bot") + "file/bot")
    store = getattr(service, "store", None)
    channel = TelegramChannel(service, settings.default_language, settings.telegram_support_chat)
    if store is not None:
        builder = with_delivery(builder, channel, store, settings)
    app = builder.build()
    channel.install(app)
    return app


def with_delivery(builder: Any, channel: TelegramChannel, store: Any, settings: Settings) -> Any:
    """Replies through the outbox: the worker starts with the application and drains at its
    stop, after PTB has stopped fetching updates and finished the ones in flight
    (``Application.stop``), for at most ``delivery.drain_seconds``."""

    async def start(app: TelegramApp) -> None:
        sender = TelegramSender(app.bot)
        # Telegram cannot be asked whether a send arrived: each send in flight at a kill
        # may be doubled, so they are bounded (DeliverySettings.telegram_sends_in_flight).
        channel.delivery = DeliveryWorker(
            store,
            PLATFORM,
            sender,
            settings.delivery,
            sends_in_flight=settings.delivery.telegram_sends_in_flight,
        )
        sender.progress = channel.delivery.record_progress
        channel.delivery.start()

    async def drain(app: TelegramApp) -> None:
        if channel.delivery is not None:
            left = await channel.delivery.drain(settings.delivery.drain_seconds)
            if left:
                log.warning("%d Telegram replies left for the next process to send", left)

    return builder.post_init(start).post_stop(drain)


def api_root(settings: Settings) -> str:
    """The Bot API root, without a trailing slash: PTB appends the token and the method."""
    return (settings.telegram_base_url or DEFAULT_BASE_URL).rstrip("/")


def webhook_options(webhook_url: str, secret: str, *, listen: str, port: int) -> dict[str, Any]:
    """Arguments for ``run_webhook``: serve the URL's path, register it with the secret."""
    if not WEBHOOK_SECRET.match(secret):
        raise SettingsError(
            "FIXBOT_TELEGRAM_WEBHOOK_SECRET may use only A-Z, a-z, 0-9, _ and - (1-256 characters)"
        )
    parts = urlsplit(webhook_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError("--webhook-url must be an absolute URL, such as https://host/path")
    return {
        "listen": listen,
        "port": port,
        "url_path": parts.path.lstrip("/"),
        "webhook_url": webhook_url,
        "secret_token": secret,
        "allowed_updates": list(ALLOWED_UPDATES),
    }


def check_api(app: TelegramApp, webhook: dict[str, Any] | None = None) -> None:
    """Before serving: the token works (getMe) and, in webhook mode, the webhook is set.

    Done here rather than left to ``run_polling``/``run_webhook`` so that a wrong
    token or an unreachable API is one line (``StartupError``), not PTB's logged
    tracebacks.
    """

    async def probe() -> None:
        async with app.bot:  # initialize (getMe), and shut down again on the way out
            if webhook is not None:
                await app.bot.set_webhook(
                    webhook["webhook_url"],
                    secret_token=webhook["secret_token"],
                    allowed_updates=webhook["allowed_updates"],
                )

    asyncio.run(probe())


def startup_error(error: InvalidToken | NetworkError, base_url: str) -> StartupError:
    """One line saying what went wrong at start-up and what to check; never the token.

    (PTB's ``InvalidToken`` message quotes the token, so it is never shown.)
    """
    if isinstance(error, InvalidToken):
        return StartupError(
            f"the Telegram Bot API at {base_url} rejected TELEGRAM_BOT_TOKEN — "
            "check the token with @BotFather, and FIXBOT_TELEGRAM_BASE_URL"
        )
    reason = " ".join(protect().mask(error.message).split())
    if isinstance(error, BadRequest):  # a request Telegram refused, such as setWebhook
        return StartupError(f"Telegram refused to set the webhook ({reason}) — check --webhook-url")
    if isinstance(error, TimedOut):
        reason = "timed out"
    return StartupError(
        f"cannot reach the Telegram Bot API at {base_url} ({reason}) — "
        "check FIXBOT_TELEGRAM_BASE_URL and the network"
    )


def serve(args: argparse.Namespace, settings: Settings, service: Core) -> int:
    """Run fixbot on Telegram until Ctrl-C: a webhook with ``--webhook-url``, else polling."""
    app = build_application(settings, service)
    base_url = api_root(settings)
    options = None
    if args.webhook_url:
        options = webhook_options(
            args.webhook_url,
            settings.require("telegram_webhook_secret"),
            listen=args.listen,
            port=args.port,
        )
    try:
        check_api(app, options)
        if options is not None:
            log.info(
                "Telegram webhook %s, listening on %s:%s", args.webhook_url, args.listen, args.port
            )
            # fixbot's own server: PTB's reads whole bodies before checking the secret.
            limit = settings.security.webhook_max_body_bytes
            asyncio.run(run_webhook(app, options, limit))
        else:
            log.info("Telegram long polling")
            app.run_polling(allowed_updates=list(ALLOWED_UPDATES), timeout=POLL_TIMEOUT)
    except (InvalidToken, NetworkError) as error:
        raise startup_error(error, base_url) from None
    return 0
