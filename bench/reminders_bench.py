"""Reminder benchmark: claiming, pacing and chat latency under a reminder burst.

    python bench/reminders_bench.py [--users 100000] [--window 10] [--burst 10000]

1. 100,000 users whose reminders are due in the same minute (time zones mixed): the time to
   find, claim and queue them all, and the size of the database.
2. Sending against a fake Telegram for `--window` seconds with the configured limits (30 msg/s
   overall, 25 of them for reminders, 1 msg/s per chat): the achieved reminder rate, and the
   most messages seen in any one-second window, overall and per chat.
3. The reply latency of a user chatting while a 10,000-reminder burst is claimed and sent.
4. A crowded minute: 100,000 water reminders (and a sleep reminder for every tenth user) due
   at 09:00, on SQLite and on PostgreSQL, at 25/s and with paid broadcasts (1,000/s), without
   and with BOT_REMINDER_SPREAD_MINUTES=60: delivered, early, late (over a minute), skipped.
   Simulated time (a day's burst in seconds), real stores and real claims.
   PostgreSQL: --postgres URL (or BOT_BENCH_POSTGRES_URL), else a throwaway cluster.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.reminders import ReminderDispatcher
from bot.sqlite_store import SQLiteStore
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


async def seed_postgres(url: str, users: int, sleep_every: int) -> None:
    """The same users and reminders as make_db, in PostgreSQL (COPY: setup, not measured)."""
    import asyncpg

    from bot.postgres_store import PostgresStore

    store = await PostgresStore.open(url)
    await store.close()
    created = DUE - timedelta(hours=2)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("TRUNCATE users, reminders, reminders_sent, events, assessments CASCADE")
        await conn.copy_records_to_table(
            "users",
            records=[(u, ZONES[u % len(ZONES)][0], "{}", True, created, created)
                     for u in range(1, users + 1)],
            columns=["user_id", "timezone", "state", "active", "created_at", "updated_at"],
        )  # fmt: skip
        rows = []
        for u in range(1, users + 1):
            zone, local = ZONES[u % len(ZONES)]
            schedule = json.dumps({"zone": zone, "times": [local]})
            rows.append((u, "water", schedule, DUE, created))
            if sleep_every and u % sleep_every == 0:
                rows.append((u, "sleep", schedule, DUE, created))
        await conn.copy_records_to_table(
            "reminders", records=rows,
            columns=["user_id", "kind", "schedule", "next_due", "created_at"],
        )  # fmt: skip
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def seed_sqlite(path: Path, users: int, sleep_every: int) -> None:
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    await make_db(path, 0)
    created = int((DUE - timedelta(hours=2)).timestamp())
    due = int(DUE.timestamp())
    db = sqlite3.connect(path)
    with db:
        db.executemany(
            "INSERT INTO users (user_id, timezone, state, active, created_at, updated_at)"
            " VALUES (?, ?, '{}', 1, ?, ?)",
            ((u, ZONES[u % len(ZONES)][0], created, created) for u in range(1, users + 1)),
        )
        for kind, step in (("water", 1), ("sleep", sleep_every)):
            if not step:
                continue
            db.executemany(
                "INSERT INTO reminders (user_id, kind, schedule, next_due, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                ((u, kind, json.dumps({"zone": ZONES[u % len(ZONES)][0],
                                       "times": [ZONES[u % len(ZONES)][1]]}), due, created)
                 for u in range(step, users + 1, step)),
            )  # fmt: skip
    db.close()


async def simulate(engine: Engine, rate: float, start: datetime, end: datetime,
                   tick: float = 5.0) -> list[tuple[datetime, str, datetime]]:  # fmt: skip
    """The dispatcher's behaviour in simulated time (a real store, real claims): every `tick`
    seconds claim while the queue has room (rate x grace), then send at `rate` a second.
    Returns (due, kind, sent at) for every reminder sent."""
    spread = getattr(engine.store, "spread", None)
    max_queue = max(100, int(rate * engine.grace_seconds))
    if spread is not None and spread.active:  # as make_dispatcher (bot/telegram.py)
        max_queue = max(100, int(rate * tick * 3))
    queue: list[tuple[datetime, str]] = []
    head = 0
    sent: list[tuple[datetime, str, datetime]] = []
    now, next_send = start, start
    spacing = timedelta(seconds=1 / rate)
    while now < end or head < len(queue):
        if now < end:
            while len(queue) - head < max_queue:
                replies = await engine.fire_due(now)
                if not replies:
                    break
                queue += [(r.due or now, r.reminder or "") for r in replies]
        until = now + timedelta(seconds=tick)
        next_send = max(next_send, now)
        while head < len(queue) and next_send < until:
            due, kind = queue[head]
            head += 1
            if (next_send - due).total_seconds() > engine.grace_seconds:
                continue  # the dispatcher drops what waited past its grace window
            sent.append((due, kind, next_send))
            next_send += spacing
        now = until
    return sent


def start_cluster(folder: Path) -> str | None:
    """A throwaway PostgreSQL cluster (scripts/pg-cluster); None when it cannot start."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "pg-cluster"
    done = subprocess.run([str(script), "start", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"    (no PostgreSQL: {done.stderr.strip()[-200:]})")
        return None
    return done.stdout.strip().splitlines()[-1]


def stop_cluster(folder: Path) -> None:
    script = Path(__file__).resolve().parent.parent / "scripts" / "pg-cluster"
    subprocess.run([str(script), "stop", str(folder)], capture_output=True, check=False)


async def bench_crowded(knowledge, folder: Path, users: int, postgres: str | None) -> None:  # type: ignore[no-untyped-def]
    from bot.spread import Spread
    from bot.stores import open_store

    sleep_every = 10
    total = users + users // sleep_every
    print(f"[4] crowded minute: {users:,} water + {users // sleep_every:,} sleep reminders "
          f"due at 09:00 (grace 15 min; simulated time, real claims)")  # fmt: skip
    print("    database  rate/s  spread  delivered  early  late>1min  skipped  "
          "max late  sleep max late  claim CPU")  # fmt: skip
    backends = [("sqlite", str(folder / "crowded.db"))]
    if postgres:
        backends.append(("postgres", postgres))
    for name, location in backends:
        for rate, paid in ((REMINDER_RATE, False), (1000.0, True)):
            for spread_minutes in (0, 60):
                if name == "postgres":
                    await seed_postgres(location, users, sleep_every)
                else:
                    await seed_sqlite(Path(location), users, sleep_every)
                store = await open_store(location, Spread(spread_minutes * 60, rate))
                engine = Engine(knowledge, store)
                cpu = time.process_time()
                sent = await simulate(engine, rate, DUE - timedelta(minutes=spread_minutes + 1),
                                      DUE + timedelta(minutes=16))  # fmt: skip
                cpu = time.process_time() - cpu
                await store.close()
                late = [(s - d).total_seconds() for d, _, s in sent]
                sleep_late = [(s - d).total_seconds() for d, k, s in sent if k == "sleep"]
                worst = max(late, default=0) / 60
                worst_sleep = max(sleep_late, default=0) / 60
                early = sum(x < 0 for x in late)
                print(
                    f"    {name:<9} {rate:>6g}{' paid' if paid else '     '}"
                    f"{spread_minutes:>4} min {len(sent):>9,} {early:>6,} "
                    f"{sum(x > 60 for x in late):>9,} {total - len(sent):>8,} "
                    f"{worst:>7.1f} m {worst_sleep:>12.1f} m  {cpu:>6.1f} s"
                )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--crowded", type=int, default=100_000, help="users in the crowded minute")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BOT_BENCH_POSTGRES_URL"),
        help="a PostgreSQL database for [4] (else a throwaway cluster)",
    )
    parser.add_argument("--only-crowded", action="store_true", help="only section [4]")
    args = parser.parse_args()
    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory(prefix="bench-rem-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)  # a throwaway cluster runs as another user (scripts/pg-cluster)
        if not args.only_crowded:
            await bench_claim(knowledge, folder, args.users)
            await bench_rate(knowledge, folder, args.window)
            await bench_latency(knowledge, folder, args.burst)
        postgres, cluster = args.postgres, None
        if not postgres:
            cluster = folder / "pg"
            postgres = start_cluster(cluster)
        try:
            await bench_crowded(knowledge, folder, args.crowded, postgres)
        finally:
            if cluster is not None:
                stop_cluster(cluster)
    print(
        f"(python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} cpus)"
    )


if __name__ == "__main__":
    asyncio.run(main())
