"""The bounded update queue: polling (or a webhook answer) waits while the process is full."""

from __future__ import annotations

import asyncio

from telegram import Update

from adapters.telegram.intake import UpdateQueue


async def test_put_waits_while_the_limit_of_updates_is_unfinished() -> None:
    queue = UpdateQueue(2)
    await queue.put(Update(1))
    await queue.put(Update(2))
    # The application takes both at once; they are unfinished until task_done.
    assert [(await queue.get()).update_id for _ in range(2)] == [1, 2]  # type: ignore[attr-defined]
    third = asyncio.ensure_future(queue.put(Update(3)))
    await asyncio.sleep(0)  # let it reach its wait
    assert not third.done()
    assert queue.qsize() == 0
    queue.task_done()
    await asyncio.wait_for(third, 5)
    assert queue.qsize() == 1 and queue.unfinished == 2


async def test_the_stop_signal_is_never_held_back() -> None:
    queue = UpdateQueue(1)
    await queue.put(Update(1))
    stop = object()
    await asyncio.wait_for(queue.put(stop), 5)  # the application's own signal goes through
    assert queue.qsize() == 2
