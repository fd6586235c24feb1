"""How long a /stats chart and a /report PDF take to make, and what the first one costs.

    python bench/media_render.py [--runs 5]

A 30-day diary with every field filled. Times: the first chart in a fresh process (imports
matplotlib), then each chart (PNG, 800 x 960 px) and each report (one A4 page, with the
chart drawn at 150 dpi), against the budget: a reply within 1 s, so under 0.5 s each once
warm. Also the engine's part (building the specs from the store), which must stay small.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import media
from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import load_knowledge
from dialogs.ports import DiaryEntry
from dialogs.types import Incoming

BUDGET_S = 0.5
NOW = datetime(2026, 5, 30, 20, 0, tzinfo=UTC)


async def main(runs: int) -> None:
    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory() as folder:
        store = await SQLiteStore.open(Path(folder) / "bench.db")
        engine = Engine(knowledge, store)
        await engine.handle(Incoming(1, NOW - timedelta(days=40), text="/start"))
        async with store.transaction(NOW) as tx:
            for n in range(30):
                day = date(2026, 5, 1) + timedelta(days=n)
                level = ("none", "mild", "strong")[n % 3]
                await tx.save_diary(DiaryEntry(1, day, level, 95 * (n % 6), 5 + n % 4, None, None))
                for hour in range(n % 5):
                    moment = datetime(day.year, day.month, day.day, 9 + hour, tzinfo=UTC)
                    await tx.log_event(1, "water_glass", moment)
        spec_times, chart = [], None
        for _ in range(runs):
            start = time.perf_counter()
            [chart] = await engine.handle(Incoming(1, NOW, text="/stats"))
            spec_times.append(time.perf_counter() - start)
        [report] = await engine.handle(Incoming(1, NOW, text="/report"))
        await store.close()
    assert chart is not None
    out = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    media.write_chart(chart.media, out / "first.png")
    first = time.perf_counter() - start
    charts, reports = [], []
    for i in range(runs):
        start = time.perf_counter()
        media.write_chart(chart.media, out / f"c{i}.png")
        charts.append(time.perf_counter() - start)
        start = time.perf_counter()
        media.write_report(report.media, out / f"r{i}.pdf")
        reports.append(time.perf_counter() - start)
    size = (out / "c0.png").stat().st_size // 1024, (out / "r0.pdf").stat().st_size // 1024
    rows = [
        ("engine: /stats spec from the store", statistics.median(spec_times)),
        ("first chart (imports matplotlib)", first),
        (f"chart PNG ({size[0]} KiB)", statistics.median(charts)),
        (f"report PDF ({size[1]} KiB)", statistics.median(reports)),
    ]
    for name, seconds in rows:
        print(f"{name:40s} {seconds * 1000:8.1f} ms  (budget {BUDGET_S * 1000:.0f} ms: "
              f"x{seconds / BUDGET_S:.2f})")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main(parser.parse_args().runs))
