"""Socket Mode that stops reading the websocket while the process is full.

slack_sdk's client reads every envelope into an unbounded queue and starts a
task for each at once, so an overloaded process would acknowledge and hold
everything Slack sends. Here the queue holds one envelope, and the next one is
taken only once the bot's ``Intake`` admits it; with the queue full the reader
stops reading, and the websocket's flow control slows Slack down.
"""

from __future__ import annotations

import asyncio
import json
from logging import Logger
from typing import Any

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.web.async_client import AsyncWebClient

from adapters.intake import Intake

READ_AHEAD = 1  # envelopes read from the websocket but not yet admitted


class GatedSocketModeClient(SocketModeClient):
    """slack_sdk's aiohttp Socket Mode client, taking envelopes only as ``intake`` admits them."""

    def __init__(self, intake: Intake, **options: Any) -> None:
        super().__init__(**options)
        self._intake = intake
        # Replaced before the processing task (just scheduled) first reads it.
        self.message_queue = asyncio.Queue(maxsize=READ_AHEAD)

    async def process_message(self) -> None:
        ticket = await self._intake.admit()
        try:
            raw_message = await self.message_queue.get()
        except BaseException:
            ticket.release()
            raise
        if raw_message is None:
            ticket.release()
            return
        message: dict[str, Any] = {}
        if raw_message.startswith("{"):
            message = json.loads(raw_message)
        with ticket.current():  # the envelope's listeners find their ticket in the context
            task = asyncio.ensure_future(self.run_message_listeners(message, raw_message))
        task.add_done_callback(lambda _: ticket.release())


class GatedSocketModeHandler(AsyncSocketModeHandler):
    """Bolt's aiohttp Socket Mode handler on a ``GatedSocketModeClient``."""

    def __init__(
        self,
        app: AsyncApp,
        intake: Intake,
        *,
        app_token: str,
        web_client: AsyncWebClient,
        logger: Logger,
        ping_interval: float = 10,
    ) -> None:
        # Not super().__init__: it would build (and start) an ungated client first.
        self.app = app
        self.app_token = app_token
        self.client = GatedSocketModeClient(
            intake,
            app_token=app_token,
            logger=logger,
            web_client=web_client,
            ping_interval=ping_interval,
        )
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]
