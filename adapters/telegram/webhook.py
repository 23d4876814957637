"""The Telegram webhook server: the secret and the size are checked before the body is read.

python-telegram-bot's own webhook server (tornado) reads a whole body, up to
tornado's 100 MB default, before it looks at the secret header, and logs the
body at DEBUG; a malformed update with the right secret is a 500 and a
traceback. PTB offers no hook for either, so fixbot serves the webhook with
aiohttp and hands PTB only checked updates: a wrong or missing secret is 403
and a declared body over the cap 413, both before a byte of the body is
read; a body without a declared length is read only up to the cap;
anything that is not a JSON update is 400. Each refusal is one log line
without the body. The updates go to PTB's ``update_queue``, as PTB's own
server does.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from telegram import Update

from bot.settings import SecuritySettings

log = logging.getLogger("fixbot.telegram.webhook")

# The default cap (settings.security.webhook_max_body_bytes): updates are a few KB.
MAX_BODY_BYTES = SecuritySettings().webhook_max_body_bytes
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    reason: str


def _refuse(request: web.Request, refusal: Refusal) -> web.Response:
    log.warning(
        "refused telegram webhook request from %s: %s (%s bytes declared)",
        request.remote or "-",
        refusal.reason,
        "?" if request.content_length is None else request.content_length,
    )
    # Closing the connection: the unread body is not drained into memory.
    return web.Response(status=refusal.status, text=refusal.reason, headers={"Connection": "close"})


def check_headers(request: web.Request, secret: str, limit: int) -> Refusal | None:
    """The checks that need no body: the secret (constant time), the type, the length."""
    given = request.headers.get(SECRET_HEADER, "")
    if not given or not hmac.compare_digest(given.encode(), secret.encode()):
        return Refusal(403, "missing or wrong secret token")
    if request.content_type != "application/json":
        return Refusal(415, "not application/json")
    if request.content_length is not None and request.content_length > limit:
        return Refusal(413, "body too large")
    return None


def read_update(body: bytes, bot: Any) -> Update | Refusal:
    """The update in ``body``, or why it is not one."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return Refusal(400, "not a Telegram update")
        update = Update.de_json(data, bot)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return Refusal(400, "malformed update")
    if update is None:
        return Refusal(400, "not a Telegram update")
    return update


def webhook_app(
    application: Any, path: str, secret: str, limit: int = MAX_BODY_BYTES
) -> web.Application:
    """An aiohttp app serving the webhook at ``/path`` for a started PTB Application."""

    async def receive(request: web.Request) -> web.Response:
        refusal = check_headers(request, secret, limit)
        if refusal is not None:
            return _refuse(request, refusal)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _refuse(request, Refusal(413, "body too large"))
        update = read_update(body, application.bot)
        if isinstance(update, Refusal):
            return _refuse(request, update)
        await application.update_queue.put(update)
        return web.Response(status=200)

    app = web.Application(client_max_size=limit)
    app.router.add_post("/" + path.strip("/"), receive)
    return app


async def start_webhook(
    application: Any, options: dict[str, Any], limit: int = MAX_BODY_BYTES
) -> tuple[web.AppRunner, int]:
    """Register the webhook with Telegram and serve it; the runner and the bound port.

    ``application`` must be initialized and started (its update queue is consumed).
    """
    await application.bot.set_webhook(
        options["webhook_url"],
        secret_token=options["secret_token"],
        allowed_updates=options["allowed_updates"],
    )
    runner = web.AppRunner(
        webhook_app(application, options["url_path"], options["secret_token"], limit),
        access_log=None,
        lingering_time=0,  # a refused body is not drained (aiohttp would read it for 10 s)
    )
    await runner.setup()
    site = web.TCPSite(runner, options["listen"], options["port"])
    await site.start()
    return runner, int(runner.addresses[0][1])


async def run_webhook(
    application: Any, options: dict[str, Any], limit: int = MAX_BODY_BYTES
) -> None:
    """Serve the webhook until Ctrl-C or SIGTERM, then stop PTB in reverse order."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    async with application:
        await application.start()
        runner, _ = await start_webhook(application, options, limit)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
            await application.stop()
