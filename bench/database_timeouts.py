"""Benchmark: a silent database ends in the apology within its timeout, and serving resumes.

Puts ``tests/storage/silent_proxy.py`` between a ``Service`` (default
``DatabaseTimeouts``: 5 s) and the PostgreSQL named by FIXBOT_TEST_POSTGRES_URL
(a throw-away schema), then: silences it mid-run and times the failing
``handle`` (target: within the 5 s timeout), times a fresh connection while
silent, resumes it and times how soon a ``handle`` succeeds (target: 1 s).
Also times start-up against a port that accepts and never answers.

    .venv/bin/python bench/database_timeouts.py
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.engine import make_url

from bench.scratch import base_postgres_url, postgres_schema, scripted_service, upgrade
from bot.events import Inbound
from bot.service import Service, ServiceUnavailable
from bot.settings import DatabaseTimeouts, Settings
from bot.store.database import open_database
from bot.store.errors import DatabaseUnavailable
from tests.storage.silent_proxy import SilentProxy

TIMEOUTS = DatabaseTimeouts()


def inbound(text: str, chat: str) -> Inbound:
    return Inbound("bench", "u1", chat, uuid.uuid4().hex, datetime.now(UTC), text=text)


def timed(service: Service, text: str, chat: str) -> tuple[bool, float]:
    started = time.monotonic()
    try:
        service.handle(inbound(text, chat))
        return True, time.monotonic() - started
    except ServiceUnavailable:
        return False, time.monotonic() - started


def main() -> int:
    with postgres_schema(base_postgres_url()) as schema_url:
        return run(schema_url)


def run(schema_url: str) -> int:
    """The measurements on a fresh schema at ``schema_url``."""
    url = make_url(schema_url)
    upgrade(url.render_as_string(hide_password=False))
    with SilentProxy((url.host or "127.0.0.1", url.port or 5432)) as proxy:
        through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        service = scripted_service(Settings(database_url=through))
        ok, warm = timed(service, "warm", "c1")
        proxy.silence()
        failed, silent_s = timed(service, "silent", "c1")
        failed_new, silent_new_s = timed(service, "silent, new connection", "c2")
        proxy.resume()
        resumed = time.monotonic()
        while not timed(service, "after", "c1")[0]:
            pass
        back_s = time.monotonic() - resumed
        service.close()
    with SilentProxy() as dead:
        started = time.monotonic()
        try:
            open_database(Settings(database_url=f"postgresql://postgres@127.0.0.1:{dead.port}/x"))
            startup = "started?!"
        except DatabaseUnavailable as error:
            startup = str(error)
        startup_s = time.monotonic() - started
    limit = TIMEOUTS.unit_of_work_s + 0.5  # the budget, and scheduling slack

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"default timeouts: {TIMEOUTS} (load average {load})")
    print(f"  handle before silence          {warm:.3f} s (ok={ok})")
    print(
        f"  silent mid-run -> apology      {silent_s:.2f} s: "
        f"{verdict(not failed and silent_s <= limit)}"
    )
    print(
        f"  silent, new connection         {silent_new_s:.2f} s: "
        f"{verdict(not failed_new and silent_new_s <= limit)}"
    )
    print(f"  serving again after resume     {back_s:.3f} s: {verdict(back_s < 1)}")
    print(f"  start-up, port never answering {startup_s:.2f} s: {startup}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
