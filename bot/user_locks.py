"""Per-user locks: one user's updates handled one at a time, in the order they came; different
users at the same time; a flood from one user refused a place in the queue."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

MAX_PENDING_PER_USER = 100  # a whole getUpdates batch from one user; more is a flood, dropped


class UserLocks:
    """One asyncio.Lock per user while they have an update in flight (then forgotten).

    Waiters get the lock in arrival order (asyncio.Lock is fair), so one user's updates are
    handled in the order Telegram sent them. `hold` yields True when it is the update's
    turn; it yields False at once (no place in the queue) to a user who already has `limit`
    updates waiting: one user's flood cannot take all of PTB's concurrent-update slots.
    """

    def __init__(self, limit: int = MAX_PENDING_PER_USER) -> None:
        self.limit = limit
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, user_id: int) -> AsyncIterator[bool]:
        lock, users = self._locks.get(user_id, (asyncio.Lock(), 0))
        if users >= self.limit:
            yield False
            return
        self._locks[user_id] = (lock, users + 1)
        try:
            async with lock:
                yield True
        finally:
            lock, users = self._locks[user_id]
            if users <= 1:
                del self._locks[user_id]
            else:
                self._locks[user_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._locks
