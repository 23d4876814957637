"""The delivery worker: sends the outbox's replies for one platform, in order per chat.

Shared by the Slack and Telegram adapters; each gives it a ``Sender`` that
knows its platform's API and sorts every failure into one ``Result``:

- ``sent``: delivered; the platform's message id is recorded.
- ``retry``: 429 (with its Retry-After), a 5xx, a connection that failed
  before the request went out: tried again after a backoff with full jitter,
  until the row's deadline (``DeliverySettings.give_up_seconds``), then failed.
- ``uncertain``: the request went out but no answer came (a read timeout):
  it may have arrived. Sent again only if ``resend_uncertain`` (at least
  once), else failed as unconfirmed (at most once).
- ``failed``: the platform refused it for good (a bad request, a chat the bot
  is not in): marked failed at once and logged once.

A reply of several parts (long text split to the platform's limit) records how
many parts went out, so a retry resumes after them instead of repeating them.

One worker runs per serving process. It wakes when a turn queues replies
(``wake``), and otherwise polls every ``poll_seconds`` for due retries and for
the rows of processes that died (their leases run out). ``drain`` at shutdown
sends what is due for a bounded time, lets a send under way finish, and gives
back the rest.

Chats are sent to at once (``concurrent_chats``), each in order. A row between
the start of its send and the record of how it went is one the next process
sends again if this one is killed; where the platform cannot be asked whether
it arrived (Telegram), ``sends_in_flight`` bounds how many there are.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

from bot.settings import DeliverySettings
from bot.store.errors import DatabaseUnavailable
from bot.store.outbox import Outbox, OutboxRow
from bot.store.unit_of_work import Store

# Between a chat and its thread in a stored destination: in neither a Slack channel id
# or timestamp nor a Telegram chat or message id.
DESTINATION_SEPARATOR = "|"


def join_destination(chat: object, thread: object | None) -> str:
    """A chat and the thread (or message) replies go under, as the outbox stores them."""
    return f"{chat}{DESTINATION_SEPARATOR}{'' if thread is None else thread}"


def split_destination(destination: str) -> tuple[str, str | None]:
    """The chat and thread of a stored destination (None: no thread)."""
    chat, _, thread = destination.partition(DESTINATION_SEPARATOR)
    return chat, thread or None


log = logging.getLogger("fixbot.delivery")

Kind = Literal["sent", "retry", "uncertain", "failed"]


@dataclass(frozen=True, slots=True)
class Result:
    """How one send went; ``parts_sent`` counts the parts that reached the platform."""

    kind: Kind
    parts_sent: int
    sent_id: str | None = None
    retry_after: float | None = None  # seconds the platform asked us to wait
    error: str = ""


class Sender(Protocol):
    """A platform's way of sending one outbox row (from ``row.parts_sent`` on)."""

    async def __call__(self, row: OutboxRow) -> Result: ...


def backoff(
    attempts: int, settings: DeliverySettings, rng: random.Random, retry_after: float | None
) -> float:
    """Seconds before the next attempt: the platform's Retry-After if it gave one (capped),
    else exponential backoff with full jitter (so many chats do not retry in step)."""
    if retry_after is not None:
        return min(max(retry_after, 0.0), settings.max_retry_after_seconds)
    ceiling = min(settings.max_backoff_seconds, settings.first_backoff_seconds * 2**attempts)
    return rng.uniform(settings.first_backoff_seconds / 2, ceiling)


class Turns:
    """Turns in flight (an event between intake and its commit), so shutdown can wait for them."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __aenter__(self) -> None:
        self._count += 1
        self._idle.clear()

    async def __aexit__(self, *exc: object) -> None:
        self._count -= 1
        if self._count == 0:
            self._idle.set()

    @property
    def count(self) -> int:
        return self._count

    async def finished(self, timeout: float) -> bool:
        """Wait until no turn is in flight (True), or ``timeout`` seconds (False)."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True


class DeliveryWorker:
    """Sends one platform's outbox rows; ``start`` it with the server, ``drain`` at the end."""

    def __init__(
        self,
        store: Store,
        platform: str,
        send: Sender,
        settings: DeliverySettings,
        *,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] | None = None,
        record_per_round: bool = False,
        sends_in_flight: int | None = None,
    ) -> None:
        """``record_per_round``: mark a round's sent rows in one write at its end instead
        of one write per row. Only for a sender that looks before sending a ``suspect``
        row again (Slack): a process killed mid-round leaves rows sent but unmarked.

        ``sends_in_flight``: at most this many rows between the start of their send and
        the record of how it went (None: one per chat, up to ``concurrent_chats``). For a
        platform that cannot be asked whether a message arrived (Telegram), each such
        row is a possible duplicate if the process is killed, so this bounds them.
        """
        self.outbox = Outbox(store, platform, owner=f"{platform}-{uuid.uuid4().hex[:16]}")
        self.platform = platform
        self.settings = settings
        self._send = send
        self._rng = rng or random.Random()
        self._now = clock or (lambda: datetime.now(UTC))
        self._wake = asyncio.Event()
        self._stopping = False
        self._cut = False  # past the drain limit: no new send starts
        self._task: asyncio.Task[None] | None = None
        self._limit = asyncio.Semaphore(settings.concurrent_chats)
        if sends_in_flight is not None and record_per_round:
            raise ValueError("a bound on sends in flight needs each send recorded at once")
        bound = settings.concurrent_chats if sends_in_flight is None else sends_in_flight
        self._in_flight = asyncio.Semaphore(bound)
        self._per_round = record_per_round
        self._round_sent: list[tuple[int, str | None, int]] = []

    def start(self) -> None:
        """Run in the background on the running loop until ``drain``."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="fixbot-delivery")

    def wake(self) -> None:
        """A turn queued replies: look now rather than at the next poll."""
        self._wake.set()

    async def drain(self, seconds: float) -> int:
        """Stop polling, send what is due for at most ``seconds``, give back the rest.

        A send under way at the limit is let finish (for at most
        ``finish_send_seconds`` more) rather than cut. The number of rows left for
        the next process (this one's leases are released at once, so it need not
        wait for them to run out).
        """
        self._stopping = True
        self._wake.set()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        if self._task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), max(deadline - loop.time(), 0))
        if self._task is not None and not self._task.done():
            # The limit: no new send starts, and those under way may finish and be
            # recorded. Cut mid-call, a send may have arrived unrecorded, and the next
            # process would send it again (Telegram cannot be asked).
            self._cut = True
            with contextlib.suppress(TimeoutError):
                grace = self.settings.finish_send_seconds
                await asyncio.wait_for(asyncio.shield(self._task), grace)
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            await self._flush()  # what the cut-short round did send
        try:
            return await asyncio.to_thread(self.outbox.release_all)
        except DatabaseUnavailable as error:
            log.warning("could not give back the %s outbox leases: %s", self.platform, error)
            return 0

    async def _run(self) -> None:
        while not self._stopping:
            # Cleared before looking, so a wake that comes while this round runs is kept.
            self._wake.clear()
            if await self._deliver_quietly():
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.poll_seconds)
        # Draining: keep going while there is due work (``drain`` bounds the time).
        while not self._cut and await self._deliver_quietly():
            pass

    async def _deliver_quietly(self) -> bool:
        """One round; False when there was nothing due or it failed (logged, never raised:
        a dead worker would leave replies waiting for a restart)."""
        try:
            return await self.deliver_due()
        except DatabaseUnavailable as error:
            log.warning("%s outbox: %s", self.platform, error)
        except Exception:
            log.exception("the %s delivery worker failed; carrying on", self.platform)
        return False

    async def deliver_due(self) -> bool:
        """Claim the due chats and send their rows; True if there were any."""
        lease = timedelta(seconds=self.settings.lease_seconds)
        rows = await asyncio.to_thread(self.outbox.claim, self._now(), self.settings.batch, lease)
        if not rows:
            return False
        chats: dict[str, list[OutboxRow]] = {}
        for row in rows:
            chats.setdefault(row.chat_key, []).append(row)
        await asyncio.gather(*(self._chat(key, queue) for key, queue in chats.items()))
        await self._flush()
        return True

    async def _flush(self) -> None:
        """Mark the round's sent rows (``record_per_round``) in one write."""
        sent, self._round_sent = self._round_sent, []
        if sent:
            now = self._now()
            await self._record(lambda: self.outbox.sent_many(sent, now))

    async def _chat(self, chat_key: str, queue: list[OutboxRow]) -> None:
        """Send one chat's rows in order; stop at the first that must wait."""
        async with self._limit:
            for row in queue:
                async with self._in_flight:  # held until the outcome is recorded
                    if self._cut:  # past the drain limit: left for the next process
                        return
                    done = await self._one(row)
                if not done:
                    release = functools.partial(self.outbox.release_chat, chat_key, row.id)
                    await self._record(release)
                    return

    async def _one(self, row: OutboxRow) -> bool:
        """Send and record one row; False if the chat must wait for it."""
        try:
            result = await self._send(row)
        except Exception as error:  # a bug in a sender must not stop delivery
            log.exception("sending outbox row %s failed unexpectedly", row.id)
            result = Result("retry", row.parts_sent, error=type(error).__name__)
        now = self._now()
        if result.kind == "sent" and self._per_round:
            self._round_sent.append((row.id, result.sent_id, result.parts_sent))
            return True
        if result.kind == "sent":
            await self._record(
                lambda: self.outbox.sent(row.id, result.sent_id, result.parts_sent, now)
            )
            return True
        uncertain = result.kind == "uncertain"
        if result.kind == "failed" or (uncertain and not self.settings.resend_uncertain):
            await self._fail(row, result)
            return True
        wait = backoff(row.attempts, self.settings, self._rng, result.retry_after)
        at = now + timedelta(seconds=wait)
        if at > row.deadline_at:
            await self._fail(row, result)
            return True
        log.info(
            "%s reply %s to %s: %s; again in %.1f s",
            self.platform,
            row.id,
            row.chat_key,
            result.error or result.kind,
            wait,
        )
        await self._record(
            lambda: self.outbox.retry(
                row.id, at, result.error or result.kind, result.parts_sent, uncertain=uncertain
            )
        )
        return False

    async def record_progress(self, row: OutboxRow, parts_sent: int) -> None:
        """Some parts of a long reply reached the platform: record it before the next part,
        so a process that takes the row over after a kill resumes after them."""
        await self._record(lambda: self.outbox.progress(row.id, parts_sent))

    async def _fail(self, row: OutboxRow, result: Result) -> None:
        error = result.error or result.kind
        if result.kind == "uncertain":
            error = f"unconfirmed: {error}"
        first = await self._record(lambda: self.outbox.failed(row.id, error, result.parts_sent))
        if first:  # logged once, by the process that gave it up
            log.error(
                "%s reply %s to %s failed after %d attempts: %s",
                self.platform,
                row.id,
                row.chat_key,
                row.attempts + 1,
                error,
            )

    async def _record(self, write: Callable[[], object]) -> object:
        """A bookkeeping write; retried while the database is briefly away (the send
        already happened, so losing the record would mean sending it twice)."""
        delay = 0.05
        for _ in range(8):
            try:
                return await asyncio.to_thread(write)
            except DatabaseUnavailable as error:
                log.warning("%s outbox record delayed: %s", self.platform, error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
        return await asyncio.to_thread(write)
