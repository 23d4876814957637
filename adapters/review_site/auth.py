"""Logging in and out, and the gate that sends anyone without a session to the login page.

Sessions are Starlette's signed cookies (itsdangerous, HttpOnly, SameSite=Lax)
holding the staff name and the account's session key (its session version);
the gate checks on every request that the key is still the account's, so
logging out, a password change and removing the account end every session
at once. Failed logins are counted per account name (known or not) and per
client address in the database (``bot.store.review.logins``), and each
failure is answered a little slower than the one before.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from adapters.review_site.csrf import form_value, rotate_token
from adapters.review_site.i18n import LANGUAGES
from adapters.review_site.rendering import render, when

PUBLIC_PATHS = frozenset({"/login", "/healthz"})
STAFF_KEY = "staff"
SESSION_VERSION = "sv"


def safe_next(target: str | None, default: str = "/conversations") -> str:
    """``target`` when it is a path on this site, else ``default`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


class LoginRequired:
    """Redirects every request but the login page, /healthz and /static to the login page
    unless the session names an existing staff account."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path in PUBLIC_PATHS or path.startswith("/static/"):
            await self.app(scope, receive, send)
            return
        session = scope["session"]
        staff = session.get(STAFF_KEY)
        key = session.get(SESSION_VERSION)
        store = scope["app"].state.store
        if (
            isinstance(staff, str)
            and isinstance(key, str)
            and await run_in_threadpool(store.session_valid, staff, key)
        ):
            await self.app(scope, receive, send)
            return
        session.pop(STAFF_KEY, None)
        session.pop(SESSION_VERSION, None)
        query = scope.get("query_string", b"").decode("latin-1")
        target = path + (f"?{query}" if query else "")
        response = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        await response(scope, receive, send)


async def login_page(request: Request) -> Response:
    if request.session.get(STAFF_KEY):
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return render(request, "login.html", {"next": request.query_params.get("next", "")})


async def login(request: Request) -> Response:
    form = await request.form()
    name = form_value(form, "name").strip()
    password = form_value(form, "password")
    target = safe_next(form_value(form, "next"))
    store = request.app.state.store
    address = request.client.host if request.client else ""
    result = await run_in_threadpool(store.check_login, name, password, address)
    if result.ok:
        request.session.clear()
        request.session[STAFF_KEY] = name
        request.session[SESSION_VERSION] = result.session_key
        request.session["lang"] = request.app.state.default_language
        rotate_token(request)
        return RedirectResponse(target, status_code=303)
    config = request.app.state.config
    # Each failure in a row answers later than the one before (and the lockout stops guessing).
    await asyncio.sleep(config.failure_delay * min(max(result.failures, 1), 5))
    if result.locked_until is not None:
        error, status = ("login_locked", 429)
        until = when(result.locked_until)
    else:
        error, status, until = ("login_failed", 401, "")
    context = {"next": target, "error": error, "until": until, "name": name}
    return render(request, "login.html", context, status_code=status)


async def logout(request: Request) -> Response:
    """End this session and every other session of the account (a copied cookie too)."""
    staff = request.session.get(STAFF_KEY)
    if isinstance(staff, str):
        await run_in_threadpool(request.app.state.store.end_sessions, staff)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def set_language(request: Request) -> Response:
    form = await request.form()
    language = form_value(form, "lang")
    if language in LANGUAGES:
        request.session["lang"] = language
    return RedirectResponse(safe_next(form_value(form, "next")), status_code=303)
