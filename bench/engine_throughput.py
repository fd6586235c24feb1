"""Engine throughput and latency on one core, with the real SQLite store on a temp file.

    python bench/engine_throughput.py [--users 200] [--rounds 5] [--profile]

Users talk through a realistic mix (a whole check answered in free text, FAQ questions,
asides, commands, button presses), interleaved. Reports messages per second and latency
percentiles for `Engine.handle` alone and for the JSON transport's per-line path
(`fire_due` + `handle` + JSON encoding), against the budget: 2,000 msg/s, p95 under 5 ms.
`--profile` prints the top cProfile entries by cumulative time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import jsonl
from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import load_knowledge
from dialogs.types import Incoming

BUDGET_RATE = 2000.0
BUDGET_P95_MS = 5.0
START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)

CONVERSATION: list[tuple[str, str]] = [
    ("text", "/start"),
    ("text", "/check"),
    ("text", "my left eyelid and sometimes my calves"),
    ("text", "is this serious?"),
    ("text", "for about 3 weeks"),
    ("text", "I drink 4 cups of coffee and a red bull every day"),
    ("text", "I sleep 5-6 hours"),
    ("text", "stress is about 7 out of 10"),
    ("callback", "tog:medications:none"),
    ("text", "I go running 3 times a week"),
    ("text", "no"),
    ("text", "how much water should I drink?"),
    ("text", "what foods have magnesium"),
    ("text", "/history"),
    ("text", "thanks!"),
    ("text", "why do I get leg cramps at night"),
]


def messages(users: int, rounds: int) -> list[tuple[int, str, str]]:
    out = []
    for _ in range(rounds):
        for kind, value in CONVERSATION:
            out += [(user, kind, value) for user in range(1, users + 1)]
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, latencies: list[float], elapsed: float) -> None:
    rate = len(latencies) / elapsed
    p50, p95, p99 = (percentile(latencies, q) * 1000 for q in (0.5, 0.95, 0.99))
    print(
        f"{name:<28} {len(latencies):>6} msgs  {rate:8.0f} msg/s "
        f"(budget {BUDGET_RATE:.0f}: x{rate / BUDGET_RATE:.2f})  "
        f"p50 {p50:.2f} ms  p95 {p95:.2f} ms (budget {BUDGET_P95_MS:.0f}: "
        f"x{p95 / BUDGET_P95_MS:.2f})  p99 {p99:.2f} ms  max {max(latencies) * 1000:.1f} ms"
    )


async def run_engine(engine: Engine, plan: list[tuple[int, str, str]]) -> tuple[list[float], float]:
    latencies: list[float] = []
    now = START
    started = time.perf_counter()
    for user, kind, value in plan:
        now += timedelta(milliseconds=50)
        incoming = (
            Incoming(user, now, text=value)
            if kind == "text"
            else Incoming(user, now, callback=value)
        )
        t = time.perf_counter()
        await engine.handle(incoming)
        latencies.append(time.perf_counter() - t)
    return latencies, time.perf_counter() - started


async def run_jsonl(engine: Engine, plan: list[tuple[int, str, str]]) -> tuple[list[float], float]:
    import json

    clock = jsonl.Clock(lambda: START)
    lines = [json.dumps({"user_id": u, k: v}) for u, k, v in plan]
    latencies: list[float] = []
    sink = io.StringIO()
    started = time.perf_counter()
    for line in lines:
        t = time.perf_counter()
        jsonl.write_line(sink, await jsonl.handle_line(engine, clock, line))
        latencies.append(time.perf_counter() - t)
    return latencies, time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    knowledge = load_knowledge()
    plan = messages(args.users, args.rounds)
    print(f"{len(plan)} messages from {args.users} users, {len(CONVERSATION)} kinds of message")
    with tempfile.TemporaryDirectory() as tmp:
        store = await SQLiteStore.open(Path(tmp) / "bench.db")
        engine = Engine(knowledge, store)
        try:
            await run_engine(engine, plan[: len(plan) // 10])  # warm up
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            latencies, elapsed = await run_engine(engine, plan)
            if profiler:
                profiler.disable()
            report("Engine.handle", latencies, elapsed)
            latencies, elapsed = await run_jsonl(engine, plan)
            report("JSON line (fire_due+handle)", latencies, elapsed)
        finally:
            await store.close()
    if profiler:
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(30)
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    asyncio.run(main())
