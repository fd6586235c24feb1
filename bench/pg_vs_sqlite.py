"""PostgreSQL beside SQLite, same machine, same run: claims per second and handled messages
per second through the real stores.

    python bench/pg_vs_sqlite.py [--postgres URL] [--due 20000] [--users 200] [--rounds 2]

Without --postgres (or BOT_BENCH_POSTGRES_URL) a throwaway cluster is started with
scripts/pg-cluster (and removed at the end).

1. Claims: `--due` reminders due at one instant, claimed 1,000 a call (`Store.claim_due`:
   find, record as sent, advance), until none is left: claims per second.
2. Messages: `--users` users talking at once (the engine bench's conversation: a check in free
   text, FAQ questions, commands, a button), `Engine.handle` for each message, all users
   concurrently: handled messages per second and latency percentiles. SQLite serialises its
   transactions in one connection; PostgreSQL runs them on a pool (10 connections), each
   under the user's advisory lock.
3. Two PostgreSQL stores (as two instances would) claiming the same burst at once.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engine_throughput import CONVERSATION  # noqa: E402
from bot.stores import open_store  # noqa: E402
from dialogs.engine import Engine  # noqa: E402
from dialogs.knowledge import load_knowledge  # noqa: E402
from dialogs.ports import ReminderRecord, UserRecord  # noqa: E402
from dialogs.reminders import next_due  # noqa: E402
from dialogs.types import Incoming  # noqa: E402

DUE = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


async def seed(location: str, count: int) -> None:
    store = await open_store(location)
    created = DUE - timedelta(hours=2)
    schedule = {"zone": "UTC", "times": ["09:00"]}
    for first in range(1, count + 1, 2000):
        async with store.transaction(created) as tx:
            for uid in range(first, min(first + 2000, count + 1)):
                await tx.save_user(UserRecord(uid, created_at=created))
                await tx.set_reminder(ReminderRecord(uid, "water", schedule, DUE, created))
    await store.close()


async def bench_claims(location: str, count: int, stores: int = 1) -> tuple[float, int]:
    await seed(location, count)
    opened = [await open_store(location) for _ in range(stores)]
    now = DUE + timedelta(seconds=30)

    async def drain(store) -> int:  # type: ignore[no-untyped-def]
        got = 0
        while batch := await store.claim_due(now, 900, next_due, 1000):
            got += len(batch)
        return got

    start = time.perf_counter()
    claimed = sum(await asyncio.gather(*(drain(s) for s in opened)))
    took = time.perf_counter() - start
    for store in opened:
        await store.close()
    return claimed / took, claimed


async def bench_messages(
    location: str, knowledge, users: int, rounds: int
) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    store = await open_store(location)
    engine = Engine(knowledge, store)
    latencies: list[float] = []

    async def talk(user: int) -> None:
        now = START
        for _ in range(rounds):
            for kind, value in CONVERSATION:
                now += timedelta(seconds=30)
                incoming = (Incoming(user, now, text=value) if kind == "text"
                            else Incoming(user, now, callback=value))  # fmt: skip
                begin = time.perf_counter()
                await engine.handle(incoming)
                latencies.append((time.perf_counter() - begin) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(talk(10_000 + u) for u in range(users)))
    took = time.perf_counter() - start
    await store.close()
    return len(latencies) / took, sorted(latencies)


def start_cluster(folder: Path) -> str:
    done = subprocess.run([str(ROOT / "scripts" / "pg-cluster"), "start", str(folder)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


async def fresh_postgres(admin_url: str, name: str) -> str:
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    await conn.execute(f"CREATE DATABASE {name}")
    await conn.close()
    head, _, _ = admin_url.rpartition("/")
    return f"{head}/{name}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("BOT_BENCH_POSTGRES_URL"))
    parser.add_argument("--due", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory(prefix="bench-pg-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)  # a throwaway cluster runs as another user (scripts/pg-cluster)
        cluster = None
        admin = args.postgres
        if not admin:
            cluster = folder / "pg"
            admin = start_cluster(cluster)
        try:
            rows = []
            for name in ("sqlite", "postgres"):
                claims_at = (str(folder / "claims.db") if name == "sqlite"
                             else await fresh_postgres(admin, "bench_claims"))  # fmt: skip
                talk_at = (str(folder / "talk.db") if name == "sqlite"
                           else await fresh_postgres(admin, "bench_talk"))  # fmt: skip
                claims, count = await bench_claims(claims_at, args.due)
                rate, lat = await bench_messages(talk_at, knowledge, args.users, args.rounds)
                rows.append((name, claims, count, rate, lat))
            two = await fresh_postgres(admin, "bench_two")
            two_claims, two_count = await bench_claims(two, args.due, stores=2)
        finally:
            if cluster is not None:
                subprocess.run([str(ROOT / "scripts" / "pg-cluster"), "stop", str(cluster)],
                               capture_output=True, check=False)  # fmt: skip
    print(f"[1] claims: {args.due:,} reminders due at once, claimed 1,000 a call")
    print(f"[2] messages: {args.users} users at once, {args.rounds} x {len(CONVERSATION)} "
          "messages each, Engine.handle")  # fmt: skip
    print("    store      claims/s   messages/s   p50 ms   p95 ms   max ms")
    for name, claims, count, rate, lat in rows:
        p95 = lat[int(len(lat) * 0.95) - 1]
        print(f"    {name:<9} {claims:>9,.0f} {rate:>12,.0f} {statistics.median(lat):>8.1f} "
              f"{p95:>8.1f} {lat[-1]:>8.1f}   ({count:,} claimed)")  # fmt: skip
    sqlite, postgres = rows[0], rows[1]
    print(f"    postgres / sqlite: claims {postgres[1] / sqlite[1]:.2f}x, "
          f"messages {postgres[3] / sqlite[3]:.2f}x")  # fmt: skip
    print(f"[3] two PostgreSQL stores claiming the same {args.due:,} at once: "
          f"{two_claims:,.0f} claims/s together, {two_count:,} claimed (each once)")  # fmt: skip
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} cpus; the machine is shared)")


if __name__ == "__main__":
    asyncio.run(main())
