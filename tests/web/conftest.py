"""Review site fixtures: a seeded database, the app, a logged-in client, a served site."""

from __future__ import annotations

import re
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from adapters.review_site import ReviewConfig, build_app
from bot.settings import Settings
from bot.store.database import create_engine_for
from bot.store.review.store import ReviewStore
from tests.web.seed import Seeded, build_service, seed

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SECRET = "test-review-secret-0123456789abcdef"
STAFF, PASSWORD = "kari", "riktig-hest-batteri"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    """A clock tests can move; starts at the real time."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Site:
    store: ReviewStore
    seeded: Seeded
    clock: Clock
    app: Any


def build_site(database_url: str, knowledge: Any, classifier: Any) -> Site:
    """Seed through a real ``Service``, add the staff account and build the app."""
    service = build_service(Settings(database_url=database_url), knowledge, classifier)
    try:
        seeded = seed(service)
    finally:
        service.close()
    clock = Clock()
    engine = create_engine_for(database_url)
    store = ReviewStore(engine, clock=clock)
    store.create_staff(STAFF, PASSWORD)
    settings = Settings(database_url=database_url, review_secret_key=SECRET)
    app = build_app(settings, store, knowledge, ReviewConfig(failure_delay=0))
    return Site(store, seeded, clock, app)


@pytest.fixture
def site(database_url: str, shipped_knowledge: Any, shipped_classifier: Any) -> Iterator[Site]:
    built = build_site(database_url, shipped_knowledge, shipped_classifier)
    yield built
    built.store._engine.dispose()


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def log_in(client: TestClient, name: str = STAFF, password: str = PASSWORD) -> Any:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token, "next": ""},
        follow_redirects=False,
    )


@pytest.fixture
def client(site: Site) -> Iterator[TestClient]:
    with TestClient(site.app, follow_redirects=False) as anonymous:
        yield anonymous


@pytest.fixture
def staff_client(client: TestClient) -> TestClient:
    response = log_in(client)
    assert response.status_code == 303, response.text
    return client


class Server:
    """The app served by uvicorn on a free port in a background thread."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)  # deadline wait for the server thread
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


_shots: list[Path] = []


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots and remember it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    _shots.append(path)
    print(f"screenshot: {path}")
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _shots:
        terminalreporter.write_sep("-", "review site screenshots")
        terminalreporter.write_line(f"{len(_shots)} screenshots in {SCREENSHOTS}")
        for path in _shots:
            terminalreporter.write_line(f"  {path.name}")
