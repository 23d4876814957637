"""Wrong logins must not hurt the chat bot: chat latency while 20 clients post wrong logins.

On one fresh SQLite file (WAL, as shipped):

1. the review site runs in its own process (uvicorn, 127.0.0.1, a free port)
   with the real argon2 parameters; by default the per-address limit is lifted
   (``--address-limit``) so every attempt, under a new made-up name each time,
   really runs argon2: the worst case for the bot;
2. the chat bot (``Service.handle`` with the shipped knowledge) runs flat out
   in this process for ``--seconds`` alone, then again while
   ``--clients`` threads in a third process post wrong logins;
3. reported: chat events/s, p50 and p99 per phase; login attempts, their
   statuses (no 500 allowed) and p50/p99 answer times; the load average.

Run: ``.venv/bin/python bench/login_load.py``. Loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SECRET = "bench-review-secret-0123456789abcdef"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def serve_site(url: str, port: int, address_limit: int) -> None:
    """The review site process."""
    import uvicorn

    from adapters.review_site import build_app
    from bot.knowledge import default_knowledge_dir, load_knowledge
    from bot.settings import Settings
    from bot.store.database import create_engine_for
    from bot.store.review.logins import LoginPolicy
    from bot.store.review.store import ReviewStore

    store = ReviewStore(create_engine_for(url), policy=LoginPolicy(address_limit=address_limit))
    store.create_staff("kari", "riktig-hest-batteri")
    settings = Settings(database_url=url, review_secret_key=SECRET)
    app = build_app(settings, store, load_knowledge(default_knowledge_dir()))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")


def attack(port: int, clients: int, seconds: float, results: Any) -> None:
    """``clients`` threads posting wrong logins under made-up names for ``seconds``."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    timings: list[float] = []

    def client(number: int) -> None:
        attempt = 0
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                connection.request("GET", "/login")
                page = connection.getresponse()
                cookie = page.getheader("set-cookie", "").split(";")[0]
                token = CSRF.search(page.read().decode())
                attempt += 1
                body = (
                    f"name=made-up-{number}-{attempt}&password=wrong&next="
                    f"&csrf_token={token.group(1) if token else ''}"
                )
                started = time.perf_counter()
                connection.request(
                    "POST",
                    "/login",
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": cookie,
                    },
                )
                answer = connection.getresponse()
                answer.read()
                elapsed = time.perf_counter() - started
                with lock:
                    statuses[answer.status] = statuses.get(answer.status, 0) + 1
                    timings.append(elapsed)
            except OSError:
                with lock:
                    statuses[0] = statuses.get(0, 0) + 1
            finally:
                connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    results.put(
        {
            "attempts": len(timings),
            "statuses": statuses,
            "p50_ms": round(statistics.median(timings) * 1000, 1) if timings else None,
            "p99_ms": round(timings[int(len(timings) * 0.99) - 1] * 1000, 1) if timings else None,
        }
    )


def chat(service: Any, seconds: float, label: str) -> dict[str, Any]:
    """Send chat events through ``service`` flat out for ``seconds``; latency figures."""
    from bot.events import Inbound

    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    number = 0
    texts = ("hei", "mailen på iPhonen sender ikke", "hjalp ikke", "det funka")
    while time.monotonic() < deadline:
        number += 1
        user = f"{label}-user{number % 50}"
        event = Inbound(
            platform="bench",
            user_id=user,
            chat_key=user,
            event_id=f"{label}-{number}",
            received_at=datetime.now(UTC),
            text=texts[number % len(texts)],
        )
        before = time.perf_counter()
        service.handle(event)
        latencies.append(time.perf_counter() - before)
    latencies.sort()
    return {
        "events": len(latencies),
        "per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2),
    }


def main(args: argparse.Namespace) -> dict[str, Any]:
    from bot.knowledge import default_knowledge_dir, load_knowledge
    from bot.service import Service
    from bot.settings import Settings
    from bot.store import schema
    from bot.store.database import create_engine_for
    from bot.store.unit_of_work import open_store
    from bot.understanding.matcher import Matcher

    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="fixbot-login-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        engine = create_engine_for(url)
        schema.upgrade(engine)
        engine.dispose()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        site = spawn.Process(target=serve_site, args=(url, port, args.address_limit), daemon=True)
        site.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)  # waiting for the site process to listen
        settings = Settings(database_url=url)
        knowledge = load_knowledge(default_knowledge_dir())
        service = Service(
            open_store(settings), knowledge, Matcher.build(knowledge, settings.matcher), settings
        )
        try:
            chat(service, 1.0, "warm")
            alone = chat(service, args.seconds, "alone")
            results = spawn.Queue()
            attacker = spawn.Process(
                target=attack, args=(port, args.clients, args.seconds + 2, results)
            )
            attacker.start()
            time.sleep(1.0)  # let the attack reach full strength
            loaded = chat(service, args.seconds, "attacked")
            logins = results.get(timeout=args.seconds + 120)
            attacker.join(timeout=30)
        finally:
            service.close()
            site.terminate()
            site.join(timeout=10)
    with open("/proc/loadavg") as load:
        average = load.read().split()[:3]
    return {
        "chat_alone": alone,
        "chat_during_wrong_logins": loaded,
        "wrong_logins": logins,
        "clients": args.clients,
        "address_limit": args.address_limit,
        "load_average": average,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--address-limit",
        type=int,
        default=10**9,
        help="failed logins per address before a lock (default: none, the worst case)",
    )
    print(json.dumps(main(parser.parse_args()), indent=2))
