"""The reply outbox's rows: written with the turn, claimed under a lease, marked sent or failed.

A reply is written in the same transaction as its turn (``new_rows`` for
``UnitOfWork.add_outbox``: one INSERT for all of a turn's replies), so a
committed turn always has its replies on record. ``Outbox`` is what a delivery
worker uses:

- ``claim`` takes the due *heads* of chats (a chat's oldest pending row),
  with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so several processes share the
  work without taking the same chat; SQLite has one writer anyway. With each
  head it leases the chat's later pending rows, so the worker sends them in
  order and no other process can overtake: a later row is never a head while
  an earlier one is pending.
- a lease (``lease_owner``, ``lease_until``) ends when the process marks the
  row or releases it; a process that died leaves it to run out, and then any
  other process takes the chat over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, and_, bindparam, insert, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable

from bot.store.database import first_line
from bot.store.errors import DatabaseUnavailable
from bot.store.models import OutboxReply
from bot.store.records import as_utc

if TYPE_CHECKING:
    from bot.store.unit_of_work import Store

outbox = cast(Table, OutboxReply.__table__)

PENDING, SENT, FAILED = "pending", "sent", "failed"
ERROR_CHARS = 300  # the column's size


@dataclass(frozen=True, slots=True)
class NewOutboxReply:
    """One reply to deliver, as the service hands it to the unit of work."""

    platform: str
    chat_key: str
    event_id: str
    conversation_id: int | None
    destination: str
    body: str
    buttons: list[dict[str, str]] | None
    edits: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A claimed row, as the delivery worker sends it."""

    id: int
    chat_key: str
    destination: str
    body: str
    buttons: tuple[tuple[str, str], ...]  # (label, payload)
    edits: str | None
    attempts: int
    parts_sent: int
    uncertain: int
    created_at: datetime
    deadline_at: datetime
    # Held by a process that stopped without a word (its lease ran out): a send of it
    # may have reached the platform, so a sender that can look first should.
    suspect: bool = False


def new_rows(
    replies: list[NewOutboxReply], at: datetime, deadline: datetime
) -> list[dict[str, Any]]:
    """INSERT parameters for ``replies`` (in order: their ids keep it), due at ``at``
    and failed if still unsent at ``deadline``."""
    when = as_utc(at)
    until = as_utc(deadline)
    return [
        {
            "platform": r.platform,
            "chat_key": r.chat_key,
            "event_id": r.event_id,
            "conversation_id": r.conversation_id,
            "destination": r.destination,
            "body": r.body,
            "buttons": r.buttons,
            "edits": r.edits,
            "state": PENDING,
            "attempts": 0,
            "parts_sent": 0,
            "uncertain": 0,
            "next_attempt_at": when,
            "deadline_at": until,
            "created_at": when,
        }
        for r in replies
    ]


@dataclass(frozen=True, slots=True)
class OutboxStatements:
    insert: Executable
    requeue: Executable
    heads: Executable
    lease_chat: Executable
    leased: Executable
    sent: Executable
    progress: Executable
    retry: Executable
    failed: Executable
    release_chat: Executable
    release_all: Executable
    orphans: Executable


@cache
def outbox_statements(dialect: str) -> OutboxStatements:
    """The outbox's SQL for ``dialect``, built once."""
    earlier = outbox.alias("earlier")
    now: Any = bindparam("b_now")
    lease_free = or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < now)
    has_earlier = (
        select(earlier.c.id)
        .where(
            earlier.c.platform == outbox.c.platform,
            earlier.c.chat_key == outbox.c.chat_key,
            earlier.c.state == PENDING,
            earlier.c.id < outbox.c.id,
        )
        .exists()
    )
    heads = (
        select(outbox.c.id, outbox.c.chat_key)
        .where(
            outbox.c.platform == bindparam("b_platform"),
            outbox.c.state == PENDING,
            outbox.c.next_attempt_at <= now,
            lease_free,
            ~has_earlier,
        )
        .order_by(outbox.c.id)
        .limit(bindparam("b_limit"))
    )
    if dialect == "postgresql":
        heads = heads.with_for_update(skip_locked=True, of=outbox)
    released = {"lease_owner": None, "lease_until": None}
    return OutboxStatements(
        insert=insert(outbox),
        # Due again now; a row another process holds keeps its lease (no double send).
        requeue=update(outbox)
        .where(
            outbox.c.platform == bindparam("b_platform"),
            outbox.c.chat_key == bindparam("b_chat_key"),  # the index; the event narrows it
            outbox.c.event_id == bindparam("b_event_id"),
            outbox.c.state.in_((PENDING, FAILED)),
        )
        .values(state=PENDING, next_attempt_at=now, deadline_at=bindparam("b_deadline")),
        heads=heads,
        lease_chat=update(outbox)
        .where(
            outbox.c.platform == bindparam("b_platform"),
            outbox.c.chat_key == bindparam("b_chat_key"),
            outbox.c.state == PENDING,
            or_(
                outbox.c.id == bindparam("b_head"),
                and_(outbox.c.id > bindparam("b_head"), lease_free),
            ),
        )
        .values(lease_owner=bindparam("b_owner"), lease_until=bindparam("b_until")),
        leased=select(
            outbox.c.id,
            outbox.c.chat_key,
            outbox.c.destination,
            outbox.c.body,
            outbox.c.buttons,
            outbox.c.edits,
            outbox.c.attempts,
            outbox.c.parts_sent,
            outbox.c.uncertain,
            outbox.c.created_at,
            outbox.c.deadline_at,
        )
        .where(
            outbox.c.platform == bindparam("b_platform"),
            outbox.c.lease_owner == bindparam("b_owner"),
            outbox.c.state == PENDING,
        )
        .order_by(outbox.c.id),
        sent=update(outbox)
        .where(outbox.c.id == bindparam("b_row_id"))
        .values(
            state=SENT,
            sent_id=bindparam("b_sent_id"),
            sent_at=now,
            attempts=outbox.c.attempts + 1,
            parts_sent=bindparam("b_parts_sent"),
            **released,
        ),
        progress=update(outbox)
        .where(outbox.c.id == bindparam("b_row_id"), outbox.c.state == PENDING)
        .values(parts_sent=bindparam("b_parts_sent")),
        retry=update(outbox)
        .where(outbox.c.id == bindparam("b_row_id"), outbox.c.state == PENDING)
        .values(
            next_attempt_at=bindparam("b_at"),
            attempts=outbox.c.attempts + 1,
            uncertain=outbox.c.uncertain + bindparam("b_uncertain_step"),
            parts_sent=bindparam("b_parts_sent"),
            last_error=bindparam("b_error"),
            **released,
        ),
        failed=update(outbox)
        .where(outbox.c.id == bindparam("b_row_id"), outbox.c.state == PENDING)
        .values(
            state=FAILED,
            attempts=outbox.c.attempts + 1,
            parts_sent=bindparam("b_parts_sent"),
            last_error=bindparam("b_error"),
            **released,
        ),
        release_chat=update(outbox)
        .where(
            outbox.c.platform == bindparam("b_platform"),
            outbox.c.chat_key == bindparam("b_chat_key"),
            outbox.c.id >= bindparam("b_from"),
            outbox.c.lease_owner == bindparam("b_owner"),
            outbox.c.state == PENDING,
        )
        .values(**released),
        orphans=select(outbox.c.id).where(
            outbox.c.platform == bindparam("b_platform"),
            outbox.c.state == PENDING,
            outbox.c.chat_key.in_(bindparam("b_chats", expanding=True)),
            outbox.c.lease_owner.is_not(None),
            outbox.c.lease_owner != bindparam("b_owner"),
        ),
        release_all=update(outbox)
        .where(
            outbox.c.platform == bindparam("b_platform"),
            outbox.c.lease_owner == bindparam("b_owner"),
            outbox.c.state == PENDING,
        )
        .values(**released),
    )


class Outbox:
    """One process's view of the outbox for one platform: claim, mark, release.

    ``owner`` names this process's leases (unique per process). Every method is
    its own short transaction and raises ``DatabaseUnavailable`` when the
    database is away; the worker then waits and tries again.
    """

    def __init__(self, store: Store, platform: str, owner: str) -> None:
        self.store = store
        self.platform = platform
        self.owner = owner
        self._sql = outbox_statements(store.engine.dialect.name)

    def claim(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxRow]:
        """Lease the due chats' pending rows (at most ``limit`` chats); in id order."""
        now = as_utc(now)
        keys = {"b_platform": self.platform, "b_now": now}
        try:
            with self.store.writing() as connection:
                heads = connection.execute(self._sql.heads, {**keys, "b_limit": limit}).all()
                if not heads:
                    return []
                orphans = set(
                    connection.execute(
                        self._sql.orphans,
                        {
                            "b_platform": self.platform,
                            "b_chats": sorted({chat for _, chat in heads}),
                            "b_owner": self.owner,
                        },
                    ).scalars()
                )
                connection.execute(
                    self._sql.lease_chat,
                    [
                        {
                            **keys,
                            "b_chat_key": chat_key,
                            "b_head": head,
                            "b_owner": self.owner,
                            "b_until": now + lease,
                        }
                        for head, chat_key in heads
                    ],
                )
                rows = connection.execute(
                    self._sql.leased, {"b_platform": self.platform, "b_owner": self.owner}
                ).all()
        except DBAPIError as error:
            raise DatabaseUnavailable(f"the outbox is unavailable: {first_line(error)}") from None
        return [
            OutboxRow(
                id=row[0],
                chat_key=row[1],
                destination=row[2],
                body=row[3],
                buttons=tuple((b["label"], b["payload"]) for b in row[4] or ()),
                edits=row[5],
                attempts=row[6],
                parts_sent=row[7],
                uncertain=row[8],
                created_at=as_utc(row[9]),
                deadline_at=as_utc(row[10]),
                suspect=row[0] in orphans,
            )
            for row in rows
        ]

    def sent(self, row_id: int, sent_id: str | None, parts_sent: int, now: datetime) -> None:
        """The row reached the platform as message ``sent_id``."""
        self.sent_many([(row_id, sent_id, parts_sent)], now)

    def sent_many(self, sent: list[tuple[int, str | None, int]], now: datetime) -> None:
        """Several rows reached the platform: (row id, message id, parts sent) each."""
        if not sent:
            return
        when = as_utc(now)
        self._write(
            self._sql.sent,
            [
                {"b_row_id": row_id, "b_sent_id": sent_id, "b_parts_sent": parts, "b_now": when}
                for row_id, sent_id, parts in sent
            ],
        )

    def progress(self, row_id: int, parts_sent: int) -> None:
        """The first ``parts_sent`` parts of a long reply reached the platform; the row
        stays leased and pending."""
        self._write(self._sql.progress, {"b_row_id": row_id, "b_parts_sent": parts_sent})

    def retry(
        self, row_id: int, at: datetime, error: str, parts_sent: int, *, uncertain: bool = False
    ) -> None:
        """Try the row again at ``at``; its lease ends now."""
        self._write(
            self._sql.retry,
            {
                "b_row_id": row_id,
                "b_at": as_utc(at),
                "b_error": error[:ERROR_CHARS],
                "b_parts_sent": parts_sent,
                "b_uncertain_step": 1 if uncertain else 0,
            },
        )

    def failed(self, row_id: int, error: str, parts_sent: int) -> bool:
        """Give the row up; True if this call did it (so it is logged once)."""
        return (
            self._write(
                self._sql.failed,
                {"b_row_id": row_id, "b_error": error[:ERROR_CHARS], "b_parts_sent": parts_sent},
            )
            > 0
        )

    def release_chat(self, chat_key: str, from_id: int) -> None:
        """Give up this process's leases on the chat's rows from ``from_id`` on (after that
        row must wait); rows before it stay leased until they are marked."""
        self._write(
            self._sql.release_chat,
            {
                "b_platform": self.platform,
                "b_chat_key": chat_key,
                "b_owner": self.owner,
                "b_from": from_id,
            },
        )

    def release_all(self) -> int:
        """At shutdown: every row this process still holds goes back for the next process."""
        return self._write(
            self._sql.release_all, {"b_platform": self.platform, "b_owner": self.owner}
        )

    def _write(self, statement: Executable, values: dict[str, Any] | list[dict[str, Any]]) -> int:
        """Run one statement (for several rows: a list of values) in its own transaction;
        rows it touched (not meaningful for a list)."""
        try:
            with self.store.writing() as connection:
                return int(connection.execute(statement, values).rowcount or 0)
        except DBAPIError as error:
            raise DatabaseUnavailable(f"the outbox is unavailable: {first_line(error)}") from None
