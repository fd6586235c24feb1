"""Reminder benchmark: claiming, pacing and chat latency under a reminder burst.

    python bench/reminders_bench.py [--users 100000] [--window 10] [--burst 10000]

1. 100,000 users whose reminders are due in the same minute (time zones mixed): the time to
   find, claim and queue them all, and the size of the database.
2. Sending against a fake Telegram for `--window` seconds with the configured limits (30 msg/s
   overall, 25 of them for reminders, 1 msg/s per chat): the achieved reminder rate, and the
   most messages seen in any one-second window, overall and per chat.
3. The reply latency of a user chatting while a 10,000-reminder burst is claimed and sent.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.reminders import ReminderDispatcher
from bot.store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import load_knowledge
from dialogs.types import Incoming, Reply

DUE = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # the minute everything is due
# (zone, local time that is 09:00 UTC on 1 June 2026)
ZONES = [("UTC", "09:00"), ("Europe/Berlin", "11:00"), ("+05:30", "14:30"),
         ("America/New_York", "05:00"), ("Australia/Sydney", "19:00")]  # fmt: skip
TELEGRAM_OVERALL = 30.0
REMINDER_RATE = 25.0
PER_CHAT = 1.0


async def make_db(path: Path, users: int, both_every: int = 0) -> None:
    """`users` users, each with a water reminder due at DUE; every `both_every`-th user has a
    sleep reminder due at the same instant too (setup, not measured)."""
    store = await SQLiteStore.open(path)
    await store.close()
    created = int((DUE - timedelta(hours=2)).timestamp())
    due = int(DUE.timestamp())

    def schedule(user: int) -> str:
        zone, local = ZONES[user % len(ZONES)]
        return json.dumps({"zone": zone, "times": [local]})

    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO users (user_id, timezone, state, active, created_at, updated_at)"
            " VALUES (?, ?, '{}', 1, ?, ?)",
            ((u, ZONES[u % len(ZONES)][0], created, created) for u in range(1, users + 1)),
        )
        db.executemany(
            "INSERT INTO reminders (user_id, kind, schedule, next_due, created_at)"
            " VALUES (?, 'water', ?, ?, ?)",
            ((u, schedule(u), due, created) for u in range(1, users + 1)),
        )
        if both_every:
            db.executemany(
                "INSERT INTO reminders (user_id, kind, schedule, next_due, created_at)"
                " VALUES (?, 'sleep', ?, ?, ?)",
                ((u, schedule(u), due, created) for u in range(1, users + 1, both_every)),
            )
    db.close()


def max_in_window(times: list[float], width: float = 1.0) -> int:
    """The most events inside any half-open window [t, t + width)."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + width) - i for i, t in enumerate(times)), default=0)


class FakeTelegram:
    """Accepts every message after a little network time; records when each arrived."""

    def __init__(self, latency: float = 0.03) -> None:
        self.latency = latency
        self.arrivals: list[tuple[float, int, bool]] = []  # (time, chat, is a reminder)

    async def send_reminder(self, reply: Reply) -> bool:
        self.arrivals.append((time.monotonic(), reply.user_id, True))
        await asyncio.sleep(self.latency)
        return True

    def chat_reply(self, chat: int) -> None:
        self.arrivals.append((time.monotonic(), chat, False))


async def bench_claim(knowledge, folder: Path, users: int) -> None:  # type: ignore[no-untyped-def]
    path = folder / "claim.db"
    await make_db(path, users)
    size = sum(f.stat().st_size for f in folder.glob("claim.db*"))
    store = await SQLiteStore.open(path)
    engine = Engine(knowledge, store)
    dispatcher = ReminderDispatcher(engine, FakeTelegram().send_reminder,
                                    clock=lambda: DUE + timedelta(seconds=20),
                                    max_queue=users + 1000)  # fmt: skip
    start = time.perf_counter()
    queued = await dispatcher.tick()
    took = time.perf_counter() - start
    again = await engine.fire_due(DUE + timedelta(seconds=40))
    await store.close()
    size_after = sum(f.stat().st_size for f in folder.glob("claim.db*"))
    print(f"[1] {users:,} users due in the same minute")
    print(
        f"    find + claim + render + queue: {took:.2f} s "
        f"({queued / took:,.0f} reminders/s); queued {queued:,}; claimed again: {len(again)}"
    )
    print(
        f"    database: {size / 1e6:.1f} MB before, {size_after / 1e6:.1f} MB after "
        f"({(size_after) / users:.0f} bytes per user incl. the sent-log row)"
    )
    minutes = users / REMINDER_RATE / 60
    print(
        f"    at {REMINDER_RATE:g} msg/s sending {users:,} takes {minutes:.0f} min; "
        f"the queue holds what the grace window can send "
        f"({int(REMINDER_RATE * engine.grace_seconds):,}), the rest is claimed later or "
        f"skipped, never sent late"
    )


async def bench_rate(knowledge, folder: Path, window: float) -> None:  # type: ignore[no-untyped-def]
    users = int(REMINDER_RATE * window * 3)
    path = folder / "rate.db"
    await make_db(path, users, both_every=3)  # a third of the chats get two at once
    store = await SQLiteStore.open(path)
    engine = Engine(knowledge, store)
    telegram = FakeTelegram()
    dispatcher = ReminderDispatcher(engine, telegram.send_reminder,
                                    clock=lambda: DUE + timedelta(seconds=20),
                                    reminder_rate=REMINDER_RATE, per_chat_rate=PER_CHAT,
                                    interval=1.0)  # fmt: skip

    async def chatter() -> None:  # one user chatting: 5 replies a second, the rest of 30
        while True:
            await engine.handle(Incoming(10**9, DUE, text="/reminders"))
            telegram.chat_reply(10**9)
            await asyncio.sleep(1 / (TELEGRAM_OVERALL - REMINDER_RATE))

    await dispatcher.start()
    chat = asyncio.create_task(chatter())
    await asyncio.sleep(1.0)  # warm-up: the first claim
    first = time.monotonic()
    await asyncio.sleep(window)
    last = time.monotonic()
    chat.cancel()
    await dispatcher.stop()
    await store.close()
    inside = [a for a in telegram.arrivals if first <= a[0] < last]
    reminder_times = [t for t, _, is_reminder in inside if is_reminder]
    rate = len(reminder_times) / (last - first)
    per_chat: dict[int, list[float]] = {}
    for t, chat_id, is_reminder in telegram.arrivals:
        if is_reminder:
            per_chat.setdefault(chat_id, []).append(t)
    worst_chat = max(max_in_window(ts) for ts in per_chat.values())
    print(
        f"[2] sending for {last - first:.1f} s (limits: {REMINDER_RATE:g} reminders/s of "
        f"{TELEGRAM_OVERALL:g} msg/s overall, {PER_CHAT:g}/s per chat)"
    )
    print(
        f"    reminders sent: {len(reminder_times)}, achieved {rate:.2f} msg/s = "
        f"{rate / REMINDER_RATE:.1%} of the limit"
    )
    print(
        f"    most in any 1 s window: reminders {max_in_window(reminder_times)} "
        f"(limit {REMINDER_RATE:g}), all messages {max_in_window([a[0] for a in inside])} "
        f"(limit {TELEGRAM_OVERALL:g}), one chat {worst_chat} (limit {PER_CHAT:g})"
    )


async def bench_latency(knowledge, folder: Path, burst: int) -> None:  # type: ignore[no-untyped-def]
    path = folder / "burst.db"
    await make_db(path, burst)
    store = await SQLiteStore.open(path)
    engine = Engine(knowledge, store)
    telegram = FakeTelegram()
    dispatcher = ReminderDispatcher(engine, telegram.send_reminder,
                                    clock=lambda: DUE + timedelta(seconds=20),
                                    max_queue=burst + 1000, interval=1.0)  # fmt: skip
    texts = ["/reminders", "how much water should I drink", "/help", "/remind water 09:00"]
    latencies: list[float] = []
    await dispatcher.start()
    started = time.monotonic()
    while time.monotonic() - started < 5.0:
        begin = time.perf_counter()
        await engine.handle(Incoming(10**9, DUE, text=texts[len(latencies) % len(texts)]))
        latencies.append((time.perf_counter() - begin) * 1000)
        await asyncio.sleep(0.05)
    queued = dispatcher.pending + dispatcher.sent
    await dispatcher.stop()
    await store.close()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"[3] a user chatting while {burst:,} reminders are claimed and sent "
        f"({queued:,} claimed, {dispatcher.sent} sent in 5 s)"
    )
    print(
        f"    reply latency over {len(latencies)} messages: p50 "
        f"{statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=10_000)
    args = parser.parse_args()
    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory(prefix="bench-rem-") as tmp:
        folder = Path(tmp)
        await bench_claim(knowledge, folder, args.users)
        await bench_rate(knowledge, folder, args.window)
        await bench_latency(knowledge, folder, args.burst)
    print(
        f"(python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} cpus)"
    )


if __name__ == "__main__":
    asyncio.run(main())
