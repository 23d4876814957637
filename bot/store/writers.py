"""SQLite's writers take turns in the process on a lock, not in SQLite's busy handler.

SQLite has one write lock. A writer that finds it taken gets SQLITE_BUSY and
its busy handler sleeps, for 1, 2, 5, 10, 15, 20, 25, 50 and then 100 ms at a
time, however soon the lock is free again: with a few threads writing at once,
most of an event's time went to those sleeps (measured under 300 events/s,
bench/slack_http.py). Inside one process a lock hands the turn over as soon as
the writer before finishes; SQLite's busy timeout still bounds the wait for
writers in other processes. The wait here is bounded by the same timeout.
"""

from __future__ import annotations

import threading

from bot.store.errors import DatabaseUnavailable


class WriterTurns:
    """One write unit of work at a time in this process; waits at most ``timeout_s``."""

    def __init__(self, timeout_s: float) -> None:
        self._lock = threading.Lock()
        self._timeout_s = timeout_s

    def enter(self) -> None:
        if not self._lock.acquire(timeout=self._timeout_s):
            raise DatabaseUnavailable(
                f"the database is unavailable: database is locked (waited {self._timeout_s:g} s)"
            )

    def leave(self) -> None:
        self._lock.release()
