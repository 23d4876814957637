"""A fake Telegram Bot API server for adapter tests: real HTTP on 127.0.0.1, port 0.

It serves queued updates through ``getUpdates`` (a short long-poll), answers
the methods fixbot calls with the full objects Telegram returns, records every
call (method, form fields with the JSON ones decoded, HTTP status) and can
answer the next N calls of a method with a 429 and ``retry_after``. The people who
write to it are in ``fake_person``.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs

T = TypeVar("T")

TOKEN = "4839574812:AAFD39kkdpWt3ywyRZergyOLMaJhac60qcQ"
JSON_FIELDS = ("reply_markup", "link_preview_options", "reply_parameters", "allowed_updates")
LONG_POLL_CAP = 0.25  # seconds a getUpdates may hold, so shutdown stays quick
DEADLINE = 15.0


@dataclass(frozen=True)
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any = None


@dataclass(frozen=True)
class Sent:
    """One message the bot sent (a successful sendMessage)."""

    params: dict[str, Any]
    message_id: int

    @property
    def text(self) -> str:
        return str(self.params["text"])

    @property
    def data(self) -> list[str]:
        """The callback data of its inline keyboard, in order."""
        return [d for row in keyboard_data(self.params) for d in row]

    @property
    def labels(self) -> list[str]:
        return keyboard_labels(self.params)

    def payload(self, prefix: str) -> str:
        """The one button payload starting with ``prefix``."""
        found = [d for d in self.data if d.startswith(prefix)]
        assert len(found) == 1, f"no single {prefix!r} button in {self.data}"
        return found[0]


@dataclass
class _Failure:
    times: int
    retry_after: int


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # bursts of concurrent sends must not be refused


class FakeBotAPI:
    """The fake server: ``base_url`` is what ``ApplicationBuilder.base_url`` takes."""

    def __init__(self, token: str = TOKEN, username: str = "fixbot_test_bot") -> None:
        self.token = token
        self.bot_user = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "fixbot",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat id, message id)
        self.chat_types: dict[int, str] = {}
        self.refused_chats: set[int] = set()  # sendMessage to these fails: "chat not found"
        self._pending: list[dict[str, Any]] = []
        self._failures: dict[str, _Failure] = {}
        self._slow: dict[str, list[float]] = {}  # answers that come late, per method
        self.answered = 0  # calls whose answer was on its way back (after any slowness)
        self._lock = threading.Condition()
        self._message_ids = itertools.count(1000)
        self._update_ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def start(self) -> FakeBotAPI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            self._lock.notify_all()

    # --- what tests do ---------------------------------------------------------------

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for the next getUpdates; returns its update id."""
        with self._lock:
            message = update.get("message")
            if message:  # kept, so the bot's answers can carry it as reply_to_message
                self.messages[(message["chat"]["id"], message["message_id"])] = message
            self._pending.append(update)
            self._lock.notify_all()
        return int(update["update_id"])

    def fail_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 Too Many Requests."""
        with self._lock:
            self._failures[method] = _Failure(times, retry_after)

    def slow_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Act on the next ``times`` calls of ``method`` at once but answer ``seconds`` late
        (a client with a shorter read timeout gives up on a call that did arrive)."""
        with self._lock:
            self._slow.setdefault(method, []).extend([seconds] * times)

    def calls_of(self, method: str, *, ok_only: bool = True) -> list[dict[str, Any]]:
        with self._lock:
            return [
                call.params
                for call in self.calls
                if call.method == method and (call.status == 200 or not ok_only)
            ]

    def sent_to(self, chat_id: int) -> list[Sent]:
        """Every message the bot sent to ``chat_id``, in order."""
        with self._lock:
            return [
                Sent(call.params, int(call.result["message_id"]))
                for call in self.calls
                if call.method == "sendMessage"
                and call.status == 200
                and int(call.params["chat_id"]) == chat_id
            ]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        with self._lock:
            return json.loads(json.dumps(self.messages[(chat_id, message_id)]))

    def wait_for_call(self, timeout: float) -> None:
        """Block until the bot makes its next call, or ``timeout`` passes (for sync tests)."""
        with self._lock:
            count = len(self.calls)
            self._lock.wait_for(lambda: len(self.calls) > count, timeout=timeout)

    async def wait_for(
        self, predicate: Callable[[], T | None], what: str, timeout: float = DEADLINE
    ) -> T:
        """Poll until ``predicate()`` is truthy; fail after ``timeout`` with the call log."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                methods = [(c.method, c.status) for c in self.calls]
                raise AssertionError(f"timed out waiting for {what}; calls: {methods}")
            await asyncio.sleep(0.01)

    async def wait_edit(self, message_id: int) -> dict[str, Any]:
        """Wait for the bot's editMessageText of ``message_id``; returns its fields."""

        def edit() -> dict[str, Any] | None:
            edits = self.calls_of("editMessageText")
            return next((p for p in edits if int(p["message_id"]) == message_id), None)

        return await self.wait_for(edit, f"an edit of message {message_id}")

    async def wait_sent(self, chat_id: int, count: int, what: str = "") -> list[Sent]:
        """Wait until at least ``count`` messages went to ``chat_id``; returns them all."""
        return await self.wait_for(
            lambda: sent if len(sent := self.sent_to(chat_id)) >= count else None,
            what or f"{count} messages to chat {chat_id}",
        )

    # --- the Bot API -----------------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            failure = self._failures.get(method)
            if failure and failure.times > 0:
                failure.times -= 1
                self._record(Call(method, params, 429))
                return 429, {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {failure.retry_after}",
                    "parameters": {"retry_after": failure.retry_after},
                }
        if method == "getUpdates":
            updates = self._updates(params)
            with self._lock:
                self._record(Call(method, params, 200, updates))
            return 200, {"ok": True, "result": updates}
        handler = getattr(self, f"_api_{method}", None)
        with self._lock:
            if handler is None:
                self._record(Call(method, params, 404))
                return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            result = handler(params)
            if isinstance(result, tuple):
                self._record(Call(method, params, result[0]))
                return result
            self._record(Call(method, params, 200, result))
            return 200, {"ok": True, "result": result}

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        wait = min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        with self._lock:
            self._lock.wait_for(lambda: self._pending, timeout=wait)
            updates, self._pending = self._pending, []
            return updates

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        if chat_id in self.refused_chats:  # e.g. a support group the bot was removed from
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: chat not found",
            }
        message_id = next(self._message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": self.chat_types.get(chat_id, "private")},
            "from": self.bot_user,
            "text": _plain(str(params["text"]), params.get("parse_mode")),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        replied = (params.get("reply_parameters") or {}).get("message_id")
        if replied is not None and (chat_id, int(replied)) in self.messages:
            message["reply_to_message"] = self.messages[(chat_id, int(replied))]
        self.messages[(chat_id, message_id)] = message
        return message

    def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        message = self._stored(params)
        if message is None:
            return 400, {"ok": False, "error_code": 400, "description": "message not found"}
        message["text"] = _plain(str(params["text"]), params.get("parse_mode"))
        message["edit_date"] = int(time.time())
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return message

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        message = self._stored(params)
        if message is None:
            return 400, {"ok": False, "error_code": 400, "description": "message not found"}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return message

    def _stored(self, params: dict[str, Any]) -> dict[str, Any] | None:
        return self.messages.get((int(params["chat_id"]), int(params["message_id"])))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body are two writes: with Nagle's algorithm the body waits for
            # the client's delayed ACK (40 ms a call on Linux), which real Telegram lacks.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                self._serve()

            def do_GET(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                match = re.fullmatch(r"/bot([^/]+)/(\w+)", self.path.split("?")[0])
                if not match or match.group(1) != fake.token:
                    status, payload = 401, {"ok": False, "error_code": 401, "description": "no"}
                else:
                    params = _parse(body, self.headers.get("Content-Type") or "")
                    status, payload = fake._answer(match.group(2), params)
                    with fake._lock:
                        late = fake._slow.get(match.group(2))
                        delay = late.pop(0) if late else 0.0
                    if delay:
                        time.sleep(delay)
                    with fake._lock:
                        fake.answered += 1
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may have given up (a long poll at shutdown).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the request line holds the token; keep it out of test output

        return Handler


def _parse(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        params: dict[str, Any] = json.loads(body)
    else:
        params = {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    for name in JSON_FIELDS:
        if isinstance(params.get(name), str):
            params[name] = json.loads(params[name])
    return params


def _plain(text: str, parse_mode: str | None) -> str:
    """What Telegram would store as the message's text (entities are not modelled)."""
    if parse_mode == "HTML":
        return html.unescape(re.sub(r"<[^>]+>", "", text))
    return text


def keyboard_data(params: dict[str, Any]) -> list[list[str]]:
    """The callback data of a recorded message's inline keyboard, row by row."""
    markup = params.get("reply_markup") or {}
    return [[b["callback_data"] for b in row] for row in markup.get("inline_keyboard", [])]


def keyboard_labels(params: dict[str, Any]) -> list[str]:
    markup = params.get("reply_markup") or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]
