"""What the Telegram adapter tests share: the fake Bot API, the adapter started
against it, and waits and checks on what it sent."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from adapters.telegram import render as telegram_render
from adapters.telegram.app import ALLOWED_UPDATES, TelegramApp, build_application
from bot.settings import Settings
from tests.adapters.telegram.fake_person import Person
from tests.adapters.telegram.fake_server import FakeBotAPI, Sent

SECRET = "s3cret-Webhook_token"


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    server = FakeBotAPI().start()
    try:
        yield server
    finally:
        server.stop()


def adapter_settings(fake: FakeBotAPI, **changes: Any) -> Settings:
    return Settings(
        telegram_bot_token=fake.token,
        telegram_base_url=fake.base_url,
        telegram_webhook_secret=SECRET,
        **changes,
    )


@asynccontextmanager
async def running(
    fake: FakeBotAPI, core: Any, *, polling: bool = True, **changes: Any
) -> AsyncIterator[TelegramApp]:
    """The adapter's Application, started (and polling the fake unless ``polling`` is off);
    ``changes`` to the test settings."""
    app = build_application(adapter_settings(fake, **changes), core)
    await app.initialize()
    await app.start()
    if polling:
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=list(ALLOWED_UPDATES)
        )
    try:
        yield app
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.fixture
async def bot(fake: FakeBotAPI, service: Any) -> AsyncIterator[TelegramApp]:
    async with running(fake, service) as app:
        yield app


async def reply_after(
    fake: FakeBotAPI, person: Person, seen: int, match: Callable[[Sent], bool], what: str
) -> Sent:
    """The first message to ``person`` after the first ``seen`` that ``match`` accepts."""

    def found() -> Sent | None:
        return next((s for s in fake.sent_to(person.chat)[seen:] if match(s)), None)

    return await fake.wait_for(found, what)


def has_button(prefix: str) -> Callable[[Sent], bool]:
    return lambda sent: any(data.startswith(prefix) for data in sent.data)


def check_message(sent: Sent) -> None:
    """What every message must be: within Telegram's limits, HTML parse mode, sane buttons."""
    assert 0 < telegram_render.size(sent.text) <= 4096
    assert sent.params["parse_mode"] == "HTML"
    for data in sent.data:
        assert 1 <= len(data.encode()) <= 64


async def press_button(fake: FakeBotAPI, person: Person, sent: Sent, payload: str) -> None:
    update = person.press_update(sent.message_id, payload)
    query_id = update["callback_query"]["id"]
    fake.push(update)
    await fake.wait_for(
        lambda: any(
            p["callback_query_id"] == query_id for p in fake.calls_of("answerCallbackQuery")
        ),
        f"answerCallbackQuery for {payload}",
    )
    edited = await fake.wait_edit(sent.message_id)
    assert "reply_markup" not in edited or not edited["reply_markup"]
    label = dict(zip(sent.data, sent.labels, strict=True))[payload]
    assert edited["text"].endswith(f"<b>▸ {html.escape(label, quote=False)}</b>")
    assert "reply_markup" not in fake.message(person.chat, sent.message_id)
