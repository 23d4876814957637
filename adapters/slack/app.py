"""``fixbot serve slack``: slack-bolt's AsyncApp in Socket Mode or HTTP (Events API) mode.

The listeners live in ``slack_channel``, Block Kit in ``slack_blocks``, reading
Slack's JSON in ``slack_events`` and keeping secrets out of logs in
``slack_logs``. This module builds the Web API client and the bot, serves it
(an aiohttp server bound to ``--host``, or a Socket Mode connection) and runs
it until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import time

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.delivery import DeliveryWorker
from adapters.errors import StartupError
from adapters.memory import MemoryReleaser
from adapters.slack import gate
from adapters.slack.channel import PLATFORM, Core, SlackBot
from adapters.slack.logs import SOCKET_MODE_LOGGER, WEB_API_LOGGER, library_logger, protect
from adapters.slack.socket_mode import GatedSocketModeHandler
from bot.settings import Settings

DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

log = logging.getLogger("fixbot.slack")


def http_session(settings: Settings) -> aiohttp.ClientSession:
    """The process's one HTTP session for the Web API: its connections are kept and reused.

    Without it slack_sdk opens a new session, and a new TCP (and TLS) connection,
    for every call: 2.7 times the client's CPU per ``chat.postMessage`` (issue 14).
    Made inside the running event loop, which it belongs to.
    """
    connector = aiohttp.TCPConnector(limit=settings.intake.http_connections)
    return aiohttp.ClientSession(connector=connector)


def build_client(settings: Settings, session: aiohttp.ClientSession) -> AsyncWebClient:
    """The Web API client: the bot token, the API root, the shared session, retries on 429s
    and broken connections."""
    return AsyncWebClient(
        token=settings.require("slack_bot_token"),
        base_url=api_url(settings),
        session=session,
        logger=library_logger(WEB_API_LOGGER, settings.log_level),
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def api_url(settings: Settings) -> str:
    """The Web API root, ending in ``/`` (slack_sdk joins method names onto it)."""
    base_url = settings.slack_api_url or DEFAULT_API_URL
    return base_url if base_url.endswith("/") else base_url + "/"


def build_bot(settings: Settings, service: Core) -> SlackBot:
    """The bot with its client, after its secrets are masked in every log record.

    Call it inside the running event loop (its HTTP session belongs to the loop);
    ``await bot.aclose()`` closes the session.
    """
    protect(settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token)
    return SlackBot(settings, service, build_client(settings, http_session(settings)))


def web_app(bot: SlackBot) -> web.Application:
    """The HTTP mode app: Events API, interactivity and commands on one path, plus health.

    Each request first waits for a slot in the bot's intake: an overloaded process
    answers Slack late (Slack retries after 3 s, and a retry is de-duplicated)
    rather than acknowledging events it cannot work on yet.
    """

    verifier = SignatureVerifier(bot.settings.slack_signing_secret or "")
    limit = bot.settings.security.webhook_max_body_bytes

    async def dispatch(request: web.Request) -> web.Response:
        # Headers, size, signature, then shape: nothing unsigned is read whole, parsed
        # or logged.
        early = gate.check_headers(request, time.time())
        if early is not None:
            return gate.refuse(request, early, request.content_length)
        body = await gate.read_capped(request, limit)
        if isinstance(body, gate.Refusal):
            return gate.refuse(request, body, request.content_length)
        refusal = gate.check_signature(verifier, request, body) or gate.check_parseable(
            request, body
        )
        if refusal is not None:
            return gate.refuse(request, refusal, len(body))
        ticket = await bot.intake.admit()
        try:
            with ticket.current():
                response = await bot.app.async_dispatch(await to_bolt_request(request))
        except Exception as error:  # a signed body Bolt still cannot read: 400, one line
            reason = f"unreadable body ({type(error).__name__})"
            return gate.refuse(request, gate.Refusal(400, reason), len(body))
        finally:
            # Released on the loop's next turn: the listener task Bolt has just made
            # (its first step already scheduled) takes its own hold first.
            asyncio.get_running_loop().call_soon(ticket.release)
        return await to_aiohttp_response(response)

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application(client_max_size=limit)
    app.router.add_post(EVENTS_PATH, dispatch)
    app.router.add_get(HEALTH_PATH, health)
    return app


async def start_http(bot: SlackBot, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Start serving on ``host``/``port`` (0: any free port); the runner and the bound port."""
    bot.settings.require("slack_signing_secret")  # never serve unsigned requests
    # lingering_time=0: a refused body is not drained (aiohttp would read it for 10 s).
    runner = web.AppRunner(web_app(bot), access_log=None, lingering_time=0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, int(runner.addresses[0][1])


def socket_mode(bot: SlackBot) -> GatedSocketModeHandler:
    """The Socket Mode handler (aiohttp) for the app-level token in settings; it stops
    reading the websocket while the bot's intake is full."""
    return GatedSocketModeHandler(
        bot.app,
        bot.intake,
        app_token=bot.settings.require("slack_app_token"),
        web_client=bot.client,
        logger=library_logger(SOCKET_MODE_LOGGER, bot.settings.log_level),
    )


def reason(error: BaseException) -> str:
    """A network error as a few words on one line (a timeout's own text is empty)."""
    if isinstance(error, TimeoutError):
        return "timed out"
    return " ".join(protect().mask(str(error)).split()) or type(error).__name__


async def connect(bot: SlackBot) -> str:
    """Check the bot token against the Web API (auth.test); fixbot's Slack user name.

    A rejected token or an unreachable API is a ``StartupError``: one line, no secret.
    """
    base_url = api_url(bot.settings)
    try:
        identity = await bot.client.auth_test()
    except SlackApiError as error:
        raise StartupError(
            f"Slack rejected SLACK_BOT_TOKEN ({error.response.get('error')}) — "
            "check the bot token on the app's OAuth page, and FIXBOT_SLACK_API_URL"
        ) from None
    except (TimeoutError, aiohttp.ClientError) as error:
        raise StartupError(
            f"cannot reach the Slack Web API at {base_url} ({reason(error)}) — "
            "check FIXBOT_SLACK_API_URL and the network"
        ) from None
    bot.scope = f"{identity.get('team_id') or ''}/{identity.get('bot_id') or ''}"
    return str(identity.get("user") or "")


def start_delivery(bot: SlackBot, service: Core) -> None:
    """Replies through the outbox: a delivery worker on the service's store, if it has one."""
    store = getattr(service, "store", None)
    if store is not None:
        # Slack is asked before a taken-over reply is posted again (sending.py), so a
        # round's sent rows can be marked in one write.
        bot.delivery = DeliveryWorker(
            store, PLATFORM, bot.sender, bot.settings.delivery, record_per_round=True
        )
        bot.delivery.start()


async def finish(bot: SlackBot) -> None:
    """After intake has stopped: let the turns in flight commit, then drain the outbox.

    Both share one bound, ``delivery.drain_seconds``; whatever is left is sent
    by the next process to start (this one's leases are given back).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + bot.settings.delivery.drain_seconds
    for _ in range(5):  # listener tasks Bolt just started enter ``turns`` on their first step
        await asyncio.sleep(0)
    if not await bot.turns.finished(deadline - loop.time()):
        log.warning("shutting down with %d Slack turns unfinished", bot.turns.count)
    if bot.delivery is not None:
        left = await bot.delivery.drain(max(deadline - loop.time(), 0.0))
        if left:
            log.warning("%d Slack replies left for the next process to send", left)


async def run(args: argparse.Namespace, settings: Settings, service: Core) -> int:
    """Connect (Socket Mode) or listen (HTTP) until cancelled, SIGTERM or SIGINT; then stop
    taking events, finish the turns in flight and drain the outbox (``finish``)."""
    bot = build_bot(settings, service)
    try:
        return await _serve(args, bot, service)
    finally:
        await bot.aclose()


async def _serve(args: argparse.Namespace, bot: SlackBot, service: Core) -> int:
    name = await connect(bot)
    start_delivery(bot, service)
    intake = bot.intake
    releaser = MemoryReleaser(
        bot.settings.intake.release_memory_seconds,
        admitted=lambda: intake.admitted,
        in_flight=lambda: intake.in_flight,
    )
    releaser.start()
    try:
        return await _listen(args, bot, name)
    finally:
        await releaser.stop()


async def _listen(args: argparse.Namespace, bot: SlackBot, name: str) -> int:
    """Socket Mode or HTTP until SIGTERM or SIGINT, then ``finish``."""
    settings = bot.settings
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
    if settings.slack_app_token:
        handler = socket_mode(bot)
        try:
            # The first websocket URL is asked for here: connect_async would retry a
            # refused app token forever, logging a traceback each time.
            opened = await bot.client.apps_connections_open(app_token=settings.slack_app_token)
        except SlackApiError as error:
            raise StartupError(
                f"Slack rejected SLACK_APP_TOKEN ({error.response.get('error')}) — "
                "check the app-level token (connections:write) on the app's Basic Information page"
            ) from None
        except (TimeoutError, aiohttp.ClientError) as error:
            raise StartupError(
                f"cannot reach the Slack Web API at {api_url(settings)} ({reason(error)}) — "
                "check FIXBOT_SLACK_API_URL and the network"
            ) from None
        handler.client.wss_uri = opened["url"]
        await handler.connect_async()
        log.info("fixbot is on Slack as %s (Socket Mode)", name)
        try:
            await stop.wait()
        finally:
            await handler.close_async()
            await finish(bot)
        return 0
    try:
        runner, port = await start_http(bot, args.host, args.port)
    except OSError as error:
        raise StartupError(
            f"cannot listen on {args.host}:{args.port} ({reason(error)}) — "
            "choose another --host or --port"
        ) from None
    log.info("fixbot is on Slack as %s: http://%s:%d%s", name, args.host, port, EVENTS_PATH)
    try:
        await stop.wait()
    finally:
        for site in list(runner.sites):
            await site.stop()  # no new connections; requests already read are answered
        await finish(bot)
        await runner.cleanup()
    return 0


def serve(args: argparse.Namespace, settings: Settings, service: Core) -> int:
    """``fixbot serve slack``: run until Ctrl-C (or SIGTERM); the exit status."""
    try:
        return asyncio.run(run(args, settings, service))
    except KeyboardInterrupt:
        return 0
