"""Benchmark: how fast one process sends Telegram replies with N sends in flight.

The price of ``DeliverySettings.telegram_sends_in_flight`` (default 1: at most
one duplicate per killed process). Queues ``--replies`` outbox rows over
``--chats`` chats with the scripted dialog on a throw-away PostgreSQL schema
(FIXBOT_TEST_POSTGRES_URL), then times the real delivery worker and
``TelegramSender`` (through the same Application as ``fixbot serve telegram``:
rate limiter, connection pool) against the fake Bot API whose sendMessage
answers after ``--latency`` seconds. Prints sends/s per bound.

    .venv/bin/python bench/telegram_delivery.py --latency 0.05 --in-flight 1 32
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text as sql

from adapters.delivery import DeliveryWorker
from adapters.telegram.app import build_application
from adapters.telegram.sending import TelegramSender
from bench.scratch import base_postgres_url, postgres_schema, scripted_service, upgrade
from bot.events import Inbound
from bot.service import Service
from bot.settings import DeliverySettings, Settings
from tests.adapters.telegram.fake_server import FakeBotAPI


def queue_replies(service: Service, replies: int, chats: int) -> int:
    """Turns until at least ``replies`` outbox rows wait; how many there are."""
    queued = 0
    n = 0
    while queued < replies:
        chat = str(1000 + n % chats)
        event = Inbound(
            "telegram",
            chat,
            chat,
            uuid.uuid4().hex,
            datetime.now(UTC),
            text=f"hello {n}",
            reply_to=f"{chat}|",
        )
        queued += service.handle(event).queued
        n += 1
    return queued


def pending(service: Service) -> int:
    with service.store.reading() as connection:
        return int(
            connection.execute(
                sql("SELECT count(*) FROM outbox WHERE state = 'pending'")
            ).scalar_one()
        )


async def deliver(service: Service, fake: FakeBotAPI, in_flight: int) -> tuple[int, float]:
    """Send every pending row with ``in_flight`` sends at once; (sendMessage calls, seconds)."""
    settings = replace(
        service.settings, telegram_bot_token=fake.token, telegram_base_url=fake.base_url
    )
    app = build_application(settings, service)  # type: ignore[arg-type]
    async with app:
        before = len(fake.calls_of("sendMessage"))
        worker = DeliveryWorker(
            service.store,
            "telegram",
            TelegramSender(app.bot),
            settings.delivery,
            sends_in_flight=in_flight,
        )
        started = time.monotonic()
        worker.start()
        while await asyncio.to_thread(pending, service):
            await asyncio.sleep(0.01)
        took = time.monotonic() - started
        await worker.drain(1.0)
        return len(fake.calls_of("sendMessage")) - before, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="sendMessage seconds")
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--in-flight", type=int, nargs="+", default=[1, 32])
    args = parser.parse_args()
    with postgres_schema(base_postgres_url()) as url:
        return run(args, url)


def run(args: argparse.Namespace, url: str) -> int:
    """The bounds in turn, on a fresh schema at ``url``."""
    fake = FakeBotAPI().start()
    try:
        upgrade(url)
        settings = Settings(
            database_url=url,
            delivery=DeliverySettings(poll_seconds=0.02),
        )
        service = scripted_service(settings)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"sendMessage {args.latency * 1000:.0f} ms, {args.replies} replies over "
            f"{args.chats} chats (load average {load})"
        )
        for bound in args.in_flight:
            rows = queue_replies(service, args.replies, args.chats)
            fake.slow_next("sendMessage", seconds=args.latency, times=rows * 4)
            calls, took = asyncio.run(deliver(service, fake, bound))
            with fake._lock:
                fake._slow.clear()
            print(f"  {bound:3d} in flight: {calls} sends in {took:.2f} s = {calls / took:.1f}/s")
        service.close()
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
