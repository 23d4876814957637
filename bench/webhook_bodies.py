"""Webhook bodies that must not cost the bot: unsigned 1 MB Slack posts, a 50 MB Telegram post.

Serves fixbot's Slack HTTP endpoint and Telegram webhook in this process on
127.0.0.1 (port 0), then:

- posts ``--slack-posts`` unsigned 1 MB bodies to Slack's endpoint and counts
  the bytes logged (every logger, DEBUG and up) and whether any body reached
  the log;
- posts a 50 MB body to the Telegram webhook without the secret, and one with
  the secret, streaming it from a socket, and records how much of it the
  server took before answering, and how long that took;
- reports this process's resident memory before and after (``VmRSS``).

Run: ``.venv/bin/python bench/webhook_bodies.py``. Loopback only; bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import socket
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.slack.app import build_bot, start_http
from adapters.telegram.webhook import SECRET_HEADER, webhook_app
from bot.settings import Settings

MB = 1024 * 1024
MARKER = b"UNSIGNED-BODY-MARKER-"


class CountingHandler(logging.Handler):
    """Counts the bytes of every formatted record, and whether the marker appeared."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.bytes = 0
        self.records = 0
        self.marker_seen = False

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        self.bytes += len(text.encode())
        self.records += 1
        self.marker_seen = self.marker_seen or MARKER.decode() in text


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def post_raw(port: int, path: str, headers: dict[str, str], size: int) -> dict[str, Any]:
    """POST a ``size``-byte body in 64 KB chunks; stop when the server answers or closes.
    Returns the status, the bytes sent and the seconds to the answer."""
    chunk = (MARKER * (65536 // len(MARKER) + 1))[:65536]
    started = time.perf_counter()
    sent = 0
    status = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n{head}\r\n".encode()
        )
        sock.setblocking(False)
        answer = b""
        while sent < size:
            try:
                answer += sock.recv(4096)
            except BlockingIOError:
                pass
            except OSError:
                break
            if answer:
                break
            try:
                sent += sock.send(chunk[: min(len(chunk), size - sent)])
            except BlockingIOError:
                time.sleep(0.001)  # socket buffer full: the server is not reading
            except OSError:
                break
        sock.setblocking(True)
        sock.settimeout(10)
        try:
            while b"\r\n" not in answer:
                more = sock.recv(4096)
                if not more:
                    break
                answer += more
        except OSError:
            pass
        if answer.startswith(b"HTTP/"):
            status = int(answer.split()[1])
    return {
        "status": status,
        "sent_mb": round(sent / MB, 2),
        "seconds": round(time.perf_counter() - started, 3),
    }


async def main(args: argparse.Namespace) -> dict[str, Any]:
    counter = CountingHandler()
    root = logging.getLogger()
    root.addHandler(counter)
    root.setLevel(logging.DEBUG)
    results: dict[str, Any] = {}

    settings = Settings(
        slack_bot_token="xoxb-0000-bench-token",
        slack_signing_secret="bench-signing-secret-0123456789",
        slack_api_url="http://127.0.0.1:9/api/",
    )
    bot = build_bot(settings, SimpleNamespace(knowledge=None))  # nothing reaches the core
    slack_runner, slack_port = await start_http(bot, "127.0.0.1", 0)
    application = SimpleNamespace(bot=None, update_queue=asyncio.Queue())
    tg_runner = web.AppRunner(
        webhook_app(application, "telegram/hook", "bench-secret"), access_log=None, lingering_time=0
    )
    await tg_runner.setup()
    await web.TCPSite(tg_runner, "127.0.0.1", 0).start()
    tg_port = int(tg_runner.addresses[0][1])

    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    statuses: dict[int, int] = {}
    json_type = {"Content-Type": "application/json"}
    for _ in range(args.slack_posts):
        outcome = await asyncio.to_thread(post_raw, slack_port, "/slack/events", json_type, MB)
        statuses[outcome["status"]] = statuses.get(outcome["status"], 0) + 1
    results["slack_unsigned_1mb"] = {
        "posts": args.slack_posts,
        "seconds": round(time.perf_counter() - started, 2),
        "statuses": statuses,
        "log_records": counter.records,
        "log_bytes": counter.bytes,
        "body_in_log": counter.marker_seen,
    }
    size = args.telegram_mb * MB
    unsigned = await asyncio.to_thread(post_raw, tg_port, "/telegram/hook", json_type, size)
    signed = await asyncio.to_thread(
        post_raw, tg_port, "/telegram/hook", {**json_type, SECRET_HEADER: "bench-secret"}, size
    )
    results[f"telegram_{args.telegram_mb}mb"] = {"unsigned": unsigned, "with_secret": signed}
    await asyncio.sleep(0.2)
    gc.collect()
    after = rss_mb()
    results["memory"] = {
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "growth_mb": round(after - before, 1),
    }
    results["log"] = {
        "records": counter.records,
        "bytes": counter.bytes,
        "body_seen": counter.marker_seen,
    }
    await slack_runner.cleanup()
    await tg_runner.cleanup()
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slack-posts", type=int, default=100)
    parser.add_argument("--telegram-mb", type=int, default=50)
    figures = asyncio.run(main(parser.parse_args()))
    print(json.dumps(figures, indent=2))
    with open("/proc/loadavg") as load:
        print("load average:", load.read().split()[:3])
