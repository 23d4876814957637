"""Giving freed heap back to the system after start-up and after busy spells (glibc only).

CPython frees objects into malloc's arenas, and glibc keeps freed pages at the
top of the heap and inside arenas for reuse: after loading the understanding
data, and after a burst of events, the process would keep that memory for
good. ``malloc_trim(0)`` hands it back. Measured (issue 14): about 13 MiB after
start-up, and 26 MiB of the 68 MiB a 20 s burst at 300 events/s added
(bench/slack_http.py). Elsewhere (macOS, musl) there is nothing to call and
nothing happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
from collections.abc import Callable
from functools import cache

log = logging.getLogger("fixbot.memory")


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None
    return trim


def give_back_freed_memory() -> bool:
    """Return the heap's free pages to the system; False where malloc cannot (not glibc)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


class MemoryReleaser:
    """Every ``seconds``, once the events counted by ``admitted`` have stopped coming and
    none is in flight, give the freed heap back (in a worker thread: it walks the heap).

    An idle process is not trimmed again and again: only after new events.
    """

    def __init__(
        self, seconds: float, admitted: Callable[[], int], in_flight: Callable[[], int]
    ) -> None:
        self._seconds = seconds
        self._admitted = admitted
        self._in_flight = in_flight
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run on the running loop until ``stop`` (not at all for ``seconds`` <= 0)."""
        if self._seconds > 0 and _malloc_trim() is not None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="fixbot-memory")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        seen = self._admitted()
        while True:
            await asyncio.sleep(self._seconds)
            admitted = self._admitted()
            if admitted == seen or self._in_flight():
                continue  # idle since the last trim, or still busy
            seen = admitted
            try:
                await asyncio.to_thread(give_back_freed_memory)
            except Exception:  # never worth stopping the server for
                log.exception("giving freed memory back failed")
