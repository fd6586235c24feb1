"""Start-up to first reply: `python -m bot chat --json` as a subprocess, time to its first line.

    python bench/startup_time.py [--runs 7]

Each run starts the process with one /start line waiting on stdin and measures until the first
output line arrives: cold (a new database, migrations run) and warm (the same file again).
Then the parts, measured in one process: importing, loading knowledge.yaml, opening the store,
the first handled message; and the slowest imports (python -X importtime).
Budget: under 1 s to the first reply.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_S = 1.0
LINE = json.dumps({"user_id": 1, "text": "/start"}) + "\n"


def first_reply_seconds(db: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--json", "--db", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(LINE)
    proc.stdin.flush()
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.stdin.close()
    proc.wait(timeout=30)
    assert "replies" in json.loads(line), line
    return elapsed


def parts() -> None:
    """The parts of start-up, measured in this process (nothing of the bot imported yet)."""
    t0 = time.perf_counter()
    from bot import jsonl  # noqa: F401
    from bot.runtime import open_engine  # noqa: F401
    from bot.sqlite_store import SQLiteStore
    from dialogs.engine import Engine
    from dialogs.knowledge import load_knowledge
    from dialogs.types import Incoming

    t1 = time.perf_counter()
    knowledge = load_knowledge()
    t2 = time.perf_counter()

    async def run(db: Path) -> list[float]:
        marks = [time.perf_counter()]
        store = await SQLiteStore.open(db)
        marks.append(time.perf_counter())
        engine = Engine(knowledge, store)
        for text in ("/start", "how much water should I drink?", "/check", "my left eyelid"):
            await engine.handle(Incoming(1, datetime.now(UTC), text=text))
            marks.append(time.perf_counter())
        await store.close()
        return marks

    with tempfile.TemporaryDirectory() as tmp:
        m = asyncio.run(run(Path(tmp) / "parts.db"))
    rows = [
        ("imports (bot, dialogs; no telegram)", t1 - t0),
        ("load + validate knowledge.yaml", t2 - t1),
        ("open + migrate the SQLite store", m[1] - m[0]),
        ("first message (/start)", m[2] - m[1]),
        ("first FAQ question", m[3] - m[2]),
        ("/check", m[4] - m[3]),
        ("first free-text answer (NLU)", m[5] - m[4]),
    ]
    for name, seconds in rows:
        print(f"  {name:<38} {seconds * 1000:7.1f} ms")


def slowest_imports(count: int = 8) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import bot.__main__, bot.runtime, bot.jsonl"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    rows = []
    for line in done.stderr.splitlines():
        fields = line.split("|")
        if not line.startswith("import time:") or len(fields) != 3 or "cumulative" in line:
            continue
        name = fields[2].rstrip()
        if name.startswith(" ") and not name.startswith("  "):  # imported at top level
            rows.append((int(fields[1]), name.strip()))
    print("  slowest top-level imports (cumulative):")
    for cumulative, name in sorted(rows, reverse=True)[:count]:
        print(f"    {cumulative / 1000:7.1f} ms  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cold = [first_reply_seconds(Path(tmp) / f"cold{i}.db") for i in range(args.runs)]
        warm = [first_reply_seconds(Path(tmp) / "cold0.db") for _ in range(args.runs)]
    for name, runs in (("cold (new database)", cold), ("warm (existing database)", warm)):
        median = statistics.median(runs)
        print(
            f"start-up to first reply, {name:<25} median {median * 1000:6.0f} ms  "
            f"min {min(runs) * 1000:6.0f} ms  max {max(runs) * 1000:6.0f} ms  "
            f"(budget {BUDGET_S * 1000:.0f} ms: x{median / BUDGET_S:.2f})"
        )
    print("where the time goes (in one process):")
    parts()
    slowest_imports()


if __name__ == "__main__":
    main()
