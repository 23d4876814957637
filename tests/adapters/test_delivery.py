"""The delivery worker's pure parts: backoff with jitter, Retry-After, the settings it reads."""

from __future__ import annotations

import random

import pytest

from adapters.delivery import backoff
from bot.settings import DeliverySettings, Settings, SettingsError

SETTINGS = DeliverySettings(first_backoff_seconds=0.5, max_backoff_seconds=30.0)


@pytest.mark.parametrize(
    ("retry_after", "expected"), [(0.0, 0.0), (7.0, 7.0), (10_000.0, 120.0), (-3.0, 0.0)]
)
def test_retry_after_is_honoured_and_capped(retry_after: float, expected: float) -> None:
    assert backoff(5, SETTINGS, random.Random(1), retry_after) == expected


def test_backoff_grows_with_attempts_within_full_jitter_and_its_cap() -> None:
    rng = random.Random(7)
    for attempts in range(12):
        ceiling = min(30.0, 0.5 * 2**attempts)
        waits = [backoff(attempts, SETTINGS, rng, None) for _ in range(50)]
        assert all(0.25 <= wait <= ceiling for wait in waits)
        assert len(set(waits)) > 1  # jittered: many chats do not retry in step


def test_delivery_settings_from_the_environment() -> None:
    settings = Settings.from_env(
        {"FIXBOT_DRAIN_SECONDS": "3", "FIXBOT_DELIVERY_LEASE_SECONDS": "5"}
    )
    assert (settings.delivery.drain_seconds, settings.delivery.lease_seconds) == (3.0, 5.0)
    assert Settings.from_env({}).delivery.drain_seconds == 10.0
    with pytest.raises(SettingsError, match="FIXBOT_DRAIN_SECONDS"):
        Settings.from_env({"FIXBOT_DRAIN_SECONDS": "soon"})
    with pytest.raises(SettingsError, match="greater than 0"):
        Settings.from_env({"FIXBOT_DELIVERY_GIVE_UP_SECONDS": "0"})
