"""The review site's door to the store: each call runs in its own connection.

The web adapter holds one ``ReviewStore`` and never sees SQLAlchemy; reads use
read-only connections (on SQLite they do not take the write lock), writes
run in one transaction each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Engine, text

from bot.store.database import READ_ONLY
from bot.store.review import actions as review_actions
from bot.store.review import handoffs as review_handoffs
from bot.store.review import logins as review_logins
from bot.store.review import stats as review_stats
from bot.store.review import transcripts as review_transcripts
from bot.store.review import views as review_views
from bot.store.review.actions import LoginResult, StaffRow
from bot.store.review.filters import ConversationFilter
from bot.store.review.handoffs import HandoffRow
from bot.store.review.logins import LoginPolicy
from bot.store.review.passwords import PasswordChecker
from bot.store.review.stats import Insights, MissedReport
from bot.store.review.transcripts import ConversationDetail, TranscriptMessage
from bot.store.review.views import ConversationPage, ConversationRow


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReviewStore:
    """Reads and writes for the review site over one engine."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime] = utc_now,
        policy: LoginPolicy | None = None,
        passwords: PasswordChecker | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._policy = policy or LoginPolicy()
        self._passwords = passwords or PasswordChecker()

    def now(self) -> datetime:
        return self._clock()

    def _read(self) -> Connection:
        return self._engine.connect().execution_options(**{READ_ONLY: True})

    def healthy(self) -> bool:
        """True when the database answers."""
        try:
            with self._read() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def conversations(
        self,
        filters: ConversationFilter,
        *,
        sort: str = "started",
        descending: bool = True,
        page: int = 1,
        page_size: int = 50,
    ) -> ConversationPage:
        with self._read() as connection:
            return review_views.list_conversations(
                connection,
                filters,
                sort=sort,
                descending=descending,
                page=page,
                page_size=page_size,
            )

    def export(
        self, filters: ConversationFilter
    ) -> Iterator[tuple[ConversationRow, tuple[TranscriptMessage, ...]]]:
        """Every matching conversation with its transcript, streamed in batches."""
        with self._read() as connection:
            yield from review_transcripts.iter_conversations(connection, filters)

    def conversation(self, conversation_id: int) -> ConversationDetail | None:
        with self._read() as connection:
            return review_transcripts.get_conversation(connection, conversation_id)

    def handoffs(self) -> list[HandoffRow]:
        with self._read() as connection:
            return review_handoffs.handoff_queue(connection)

    def insights(self, filters: ConversationFilter, today: date | None = None) -> Insights:
        with self._read() as connection:
            return review_stats.insights(connection, filters, today=today or self.now().date())

    def missed(self, *, by_count: bool = False) -> MissedReport:
        with self._read() as connection:
            return review_stats.missed_messages(connection, by_count=by_count)

    def claim_handoff(self, handoff_id: int, staff: str) -> bool:
        with self._engine.begin() as connection:
            return review_actions.claim_handoff(connection, handoff_id, staff, self.now())

    def close_handoff(self, handoff_id: int, staff: str) -> bool:
        with self._engine.begin() as connection:
            return review_actions.close_handoff(connection, handoff_id, staff, self.now())

    def add_note(self, handoff_id: int, staff: str, note: str) -> bool:
        with self._engine.begin() as connection:
            return review_actions.add_note(connection, handoff_id, staff, note, self.now())

    def close_idle(self, idle: timedelta) -> int:
        """Mark conversations idle longer than ``idle`` as abandoned; how many were."""
        from bot.store.retention import close_idle

        now = self.now()
        with self._engine.begin() as connection:
            return close_idle(connection, now - idle, now)

    def check_login(self, name: str, password: str, address: str = "") -> LoginResult:
        """Check a login without holding the database during the password check.

        The attempt is counted first (one short transaction; refused without a
        check when the account or the address is over its limit), verified
        outside any transaction, one argon2 at a time, then settled in a
        second short transaction. Unknown names take the same path.
        """
        now = self.now()
        with self._engine.connect() as connection, connection.begin() as transaction:
            reservation = review_logins.reserve(connection, name, address, now, self._policy)
            if not reservation.allowed:
                transaction.rollback()
                return LoginResult(
                    ok=False,
                    failures=reservation.failures,
                    locked_until=reservation.locked_until,
                )
        stored = reservation.password_hash
        ok = self._passwords.verify(stored, password) and stored is not None
        rehashed = (
            self._passwords.hash(password)
            if ok and stored and self._passwords.needs_rehash(stored)
            else None
        )
        with self._engine.begin() as connection:
            if not ok:
                locked = review_logins.failed(connection, reservation, self.now(), self._policy)
                return LoginResult(ok=False, failures=reservation.failures, locked_until=locked)
            review_logins.succeeded(connection, reservation, self.now())
            if rehashed is not None:
                review_actions.set_password_hash(connection, name, rehashed)
            return LoginResult(ok=True, session_key=review_logins.session_key(connection, name))

    def staff_exists(self, name: str) -> bool:
        with self._read() as connection:
            return review_actions.staff_exists(connection, name)

    def session_valid(self, name: str, key: str) -> bool:
        """True when ``key`` is the account's current session key (its session version)."""
        with self._read() as connection:
            return review_logins.session_valid(connection, name, key)

    def end_sessions(self, name: str) -> bool:
        """End every session of ``name`` (logout does this); False: no such account."""
        with self._engine.begin() as connection:
            return review_logins.end_sessions(connection, name)

    def create_staff(self, name: str, password: str) -> None:
        name = review_actions.check_new_account(name, password)
        password_hash = self._passwords.hash(password)  # before the transaction, not in it
        with self._engine.begin() as connection:
            review_actions.create_staff(connection, name, password_hash, self.now())

    def set_password(self, name: str, password: str) -> bool:
        """A new password for ``name``; ends every session it had. False: no such account."""
        review_actions.check_new_account(name, password)
        password_hash = self._passwords.hash(password)
        with self._engine.begin() as connection:
            return review_actions.set_password(connection, name, password_hash)

    def remove_staff(self, name: str) -> bool:
        with self._engine.begin() as connection:
            return review_actions.remove_staff(connection, name)

    def list_staff(self) -> list[StaffRow]:
        with self._read() as connection:
            return review_actions.list_staff(connection)
