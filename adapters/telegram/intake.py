"""Telegram's update queue with a bound on unfinished updates: an overloaded process stops reading.

python-telegram-bot's application takes each update off its queue at once and
starts a task for it (``concurrent_updates`` only limits how many of those
tasks run), so a process behind on its work would keep fetching updates and
holding them all in memory. This queue counts updates from ``put`` to
``task_done`` (which the application calls when an update is finished) and
makes ``put`` wait while ``limit`` are unfinished: long polling then stops
calling getUpdates (Telegram keeps the rest), and in webhook mode the answer
to Telegram's POST waits (Telegram retries what it does not get an answer for).
"""

from __future__ import annotations

import asyncio

from telegram import Update


class UpdateQueue(asyncio.Queue[object]):
    """``ApplicationBuilder().update_queue(UpdateQueue(limit))``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        if limit < 1:
            raise ValueError("the update limit must be at least 1")
        self.limit = limit
        self.unfinished = 0
        self._room = asyncio.Event()
        self._room.set()

    async def put(self, item: object) -> None:
        # Only updates wait: the application's own stop signal must always get through.
        while isinstance(item, Update) and self.unfinished >= self.limit:
            self._room.clear()
            await self._room.wait()
        self.unfinished += 1
        super().put_nowait(item)

    def task_done(self) -> None:
        super().task_done()
        self.unfinished = max(0, self.unfinished - 1)
        if self.unfinished < self.limit:
            self._room.set()
