"""Benchmark: the review site's conversation list and insights pages over 100,000 conversations.

Seeds a fresh database (a temp SQLite file; also a throw-away schema of the
PostgreSQL named by FIXBOT_DATABASE_URL when set) by bulk insert, with
messages, step outcomes, ratings and handoffs in realistic proportions, then
times pages through the ASGI app (Starlette's TestClient, logged in) and
prints p50/p95 per page. Target: p95 < 300 ms for the list, insights and text search.

    .venv/bin/python bench/review_pages.py [--conversations 100000] [--repeat 30] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.review_site import ReviewConfig, build_app
from bench.scratch import postgres_schema
from bot.knowledge import default_knowledge_dir, load_knowledge
from bot.settings import Settings
from bot.store import models, schema
from bot.store.database import create_engine_for
from bot.store.review.store import ReviewStore
from bot.store.search import searchable

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

TARGET_MS = 300.0
PAGES: tuple[tuple[str, str], ...] = (
    ("list", "/conversations"),
    ("insights", "/insights"),
    ("list status+problem", "/conversations?status=handed_off&problem=cannot-send"),
    ("list page 100, by status", "/conversations?sort=status&dir=asc&page=100"),
    ("list text search", "/conversations?q=kontoret"),
    ("list text search, no match", "/conversations?q=100%25_x"),
    ("list text search + status", "/conversations?q=Printer&status=handed_off"),
    ("insights last 30 days", "/insights?from={d30}"),
    ("missed", "/missed"),
    ("one conversation", "/conversations/{mid}"),
)
SYMPTOMS = (
    "mailen på iPhonen oppdaterer ikke",
    "I can't send email from my iPhone",
    "får ikke sendt e-post",
    "inbox is not updating",
    "e-posten kommer bare når jeg åpner appen",
    "Mail keeps asking for my password",
)
MISSES = (
    "skriveren på kontoret virker ikke",
    "printer jammed again",
    "vpn kobler ikke til",
    "teams krasjer",
    "hvordan bytter jeg passord på pc",
)
TARGETED = ("list", "insights", "list text search")  # must answer under TARGET_MS at p95
STATUSES = ("resolved",) * 5 + ("handed_off",) * 2 + ("abandoned",) * 2 + ("active", "ended")


def _rows(count: int, seed: int = 7) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Batches of rows for every table, 2,000 conversations at a time."""
    rng = random.Random(seed)
    knowledge = load_knowledge(default_knowledge_dir())
    problems = [problem for problem in knowledge.problems.values() if problem.steps]
    now = datetime.now(UTC)
    message_id = 0
    for start in range(1, count + 1, 2000):
        batch: dict[str, list[dict[str, Any]]] = {
            k: []
            for k in ("users", "chats", "conversations", "messages", "steps", "ratings", "handoffs")
        }
        for cid in range(start, min(start + 2000, count + 1)):
            platform = rng.choice(("telegram", "telegram", "slack"))
            language = rng.choice(("nb", "nb", "en"))
            began = now - timedelta(days=rng.random() * 365)
            problem = rng.choice(problems)
            status = rng.choice(STATUSES)
            batch["users"].append(
                dict(
                    id=cid,
                    platform=platform,
                    external_id=f"u{cid}",
                    display_name=f"Person {cid}",
                    language=language,
                    language_chosen=False,
                    created_at=began,
                )
            )
            batch["chats"].append(
                dict(id=cid, platform=platform, chat_key=f"c{cid}", current_conversation_id=cid)
            )
            batch["conversations"].append(
                dict(
                    id=cid,
                    chat_id=cid,
                    user_id=cid,
                    platform=platform,
                    status=status,
                    intent=problem.id,
                    step_index=None,
                    language=language,
                    state={},
                    started_at=began,
                    updated_at=began + timedelta(minutes=9),
                    ended_at=None,
                )
            )
            at = began
            missed = rng.random() < 0.15
            first = rng.choice(MISSES) if missed else rng.choice(SYMPTOMS)
            batch["conversations"][-1]["search_text"] = searchable([first])  # as the service does
            texts = [("in", first, "none" if missed else "match")]
            shown = rng.randint(1, min(4, len(problem.steps)))
            for number in range(1, shown + 1):
                texts.append(("out", f"**Steg {number}**: " + "Gjør slik. " * 25, None))
                last = number == shown
                outcome = (
                    ("worked" if status == "resolved" else "not_helped")
                    if last
                    else rng.choice(("not_helped", "not_helped", "skipped"))
                )
                texts.append(("in", "", None))
                batch["steps"].append(
                    dict(
                        conversation_id=cid,
                        problem=problem.id,
                        step_id=problem.steps[number - 1],
                        step_number=number,
                        outcome=outcome,
                        created_at=at,
                    )
                )
            for direction, text, decision in texts:
                message_id += 1
                at += timedelta(seconds=40)
                batch["messages"].append(
                    dict(
                        id=message_id,
                        conversation_id=cid,
                        direction=direction,
                        text=text,
                        payload=None if text or direction == "out" else "step:no:x:1",
                        buttons=None,
                        intent=problem.id if decision == "match" else None,
                        confidence=rng.random() if decision else None,
                        decision=decision,
                        language=language if direction == "in" else None,
                        created_at=at,
                    )
                )
            if status == "resolved" and rng.random() < 0.5:
                batch["ratings"].append(
                    dict(conversation_id=cid, score=rng.randint(3, 5), created_at=at)
                )
            if status == "handed_off":
                handoff_status = rng.choice(("open", "claimed", "closed", "closed"))
                batch["handoffs"].append(
                    dict(
                        conversation_id=cid,
                        reason="steps_exhausted",
                        problem=problem.id,
                        summary=f"{first}. Tried {shown} steps.",
                        details={},
                        status=handoff_status,
                        claimed_by="kari" if handoff_status != "open" else None,
                        claimed_at=at if handoff_status != "open" else None,
                        closed_by="kari" if handoff_status == "closed" else None,
                        closed_at=at if handoff_status == "closed" else None,
                        delivered_at=at,
                        created_at=at,
                    )
                )
        yield batch


TABLES = {
    "users": models.User,
    "chats": models.Chat,
    "conversations": models.Conversation,
    "messages": models.Message,
    "steps": models.StepOutcome,
    "ratings": models.Rating,
    "handoffs": models.Handoff,
}


def seed(engine: Any, count: int) -> float:
    started = time.perf_counter()
    for batch in _rows(count):
        with engine.begin() as connection:
            for key, model in TABLES.items():
                if batch[key]:
                    connection.execute(model.__table__.insert(), batch[key])
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for name in ("users", "chats", "conversations", "messages"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            connection.exec_driver_sql("ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def time_pages(engine: Any, url: str, repeat: int, count: int) -> dict[str, dict[str, float]]:
    store = ReviewStore(engine)
    store.create_staff("bench", "bench-password-1")
    settings = Settings(database_url=url, review_secret_key="bench-secret-key-0123456789")
    app = build_app(
        settings, store, load_knowledge(default_knowledge_dir()), ReviewConfig(failure_delay=0)
    )
    d30 = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    results: dict[str, dict[str, float]] = {}
    with TestClient(app) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        client.post(
            "/login", data={"name": "bench", "password": "bench-password-1", "csrf_token": token}
        )
        for name, path in PAGES:
            path = path.format(d30=d30, mid=max(1, count // 2))
            assert client.get(path).status_code == 200, path  # warm-up
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, path
            timings.sort()
            results[name] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
            }
    return results


@contextmanager
def databases(count: int) -> Iterator[tuple[str, str]]:
    """(label, url) of each database to bench, made fresh and removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        yield "sqlite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


def run_one(label: str, url: str, count: int, repeat: int) -> dict[str, Any]:
    engine = create_engine_for(url)
    try:
        schema.upgrade(engine)
        seconds = seed(engine, count)
        print(f"[{label}] seeded {count} conversations in {seconds:.1f} s", file=sys.stderr)
        return {
            "database": label,
            "conversations": count,
            "seed_s": round(seconds, 1),
            "pages": time_pages(engine, url, repeat, count),
        }
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    reports = []
    with databases(args.conversations) as (label, url):
        reports.append(run_one(label, url, args.conversations, args.repeat))
    if os.environ.get("FIXBOT_DATABASE_URL"):
        with postgres_schema(os.environ["FIXBOT_DATABASE_URL"]) as url:
            reports.append(run_one("postgresql", url, args.conversations, args.repeat))
    failed = False
    if args.json:
        print(json.dumps(reports, indent=2))
    for report in reports:
        if not args.json:
            print(f"{report['database']}: {report['conversations']} conversations")
        for name, figures in report["pages"].items():
            slow = name in TARGETED and figures["p95_ms"] > TARGET_MS
            failed |= slow
            if not args.json:
                mark = "  OVER TARGET" if slow else ""
                print(
                    f"  {name:28} p50 {figures['p50_ms']:7.1f} ms   "
                    f"p95 {figures['p95_ms']:7.1f} ms{mark}"
                )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
