"""``fixbot bench chat``: messages per second through ``Service.handle`` with full persistence.

Scripted conversations of many users, interleaved: a greeting, a symptom in
their own words, then button presses (didn't help a few times, then it
worked, then a rating), and again. Runs on a fresh SQLite file and, when
``FIXBOT_DATABASE_URL`` is set, on that database too (its rows are removed
afterwards). Knowledge and matcher are built once, outside the timing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.events import Inbound, Reply
from bot.service import Service
from bot.settings import Settings

SEED = 20261127


@dataclass(frozen=True, slots=True)
class ChatFigures:
    database: str
    messages: int
    users: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float


class _Person:
    """One scripted user: decides the next thing to send from the bot's last reply."""

    def __init__(self, name: str, rng: random.Random, symptoms: list[str]) -> None:
        self.name = name
        self.rng = rng
        self.symptoms = symptoms
        self.last: tuple[Reply, ...] = ()
        self.said_hello = False
        self.not_helped = 0

    def next(self) -> tuple[str | None, str | None]:
        """(text, payload) to send."""
        if not self.said_hello:
            self.said_hello = True
            return (self.rng.choice(("hei", "hello", "hei fixbot")), None)
        payloads = [b.payload for reply in self.last for b in reply.buttons]
        for prefix in self._wanted():
            for payload in payloads:
                if payload.startswith(prefix):
                    if prefix == "step:no":
                        self.not_helped += 1
                    return (None, payload)
        self.not_helped = 0
        return (self.rng.choice(self.symptoms), None)

    def _wanted(self) -> tuple[str, ...]:
        if self.not_helped < self.rng.randint(1, 3):
            return ("step:no", "pick:", "rate:")
        return ("step:ok", "rate:", "pick:")


def _symptoms(service: Service) -> list[str]:
    phrases = [
        phrase
        for problem in service.knowledge.problems.values()
        for _, phrase in problem.phrases.items()
    ]
    return phrases or ["mailen på iPhonen sender ikke"]


def bench(service: Service, label: str, users: int, messages: int) -> ChatFigures:
    """Send ``messages`` events from ``users`` scripted people through ``service``."""
    rng = random.Random(SEED)
    symptoms = _symptoms(service)
    platform = f"bench-{uuid.uuid4().hex[:8]}"
    people = [_Person(f"user{n}", random.Random(SEED + n), symptoms) for n in range(users)]
    latencies: list[float] = []
    started = time.perf_counter()
    for number in range(messages):
        person = people[number % users] if number < users else rng.choice(people)
        text, payload = person.next()
        event = Inbound(
            platform=platform,
            user_id=person.name,
            chat_key=person.name,
            event_id=f"{platform}-{number}",
            received_at=datetime.now(UTC),
            text=text,
            payload=payload,
            # As the serving adapters do: the replies go into the outbox with the turn.
            reply_to=f"{person.name}|",
        )
        before = time.perf_counter()
        outcome = service.handle(event)
        latencies.append(time.perf_counter() - before)
        person.last = outcome.replies
    seconds = time.perf_counter() - started
    _clean_up(service, platform)
    latencies.sort()
    return ChatFigures(
        database=label,
        messages=messages,
        users=users,
        seconds=round(seconds, 3),
        per_second=round(messages / seconds, 1),
        p50_ms=round(statistics.median(latencies) * 1000, 3),
        p99_ms=round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 3),
    )


def _clean_up(service: Service, platform: str) -> None:
    from bot.store.retention import purge_platform

    with service.store.writing() as connection:
        purge_platform(connection, platform)


def _service(settings: Settings, knowledge: Any, matcher: Any) -> Service:
    from bot.store.unit_of_work import open_store

    return Service(open_store(settings), knowledge, matcher, settings)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.cli.commands import CommandError
    from bot.knowledge import default_knowledge_dir, load_knowledge
    from bot.store.database import mask_url
    from bot.store.errors import DatabaseError
    from bot.understanding.matcher import Matcher

    if args.users < 1 or args.messages < 1:
        raise CommandError("--users and --messages must be at least 1")
    knowledge = load_knowledge(settings.knowledge_dir or default_knowledge_dir())
    matcher = Matcher.build(knowledge, settings.matcher)
    figures: list[ChatFigures] = []
    with tempfile.TemporaryDirectory(prefix="fixbot-bench-") as directory:
        # A non-default URL is never upgraded automatically, so upgrade the temp file here.
        from bot.store import schema
        from bot.store.database import create_engine_for

        url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        engine = create_engine_for(url)
        schema.upgrade(engine)
        engine.dispose()
        targets = [("sqlite (temp file)", replace(settings, database_url=url))]
        if settings.database_url:
            targets.append((mask_url(settings.database_url), settings))
        for label, target in targets:
            try:
                service = _service(target, knowledge, matcher)
            except DatabaseError as error:
                raise CommandError(str(error)) from None
            try:
                figures.append(bench(service, label, args.users, args.messages))
            finally:
                service.close()
    if args.json:
        print(json.dumps([asdict(f) for f in figures], indent=2))
    else:
        for f in figures:
            print(
                f"{f.database}: {f.messages} messages from {f.users} users in {f.seconds:.2f} s "
                f"= {f.per_second:.0f} msg/s; latency p50 {f.p50_ms:.2f} ms, p99 {f.p99_ms:.2f} ms"
            )
    return 0
