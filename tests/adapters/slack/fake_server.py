"""A fake Slack for adapter tests: the Web API over HTTP and Socket Mode over a websocket.

Both listen on 127.0.0.1 on ports the OS picks, each in its own thread, so the
real slack_sdk/slack-bolt clients talk to them exactly as to Slack. Every Web
API call is recorded with its parsed body; every message the Socket Mode
client sends back (the acks) is recorded too. Tests wait on conditions over
these records with ``await fake.wait_for(...)``, which wakes on each record.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve

BOT_USER_ID = "UFIXBOT"
BOT_ID = "BFIXBOT"
TEAM_ID = "T0FIXBOT"
APP_ID = "A0FIXBOT"
DEADLINE = 15.0

# Parameters that arrive as JSON strings inside form or query bodies.
_JSON_FIELDS = ("blocks", "view", "attachments", "metadata")


@dataclass(frozen=True)
class Call:
    """One Web API request: the method, its parsed arguments and the token it carried."""

    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class _Failure:
    status: int
    retry_after: int | None
    error: str


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # bursts of concurrent calls must not be refused
    fake: FakeSlack


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake's records are the log."""

    def setup(self) -> None:
        super().setup()
        with self.server.fake._lock:
            self.server.fake.connections += 1  # one handler per TCP connection

    def do_GET(self) -> None:
        self._answer(urlsplit(self.path).query)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        self._answer(
            raw, json_body=self.headers.get("Content-Type", "").startswith("application/json")
        )

    def _answer(self, raw: str, *, json_body: bool = False) -> None:
        path = urlsplit(self.path).path
        method = path.removeprefix("/api/")
        if json_body:
            args: dict[str, Any] = json.loads(raw) if raw else {}
        else:
            args = {key: values[-1] for key, values in parse_qs(raw).items()}
            query = urlsplit(self.path).query
            if query and raw != query:
                args.update({k: v[-1] for k, v in parse_qs(query).items()})
        for name in _JSON_FIELDS:
            if isinstance(args.get(name), str):
                args[name] = json.loads(args[name])
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        status, headers, body = self.server.fake._respond(Call(method, args, token))
        delay = self.server.fake.latency.get(method)
        if delay:
            time.sleep(delay)  # the answer is late; the call has already been recorded
        with self.server.fake._lock:
            self.server.fake.answered += 1
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client died
            self.wfile.write(data)


@dataclass
class FakeSlack:
    """Slack's side of the wire, for one test. Use as a context manager."""

    locales: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    # chat.postMessage to these channels is refused ("not_in_channel"), as for a bot never invited
    refused_channels: set[str] = field(default_factory=set)
    # seconds each call of a method takes, after Slack has acted on it (a slow Web API)
    latency: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.calls: list[Call] = []
        self.acks: list[dict[str, Any]] = []
        self.answered = 0  # calls whose answer was on its way back (after any latency)
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.socket_connections = 0
        self.connections = 0  # TCP connections made to the Web API
        self._lock = threading.Lock()
        self._failures: dict[str, list[_Failure]] = {}
        self._ts = itertools.count(1)
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._http: _Server | None = None
        self._ws_loop: asyncio.AbstractEventLoop | None = None
        self._ws_server: Server | None = None
        self._ws_clients: set[ServerConnection] = set()
        self._threads: list[threading.Thread] = []

    # -- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> FakeSlack:
        self._http = _Server(("127.0.0.1", 0), _Handler)
        self._http.fake = self
        http_thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack-http"
        )
        http_thread.daemon = True
        http_thread.start()
        self._ws_loop = asyncio.new_event_loop()
        ws_thread = threading.Thread(target=self._ws_loop.run_forever, name="fake-slack-ws")
        ws_thread.daemon = True
        ws_thread.start()
        self._threads = [http_thread, ws_thread]

        async def start() -> Server:
            return await serve(self._socket_session, "127.0.0.1", 0)

        self._ws_server = asyncio.run_coroutine_threadsafe(start(), self._ws_loop).result(DEADLINE)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._ws_loop is not None and self._ws_server is not None:
            server = self._ws_server

            async def close() -> None:
                server.close()
                await server.wait_closed()

            asyncio.run_coroutine_threadsafe(close(), self._ws_loop).result(DEADLINE)
            self._ws_loop.call_soon_threadsafe(self._ws_loop.stop)
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(DEADLINE)
        if self._ws_loop is not None:
            self._ws_loop.close()

    @property
    def api_url(self) -> str:
        """The Web API root for ``AsyncWebClient(base_url=...)`` (with its trailing slash)."""
        assert self._http is not None
        return f"http://127.0.0.1:{self._http.server_address[1]}/api/"

    @property
    def ws_url(self) -> str:
        assert self._ws_server is not None
        port = next(iter(self._ws_server.sockets)).getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/"

    # -- the Web API ---------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 0,
        error: str = "ratelimited",
    ) -> None:
        """Make the next call to ``method`` fail (a 429 with Retry-After by default)."""
        with self._lock:
            self._failures.setdefault(method, []).append(_Failure(status, retry_after, error))

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def _respond(self, call: Call) -> tuple[int, dict[str, str], dict[str, Any]]:
        with self._lock:
            self.calls.append(call)
            failures = self._failures.get(call.method)
            failure = failures.pop(0) if failures else None
            if failure is None:
                body = self._answer(call)
        self.notify()
        if failure is not None:
            headers = (
                {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
            )
            return failure.status, headers, {"ok": False, "error": failure.error}
        return 200, {}, body

    def _answer(self, call: Call) -> dict[str, Any]:
        args = call.args
        if call.method == "auth.test":
            return {
                "ok": True,
                "url": "https://fixbot-test.slack.com/",
                "team": "fixbot test",
                "user": "fixbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if call.method == "chat.postMessage" and args.get("channel") in self.refused_channels:
            return {"ok": False, "error": "not_in_channel"}
        if call.method == "chat.postMessage":
            ts = f"1700000000.{next(self._ts):06d}"
            message = {
                "type": "message",
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "ts": ts,
                "text": args.get("text", ""),
                "blocks": args.get("blocks") or [],
            }
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            if args.get("metadata"):
                message["metadata"] = args["metadata"]
            self.messages[(args["channel"], ts)] = message
            return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}
        if call.method == "chat.update":
            key = (args["channel"], args["ts"])
            if key not in self.messages:
                return {"ok": False, "error": "message_not_found"}
            self.messages[key] = {
                **self.messages[key],
                "text": args.get("text", ""),
                "blocks": args.get("blocks") or [],
            }
            return {
                "ok": True,
                "channel": args["channel"],
                "ts": args["ts"],
                "text": args.get("text", ""),
            }
        if call.method in ("conversations.history", "conversations.replies"):
            thread = args.get("ts") if call.method == "conversations.replies" else None
            return {"ok": True, "messages": self._history(args, thread), "has_more": False}
        if call.method == "users.info":
            user = args.get("user", "")
            info: dict[str, Any] = {
                "id": user,
                "name": user.lower(),
                "real_name": self.names.get(user, user),
                "profile": {"display_name": self.names.get(user, "")},
            }
            if str(args.get("include_locale")).lower() in ("1", "true"):
                info["locale"] = self.locales.get(user, "en-US")
            return {"ok": True, "user": info}
        if call.method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).lstrip("U")}}
        if call.method == "views.publish":
            return {"ok": True, "view": {"id": "VHOME", **(args.get("view") or {})}}
        if call.method == "apps.connections.open":
            return {"ok": True, "url": self.ws_url}
        return {"ok": False, "error": "unknown_method"}

    def _history(self, args: dict[str, Any], thread: str | None) -> list[dict[str, Any]]:
        """A channel's (or a thread's) messages, newest first, as Slack lists them."""
        found = [
            message
            for (channel, ts), message in self.messages.items()
            if channel == args.get("channel")
            and (thread is None or message.get("thread_ts") == thread)
        ]
        wants_metadata = str(args.get("include_all_metadata")).lower() in ("1", "true")
        listed = sorted(found, key=lambda message: message["ts"], reverse=True)
        if not wants_metadata:
            listed = [{k: v for k, v in m.items() if k != "metadata"} for m in listed]
        return listed

    # -- Socket Mode -----------------------------------------------------------------

    async def _socket_session(self, connection: ServerConnection) -> None:
        """Slack's side of one Socket Mode connection: hello, then record what comes back."""
        self._ws_clients.add(connection)
        with self._lock:
            self.socket_connections += 1
        try:
            await connection.send(
                json.dumps(
                    {
                        "type": "hello",
                        "num_connections": 1,
                        "debug_info": {"host": "fake-slack", "approximate_connection_time": 3600},
                        "connection_info": {"app_id": APP_ID},
                    }
                )
            )
            self.notify()
            async for raw in connection:
                with self._lock:
                    self.acks.append(json.loads(raw))
                self.notify()
        finally:
            self._ws_clients.discard(connection)

    def send_envelope(self, envelope: dict[str, Any]) -> None:
        """Send one envelope to every connected Socket Mode client."""
        assert self._ws_loop is not None
        clients = list(self._ws_clients)

        async def send() -> None:
            for client in clients:
                await client.send(json.dumps(envelope))

        asyncio.run_coroutine_threadsafe(send(), self._ws_loop).result(DEADLINE)

    # -- waiting -----------------------------------------------------------------

    def notify(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)

    async def wait_for(
        self, condition: Callable[[], bool], what: str = "condition", timeout: float = DEADLINE
    ) -> None:
        """Wait until ``condition()`` holds, re-checking on every record; fail after ``timeout``."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        waiter = (loop, event)
        with self._lock:
            self._waiters.append(waiter)
        deadline = loop.time() + timeout
        try:
            while not condition():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
                event.clear()
                if condition():
                    return
                try:
                    await asyncio.wait_for(event.wait(), remaining)
                except TimeoutError:
                    continue
        finally:
            with self._lock:
                self._waiters.remove(waiter)

    # -- reading the records --------------------------------------------------------

    def posts(self, channel: str | None = None) -> list[Call]:
        """chat.postMessage calls, in order, optionally in one channel."""
        return [
            call
            for call in self.calls_to("chat.postMessage")
            if channel is None or call.args.get("channel") == channel
        ]

    def posted_messages(self, channel: str) -> Iterator[dict[str, Any]]:
        """The messages fixbot posted in ``channel`` as they stand now (after updates)."""
        with self._lock:
            items = sorted(
                (ts, message) for (ch, ts), message in self.messages.items() if ch == channel
            )
        for _, message in items:
            yield message
