"""Per-user locks (bot/user_locks.py): one user's updates in order, others meanwhile, a flood
refused a place."""

from __future__ import annotations

import asyncio

from bot.user_locks import UserLocks


async def test_user_locks_keep_one_users_order_and_let_others_run() -> None:
    locks = UserLocks()
    events: list[str] = []

    async def handle(user: int, name: str, pause: float) -> None:
        async with locks.hold(user) as turn:
            assert turn
            events.append(f"start {name}")
            await asyncio.sleep(pause)
            events.append(f"end {name}")

    await asyncio.gather(handle(1, "a1", 0.05), handle(1, "a2", 0), handle(2, "b1", 0))
    assert events.index("end a1") < events.index("start a2")
    assert events.index("end b1") < events.index("end a1")  # b did not wait for a
    assert len(locks) == 0  # nothing kept once idle


async def test_a_flooding_user_gets_no_more_places_in_the_queue() -> None:
    locks = UserLocks(limit=3)
    release = asyncio.Event()
    turns: list[bool] = []

    async def handle(user: int) -> None:
        async with locks.hold(user) as turn:
            turns.append(turn)
            if turn:
                await release.wait()

    tasks = [asyncio.create_task(handle(1)) for _ in range(5)]
    other = asyncio.create_task(handle(2))
    await asyncio.sleep(0.01)
    assert turns.count(False) == 2  # the 4th and 5th of user 1, at once
    release.set()
    await asyncio.gather(*tasks, other)
    assert turns.count(True) == 4  # three of user 1, one of user 2
    assert len(locks) == 0
