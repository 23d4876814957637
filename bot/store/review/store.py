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
from bot.store.review import stats as review_stats
from bot.store.review import transcripts as review_transcripts
from bot.store.review import views as review_views
from bot.store.review.actions import LoginResult, StaffRow
from bot.store.review.filters import ConversationFilter
from bot.store.review.handoffs import HandoffRow
from bot.store.review.stats import Insights, MissedReport
from bot.store.review.transcripts import ConversationDetail, TranscriptMessage
from bot.store.review.views import ConversationPage, ConversationRow


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReviewStore:
    """Reads and writes for the review site over one engine."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = engine
        self._clock = clock

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

    def check_login(self, name: str, password: str) -> LoginResult:
        with self._engine.begin() as connection:
            return review_actions.check_login(connection, name, password, self.now())

    def staff_exists(self, name: str) -> bool:
        with self._read() as connection:
            return review_actions.staff_exists(connection, name)

    def create_staff(self, name: str, password: str) -> None:
        with self._engine.begin() as connection:
            review_actions.create_staff(connection, name, password, self.now())

    def remove_staff(self, name: str) -> bool:
        with self._engine.begin() as connection:
            return review_actions.remove_staff(connection, name)

    def list_staff(self) -> list[StaffRow]:
        with self._read() as connection:
            return review_actions.list_staff(connection)
