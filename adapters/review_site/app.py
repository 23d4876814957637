"""Builds the review site's Starlette app from settings, a ``ReviewStore`` and the knowledge base.

Middleware, outermost first: security headers, the signed session cookie,
CSRF (every unsafe request), then the login gate (every page but the login
page, /healthz and /static). Endpoints live in their own modules.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.review_site import auth, conversations, handoffs, insights
from adapters.review_site.csrf import CSRFMiddleware
from adapters.review_site.i18n import Strings
from adapters.review_site.rendering import build_environment
from bot.knowledge import Knowledge
from bot.settings import Settings
from bot.store.review.store import ReviewStore

logger = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
SESSION_COOKIE = "fixbot_review"
MIN_SECRET_CHARS = 16
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self' data:; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
)


@dataclass(frozen=True, slots=True)
class ReviewConfig:
    """Web-only knobs; tests shorten ``failure_delay`` to 0."""

    failure_delay: float = 0.4  # seconds per failed login in a row (capped at 5)
    session_max_age: int = 8 * 3600
    https_only: bool = False  # set behind TLS so the cookie is sent only over HTTPS
    page_size: int = 50
    # Conversations idle longer than the dialog's timeout are marked abandoned
    # at start-up and then this often, so the figures don't wait for the
    # person to write again. None: never (tests).
    idle_sweep_seconds: float | None = 300.0


class SecurityHeaders:
    """Adds a strict CSP (no scripts at all) and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


async def healthz(request: Request) -> Response:
    healthy = await run_in_threadpool(request.app.state.store.healthy)
    return PlainTextResponse("ok" if healthy else "database unavailable", 200 if healthy else 503)


async def home(request: Request) -> Response:
    return RedirectResponse("/conversations", status_code=303)


def _idle_sweeper(
    store: ReviewStore, idle: timedelta, every: float | None
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """A lifespan that marks idle conversations abandoned now and every ``every`` seconds."""

    async def sweep_forever() -> None:
        while True:
            try:
                closed = await asyncio.to_thread(store.close_idle, idle)
                if closed:
                    logger.info("marked %d idle conversations abandoned", closed)
            except Exception:  # the site keeps serving; the next sweep tries again
                logger.exception("idle sweep failed")
            await asyncio.sleep(every or 0)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if every is None:
            yield
            return
        task = asyncio.create_task(sweep_forever())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifespan


def build_app(
    settings: Settings,
    store: ReviewStore,
    knowledge: Knowledge,
    config: ReviewConfig | None = None,
) -> Starlette:
    """The review site. ``settings.review_secret_key`` signs the session cookie and is required."""
    secret = settings.require("review_secret_key")
    if len(secret) < MIN_SECRET_CHARS:
        from bot.settings import SettingsError

        raise SettingsError(
            f"FIXBOT_REVIEW_SECRET_KEY must be at least {MIN_SECRET_CHARS} characters"
        )
    config = config or ReviewConfig()
    routes = [
        Route("/", home),
        Route("/healthz", healthz),
        Route("/login", auth.login_page, methods=["GET"]),
        Route("/login", auth.login, methods=["POST"]),
        Route("/logout", auth.logout, methods=["POST"]),
        Route("/language", auth.set_language, methods=["POST"]),
        Route("/conversations", conversations.conversation_list),
        Route("/conversations/export.{kind:str}", conversations.export),
        Route("/conversations/{conversation_id}", conversations.conversation_page),
        Route("/handoffs", handoffs.handoff_queue),
        Route("/handoffs/{handoff_id}/{action:str}", handoffs.handoff_action, methods=["POST"]),
        Route("/insights", insights.insights_page),
        Route("/missed", insights.missed_page),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=secret,
            session_cookie=SESSION_COOKIE,
            max_age=config.session_max_age,
            same_site="lax",
            https_only=config.https_only,
        ),
        Middleware(CSRFMiddleware),
        Middleware(auth.LoginRequired),
    ]
    idle = timedelta(hours=settings.dialog.idle_timeout_hours)
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=_idle_sweeper(store, idle, config.idle_sweep_seconds),
    )
    app.state.store = store
    app.state.knowledge = knowledge
    app.state.config = config
    app.state.strings = Strings.load()
    app.state.environment = build_environment()
    app.state.default_language = settings.default_language
    return app
