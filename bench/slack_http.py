"""Benchmark: one `fixbot serve slack` process (HTTP mode, SQLite) under a steady event rate.

Starts the local fake Slack (``tests/adapters/slack/fake_server.py``), upgrades
a fresh SQLite file, starts ``fixbot serve slack`` against both, and sends
signed ``message.im`` events at ``--rate`` per second for ``--seconds``, each
from one of ``--users`` people in a DM channel of its own. For every event it
times the first ``chat.postMessage`` into its channel (the first reply). It
samples the server's resident memory each second, and again ``--settle``
seconds after the load. Target (issue 14): replies keep pace with 300
events/s for 20 s, first-reply p99 under 1 s, memory back under 120 MiB.

    .venv/bin/python bench/slack_http.py [--rate 300] [--seconds 20] [--json]
    .venv/bin/python bench/slack_http.py --profile cpu.prof   # cProfile the server's loop

The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.signature import SignatureVerifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.adapters.slack.fake_server import APP_ID, BOT_USER_ID, TEAM_ID, Call, FakeSlack

TOKEN = "xoxb-bench-token"
SECRET = "bench-signing-secret-0123456789ab"
TARGET_P99_S = 1.0
TARGET_RSS_MIB = 120.0
# ``--texts six``: six messages over and over (every reading after the first six is
# remembered by the matcher's memo); the default sends the labelled sets' messages
LABELLED = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
SIX_TEXTS = (
    "mailen på iPhonen oppdateres ikke",
    "I can't send email from my iPhone",
    "iphone spør hele tiden om passordet til mailen",
    "e-posten kommer ikke inn på telefonen",
    "outboxen er full og ingenting blir sendt",
    "hei",
)


class TimedSlack(FakeSlack):
    """The fake Slack, noting when each channel got its first chat.postMessage."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.first_post: dict[str, float] = {}
        self.keep_calls = False
        self.api_calls = 0

    def _respond(self, call: Call) -> tuple[int, dict[str, str], dict[str, Any]]:
        if call.method == "chat.postMessage":
            channel = str(call.args.get("channel"))
            self.first_post.setdefault(channel, time.monotonic())
        self.api_calls += 1
        status, headers, body = super()._respond(call)
        if not self.keep_calls:
            with self._lock:  # the records are not needed, and would grow the bench process
                self.calls.clear()
                self.messages.clear()
        return status, headers, body


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def system_cpu_seconds(pid: int) -> float:
    """The process's CPU time in the kernel (sockets, futexes, SQLite's file writes)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[12]) / os.sysconf("SC_CLK_TCK")


def main_thread_cpu_seconds(pid: int) -> float:
    """CPU of the process's main thread (the event loop); the rest is worker threads."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def signed(body: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(
            timestamp=ts, body=body.decode()
        ),
    }


def labelled_texts() -> tuple[str, ...]:
    """Every distinct message of the labelled sets (first messages and mid-flow replies),
    in a fixed shuffled order: traffic the memo has not seen."""
    texts: dict[str, None] = {}
    for path in sorted(LABELLED.glob("eval_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts[json.loads(line)["text"]] = None
    ordered = list(texts)
    random.Random(14).shuffle(ordered)
    return tuple(ordered)


def event(i: int, users: int, texts: tuple[str, ...]) -> bytes:
    user = f"U{i % users:06d}"
    ts = f"1700000000.{i:06d}"
    body = {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "type": "event_callback",
        "event_id": f"EvB{i:07d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        "event": {
            "type": "message",
            "channel": f"D{i:07d}",
            "channel_type": "im",
            "user": user,
            "text": texts[i % len(texts)],
            "ts": ts,
            "event_ts": ts,
        },
    }
    return json.dumps(body).encode()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def drive(
    url: str, rate: float, seconds: float, users: int, texts: tuple[str, ...]
) -> dict[str, Any]:
    """Send the events on schedule; the send times and the acks' latencies."""
    total = int(rate * seconds)
    sent: dict[str, float] = {}
    acks: list[float] = []
    failures = 0
    connector = aiohttp.TCPConnector(limit=512)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(i: int) -> None:
            nonlocal failures
            body = event(i, users, texts)
            started = time.monotonic()
            sent[f"D{i:07d}"] = started
            try:
                async with session.post(url, data=body, headers=signed(body)) as response:
                    await response.read()
                    if response.status != 200:
                        failures += 1
            except aiohttp.ClientError:
                failures += 1
            acks.append(time.monotonic() - started)

        start = time.monotonic()
        tasks = []
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.ensure_future(one(i)))
        send_seconds = time.monotonic() - start
        await asyncio.gather(*tasks)
    return {"sent": sent, "acks": acks, "failures": failures, "send_seconds": send_seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--settle", type=float, default=10.0, help="seconds before the last RSS")
    parser.add_argument("--profile", help="cProfile the server's event loop into this file")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--texts",
        choices=("labelled", "six"),
        default="labelled",
        help="the labelled sets' distinct messages (default) or six repeated ones",
    )
    args = parser.parse_args()
    args.pool = labelled_texts() if args.texts == "labelled" else SIX_TEXTS

    workdir = Path(tempfile.mkdtemp(prefix="fixbot-bench-slack-"))
    database = f"sqlite:///{workdir / 'fixbot.sqlite3'}"
    port = free_port()
    fixbot = [str(Path(sys.executable).with_name("fixbot"))]
    if args.profile:
        fixbot = [sys.executable, "-m", "cProfile", "-o", args.profile, "-m", "adapters.cli"]
    if os.environ.get("BENCH_SERVER"):  # another way to run the server (a sampler...)
        fixbot = [sys.executable, *os.environ["BENCH_SERVER"].split()]
    with TimedSlack() as fake:
        env = {
            **os.environ,
            "FIXBOT_DATABASE_URL": database,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "FIXBOT_SLACK_API_URL": fake.api_url,
            "FIXBOT_LOG_LEVEL": "WARNING",
        }
        env.pop("SLACK_APP_TOKEN", None)
        upgrade = [str(Path(sys.executable).with_name("fixbot")), "db", "upgrade"]
        subprocess.run(upgrade, env=env, check=True, capture_output=True)
        started = time.monotonic()
        server = subprocess.Popen(
            [*fixbot, "serve", "slack", "--port", str(port)], env=env, cwd=workdir
        )
        try:
            figures = asyncio.run(run_load(args, server, port, fake, started))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
    shutil.rmtree(workdir, ignore_errors=True)
    figures["load_average"] = os.getloadavg()
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        report(figures)
    met = (
        figures["answered"] == figures["events"]
        and figures["first_reply_p99_s"] < TARGET_P99_S
        and figures["rss_after_mib"] < TARGET_RSS_MIB
    )
    return 0 if met else 1


async def run_load(
    args: argparse.Namespace,
    server: subprocess.Popen[bytes],
    port: int,
    fake: TimedSlack,
    started: float,
) -> dict[str, Any]:
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        while True:
            if server.poll() is not None:
                raise SystemExit("fixbot serve slack exited at start-up")
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        break
            await asyncio.sleep(0.1)
    startup_s = time.monotonic() - started
    rss_idle = rss_mib(server.pid)
    cpu_before = cpu_seconds(server.pid)
    system_before = system_cpu_seconds(server.pid)
    loop_cpu_before = main_thread_cpu_seconds(server.pid)
    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            samples.append(rss_mib(server.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    load_start = time.monotonic()
    driven = await drive(f"{base}/slack/events", args.rate, args.seconds, args.users, args.pool)
    sent: dict[str, float] = driven["sent"]
    deadline = time.monotonic() + 60
    while len(fake.first_post) < len(sent) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    drained_s = time.monotonic() - load_start
    cpu_used = cpu_seconds(server.pid) - cpu_before
    system_used = system_cpu_seconds(server.pid) - system_before
    loop_cpu = main_thread_cpu_seconds(server.pid) - loop_cpu_before
    await asyncio.sleep(args.settle)
    stop.set()
    latencies = [fake.first_post[c] - t for c, t in sent.items() if c in fake.first_post]
    return {
        "rate": args.rate,
        "seconds": args.seconds,
        "texts": f"{args.texts} ({len(set(args.pool[: len(sent)]))} distinct)",
        "events": len(sent),
        "answered": len(latencies),
        "ack_failures": driven["failures"],
        "send_seconds": round(driven["send_seconds"], 2),
        "all_answered_after_s": round(drained_s, 2),
        "first_reply_p50_s": round(percentile(latencies, 0.50), 3),
        "first_reply_p99_s": round(percentile(latencies, 0.99), 3),
        "first_reply_max_s": round(max(latencies, default=float("nan")), 3),
        "ack_p99_s": round(percentile(driven["acks"], 0.99), 3),
        "web_api_calls_per_event": round(fake.api_calls / max(1, len(sent)), 2),
        "server_cpu_s": round(cpu_used, 1),
        "server_cpu_ms_per_event": round(1000 * cpu_used / max(1, len(sent)), 2),
        "event_loop_cpu_ms_per_event": round(1000 * loop_cpu / max(1, len(sent)), 2),
        "kernel_cpu_ms_per_event": round(1000 * system_used / max(1, len(sent)), 2),
        "startup_s": round(startup_s, 2),
        "rss_idle_mib": round(rss_idle, 1),
        "rss_peak_mib": round(max(samples, default=rss_idle), 1),
        "rss_after_mib": round(rss_mib(server.pid), 1),
    }


def report(figures: dict[str, Any]) -> None:
    one, five, fifteen = figures["load_average"]
    print(
        f"Slack HTTP, one process on SQLite: {figures['rate']:.0f} events/s for "
        f"{figures['seconds']:.0f} s (load average {one:.2f} {five:.2f} {fifteen:.2f})"
    )
    for key, value in figures.items():
        if key != "load_average":
            print(f"  {key:26} {value}")
    p99_ok = figures["first_reply_p99_s"] < TARGET_P99_S
    kept = figures["answered"] == figures["events"]
    rss_ok = figures["rss_after_mib"] < TARGET_RSS_MIB
    print(
        f"  every event answered: {'met' if kept else 'NOT met'}; first reply p99 < 1 s: "
        f"{'met' if p99_ok else 'NOT met'}; RSS after < 120 MiB: {'met' if rss_ok else 'NOT met'}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
