"""The send rate shared among instances: the limiter follows the number of live instances."""

from __future__ import annotations

import asyncio

from telegram.ext import AIORateLimiter

from bot.shared_rate import keep_sharing, set_overall_rate, share
from dialogs.ports import StoreError


def test_the_share_divides_the_rate_by_live_instances() -> None:
    assert share(30, 1) == 30
    assert share(30, 3) == 10
    assert share(30, 0) == 30  # never more than the whole


def test_the_overall_limiter_gets_the_new_rate() -> None:
    limiter = AIORateLimiter(overall_max_rate=30, overall_time_period=1)
    assert set_overall_rate(limiter, 15)
    assert limiter._base_limiter.max_rate == 15  # type: ignore[union-attr]
    assert not set_overall_rate(None, 15)  # no limiter: nothing to change


async def test_the_share_follows_instances_coming_and_going() -> None:
    lives = iter([1, 2, 2, StoreError("down"), 3, 1])
    applied: list[float] = []
    done = asyncio.Event()

    async def heartbeat() -> int:
        value = next(lives, None)
        if value is None:
            done.set()
            await asyncio.Event().wait()
        if isinstance(value, StoreError):
            raise value
        assert isinstance(value, int)
        return value

    task = asyncio.create_task(keep_sharing(heartbeat, applied.append, 30.0, every=0))
    await asyncio.wait_for(done.wait(), 2)
    task.cancel()
    assert applied == [30.0, 15.0, 10.0, 30.0]  # only changes; a failed beat keeps the share
