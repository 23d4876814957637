"""What the person adds to an open case reaches the support channel's thread on Slack.

Real slack-bolt and slack-sdk against the fake Web API: the notice's channel and
ts are stored when it is posted, each addition is a reply in that thread
(``thread_ts``), and a refused post is logged once while the addition stays stored.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text as sql

from tests.adapters.slack.conftest import (
    ERIK,
    NORA,
    NORA_DM,
    SUPPORT,
    ObservedService,
    ask_for_a_person,
    delivered_at,
    dm,
    messages_for,
    serving,
)
from tests.adapters.slack.fake_server import FakeSlack

ADDITION = "jeg sitter på kontor 4, koden er 483920"
SECRET_PART = "483920"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(locales={NORA: "nb-NO", ERIK: "en-GB"}, names={NORA: "Nora"}) as slack:
        yield slack


@pytest.fixture
def core(service: Any, fake: FakeSlack) -> ObservedService:
    return ObservedService(service, fake)


def stored(core: ObservedService) -> tuple[list[tuple[str, str]], list[str]]:
    """The handoffs' threads and the notes' texts, as stored."""
    with core.inner.store.reading() as connection:
        threads = connection.execute(
            sql("SELECT thread_destination, thread_message FROM handoffs")
        ).all()
        notes = connection.execute(sql("SELECT text FROM handoff_notes ORDER BY id")).all()
    return [(row[0], row[1]) for row in threads], [row[0] for row in notes]


async def test_an_addition_is_posted_in_the_notices_thread_redacted_with_the_name(
    fake: FakeSlack, core: ObservedService
) -> None:
    async with serving(fake, core, slack_support_channel=SUPPORT) as slack:
        await ask_for_a_person(slack)
        await fake.wait_for(lambda: all(delivered_at(core)), "the handoff marked delivered")
        await slack.event(slack_dm(ADDITION, "1700000021.000100"), "Ev0ADD1")
        await fake.wait_for(lambda: len(fake.posts(SUPPORT)) == 2, "the addition in the thread")
        expected = sum(messages_for(o) for o in core.outcomes)
        await fake.wait_for(lambda: len(fake.posts(NORA_DM)) == expected, "the replies")
    notice, addition = fake.posts(SUPPORT)
    threads, notes = stored(core)
    [(channel, ts)] = threads
    assert channel == SUPPORT
    assert fake.messages[(SUPPORT, ts)]["text"] == notice.args["text"]  # the notice's ts
    assert addition.args["thread_ts"] == ts
    assert f"<@{NORA}>" in addition.args["text"]
    # redacted like everything else: the code is neither posted nor stored
    assert SECRET_PART not in addition.args["text"]
    assert "kontor 4" in addition.args["text"]
    assert len(notes) == 1 and "kontor 4" in notes[0] and SECRET_PART not in notes[0]


async def test_a_refused_addition_is_logged_once_and_stays_stored(
    fake: FakeSlack, core: ObservedService, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        async with serving(fake, core, slack_support_channel=SUPPORT) as slack:
            await ask_for_a_person(slack)
            await fake.wait_for(lambda: all(delivered_at(core)), "the handoff marked delivered")
            fake.refused_channels.add(SUPPORT)  # the bot was removed from the channel
            await slack.event(slack_dm(ADDITION, "1700000022.000100"), "Ev0ADD2")
            await fake.wait_for(lambda: len(fake.posts(SUPPORT)) == 2, "the refused addition")
            expected = sum(messages_for(o) for o in core.outcomes)
            await fake.wait_for(lambda: len(fake.posts(NORA_DM)) == expected, "the replies")
    failures = [r for r in caplog.records if "addition to handoff" in r.getMessage()]
    assert len(failures) == 1
    assert "not_in_channel" in failures[0].getMessage()
    _, notes = stored(core)
    assert len(notes) == 1 and "kontor 4" in notes[0]


def slack_dm(text: str, ts: str) -> dict[str, Any]:
    return dm(text, ts)


async def test_without_a_thread_the_addition_goes_to_the_channel_with_the_case_page(
    fake: FakeSlack, core: ObservedService
) -> None:
    fake.refused_channels.add(SUPPORT)  # the notice is refused: no thread to reply in
    async with serving(fake, core, slack_support_channel=SUPPORT) as slack:
        handed = await ask_for_a_person(slack)
        await fake.wait_for(lambda: len(fake.posts(SUPPORT)) == 1, "the refused notice")
        fake.refused_channels.clear()  # the bot is invited again
        await slack.event(slack_dm(ADDITION, "1700000023.000100"), "Ev0ADD3")
        await fake.wait_for(lambda: len(fake.posts(SUPPORT)) == 2, "the addition")
        expected = sum(messages_for(o) for o in core.outcomes)
        await fake.wait_for(lambda: len(fake.posts(NORA_DM)) == expected, "the replies")
    addition = fake.posts(SUPPORT)[1]
    assert addition.args.get("thread_ts") is None
    assert f"/conversations/{handed.conversation.conversation_id}" in addition.args["text"]
    assert delivered_at(core) == [None]
