"""fixbot on Slack: slack-bolt's AsyncApp in Socket Mode or HTTP (Events API) mode.

Every request is acknowledged at once and processed after: Bolt acks events
before their listener runs (``process_before_response=False``), and the action
and command listeners call ``ack()`` first. The core runs in a worker thread
(``asyncio.to_thread``); Slack's own event id is the core's event id, so a
retried or concurrently redelivered event gets its replies once (the core's
unique processed-event key), however many times Bolt runs the listener.

Conversations: a direct message chat is keyed by its channel; in channels an
``@fixbot`` mention starts a conversation in its thread (``channel:thread_ts``)
and later messages in that thread continue it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import re
import signal
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_blocks import (
    ACTION_PREFIX,
    chosen_blocks,
    home_view,
    read_text,
    render_reply,
)
from adapters.slack_people import People, Person
from bot import payloads
from bot.events import ConversationView, Inbound, Outcome, Reply
from bot.knowledge import Knowledge
from bot.settings import Settings

PLATFORM = "slack"
DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

log = logging.getLogger("fixbot.slack")
LOGGERS = ("fixbot.slack", "fixbot.slack.bolt", "fixbot.slack.socket")


class SecretFilter(logging.Filter):
    """Masks the Slack tokens and signing secret in log records, tracebacks included.

    An exception from deep in a library may quote a token; the record is
    rewritten before any handler formats it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        masked, masked_exc = message, record.exc_text
        for secret in self.secrets:
            masked = masked.replace(secret, "[redacted]")
            if masked_exc:
                masked_exc = masked_exc.replace(secret, "[redacted]")
        record.msg, record.args = masked, ()
        if record.exc_info:
            record.exc_info, record.exc_text = None, masked_exc
        return True


_secret_filter = SecretFilter()


def guard_logs(settings: Settings) -> None:
    """Keep ``settings``' Slack secrets out of every log line the adapter's loggers write."""
    for secret in (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    ):
        if secret:
            _secret_filter.secrets.add(secret)
    for name in LOGGERS:
        logging.getLogger(name).addFilter(_secret_filter)


class Core(Protocol):
    """What the Slack adapter needs of the core: ``bot.service.Service`` satisfies it."""

    @property
    def knowledge(self) -> Knowledge: ...

    def handle(self, event: Inbound) -> Outcome: ...

    def view(self, event: Inbound) -> ConversationView: ...


@dataclass(frozen=True, slots=True)
class Place:
    """Where a conversation lives on Slack and where its replies go."""

    chat_key: str
    channel: str
    thread_ts: str | None = None


def build_client(settings: Settings) -> AsyncWebClient:
    """The Web API client: the bot token, the API root, retries on 429s and broken connections."""
    base_url = settings.slack_api_url or DEFAULT_API_URL
    if not base_url.endswith("/"):
        base_url += "/"  # slack_sdk joins method names onto it
    return AsyncWebClient(
        token=settings.require("slack_bot_token"),
        base_url=base_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


class SlackBot:
    """The Bolt app and its listeners, wired to the core. Serves HTTP or Socket Mode."""

    def __init__(
        self, settings: Settings, service: Core, client: AsyncWebClient | None = None
    ) -> None:
        self.settings = settings
        self.service = service
        guard_logs(settings)
        self.client = client or build_client(settings)
        self.people = People(self.client)
        self.app = AsyncApp(
            client=self.client,
            # Socket Mode envelopes are not signed; Bolt skips the check for them.
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=bool(settings.slack_signing_secret),
            process_before_response=False,
            logger=logging.getLogger("fixbot.slack.bolt"),
        )
        self.app.event("message")(self._on_message)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("app_home_opened")(self._on_home_opened)
        self.app.command("/fixbot")(self._on_command)
        self.app.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(self._on_action)

    # -- serving ---------------------------------------------------------------

    def web_app(self) -> web.Application:
        """The HTTP mode app: Events API, interactivity and commands on one path, plus health."""
        app = web.Application()
        app.router.add_post(EVENTS_PATH, self._dispatch_http)
        app.router.add_get(HEALTH_PATH, self._health)
        return app

    async def start_http(self, host: str, port: int) -> tuple[web.AppRunner, int]:
        """Start serving on ``host``/``port`` (0: any free port); the runner and the bound port."""
        runner = web.AppRunner(self.web_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        return runner, int(runner.addresses[0][1])

    def socket_mode(self) -> AsyncSocketModeHandler:
        """The Socket Mode handler (aiohttp) for the app-level token in settings."""
        return AsyncSocketModeHandler(
            self.app,
            app_token=self.settings.require("slack_app_token"),
            web_client=self.client,
            logger=logging.getLogger("fixbot.slack.socket"),
        )

    async def _dispatch_http(self, request: web.Request) -> web.Response:
        response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    # -- listeners ---------------------------------------------------------------

    async def _on_message(
        self,
        event: dict[str, Any],
        body: dict[str, Any],
        context: AsyncBoltContext,
        request: AsyncBoltRequest,
    ) -> None:
        """A message in a DM, or in a channel thread where fixbot has a conversation."""
        subtype = event.get("subtype")
        user = event.get("user")
        if subtype not in (None, "file_share") or event.get("bot_id") or not user:
            return  # edits, deletions, joins, bot messages...
        bot_user_id = context.get("bot_user_id")
        if user == bot_user_id:
            return
        channel = event["channel"]
        text = read_text(event.get("text") or "", bot_user_id)
        if event.get("channel_type") == "im":
            place = Place(chat_key=channel, channel=channel)
        elif event.get("thread_ts") and event.get("channel_type") in ("channel", "group"):
            if bot_user_id and f"<@{bot_user_id}" in (event.get("text") or ""):
                return  # the app_mention event for the same message handles it
            place = Place(f"{channel}:{event['thread_ts']}", channel, event["thread_ts"])
        else:
            return
        if not text:
            if place.thread_ts is None and subtype == "file_share" and not _is_retry(request):
                await self._say_ui(place, user, "text_only")
            return
        # In a channel thread, only a conversation fixbot is already in continues.
        await self._deliver(
            place, user, body["event_id"], text=text, started_only=place.thread_ts is not None
        )

    async def _on_mention(
        self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """``@fixbot ...`` in a channel: start (or continue) the conversation in its thread."""
        user = event.get("user")
        if event.get("bot_id") or not user or user == context.get("bot_user_id"):
            return
        channel = event["channel"]
        thread_ts = event.get("thread_ts") or event["ts"]
        place = Place(f"{channel}:{thread_ts}", channel, thread_ts)
        text = read_text(event.get("text") or "", context.get("bot_user_id"))
        if text:
            await self._deliver(place, user, body["event_id"], text=text)
        else:
            await self._deliver(place, user, body["event_id"], payload=payloads.MENU)

    async def _on_home_opened(self, event: dict[str, Any]) -> None:
        """The App Home tab: publish the problem menu in the person's language."""
        if event.get("tab") != "home" or not event.get("user"):
            return
        person = await self.people.get(event["user"])
        language = person.language or self.settings.default_language
        try:
            await self.client.views_publish(
                user_id=event["user"], view=home_view(self.service.knowledge, language)
            )
        except SlackApiError as error:
            log.error("views.publish failed for %s: %s", event["user"], error.response.get("error"))

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        """``/fixbot [reset|human|text]``: answered in the person's DM with fixbot."""
        await ack()
        words = (command.get("text") or "").strip()
        user = command["user_id"]
        place = await self._direct_place(user)
        if place is None:
            return
        event_id = command.get("trigger_id") or f"{user}:{datetime.now(UTC).timestamp()}"
        keyword = words.casefold()
        if not words:
            await self._deliver(place, user, event_id, payload=payloads.MENU)
        elif keyword in ("reset", "restart"):
            await self._deliver(place, user, event_id, payload=payloads.RESTART)
        elif keyword == "human":
            await self._deliver(place, user, event_id, payload=payloads.HUMAN)
        else:
            await self._deliver(place, user, event_id, text=read_text(words))

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        """A fixbot button: ack, show the choice in place of the buttons, then the core."""
        await ack()
        user = (body.get("user") or {}).get("id")
        payload = action.get("value")
        if not user or not payload:
            return
        action_ts = action.get("action_ts") or body.get("action_ts") or ""
        container = body.get("container") or {}
        message = body.get("message")
        if container.get("type") == "message" and message:
            channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
            message_ts = container.get("message_ts") or message["ts"]
            thread_ts = message.get("thread_ts")
            if thread_ts:
                place = Place(f"{channel}:{thread_ts}", channel, thread_ts)
            else:
                place = Place(channel, channel)
            label = (action.get("text") or {}).get("text") or payload
            try:
                await self.client.chat_update(
                    channel=channel,
                    ts=message_ts,
                    text=message.get("text") or label,
                    blocks=chosen_blocks(message.get("blocks") or [], label),
                )
            except SlackApiError as error:
                log.warning(
                    "chat.update failed in %s: %s", place.chat_key, error.response.get("error")
                )
            await self._deliver(place, user, f"{message_ts}:{action_ts}", payload=payload)
            return
        # A button on the App Home tab: the conversation happens in the DM.
        direct = await self._direct_place(user)
        if direct is not None:
            view_id = (body.get("view") or {}).get("id") or container.get("view_id") or user
            await self._deliver(direct, user, f"{view_id}:{action_ts}", payload=payload)

    # -- the core and replies ----------------------------------------------------

    async def _deliver(
        self,
        place: Place,
        user: str,
        event_id: str,
        *,
        text: str | None = None,
        payload: str | None = None,
        started_only: bool = False,
    ) -> None:
        """Give one event to the core and post its replies; a core failure gets an apology.

        With ``started_only`` the event is dropped unless its chat already has a
        conversation (a message in a channel thread fixbot was never asked into).
        """
        inbound = Inbound(
            platform=PLATFORM,
            user_id=user,
            chat_key=place.chat_key,
            event_id=event_id,
            received_at=datetime.now(UTC),
            text=text,
            payload=payload,
        )
        try:
            if started_only:
                view = await asyncio.to_thread(self.service.view, inbound)
                if view.conversation_id is None:
                    return
        except Exception:
            log.exception("could not look up slack chat %s (event %s)", place.chat_key, event_id)
            return
        person = await self.people.get(user)
        inbound = replace(inbound, language_hint=person.language, display_name=person.name)
        try:
            outcome = await asyncio.to_thread(self.service.handle, inbound)
        except Exception:
            log.exception("the core failed on slack chat %s (event %s)", place.chat_key, event_id)
            await self._say_ui(place, user, "error_apology", person)
            return
        if outcome.duplicate:
            log.info("slack event %s already handled (chat %s)", event_id, place.chat_key)
            return
        for reply in outcome.replies:
            if not await self._post(place, reply):
                log.error(
                    "stopped posting replies to slack chat %s (conversation %s)",
                    place.chat_key,
                    outcome.conversation.conversation_id,
                )
                return

    async def _post(self, place: Place, reply: Reply) -> bool:
        """Post one reply (one or more messages); False if Slack refused it."""
        for message in render_reply(reply):
            try:
                await self.client.chat_postMessage(
                    channel=place.channel,
                    thread_ts=place.thread_ts,
                    text=message.text,
                    blocks=list(message.blocks),
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as error:
                log.error(
                    "chat.postMessage failed in %s: %s", place.chat_key, error.response.get("error")
                )
                return False
        return True

    async def _say_ui(
        self, place: Place, user: str, key: str, person: Person | None = None
    ) -> None:
        """Post one of fixbot's own UI sentences (knowledge ``ui``) in the person's language."""
        person = person or await self.people.get(user)
        language = person.language or self.settings.default_language
        try:
            text = self.service.knowledge.text(key, language)
        except Exception:
            log.exception("no ui text %r for slack chat %s", key, place.chat_key)
            return
        await self._post(place, Reply(text=text))

    async def _direct_place(self, user: str) -> Place | None:
        """The person's DM with fixbot (conversations.open), where commands and Home buttons go."""
        try:
            response = await self.client.conversations_open(users=user)
        except SlackApiError as error:
            log.error("conversations.open failed for %s: %s", user, error.response.get("error"))
            return None
        channel = (response.get("channel") or {}).get("id")
        return Place(channel, channel) if channel else None


def _is_retry(request: AsyncBoltRequest) -> bool:
    """Whether Slack marked this delivery as a retry (for the one reply made without the core)."""
    retry = (request.headers.get("x-slack-retry-num") or ["0"])[0]
    return retry.isdigit() and int(retry) > 0


async def run(args: argparse.Namespace, settings: Settings, service: Core) -> int:
    """Connect (Socket Mode) or listen (HTTP) until cancelled or SIGTERM."""
    bot = SlackBot(settings, service)
    try:
        identity = await bot.client.auth_test()
    except SlackApiError as error:
        print(
            f"fixbot: Slack rejected SLACK_BOT_TOKEN ({error.response.get('error')})",
            file=sys.stderr,
        )
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    if settings.slack_app_token:
        handler = bot.socket_mode()
        await handler.connect_async()
        log.info("fixbot is on Slack as %s (Socket Mode)", identity.get("user"))
        try:
            await stop.wait()
        finally:
            await handler.close_async()
        return 0
    runner, port = await bot.start_http(args.host, args.port)
    log.info(
        "fixbot is on Slack as %s: http://%s:%d%s",
        identity.get("user"),
        args.host,
        port,
        EVENTS_PATH,
    )
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
    return 0


def serve(args: argparse.Namespace, settings: Settings, service: Core) -> int:
    """``fixbot serve slack``: run until Ctrl-C (or SIGTERM); the exit status."""
    try:
        return asyncio.run(run(args, settings, service))
    except KeyboardInterrupt:
        return 0
