"""Sending one outbox row to Slack (``chat.postMessage``) and sorting how it went.

The row's destination is ``channel|thread_ts`` (``destination``/``place_of``).
A reply of several messages (more than Slack's blocks per message) resumes at
``row.parts_sent``. 429s are retried after their Retry-After, 5xx and broken
connections after a backoff (``adapters.delivery``); any other Slack error
(``channel_not_found``, ``invalid_blocks``...) cannot be helped by sending again.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.delivery import Result
from adapters.slack.blocks import render_reply
from adapters.slack.events import Place
from bot.events import Button, Reply
from bot.store.outbox import OutboxRow

log = logging.getLogger("fixbot.slack")

SEPARATOR = "|"  # not in Slack channel ids or timestamps


def destination(place: Place) -> str:
    """Where a chat's replies go, as the outbox stores it."""
    return f"{place.channel}{SEPARATOR}{place.thread_ts or ''}"


def place_of(row: OutboxRow) -> tuple[str, str | None]:
    """The channel and thread of a stored destination."""
    channel, _, thread = row.destination.partition(SEPARATOR)
    return channel, thread or None


def _retry_after(error: SlackApiError) -> float | None:
    headers = error.response.headers or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None


class SlackSender:
    """``await sender(row)``: post the row's messages from ``row.parts_sent`` on."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def __call__(self, row: OutboxRow) -> Result:
        channel, thread_ts = place_of(row)
        reply = Reply(row.body, tuple(Button(label, payload) for label, payload in row.buttons))
        messages = render_reply(reply)
        sent = row.parts_sent
        last_ts: str | None = None
        for message in messages[sent:]:
            try:
                response = await self.client.chat_postMessage(
                    channel=channel,
                    thread_ts=thread_ts,
                    text=message.text,
                    blocks=list(message.blocks),
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as error:
                status = error.response.status_code
                code = str(error.response.get("error") or status)
                if status == 429:
                    return Result("retry", sent, retry_after=_retry_after(error), error=code)
                if status >= 500:
                    return Result("retry", sent, error=f"HTTP {status} {code}")
                return Result("failed", sent, error=code)
            except (TimeoutError, aiohttp.ClientError) as error:
                return Result("retry", sent, error=type(error).__name__)
            sent += 1
            last_ts = str(response.get("ts") or "") or None
        return Result("sent", sent, sent_id=last_ts)
