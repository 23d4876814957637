"""CSRF protection: a per-session token that every state-changing request must echo.

Checked in middleware, before any endpoint runs, so no form can forget it: a
POST (or PUT/PATCH/DELETE) must be a small url-encoded form whose
``csrf_token`` field equals the token in the signed session; anything else
gets 403. The body read here is replayed to the endpoint unchanged.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FIELD = "csrf_token"
SESSION_KEY = "csrf"
MAX_FORM_BYTES = 64 * 1024
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(request: Request) -> str:
    """This session's token, made on first use."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


def rotate_token(request: Request) -> None:
    """A fresh token (after login), so one seen before login is worthless after it."""
    request.session[SESSION_KEY] = secrets.token_urlsafe(32)


class CSRFMiddleware:
    """Refuses unsafe requests without the session's token (must run inside SessionMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip()
        body = (
            await _read_body(receive)
            if content_type == (b"application/x-www-form-urlencoded")
            else None
        )
        expected = scope.get("session", {}).get(SESSION_KEY)
        if body is None or not isinstance(expected, str) or not expected:
            await _refuse(scope, receive, send)
            return
        sent = parse_qs(body.decode("utf-8", "replace")).get(FIELD, [""])[0]
        if not hmac.compare_digest(sent.encode(), expected.encode()):
            await _refuse(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body, or None when it is larger than a form should be."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse("Forbidden: missing or invalid CSRF token", status_code=403)
    await response(scope, receive, send)


def form_value(form: Any, name: str) -> str:
    """A form field as a string ('' when absent or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""
