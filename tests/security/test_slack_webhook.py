"""Slack's HTTP endpoint: nothing unsigned is read past 1 MB, parsed or logged; a signed
but malformed body is a 400 without a traceback; an event without an event id is served."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from adapters.slack.app import build_bot, start_http
from adapters.slack.gate import MAX_BODY_BYTES
from bot.settings import Settings
from tests.adapters.slack.fake_server import APP_ID, TEAM_ID, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
MARKER = "BODY-MARKER-7f3a"


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    """Slack's v0 signature over the raw bytes (slack_sdk's helper only takes UTF-8)."""
    ts = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    signature = "v0=" + digest.hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


@pytest.fixture
async def endpoint(service: Any) -> AsyncIterator[tuple[str, FakeSlack]]:
    with FakeSlack() as fake:
        settings = Settings(
            slack_bot_token="xoxb-0000-test-bot-token",
            slack_signing_secret=SECRET,
            slack_api_url=fake.api_url,
        )
        runner, port = await start_http(build_bot(settings, service), "127.0.0.1", 0)
        try:
            yield f"http://127.0.0.1:{port}/slack/events", fake
        finally:
            await runner.cleanup()


async def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status, await r.text()


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


async def test_unsigned_and_oversized_posts_are_refused_in_one_line_without_body(
    endpoint: tuple[str, FakeSlack], caplog: pytest.LogCaptureFixture
) -> None:
    url, _ = endpoint
    caplog.set_level(logging.DEBUG)
    small = json.dumps({"type": "event_callback", "note": MARKER}).encode()
    big = (MARKER * (MAX_BODY_BYTES // len(MARKER) + 10)).encode()
    json_type = {"Content-Type": "application/json"}
    assert (await _post(url, small, json_type))[0] == 401
    assert (await _post(url, small, {**json_type, **signed(small, "wrong-secret")}))[0] == 401
    assert (await _post(url, big, json_type))[0] == 401  # unsigned: refused unread
    assert (await _post(url, big, {**json_type, **signed(big)}))[0] == 413
    refusals = [r for r in caplog.records if r.getMessage().startswith("refused slack request")]
    assert len(refusals) == 4
    assert all("\n" not in r.getMessage() for r in refusals)
    assert MARKER not in _logged(caplog)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00", "application/json"),
    ],
)
async def test_malformed_signed_bodies_get_400_without_traceback(
    endpoint: tuple[str, FakeSlack],
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
) -> None:
    url, _ = endpoint
    caplog.set_level(logging.DEBUG)
    status, _ = await _post(url, body, {"Content-Type": content_type, **signed(body)})
    assert status == 400
    assert not any(record.exc_info for record in caplog.records)


async def test_an_event_without_event_id_is_answered(
    endpoint: tuple[str, FakeSlack], caplog: pytest.LogCaptureFixture
) -> None:
    url, fake = endpoint
    event = {
        "type": "message",
        "channel": "D0NORA",
        "channel_type": "im",
        "user": "U0NORA",
        "text": "mailen på iPhonen sender ikke",
        "ts": "1700000009.000100",
        "event_ts": "1700000009.000100",
    }
    body = json.dumps(
        {"type": "event_callback", "team_id": TEAM_ID, "api_app_id": APP_ID, "event": event}
    ).encode()
    status, _ = await _post(url, body, {"Content-Type": "application/json", **signed(body)})
    assert status == 200
    await fake.wait_for(lambda: bool(fake.posts()), "a reply to the event without event_id")
    assert not any(record.exc_info for record in caplog.records)
