"""Handoff notices on Telegram: a handed-off case announced in the support chat.

The notice is the handoff's summary (Norwegian, already redacted), who the
person is (their name and @username as Telegram gave them) and the
conversation's page on the review site, rendered like every reply (all of it
HTML-escaped first). It is sent after the person's replies; a failure is
logged and changes nothing for them, and only a sent notice marks the handoff
delivered.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from typing import Protocol

from telegram import Bot, User

from adapters.telegram import delivery
from adapters.telegram import render as telegram_render
from bot.events import HandoffNotice

log = logging.getLogger(__name__)

STAFF_LANGUAGE = "nb"  # the summary is built in the staff's language too
_NUMERIC = re.compile(r"^-?\d+$")


class Texts(Protocol):
    def text(self, key: str, language: str, **values: object) -> str: ...


class Deliveries(Protocol):
    def mark_handoff_delivered(self, handoff_id: int) -> None: ...


def support_chat_id(value: str) -> int | str:
    """FIXBOT_TELEGRAM_SUPPORT_CHAT as the Bot API takes it: a numeric id or ``@channel``."""
    return int(value) if _NUMERIC.match(value) else value


def person(user: User | None, user_id: str) -> str:
    """How staff find the person: ``Full Name (@username, id 123)``, as much as is known."""
    if user is None:
        return f"id {user_id}"
    handle = f"@{user.username}, " if user.username else ""
    name = user.full_name.strip()
    return f"{name} ({handle}id {user_id})" if name else f"{handle}id {user_id}"


def notice_text(notice: HandoffNotice, texts: Texts, who: str) -> str:
    """The notice in fixbot's markup (rendered, and so escaped, when it is sent)."""
    return "\n".join(
        [
            notice.summary,
            "",
            texts.text("handoff_notice_person", STAFF_LANGUAGE, platform="Telegram", person=who),
            texts.text(
                "handoff_notice_review",
                STAFF_LANGUAGE,
                path=f"/conversations/{notice.conversation_id}",
            ),
        ]
    )


async def announce(
    bot: Bot,
    chat: str,
    notices: Iterable[HandoffNotice],
    texts: Texts,
    service: Deliveries,
    user: User | None,
) -> None:
    """Send each notice to the support ``chat``; mark the sent ones delivered."""
    chat_id = support_chat_id(chat)
    for notice in notices:
        text = notice_text(notice, texts, person(user, notice.user_id))
        parts = telegram_render.messages(text)
        sent = True
        for part in parts:
            sent = await delivery.send_html(bot, chat_id, part)
            if not sent:
                break
        if not sent:  # send_html logged why
            log.error("could not send handoff %s to the support chat", notice.handoff_id)
            continue
        try:
            await asyncio.to_thread(service.mark_handoff_delivered, notice.handoff_id)
        except Exception:
            log.exception("handoff %s was sent but not marked delivered", notice.handoff_id)
