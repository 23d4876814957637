"""The fault suite's fixtures: a real Service on its own PostgreSQL schema, fast delivery
settings, and ``Tally``: events sent, replies expected, delivered, lost, duplicated.

Every test here runs against the real PostgreSQL (``FIXBOT_TEST_POSTGRES_URL``)
and the local fake Slack and Telegram servers. Set ``FIXBOT_FAULT_REPORT`` to a
file path to collect each scenario's tally as a JSON line (the README's figures).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import pytest
from sqlalchemy import text as sql

from bot.service import Service
from bot.settings import DeliverySettings, Settings
from bot.store.database import open_database
from bot.store.unit_of_work import Store

# Quick retries and leases so each scenario takes seconds, not minutes.
FAST = DeliverySettings(
    poll_seconds=0.05,
    lease_seconds=2.0,
    first_backoff_seconds=0.05,
    max_backoff_seconds=0.3,
    give_up_seconds=30.0,
    drain_seconds=10.0,
)


@dataclass
class Tally:
    """One scenario's figures. ``delivered`` counts expected messages that arrived."""

    scenario: str
    events_sent: int = 0
    replies_expected: int = 0  # platform messages the committed turns' replies make
    delivered: int = 0
    lost: int = 0
    duplicates: int = 0
    out_of_order_chats: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def count(
        self, expected: Iterable[tuple[str, str]], arrived: Iterable[tuple[str, str]]
    ) -> Tally:
        """Compare messages (chat, text) in send order: the outbox's against the platform's."""
        wanted = list(expected)
        got = [item for item in arrived if item in set(wanted)]  # apologies are not replies
        want_count, got_count = Counter(wanted), Counter(got)
        self.replies_expected = len(wanted)
        self.delivered = sum(min(n, got_count[k]) for k, n in want_count.items())
        self.lost = sum(max(0, n - got_count[k]) for k, n in want_count.items())
        self.duplicates = sum(max(0, n - want_count[k]) for k, n in got_count.items())
        chats = {chat for chat, _ in wanted}
        for chat in chats:
            in_chat = [t for c, t in wanted if c == chat]
            seen = list(dict.fromkeys(t for c, t in got if c == chat))
            if seen != list(dict.fromkeys(in_chat))[: len(seen)]:
                self.out_of_order_chats += 1
        return self


@pytest.fixture
def report() -> Iterator[Callable[[Tally], None]]:
    """Print (and with FIXBOT_FAULT_REPORT, keep) a scenario's tally."""
    tallies: list[Tally] = []
    yield tallies.append
    path = os.environ.get("FIXBOT_FAULT_REPORT")
    for tally in tallies:
        print(f"\nFAULT {json.dumps(asdict(tally))}")
        if path:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(asdict(tally)) + "\n")


@pytest.fixture
def fault_settings(postgres_url: str) -> Settings:
    return Settings(database_url=postgres_url, delivery=FAST)


@pytest.fixture
def pg_service(
    fault_settings: Settings, shipped_knowledge: Any, shipped_classifier: Any
) -> Iterator[Service]:
    """The real service on a PostgreSQL schema of its own."""
    built = Service(
        Store(open_database(fault_settings)), shipped_knowledge, shipped_classifier, fault_settings
    )
    try:
        yield built
    finally:
        built.close()


def outbox_rows(store: Store, platform: str) -> list[dict[str, Any]]:
    """Every outbox row of ``platform``, in id order."""
    with store.reading() as connection:
        result = connection.execute(
            sql(
                "SELECT id, destination, body, buttons, state, attempts, parts_sent, uncertain, "
                "last_error FROM outbox WHERE platform = :p ORDER BY id"
            ),
            {"p": platform},
        )
        return [dict(row._mapping) for row in result]


def settled(store: Store, platform: str) -> bool:
    """No row of ``platform`` is still pending."""
    rows = outbox_rows(store, platform)
    return bool(rows) and all(row["state"] != "pending" for row in rows)
