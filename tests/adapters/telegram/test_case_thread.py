"""What the person adds to an open case reaches the support chat on Telegram, as a reply
to the handoff's notice.

Real python-telegram-bot against the fake Bot API: the notice's chat and message
id are stored when it is sent, each addition replies to it (``reply_parameters``),
and a refused send is logged once while the addition stays stored.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import text as sql

from tests.adapters.telegram.conftest import reply_after, running
from tests.adapters.telegram.fake_person import Person
from tests.adapters.telegram.fake_server import FakeBotAPI

SUPPORT_CHAT = -1009100
ADDITION = "jeg sitter på kontor 4, koden er 483920"
SECRET_PART = "483920"


def stored(service: Any) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The handoffs' (delivered, thread chat, thread message) and the notes' texts."""
    with service.store.reading() as connection:
        handoffs = connection.execute(
            sql("SELECT delivered_at, thread_destination, thread_message FROM handoffs")
        ).all()
        notes = connection.execute(sql("SELECT text FROM handoff_notes ORDER BY id")).all()
    return [tuple(row) for row in handoffs], [row[0] for row in notes]


async def hand_off_and_add(fake: FakeBotAPI, service: Any, nora: Person) -> None:
    """Nora asks for IT (/human), the notice is delivered, then she adds to her case."""
    nora.says("/human")
    await fake.wait_sent(nora.chat, 1, "the handoff reply")
    await fake.wait_for(lambda: all(row[0] for row in stored(service)[0]), "delivered")
    seen = len(fake.sent_to(nora.chat))
    nora.says(ADDITION)
    await reply_after(fake, nora, seen, lambda s: True, "the answer to the addition")


async def test_an_addition_replies_to_the_notice_redacted_with_the_name(
    fake: FakeBotAPI, service: Any
) -> None:
    nora = Person(fake, 7020, "Nora Dahl", "nb", username="nora_d")
    async with running(fake, service, telegram_support_chat=str(SUPPORT_CHAT)):
        await hand_off_and_add(fake, service, nora)
        notice, addition = await fake.wait_sent(SUPPORT_CHAT, 2, "the addition")
    [(_, chat, message)] = stored(service)[0]
    assert (chat, message) == (str(SUPPORT_CHAT), str(notice.message_id))
    assert addition.params["reply_parameters"]["message_id"] == notice.message_id
    assert "Nora Dahl (@nora_d, id 7020)" in addition.text
    assert "kontor 4" in addition.text and SECRET_PART not in addition.text
    notes = stored(service)[1]
    assert len(notes) == 1 and "kontor 4" in notes[0] and SECRET_PART not in notes[0]


async def test_a_refused_addition_is_logged_once_and_stays_stored(
    fake: FakeBotAPI, service: Any, caplog: pytest.LogCaptureFixture
) -> None:
    nora = Person(fake, 7021, "Nora", "nb")
    with caplog.at_level(logging.ERROR):
        async with running(fake, service, telegram_support_chat=str(SUPPORT_CHAT)):
            nora.says("/human")
            await fake.wait_sent(nora.chat, 1, "the handoff reply")
            await fake.wait_for(lambda: all(row[0] for row in stored(service)[0]), "delivered")
            fake.refused_chats.add(SUPPORT_CHAT)  # the bot was removed from the group
            seen = len(fake.sent_to(nora.chat))
            nora.says(ADDITION)
            await reply_after(fake, nora, seen, lambda s: True, "the answer to the addition")
            # the chat's updates go one at a time: once this is answered, the send is done
            seen = len(fake.sent_to(nora.chat))
            nora.says("/help")
            await reply_after(fake, nora, seen, lambda s: True, "the next answer")
    failures = [r for r in caplog.records if "addition to handoff" in r.getMessage()]
    assert len(failures) == 1
    assert "chat not found" in failures[0].getMessage().lower()
    assert fake.token not in caplog.text
    notes = stored(service)[1]
    assert len(notes) == 1 and "kontor 4" in notes[0]
