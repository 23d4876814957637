"""How much work one serving process takes on at once: admission with a bound, shared by adapters.

An overloaded process must slow its intake instead of piling up acknowledged
events in memory (issue 14: 300 events/s against a process that keeps pace
with 140 queued work without end, replies 30 s late, memory never given back).
``Intake`` admits at most ``limit`` events at once; past that ``admit()``
waits, so whatever calls it stops taking work: the Slack HTTP server answers
late, the Socket Mode reader stops reading the websocket.

An admitted event holds a ``Ticket``. Platform libraries acknowledge an event
and run its listener in a task of their own, so the ticket travels with the
event in a context variable (tasks copy the context they are created in): the
listener calls ``holding()`` and the slot is given back only when both the
admitting code and every listener of the event are done.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Iterator
from contextvars import ContextVar

# The event being processed, per asyncio context: how a listener finds its ticket
# without the platform library having to carry it.
_CURRENT: ContextVar[Ticket | None] = ContextVar("fixbot_intake_ticket", default=None)


class Ticket:
    """One admitted event's slot; free once the admitter and all its holders released it."""

    __slots__ = ("_holds", "_intake")

    def __init__(self, intake: Intake) -> None:
        self._intake = intake
        self._holds = 1

    def hold(self) -> None:
        self._holds += 1

    def release(self) -> None:
        self._holds -= 1
        if self._holds == 0:
            self._intake._leave()

    @contextlib.contextmanager
    def current(self) -> Iterator[Ticket]:
        """Make this the ticket of tasks created inside the block (they copy the context)."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)


class Intake:
    """At most ``limit`` events in flight; ``admit()`` waits for a free slot, in arrival order."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("the intake limit must be at least 1")
        self.limit = limit
        self.in_flight = 0
        self.waiting_peak = 0  # the most admissions that ever waited at once (a gauge)
        self.admitted = 0  # events admitted since start (a counter)
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def admit(self) -> Ticket:
        """A slot for one event; waits while ``limit`` events are in flight."""
        if self.in_flight < self.limit and not self._waiters:
            self.in_flight += 1
            self.admitted += 1
            return Ticket(self)
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self.waiting_peak = max(self.waiting_peak, len(self._waiters))
        try:
            await waiter  # _leave hands its slot straight to us: in_flight stays the same
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._leave()  # handed a slot as we were cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            raise
        self.admitted += 1
        return Ticket(self)

    def _leave(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.in_flight -= 1


@contextlib.contextmanager
def holding() -> Iterator[None]:
    """Keep the current event's slot taken for the block (a listener's work); no-op outside."""
    ticket = _CURRENT.get()
    if ticket is None:
        yield
        return
    ticket.hold()
    try:
        yield
    finally:
        ticket.release()
