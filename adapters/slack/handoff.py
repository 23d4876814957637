"""Handoff notices on Slack: a handed-off case announced in the support channel.

The notice is the handoff's summary (Norwegian, already redacted), who to
reach (``<@USER>``) and the conversation's page on the review site. Posting
comes after the person's replies; a failure is logged and changes nothing for
them, and only a posted notice marks the handoff delivered (with its channel
and ts). What the person adds to the case later is posted as a reply in the
notice's thread (``thread_ts``); a failed post is logged once, and the addition
stays stored with the case either way.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from typing import Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import escape
from bot.events import CaseNoteNotice, HandoffNotice, HandoffThread, review_path

log = logging.getLogger("fixbot.slack")

STAFF_LANGUAGE = "nb"  # the summary is built in the staff's language too
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")  # only a real Slack user id becomes a mention


class Texts(Protocol):
    def text(self, key: str, language: str, **values: object) -> str: ...


class Deliveries(Protocol):
    def mark_handoff_delivered(
        self, handoff_id: int, *, thread: HandoffThread | None = None
    ) -> None: ...


def notice_text(notice: HandoffNotice, texts: Texts) -> str:
    """The notice as Slack mrkdwn: user-derived text escaped, the person as a mention."""
    user = notice.user_id
    person = f"<@{user}>" if _USER_ID.match(user) else escape(user)
    return "\n".join(
        [
            escape(notice.summary),
            "",
            texts.text("handoff_notice_person", STAFF_LANGUAGE, platform="Slack", person=person),
            texts.text(
                "handoff_notice_review",
                STAFF_LANGUAGE,
                path=review_path(notice.conversation_id),
            ),
        ]
    )


async def announce(
    client: AsyncWebClient,
    channel: str,
    notices: Iterable[HandoffNotice],
    texts: Texts,
    service: Deliveries,
) -> None:
    """Post each notice to ``channel``; mark the posted ones delivered."""
    for notice in notices:
        try:
            response = await client.chat_postMessage(
                channel=channel,
                text=notice_text(notice, texts),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:
            log.error(
                "could not post handoff %s to the support channel: %s",
                notice.handoff_id,
                error.response.get("error"),
            )
            continue
        except (TimeoutError, aiohttp.ClientError) as error:
            log.error(
                "could not post handoff %s to the support channel: %s",
                notice.handoff_id,
                type(error).__name__,
            )
            continue
        ts = str(response.get("ts") or "")
        posted_in = str(response.get("channel") or channel)
        thread = HandoffThread(posted_in, ts) if ts else None
        try:
            await asyncio.to_thread(
                service.mark_handoff_delivered, notice.handoff_id, thread=thread
            )
        except Exception:
            log.exception("handoff %s was posted but not marked delivered", notice.handoff_id)


def note_text(note: CaseNoteNotice, texts: Texts) -> str:
    """An addition to the case as Slack mrkdwn; without a thread, with the case's page."""
    user = note.user_id
    who = f"<@{user}>" if _USER_ID.match(user) else escape(note.person)
    lines = [texts.text("case_note_notice", STAFF_LANGUAGE, person=who, text=escape(note.text))]
    if note.thread is None:
        path = review_path(note.conversation_id)
        lines.append(texts.text("handoff_notice_review", STAFF_LANGUAGE, path=path))
    return "\n".join(lines)


async def add_to_thread(
    client: AsyncWebClient, channel: str | None, notes: Iterable[CaseNoteNotice], texts: Texts
) -> None:
    """Post each addition as a reply in its notice's thread.

    A notice never posted has no thread: the addition goes to the support
    ``channel`` on its own (with the case's page), or nowhere when there is none.
    """
    for note in notes:
        target = note.thread.destination if note.thread else channel
        if not target:
            continue
        try:
            await client.chat_postMessage(
                channel=target,
                thread_ts=note.thread.message if note.thread else None,
                text=note_text(note, texts),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:
            reason = str(error.response.get("error"))
        except (TimeoutError, aiohttp.ClientError) as error:
            reason = type(error).__name__
        else:
            continue
        log.error(
            "could not post an addition to handoff %s in the support thread: %s; it is "
            "stored with the case",
            note.handoff_id,
            reason,
        )
