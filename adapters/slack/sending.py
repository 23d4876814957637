"""Sending one outbox row to Slack (``chat.postMessage``) and sorting how it went.

The row's destination is ``channel|thread_ts`` (``destination``/``place_of``).
A reply of several messages (more than Slack's blocks per message) resumes at
``row.parts_sent``. 429s are retried after their Retry-After, 5xx and broken
connections after a backoff (``adapters.delivery``); any other Slack error
(``channel_not_found``, ``invalid_blocks``...) cannot be helped by sending again.

Every message carries its outbox row and part in Slack message metadata
(``fixbot_reply``). A row taken over from a process that died mid-send
(``row.suspect``) is looked up in the channel or thread first
(``conversations.history``/``replies`` with ``include_all_metadata``): parts
Slack already has are not posted again. If the look-up fails (no history scope),
the row is sent anyway: at least once.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.delivery import Result, join_destination, split_destination
from adapters.slack.blocks import render_reply
from adapters.slack.events import Place
from bot.events import Button, Reply
from bot.store.outbox import OutboxRow

log = logging.getLogger("fixbot.slack")

METADATA_TYPE = "fixbot_reply"
LOOKUP_LIMIT = 200  # messages read back when checking a taken-over row


def destination(place: Place) -> str:
    """Where a chat's replies go, as the outbox stores it."""
    return join_destination(place.channel, place.thread_ts or None)


def place_of(row: OutboxRow) -> tuple[str, str | None]:
    """The channel and thread of a stored destination."""
    return split_destination(row.destination)


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
        if row.suspect:
            found = await self._already_posted(row, channel, thread_ts)
            if found:
                sent = max(sent, max(found) + 1)
                last_ts = found[max(found)]
        for index in range(sent, len(messages)):
            message = messages[index]
            try:
                response = await self.client.chat_postMessage(
                    channel=channel,
                    thread_ts=thread_ts,
                    text=message.text,
                    blocks=list(message.blocks),
                    unfurl_links=False,
                    unfurl_media=False,
                    metadata={
                        "event_type": METADATA_TYPE,
                        "event_payload": {"outbox": row.id, "part": index},
                    },
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

    async def _already_posted(
        self, row: OutboxRow, channel: str, thread_ts: str | None
    ) -> dict[int, str]:
        """The row's parts Slack already has (part -> ts); empty if none or unknown."""
        oldest = f"{row.created_at.timestamp() - 1:.6f}"
        try:
            if thread_ts:
                response = await self.client.conversations_replies(
                    channel=channel,
                    ts=thread_ts,
                    oldest=oldest,
                    limit=LOOKUP_LIMIT,
                    include_all_metadata=True,
                )
            else:
                response = await self.client.conversations_history(
                    channel=channel, oldest=oldest, limit=LOOKUP_LIMIT, include_all_metadata=True
                )
        except (SlackApiError, TimeoutError, aiohttp.ClientError) as error:
            log.warning("could not check Slack for reply %s (%s); sending it", row.id, error)
            return {}
        found: dict[int, str] = {}
        for message in response.get("messages") or []:
            metadata: dict[str, Any] = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_TYPE and payload.get("outbox") == row.id:
                found[int(payload.get("part", 0))] = str(message.get("ts") or "")
        return found
