"""Make the README's example chart and report from a made-up 30-day diary.

    .venv/bin/python docs/make_examples.py   # docs/stats-example.png, report-example.pdf

It drives the scriptable transport in-process (the same engine, store and media writer as
`python -m bot chat --json`), so the pictures are exactly what a user gets.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bot import jsonl
from bot.media import MediaWriter
from bot.sqlite_store import SQLiteStore
from dialogs.engine import Engine
from dialogs.knowledge import load_knowledge

HERE = Path(__file__).resolve().parent
CHECK = ["left eyelid and my calf", "about 3 weeks", "4 coffees a day", "6 hours", "7",
         "sertraline", "I run 3 times a week", "none", "none", "no"]  # fmt: skip


def diary_lines(rng: random.Random) -> list[dict]:
    lines: list[dict] = [{"text": "/timezone Europe/Berlin", "now": "2026-04-10T20:00:00+02:00"}]
    lines.append({"text": "/remind water 09:00,12:00,15:00,18:00"})
    for n in range(30):
        day = (date(2026, 4, 11) + timedelta(days=n)).isoformat()
        coffees = rng.choice([1, 2, 2, 3, 4, 5, 6] if n < 15 else [0, 1, 1, 2, 3])
        sleep = rng.choice([5, 5.5, 6, 6.5, 7, 7.5, 8] if n < 15 else [6.5, 7, 7.5, 8])
        if coffees >= 4 and rng.random() < 0.85:
            level = "strong"
        else:
            level = "mild" if coffees >= 2 and rng.random() < 0.7 else "none"
        if n in (4, 17):  # days not logged
            continue
        for hour in ("09", "12", "15", "18")[: rng.choice([1, 2, 3, 4]) if n >= 10 else 0]:
            lines.append({"text": "/reminders", "now": f"{day}T{hour}:00:00+02:00"})
            lines.append({"callback": "rem:done:water", "now": f"{day}T{hour}:01:00+02:00"})
        text = f"/log {level}, {coffees} coffees, slept {sleep}h"
        lines.append({"text": text, "now": f"{day}T21:00:00+02:00"})
    lines.append({"text": "/check"})
    lines += [{"text": answer} for answer in CHECK]
    return [*lines, {"text": "/stats"}, {"text": "/report"}]


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = await SQLiteStore.open(Path(folder) / "example.db")
        writer = MediaWriter(Path(folder) / "media")
        lines = diary_lines(random.Random(7))
        source = io.StringIO("".join(json.dumps({"user_id": 1, **x}) + "\n" for x in lines))
        sink = io.StringIO()
        try:
            await jsonl.serve(Engine(load_knowledge(), store), source, sink, media=writer)
        finally:
            await store.close()
        replies = [json.loads(line)["replies"][0] for line in sink.getvalue().splitlines()[-2:]]
        shutil.copy(replies[0]["image"], HERE / "stats-example.png")
        shutil.copy(replies[1]["document"], HERE / "report-example.pdf")
        print(replies[0]["text"])


if __name__ == "__main__":
    asyncio.run(main())
