"""The bot's send rate shared among its instances (PostgreSQL, several processes).

Every few seconds each instance records a heartbeat in the store (`heartbeat()` returns how
many instances are alive) and sets its own overall send limiter to `rate / live`: together
they stay under Telegram's limit however many run, adjusting as instances come and go.
A store without `heartbeat` (SQLite: one process) leaves the limiter as it is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

from dialogs.ports import StoreError

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0


def share(rate: float, live: int) -> float:
    """This instance's part of the total rate."""
    return rate / max(1, live)


def set_overall_rate(limiter: object, rate: float) -> bool:
    """Give PTB's AIORateLimiter a new overall rate (messages per second); False if it is
    not one (nothing changed)."""
    if not isinstance(limiter, AIORateLimiter):
        return False
    current = getattr(limiter, "_base_limiter", None)
    if isinstance(current, AsyncLimiter) and current.max_rate == rate:
        return True
    limiter._base_limiter = AsyncLimiter(max_rate=rate, time_period=1)
    return True


async def keep_sharing(
    heartbeat: Callable[[], Awaitable[int]],
    apply: Callable[[float], object],
    rate: float,
    every: float = HEARTBEAT_SECONDS,
) -> None:
    """Until cancelled: heartbeat, then `apply(rate / live instances)` when it changes.
    A failing heartbeat keeps the last share (and is tried again)."""
    last: int | None = None
    while True:
        try:
            live = await heartbeat()
        except StoreError as error:  # the database briefly unreachable: keep the last share
            log.warning("instance heartbeat failed: %s", type(error).__name__)
        else:
            if live != last:
                apply(share(rate, live))
                if last is not None or live > 1:
                    log.info(
                        "%d instances alive: this one sends at most %.2f/s", live, share(rate, live)
                    )
                last = live
        await asyncio.sleep(every)
