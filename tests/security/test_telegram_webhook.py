"""Telegram's webhook: the secret and the declared size are checked before the body is
read; anything but a JSON update with the right secret is refused in one log line."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.telegram.webhook import MAX_BODY_BYTES, SECRET_HEADER, webhook_app

SECRET = "s3cret-Webhook_token"
MARKER = "BODY-MARKER-91c2"
FIFTY_MB = 50 * 1024 * 1024


@pytest.fixture
async def hook() -> AsyncIterator[tuple[str, int, Any]]:
    application = SimpleNamespace(bot=None, update_queue=asyncio.Queue())
    runner = web.AppRunner(
        webhook_app(application, "telegram/hook", SECRET), access_log=None, lingering_time=0
    )
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = int(runner.addresses[0][1])
    try:
        yield f"http://127.0.0.1:{port}/telegram/hook", port, application
    finally:
        await runner.cleanup()


async def _raw_post(port: int, headers: dict[str, str], first_bytes: bytes) -> int:
    """Declare a body, send only its first bytes, and read the answer: the server must
    answer without waiting for the rest."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    writer.write(f"POST /telegram/hook HTTP/1.1\r\nHost: x\r\n{head}\r\n".encode() + first_bytes)
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    return int(status_line.split()[1])


async def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status


async def test_a_50_mb_post_is_refused_before_it_is_read(
    hook: tuple[str, int, Any], caplog: pytest.LogCaptureFixture
) -> None:
    _, port, application = hook
    caplog.set_level(logging.DEBUG)
    declared = {"Content-Type": "application/json", "Content-Length": str(FIFTY_MB)}
    first = (MARKER * 100).encode()
    assert await _raw_post(port, declared, first) == 403  # no secret
    assert await _raw_post(port, {**declared, SECRET_HEADER: "wrong"}, first) == 403
    assert await _raw_post(port, {**declared, SECRET_HEADER: SECRET}, first) == 413
    refusals = [r.getMessage() for r in caplog.records if "refused telegram" in r.getMessage()]
    assert len(refusals) == 3
    assert MARKER not in "\n".join(r.getMessage() for r in caplog.records)
    assert application.update_queue.empty()


async def test_an_undeclared_length_is_read_only_up_to_the_cap(hook: tuple[str, int, Any]) -> None:
    url, _, application = hook

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b" " * MAX_BODY_BYTES

    headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
    async with aiohttp.ClientSession() as session:
        try:
            async with session.post(url, data=chunks(), headers=headers) as response:
                status = response.status
        except aiohttp.ClientError:  # the server may close before the client has sent it all
            status = 413
    assert status == 413
    assert application.update_queue.empty()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"no_update_id": 1}',
        b'{"update_id": 5, "message": {"chat": "not an object"}}',
        b'{"update_id": 6, "message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"\xff\xfe",
    ],
)
async def test_malformed_updates_with_the_secret_get_400_without_traceback(
    hook: tuple[str, int, Any], caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    url, _, application = hook
    caplog.set_level(logging.DEBUG)
    headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
    assert await _post(url, body, headers) == 400
    assert not any(record.exc_info for record in caplog.records)
    assert application.update_queue.empty()


async def test_a_good_update_reaches_the_queue(hook: tuple[str, int, Any]) -> None:
    url, _, application = hook
    update = {
        "update_id": 77,
        "message": {
            "message_id": 1,
            "date": 1700000000,
            "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "Anna"},
            "text": "hei",
        },
    }
    headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
    assert await _post(url, json.dumps(update).encode(), headers) == 200
    assert (await application.update_queue.get()).update_id == 77
