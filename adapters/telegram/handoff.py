"""Handoff notices on Telegram: a handed-off case announced in the support chat.

The notice is the handoff's summary (Norwegian, already redacted), who the
person is (their name and @username as Telegram gave them) and the
conversation's page on the review site, rendered like every reply (all of it
HTML-escaped first). It is sent after the person's replies; a failure is
logged and changes nothing for them, and only a sent notice marks the handoff
delivered (with its chat and message id). What the person adds to the case
later is sent as a reply to the notice (``reply_parameters``); a failed send is
logged once, and the addition stays stored with the case either way.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from typing import Protocol

from telegram import Bot, Message, User
from telegram.error import TelegramError

from adapters.telegram import delivery
from adapters.telegram import render as telegram_render
from bot.events import CaseNoteNotice, HandoffNotice, HandoffThread, review_path

log = logging.getLogger(__name__)

STAFF_LANGUAGE = "nb"  # the summary is built in the staff's language too
_NUMERIC = re.compile(r"^-?\d+$")


class Texts(Protocol):
    def text(self, key: str, language: str, **values: object) -> str: ...


class Deliveries(Protocol):
    def mark_handoff_delivered(
        self, handoff_id: int, *, thread: HandoffThread | None = None
    ) -> None: ...


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
                path=review_path(notice.conversation_id),
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
        first: Message | None = None
        try:
            for part in parts:
                sent = await delivery.send_html_message(bot, chat_id, part)
                first = first or sent
        except TelegramError as error:
            log.error("could not send handoff %s to the support chat: %s", notice.handoff_id, error)
            continue
        thread = None if first is None else HandoffThread(str(first.chat_id), str(first.message_id))
        try:
            await asyncio.to_thread(
                service.mark_handoff_delivered, notice.handoff_id, thread=thread
            )
        except Exception:
            log.exception("handoff %s was sent but not marked delivered", notice.handoff_id)


def note_text(note: CaseNoteNotice, texts: Texts, who: str) -> str:
    """An addition to the case in fixbot's markup; without a thread, with the case's page."""
    lines = [texts.text("case_note_notice", STAFF_LANGUAGE, person=who, text=note.text)]
    if note.thread is None:
        path = review_path(note.conversation_id)
        lines.append(texts.text("handoff_notice_review", STAFF_LANGUAGE, path=path))
    return "\n".join(lines)


async def add_to_thread(
    bot: Bot,
    chat: str | None,
    notes: Iterable[CaseNoteNotice],
    texts: Texts,
    user: User | None,
) -> None:
    """Send each addition as a reply to its notice in the support chat.

    A notice never sent has nothing to reply to: the addition goes to the
    support ``chat`` on its own (with the case's page), or nowhere when there is none.
    """
    for note in notes:
        target = note.thread.destination if note.thread else chat
        if not target:
            continue
        reply_to = int(note.thread.message) if note.thread else None
        text = note_text(note, texts, person(user, note.user_id))
        try:
            for part in telegram_render.messages(text):
                await delivery.send_html_message(
                    bot, support_chat_id(target), part, reply_to=reply_to
                )
        except TelegramError as error:
            log.error(
                "could not send an addition to handoff %s to the support chat: %s; it is "
                "stored with the case",
                note.handoff_id,
                error,
            )
