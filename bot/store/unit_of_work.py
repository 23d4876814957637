"""One unit of work per inbound event: a transaction that rolls back unless committed.

It holds the chat's lock from ``lock_chat`` until it ends, so two events of one
chat are applied one after the other: PostgreSQL locks the ``chats`` row
(``SELECT ... FOR UPDATE``); SQLite's transaction is ``BEGIN IMMEDIATE`` (see
``bot.store.database``), which holds the database's write lock from the start.
The repository methods are the few statements the service needs, in Core; opening,
rolling back and giving up on a lost connection are ``bot.store.transaction``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from bot.settings import DatabaseTimeouts, Settings
from bot.store.database import READ_ONLY, open_database
from bot.store.outbox import NewOutboxReply, new_rows, outbox_statements
from bot.store.records import (
    CaseRecord,
    ChatRecord,
    ConversationRecord,
    NewHandoff,
    NewMessage,
    NewStepOutcome,
    UserRecord,
    as_utc,
)
from bot.store.statements import Statements, statements_for
from bot.store.transaction import Transaction
from bot.store.watchdog import Watchdog
from bot.store.writers import WriterTurns

DISPLAY_NAME_CHARS = 200  # users.display_name
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def fit_name(name: str | None) -> str | None:
    """A display name as stored: control characters (NUL fails on PostgreSQL) dropped,
    cut to the column in characters, so SQLite and PostgreSQL store the same."""
    if name is None:
        return None
    return _UNPRINTABLE.sub("", name)[:DISPLAY_NAME_CHARS].strip() or None


class UnitOfWork(Transaction):
    """``with UnitOfWork(engine) as uow: ...; uow.commit()``: nothing is kept without commit."""

    @cached_property
    def _sql(self) -> Statements:
        """The dialect's prepared statements (``bot.store.statements``)."""
        return statements_for(self._engine.dialect.name)

    # -- de-duplication and locking ------------------------------------------

    def claim_event(self, platform: str, event_id: str, at: datetime, scope: str = "") -> bool:
        """Record the event id; False when it was handled (or is being handled) already.

        ``scope`` (the bot and the person, see ``dedup_scope``) keeps one bot's or
        one person's ids from dropping another's.

        A concurrent delivery of the same id waits on the primary key until the
        first commits, then fails here: it never runs the dialog a second time.
        """
        try:
            self._conn.execute(
                self._sql.claim_event,
                {
                    "platform": platform,
                    "scope": scope,
                    "event_id": event_id,
                    "created_at": as_utc(at),
                },
            )
        except IntegrityError:
            return False
        return True

    def lock_chat(self, platform: str, chat_key: str) -> ChatRecord:
        """The chat's row, created if new, locked until this unit of work ends."""
        keys = {"platform": platform, "chat_key": chat_key}
        row = self._conn.execute(self._sql.select_chat, keys).first()
        if row is None:
            # The new row comes back from the INSERT (RETURNING); none when a concurrent
            # first event of the chat made it first: then it is read, and locked, here.
            row = self._conn.execute(self._sql.insert_chat, keys).first()
            if row is None:
                row = self._conn.execute(self._sql.select_chat, keys).one()
        return ChatRecord(id=row[0], current_conversation_id=row[1])

    def find_chat(self, platform: str, chat_key: str) -> ChatRecord | None:
        """The chat's row without creating it (for read-only callers)."""
        keys = {"platform": platform, "chat_key": chat_key}
        row = self._conn.execute(self._sql.select_chat, keys).first()
        return None if row is None else ChatRecord(id=row[0], current_conversation_id=row[1])

    # -- users -----------------------------------------------------------------

    def user(
        self, platform: str, external_id: str, display_name: str | None, at: datetime
    ) -> UserRecord:
        """The person, created on first contact; a changed display name is kept up to date."""
        keys = {"platform": platform, "external_id": external_id}
        display_name = fit_name(display_name)
        row = self._conn.execute(self._sql.select_user, keys).first()
        if row is None:
            # The new row comes back from the INSERT (RETURNING); none when a concurrent
            # first event of the person made it first: then it is read here.
            row = self._conn.execute(
                self._sql.insert_user,
                {
                    **keys,
                    "display_name": display_name,
                    "language": None,
                    "language_chosen": False,
                    "created_at": as_utc(at),
                },
            ).first()
            if row is None:
                row = self._conn.execute(self._sql.select_user, keys).one()
        elif display_name and row[3] != display_name:
            self._conn.execute(
                self._sql.update_user, {"user_id": row[0], "display_name": display_name}
            )
        return UserRecord(id=row[0], language=row[1], language_chosen=bool(row[2]))

    def set_user_language(self, user_id: int, language: str, *, chosen: bool) -> None:
        values: dict[str, Any] = {"user_id": user_id, "language": language}
        if chosen:
            values["language_chosen"] = True
        self._conn.execute(self._sql.update_user, values)

    # -- conversations ---------------------------------------------------------

    def conversation(self, conversation_id: int) -> ConversationRecord | None:
        row = self._conn.execute(
            self._sql.select_conversation, {"conversation_id": conversation_id}
        ).first()
        if row is None:
            return None
        return ConversationRecord(
            id=row[0],
            user_id=row[1],
            status=row[2],
            intent=row[3],
            step_index=row[4],
            language=row[5],
            state=dict(row[6] or {}),
            started_at=as_utc(row[7]),
            updated_at=as_utc(row[8]),
            ended_at=None if row[9] is None else as_utc(row[9]),
            search_text=row[10] or "",
        )

    def start_conversation(self, chat_id: int, user_id: int, platform: str, **values: Any) -> int:
        """A new conversation, made the chat's current one; ``values`` are its columns."""
        result = self._conn.execute(
            self._sql.insert_conversation,
            {"chat_id": chat_id, "user_id": user_id, "platform": platform, **_utc(values)},
        )
        key = result.inserted_primary_key
        if key is None:  # pragma: no cover - every supported dialect reports it
            raise RuntimeError("the database did not report the new conversation's id")
        conversation_id = int(key[0])
        self._conn.execute(
            self._sql.set_current, {"chat_id": chat_id, "conversation_id": conversation_id}
        )
        return conversation_id

    def update_conversation(self, conversation_id: int, **values: Any) -> None:
        self._conn.execute(
            self._sql.update_conversation, {"conversation_id": conversation_id, **_utc(values)}
        )

    # -- what happened -----------------------------------------------------------

    def add_messages(self, conversation_id: int, messages: list[NewMessage], at: datetime) -> None:
        """Transcript lines, stored in the order given (ids keep that order)."""
        when = as_utc(at)
        rows = [
            {
                "conversation_id": conversation_id,
                "direction": m.direction,
                "text": m.text,
                "payload": m.payload,
                "buttons": m.buttons,
                "intent": m.intent,
                "confidence": m.confidence,
                "decision": m.decision,
                "language": m.language,
                "created_at": when,
            }
            for m in messages
        ]
        if rows:
            self._conn.execute(self._sql.insert_message, rows)

    def add_step_outcome(self, conversation_id: int, outcome: NewStepOutcome, at: datetime) -> None:
        self._conn.execute(
            self._sql.insert_step_outcome,
            {
                "conversation_id": conversation_id,
                "problem": outcome.problem,
                "step_id": outcome.step_id,
                "step_number": outcome.step_number,
                "outcome": outcome.outcome,
                "created_at": as_utc(at),
            },
        )

    def latest_handoff(self, conversation_id: int) -> CaseRecord | None:
        """The conversation's newest handoff: its status and where its notice was posted."""
        row = self._conn.execute(
            self._sql.latest_handoff, {"conversation_id": conversation_id}
        ).first()
        return None if row is None else CaseRecord(int(row[0]), str(row[1]), row[2], row[3])

    def latest_chat_handoff(self, chat_id: int) -> CaseRecord | None:
        """The chat's newest handoff, of any of its conversations."""
        row = self._conn.execute(self._sql.latest_chat_handoff, {"chat_id": chat_id}).first()
        return None if row is None else CaseRecord(int(row[0]), str(row[1]), row[2], row[3])

    def add_case_note(self, handoff_id: int, author: str, text: str, at: datetime) -> None:
        """What the person added to their case, as a note staff read with the handoff."""
        self._conn.execute(
            self._sql.insert_handoff_note,
            {
                "handoff_id": handoff_id,
                "author": author[:100],
                "text": text,
                "created_at": as_utc(at),
            },
        )

    def add_handoff(self, conversation_id: int, handoff: NewHandoff, at: datetime) -> int:
        """A new open handoff; its id."""
        result = self._conn.execute(
            self._sql.insert_handoff,
            {
                "conversation_id": conversation_id,
                "reason": handoff.reason,
                "problem": handoff.problem,
                "summary": handoff.summary,
                "details": handoff.details,
                "status": "open",
                "created_at": as_utc(at),
            },
        )
        key = result.inserted_primary_key
        if key is None:  # pragma: no cover - every supported dialect reports it
            raise RuntimeError("the database did not report the new handoff's id")
        return int(key[0])

    def mark_handoff_delivered(
        self, handoff_id: int, at: datetime, thread: tuple[str, str] | None = None
    ) -> None:
        """Note that the handoff reached the support destination (the first time only),
        and where (``thread``: the channel or chat, and the notice's message id)."""
        destination, message = thread if thread is not None else (None, None)
        self._conn.execute(
            self._sql.mark_handoff_delivered,
            {
                "handoff_id": handoff_id,
                "delivered_at": as_utc(at),
                "thread_destination": destination,
                "thread_message": message,
            },
        )

    def add_outbox(self, replies: list[NewOutboxReply], at: datetime, deadline: datetime) -> None:
        """The turn's replies, to be delivered by a worker: one INSERT for all of them."""
        if replies:
            sql = outbox_statements(self._engine.dialect.name)
            self._conn.execute(sql.insert, new_rows(replies, at, deadline))

    def requeue_outbox(
        self, platform: str, chat_key: str, event_id: str, now: datetime, deadline: datetime
    ) -> int:
        """An event delivered again: its unsent (or failed) replies are due now; how many."""
        sql = outbox_statements(self._engine.dialect.name)
        result = self._conn.execute(
            sql.requeue,
            {
                "b_platform": platform,
                "b_chat_key": chat_key,
                "b_event_id": event_id,
                "b_now": as_utc(now),
                "b_deadline": as_utc(deadline),
            },
        )
        return int(result.rowcount or 0)

    def add_rating(self, conversation_id: int, score: int, at: datetime) -> None:
        self._conn.execute(
            self._sql.insert_rating,
            {"conversation_id": conversation_id, "score": score, "created_at": as_utc(at)},
        )


def _utc(values: dict[str, Any]) -> dict[str, Any]:
    """Datetimes in UTC: SQLite stores them without a zone, so they must agree on one."""
    return {k: as_utc(v) if isinstance(v, datetime) else v for k, v in values.items()}


class Store:
    """The database as the service sees it: one engine shared by all threads, and
    a fresh unit of work (its own connection) per call."""

    def __init__(self, engine: Engine, timeouts: DatabaseTimeouts | None = None) -> None:
        self.engine = engine
        chosen = timeouts or DatabaseTimeouts()
        self.watchdog = Watchdog(chosen.unit_of_work_s)
        sqlite = engine.dialect.name == "sqlite"
        self._writers = WriterTurns(chosen.sqlite_busy_s) if sqlite else None

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        return UnitOfWork(
            self.engine, read_only=read_only, watchdog=self.watchdog, writers=self._writers
        )

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for read-side views (``bot.store.views``); never takes a write lock."""
        with self.engine.connect() as connection:
            yield connection.execution_options(**{READ_ONLY: True})

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection in one transaction, committed if the block ends without error."""
        with self.engine.begin() as connection:
            yield connection

    def dispose(self) -> None:
        """Close every pooled connection (at shutdown, and in tests)."""
        self.watchdog.close()
        self.engine.dispose()


def open_store(settings: Settings) -> Store:
    """The store fixbot runs on, checked at start-up (see ``open_database``)."""
    return Store(open_database(settings), settings.database_timeouts)
