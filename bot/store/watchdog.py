"""A deadline for each unit of work: past it, the connection is cut so the waiting thread wakes.

A database that stops answering without closing the connection (a network
partition, a hung server, a proxy gone silent) leaves a thread blocked in the
driver's socket read for as long as the kernel keeps the connection up: no
server-side timeout can fire, and libpq has no client-side one for queries.
The watchdog is that client-side timeout. One thread per store sleeps until
the oldest armed deadline and, if its unit of work is still running, cuts its
connection: the socket is shut down on PostgreSQL (the blocked read returns at
once with an error), ``interrupt()`` is called on SQLite. The driver's error
then becomes ``DatabaseUnavailable`` and the person gets the apology.

Every deadline is "now + the same budget", so deadlines arrive in order and a
deque serves as the queue; arming and disarming are O(1).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections import deque
from typing import Any

log = logging.getLogger(__name__)


class Deadline:
    """One armed unit of work; ``fired`` tells its owner the connection was cut."""

    __slots__ = ("_dbapi_connection", "at", "fired", "live")

    def __init__(self, at: float, dbapi_connection: Any) -> None:
        self.at = at
        self._dbapi_connection = dbapi_connection
        self.live = True
        self.fired = False

    def cut(self) -> None:
        """Wake whatever thread waits on this connection: fail its socket, or interrupt it."""
        connection = self._dbapi_connection
        interrupt = getattr(connection, "interrupt", None)
        if callable(interrupt):  # sqlite3
            interrupt()
            return
        pgconn = getattr(connection, "pgconn", None)  # psycopg 3
        fd = getattr(pgconn, "socket", -1) if pgconn is not None else -1
        if fd is None or fd < 0:
            return
        # shutdown() acts on the socket, not on the descriptor: through a duplicate it
        # fails the driver's own blocked read without closing a descriptor it owns.
        with contextlib.suppress(OSError), socket.socket(fileno=os.dup(fd)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)


class Watchdog:
    """Cuts the connection of any unit of work that outlives ``budget`` seconds."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self._armed: deque[Deadline] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._closed = False

    def arm(self, dbapi_connection: Any) -> Deadline:
        """Start the clock for one unit of work on ``dbapi_connection``."""
        deadline = Deadline(time.monotonic() + self.budget, dbapi_connection)
        with self._lock:
            self._armed.append(deadline)
            if self._thread is None and not self._closed:
                # Started on first use, not at construction: no thread for a store never used.
                self._thread = threading.Thread(
                    target=self._run, name="fixbot-db-watchdog", daemon=True
                )
                self._thread.start()
            elif len(self._armed) == 1:
                self._wake.notify()
        return deadline

    def disarm(self, deadline: Deadline) -> bool:
        """Stop the clock; True if the deadline had already fired (the connection is cut)."""
        with self._lock:
            deadline.live = False
            return deadline.fired

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.notify()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(1.0)

    def _run(self) -> None:
        with self._lock:
            while not self._closed:
                while self._armed and not self._armed[0].live:
                    self._armed.popleft()
                if not self._armed:
                    self._wake.wait()
                    continue
                head = self._armed[0]
                wait = head.at - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                self._armed.popleft()
                head.fired = True
                # Cut under the lock: disarm() cannot return "not fired" while the
                # connection is being cut, so a cut connection is never pooled again.
                try:
                    head.cut()
                except Exception:  # the watchdog must outlive any one connection
                    log.exception("could not cut a database connection past its deadline")
                log.warning(
                    "a unit of work outlived its %.1f s budget; its connection was cut",
                    self.budget,
                )
