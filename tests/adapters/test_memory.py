"""Freed heap is given back once a busy spell is over, not again and again while idle."""

from __future__ import annotations

import asyncio

import pytest

from adapters import memory
from adapters.memory import MemoryReleaser


@pytest.fixture
def trims(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def fake_trim(pad: int) -> int:
        calls.append(pad)
        return 1

    monkeypatch.setattr(memory, "_malloc_trim", lambda: fake_trim)
    return calls


async def _ticks(count: int) -> None:
    for _ in range(count):
        await asyncio.sleep(0.002)


async def _until(done: list[int], bound: int = 2500) -> None:
    """Let the loop run until ``done`` is not empty (bounded, for a loaded machine)."""
    for _ in range(bound):
        if done:
            return
        await asyncio.sleep(0.002)


def test_trimmed_after_a_spell_of_events_once_none_is_in_flight(trims: list[int]) -> None:
    state = {"admitted": 0, "in_flight": 0}

    async def scenario() -> None:
        releaser = MemoryReleaser(
            0.001, admitted=lambda: state["admitted"], in_flight=lambda: state["in_flight"]
        )
        releaser.start()
        await _ticks(20)
        assert trims == []  # nothing happened yet: nothing to give back
        state["admitted"], state["in_flight"] = 5, 2
        await _ticks(20)
        assert trims == []  # still busy
        state["in_flight"] = 0
        await _until(trims)
        await _ticks(20)
        assert trims == [0]  # once, however long it stays idle
        await releaser.stop()

    asyncio.run(scenario())


def test_zero_seconds_never_trims(trims: list[int]) -> None:
    async def scenario() -> None:
        releaser = MemoryReleaser(0, admitted=lambda: 1, in_flight=lambda: 0)
        releaser.start()
        await _ticks(10)
        await releaser.stop()

    asyncio.run(scenario())
    assert trims == []


def test_give_back_freed_memory_is_harmless_here() -> None:
    assert memory.give_back_freed_memory() in (True, False)
