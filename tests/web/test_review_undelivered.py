"""A reply that never reached the person is shown on its conversation's page (no browser)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.store.models import Chat, Conversation, OutboxReply
from tests.web.conftest import Site

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_failed_reply_is_shown_with_its_error(site: Site, staff_client: object) -> None:
    conversation_id = site.seeded.resolved
    now = datetime.now(UTC)
    with site.store._engine.begin() as connection:
        platform, chat_key = connection.execute(
            select(Chat.platform, Chat.chat_key)
            .join(Conversation, Conversation.chat_id == Chat.id)
            .where(Conversation.id == conversation_id)
        ).one()
        connection.execute(
            OutboxReply.__table__.insert().values(  # type: ignore[attr-defined]
                platform=platform,
                chat_key=chat_key,
                event_id="ev-lost",
                conversation_id=conversation_id,
                destination="x|",
                body="**Steg 2** av 4",
                state="failed",
                attempts=7,
                parts_sent=0,
                uncertain=0,
                next_attempt_at=now,
                deadline_at=now,
                created_at=now,
                last_error="HTTP 503 service_unavailable",
            )
        )
    page = staff_client.get(f"/conversations/{conversation_id}").text  # type: ignore[attr-defined]
    assert "Svar som ikke kom fram" in page or "Replies not delivered" in page
    assert "HTTP 503 service_unavailable" in page
    assert "<strong>Steg 2</strong>" in page  # the reply's own markup, rendered
