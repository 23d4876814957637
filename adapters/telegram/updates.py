"""Reading what arrives from Telegram: whose conversation an update is, and is it for fixbot.

Pure functions over python-telegram-bot's objects, no I/O: a private chat is
one conversation and in a group each person has their own; in a group fixbot
answers only messages that mention it or reply to it, only the person a
message answered may press its buttons, and every answer replies to the
person's message.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from telegram import Chat, Message, MessageEntity, Update

from bot.events import Inbound

PLATFORM = "telegram"


def language_of(code: str | None) -> str | None:
    """Telegram's ``language_code`` as fixbot's language: nb for nb/no/nn, else en."""
    if not code:
        return None
    primary = code.replace("_", "-").split("-")[0].lower()
    return "nb" if primary in ("nb", "no", "nn") else "en"


def chat_key(chat: Chat, user_id: int) -> str:
    """A private chat is one conversation; in a group each person has their own."""
    return str(chat.id) if chat.type == Chat.PRIVATE else f"{chat.id}:{user_id}"


def event(
    update: Update,
    *,
    text: str | None = None,
    payload: str | None = None,
    hint: str | None = None,
) -> Inbound:
    """The core's event for ``update``; its update id is the event id."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    message = update.message
    return Inbound(
        platform=PLATFORM,
        user_id=str(user.id),
        chat_key=chat_key(chat, user.id),
        event_id=str(update.update_id),
        received_at=message.date if message else datetime.now(UTC),
        text=text,
        payload=payload,
        language_hint=hint or language_of(user.language_code),
        display_name=user.full_name or None,
        bot=_bot_id(update),
    )


def _bot_id(update: Update) -> str:
    """The receiving bot's id (update ids are per bot); "" when the update has no bot."""
    try:
        return str(update.get_bot().id)
    except RuntimeError:
        return ""


def addressed(message: Message, bot_id: int, bot_username: str) -> bool:
    """In a group: does the message mention fixbot or reply to it?"""
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return True
    mention = f"@{bot_username}".lower()
    entities = message.parse_entities() or message.parse_caption_entities()
    for entity, value in entities.items():
        if entity.type == MessageEntity.MENTION and value.lower() == mention:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
    return False


def without_mention(text: str, bot_username: str) -> str:
    """``text`` without ``@bot_username``, whitespace collapsed."""
    return " ".join(re.sub(rf"@{re.escape(bot_username)}\b", " ", text, flags=re.I).split())


def may_press(message: Message, user_id: int) -> bool:
    """In a group, only the person the bot's message answered may press its buttons."""
    if message.chat.type == Chat.PRIVATE:
        return True
    asker = message.reply_to_message.from_user if message.reply_to_message else None
    return asker is None or asker.id == user_id


def reply_target(update: Update) -> int | None:
    """In a group, every answer replies to the person's message (which also marks whose
    buttons they are); after a button press, to the message that started it."""
    chat = update.effective_chat
    if chat is None or chat.type == Chat.PRIVATE:
        return None
    if update.message:
        return update.message.message_id
    query = update.callback_query
    pressed = query.message if query else None
    if isinstance(pressed, Message) and pressed.reply_to_message:
        return pressed.reply_to_message.message_id
    return None
