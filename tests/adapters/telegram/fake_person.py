"""A Telegram user for the fake Bot API: the updates a person causes by writing,
editing, sending a photo or pressing a button, privately or in a group."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from tests.adapters.telegram.fake_server import FakeBotAPI


@dataclass
class Person:
    """A Telegram user who writes to the bot, privately or in a group."""

    fake: FakeBotAPI
    user_id: int
    first_name: str
    language_code: str | None
    chat_id: int | None = None  # default: the private chat (same id as the user)
    chat_type: str = "private"
    username: str | None = None

    def __post_init__(self) -> None:
        if self.chat_id is None:
            self.chat_id = self.user_id
        self.fake.chat_types[self.chat] = self.chat_type

    @property
    def chat(self) -> int:
        assert self.chat_id is not None
        return self.chat_id

    @property
    def user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def _chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.chat, "type": self.chat_type}
        if self.chat_type == "private":
            chat["first_name"] = self.first_name
        else:
            chat["title"] = "IT corner"
        return chat

    def message(self, **content: Any) -> dict[str, Any]:
        """A new message update with ``content`` (text, photo, ...), not yet pushed."""
        return {
            "update_id": self.fake.next_update_id(),
            "message": {
                "message_id": self.fake.next_message_id(),
                "date": int(time.time()),
                "chat": self._chat(),
                "from": self.user,
                **content,
            },
        }

    def text_update(self, text: str, reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        for match in re.finditer(r"@\w+", text):
            if match.start() > 0 or not text.startswith("/"):
                entities.append(
                    {"type": "mention", "offset": match.start(), "length": len(match.group())}
                )
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        return self.message(**content)

    def says(self, text: str, reply_to: dict[str, Any] | None = None) -> int:
        """Type ``text`` (commands and @mentions get their entities); returns the update id."""
        return self.fake.push(self.text_update(text, reply_to))

    def sends_photo(self) -> int:
        photo = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 90}]
        return self.fake.push(self.message(photo=photo))

    def edits(self, message_id: int, text: str) -> int:
        update = self.message(text=text)
        edited = update.pop("message")
        edited.update(message_id=message_id, edit_date=int(time.time()))
        update["edited_message"] = edited
        return self.fake.push(update)

    def press_update(self, message_id: int, payload: str) -> dict[str, Any]:
        return {
            "update_id": self.fake.next_update_id(),
            "callback_query": {
                "id": f"cq-{self.user_id}-{message_id}-{payload}",
                "from": self.user,
                "message": self.fake.message(self.chat, message_id),
                "chat_instance": f"ci-{self.chat}",
                "data": payload,
            },
        }

    def presses(self, message_id: int, payload: str) -> int:
        """Press the button carrying ``payload`` under the bot's message ``message_id``."""
        return self.fake.push(self.press_update(message_id, payload))
