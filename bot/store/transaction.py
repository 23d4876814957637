"""The transaction under a unit of work: open, arm the watchdog, roll back unless committed.

A connection that was lost or cut by the watchdog is never handed back to the
pool, and every database error that means "try again later" (a lost
connection, a lock, a timeout) leaves as ``DatabaseUnavailable``, which the
service answers with its apology. ``bot.store.unit_of_work`` adds the
statements the service needs on top.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.store.database import READ_ONLY, first_line
from bot.store.errors import DatabaseUnavailable
from bot.store.watchdog import Deadline, Watchdog
from bot.store.writers import WriterTurns


def _unavailable(error: BaseException) -> DatabaseUnavailable:
    return DatabaseUnavailable(f"the database is unavailable: {first_line(error)}")


def _is_unavailable(error: BaseException) -> bool:
    """Errors that mean "try again later", not a bug: lost connections, locks, timeouts."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError)


class Transaction:
    """``with Transaction(engine) as tx: ...; tx.commit()``: nothing is kept without commit."""

    def __init__(
        self,
        engine: Engine,
        *,
        read_only: bool = False,
        watchdog: Watchdog | None = None,
        writers: WriterTurns | None = None,
    ) -> None:
        self._engine = engine
        self._read_only = read_only
        self._connection: Connection | None = None
        self._committed = False
        self._watchdog = watchdog
        self._deadline: Deadline | None = None
        # Taken for the whole unit of work by a writer on SQLite (see bot.store.writers).
        self._writers = None if read_only else writers

    def __enter__(self) -> Self:
        if self._writers is not None:
            self._writers.enter()
        try:
            return self._open()
        except BaseException:
            if self._writers is not None:
                self._writers.leave()
            raise

    def _open(self) -> Self:
        try:
            connection = self._engine.connect()
        except (DBAPIError, PoolTimeout) as error:
            raise _unavailable(error) from None
        try:
            if self._read_only:
                connection = connection.execution_options(**{READ_ONLY: True})
            if self._watchdog is not None:
                self._deadline = self._watchdog.arm(connection.connection.dbapi_connection)
            connection.begin()
        except DBAPIError as error:
            self._disarm()
            connection.invalidate()
            connection.close()
            raise _unavailable(error) from None
        self._connection = connection
        return self

    def _disarm(self) -> bool:
        """Stop the watchdog's clock; True if it had cut the connection already."""
        deadline, self._deadline = self._deadline, None
        if deadline is None or self._watchdog is None:
            return False
        return self._watchdog.disarm(deadline)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            self._close(connection, error)
        finally:
            if self._writers is not None:
                self._writers.leave()

    def _close(self, connection: Connection, error: BaseException | None) -> None:
        cut = self._disarm()
        lost = cut or (error is not None and _is_unavailable(error))
        try:
            if not self._committed and not lost:
                connection.rollback()
        except DBAPIError:
            lost = True
        if lost:
            # Don't hand a dead connection back to the pool; the next unit of work
            # then connects afresh (and the server rolled back what it had).
            connection.invalidate()
        connection.close()
        if error is not None and cut:
            budget = self._watchdog.budget if self._watchdog else 0.0
            raise DatabaseUnavailable(
                f"the database is unavailable: no answer within {budget:g} s"
            ) from error
        if error is not None and _is_unavailable(error):
            raise _unavailable(error) from error

    def commit(self) -> None:
        self._conn.commit()
        self._committed = True

    @property
    def _conn(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open")
        return self._connection
