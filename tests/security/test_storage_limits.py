"""What gets stored: de-duplication per bot and person, names cut to their columns the
same way on SQLite and PostgreSQL (the suite's second run uses PostgreSQL)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from bot.events import Inbound
from tests.storage.conftest import rows

_ids = itertools.count(1)


def _said(user: str, event_id: str, *, bot: str = "bot-1", name: str | None = None) -> Inbound:
    return Inbound(
        platform="telegram",
        user_id=user,
        chat_key=f"chat-{user}",
        event_id=event_id,
        received_at=datetime.now(UTC),
        text="hei",
        display_name=name,
        bot=bot,
    )


def test_an_event_id_is_deduplicated_per_bot_and_person(fake_service: Any) -> None:
    assert not fake_service.handle(_said("anna", "100")).duplicate
    assert fake_service.handle(_said("anna", "100")).duplicate  # a redelivery
    assert not fake_service.handle(_said("ola", "100")).duplicate  # another person
    assert not fake_service.handle(_said("anna", "100", bot="bot-2")).duplicate  # another bot


def test_a_long_display_name_is_cut_to_the_column(fake_service: Any) -> None:
    long_name = "Ø" * 150 + "x\x00y" + "é" * 150
    outcome = fake_service.handle(_said("kari", f"e{next(_ids)}", name=long_name))
    assert not outcome.duplicate
    [(stored,)] = rows(fake_service, "SELECT display_name FROM users WHERE external_id = 'kari'")
    assert stored == ("Ø" * 150 + "xy" + "é" * 150)[:200]
    # the same name again changes nothing and still works
    assert not fake_service.handle(_said("kari", f"e{next(_ids)}", name=long_name)).duplicate
