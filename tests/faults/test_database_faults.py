"""The database fails at the worst moment: the connection is cut just after COMMIT
reached PostgreSQL. The turn is stored; the person gets the apology and, from the
outbox, the replies, once each, with or without Slack delivering the event again."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.service import Service
from bot.store.unit_of_work import UnitOfWork
from tests.adapters.slack.fake_server import FakeSlack
from tests.faults.conftest import Tally, outbox_rows, settled
from tests.faults.test_api_faults import (
    MAIL,
    slack_arrived,
    slack_expected,
    slack_serving,
    until,
)

pytestmark = pytest.mark.postgres


async def test_connection_cut_after_commit_loses_no_reply(
    pg_service: Service, report: Callable[[Tally], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    tally = Tally("postgresql: connection cut just after COMMIT, then the event redelivered")
    committed = UnitOfWork.commit
    cuts = [1]

    def commit_then_cut(uow: UnitOfWork) -> None:
        committed(uow)
        if cuts[0]:
            cuts[0] -= 1
            # The server kills this session: the client sees an error after its COMMIT.
            uow._conn.exec_driver_sql("SELECT pg_terminate_backend(pg_backend_pid())")

    monkeypatch.setattr(UnitOfWork, "commit", commit_then_cut)
    with FakeSlack() as fake:
        async with slack_serving(fake, pg_service) as slack:
            event = {
                "type": "message",
                "channel": "DU0CUT",
                "channel_type": "im",
                "user": "U0CUT",
                "text": MAIL,
                "ts": "1700000300.000001",
                "event_ts": "1700000300.000001",
            }
            await slack.event(event, "Ev0CUT")
            tally.events_sent += 1
            await until(lambda: settled(pg_service.store, "slack"), "the replies settled")
            await slack.event(event, "Ev0CUT", retry=1)  # Slack's retry: a duplicate now
            await until(lambda: len(fake.posts("DU0CUT")) >= 3, "apology and replies")
        assert cuts == [0]
        assert {row["state"] for row in outbox_rows(pg_service.store, "slack")} == {"sent"}
        tally.count(slack_expected(pg_service), slack_arrived(fake))
        tally.extra["apologies"] = len(fake.posts("DU0CUT")) - tally.delivered
    report(tally)
    assert tally.replies_expected >= 2
    assert (tally.lost, tally.duplicates) == (0, 0)
    assert tally.extra["apologies"] == 1
