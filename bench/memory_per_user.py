"""Memory per active user: the state lives in the database, so the process should not grow.

    python bench/memory_per_user.py [--users 2000 10000]

For each count, that many users start a check and answer two questions in their own words
(each user's wording differs a little, as real people's does). Reported: the Python heap
growth (tracemalloc, after a garbage collection) and the resident set growth (RSS, which also
counts SQLite's page cache, capped by its cache_size), each divided by the number of users.
Budget: under 5 KB per active user.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import load_knowledge
from dialogs.types import Incoming

BUDGET_BYTES = 5 * 1024
START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
PLACES = ["eyelid", "left calf", "right thumb", "back of my neck", "both feet", "my face"]


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def activate(engine: Engine, first: int, count: int) -> None:
    now = START
    for user in range(first, first + count):
        for text in (
            "/check",
            f"my {PLACES[user % len(PLACES)]}",
            f"for {user % 12 + 2} days, since the {user % 28 + 1}th",
        ):
            now += timedelta(milliseconds=5)
            await engine.handle(Incoming(user, now, text=text))


async def measure(count: int) -> None:
    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory() as tmp:
        store = await SQLiteStore.open(Path(tmp) / "mem.db")
        engine = Engine(knowledge, store)
        try:
            await activate(engine, 10_000_000, 300)  # warm up caches and the page cache
            gc.collect()
            tracemalloc.start()
            heap_before = tracemalloc.get_traced_memory()[0]
            rss_before = rss_bytes()
            await activate(engine, 1, count)
            gc.collect()
            heap_after = tracemalloc.get_traced_memory()[0]
            rss_after = rss_bytes()
            top = tracemalloc.take_snapshot().statistics("filename")[:3]
            tracemalloc.stop()
            db_size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        finally:
            await store.close()
    heap = (heap_after - heap_before) / count
    rss = (rss_after - rss_before) / count
    print(
        f"{count:>6} active users: Python heap {heap:8.1f} B/user "
        f"(budget {BUDGET_BYTES} B: x{heap / BUDGET_BYTES:.3f})   RSS {rss:8.1f} B/user "
        f"(x{rss / BUDGET_BYTES:.3f})   database {db_size / count:7.1f} B/user on disk"
    )
    for stat in top:
        frame = stat.traceback[0]
        print(f"         heap kept by {frame.filename.split('/')[-1]}: {stat.size / 1024:.1f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[2000, 10000])
    for count in parser.parse_args().users:
        asyncio.run(measure(count))


if __name__ == "__main__":
    main()
