"""Sending to Telegram: bounded retries, and which errors are worth retrying."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from adapters.telegram import delivery as telegram_delivery
from adapters.telegram.delivery import retrying


class Flaky:
    """Fails with ``errors`` in turn, then answers "sent"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "sent"


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(telegram_delivery, "FIRST_BACKOFF", 0.0)


def _timed_out(cause: Exception) -> TimedOut:
    error = TimedOut()
    error.__cause__ = cause
    return error


async def test_network_errors_and_flood_control_are_retried() -> None:
    never_sent = _timed_out(httpx.ConnectTimeout("connect"))
    call = Flaky(NetworkError("reset"), never_sent, RetryAfter(0))
    assert await retrying(call, "sendMessage") == "sent"
    assert call.calls == 4


async def test_a_send_that_may_have_arrived_is_not_repeated() -> None:
    """A read timeout: Telegram may have delivered it, so sending again could double it."""
    call = Flaky(_timed_out(httpx.ReadTimeout("read")))
    with pytest.raises(TimedOut):
        await retrying(call, "sendMessage")
    assert call.calls == 1
    assert telegram_delivery.maybe_arrived(_timed_out(httpx.ReadTimeout("read")))
    assert not telegram_delivery.maybe_arrived(_timed_out(httpx.PoolTimeout("pool")))


async def test_retries_are_bounded() -> None:
    call = Flaky(*[NetworkError("down")] * 10)
    with pytest.raises(NetworkError):
        await retrying(call, "sendMessage")
    assert call.calls == telegram_delivery.SEND_ATTEMPTS


async def test_a_bad_request_is_not_retried() -> None:
    call = Flaky(BadRequest("Button_data_invalid"))
    with pytest.raises(BadRequest):
        await retrying(call, "sendMessage")
    assert call.calls == 1
