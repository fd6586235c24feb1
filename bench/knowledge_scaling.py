"""Matching cost when the knowledge grows 10x and 100x (synthetic FAQ entries and synonyms).

    python bench/knowledge_scaling.py [--factors 1 10 100] [--repeat 3]

knowledge.yaml is loaded, then grown: the FAQ gets (factor - 1) synthetic entries per real
one (made-up keywords and example questions, so they are scanned but rarely win), and every
answer value of every question gets (factor - 1) times as many made-up synonyms. For each
size: the time of `faq.answer` on free questions, of `nlu.interpret` on check answers, and of
`Engine.handle` on a mixed conversation (real SQLite store), as a ratio to the real file.
Budget: at most 2x at 10x and 100x. `--profile` names the costliest functions at the largest
size.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.sqlite_store import SQLiteStore
from dialogs import faq, nlu
from dialogs.engine import Engine
from dialogs.knowledge import DEFAULT_PATH, Knowledge, parse_knowledge
from dialogs.types import Incoming

BUDGET_RATIO = 2.0
NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
QUESTIONS = [
    "how much water should I drink a day?",
    "could my twitching be ALS?",
    "what foods have lots of magnesium",
    "why do my legs cramp at night",
    "how do I stop a cramp right now",
    "can my antidepressant cause twitching",
    "what's the weather tomorrow",
    "thanks",
]
ANSWERS = [
    ("location", "my left eyelid and both calves"),
    ("duration", "on and off for about 3 weeks"),
    ("caffeine", "4 cups of coffee and a monster every day"),
    ("sleep", "I sleep 5-6 hours a night"),
    ("stress", "stress is 8 out of 10"),
    ("medications", "I take sertraline and water pills"),
    ("exercise", "I run long distances in the heat"),
    ("conditions", "I have type 2 diabetes"),
]
CONVERSATION = ["/check", *(a for _, a in ANSWERS), *QUESTIONS]


def made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(4))


def grow(data: dict[str, Any], factor: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    data = copy.deepcopy(data)
    entries = data["faq"]["entries"]
    extra = []
    for copy_no in range(1, factor):
        for entry in entries:
            words = [made_up_word(rng) for _ in range(6)]
            extra.append(
                {
                    "id": f"{entry['id']}_syn{copy_no}",
                    "title": f"{entry['title']} ({copy_no})",
                    "answer": entry["answer"],
                    "keywords": {w: round(rng.uniform(1, 4), 1) for w in words[:4]},
                    "examples": [
                        f"what about {words[0]} and {words[1]}",
                        f"is {words[2]} {words[3]} bad for {words[4]}",
                        f"how do I deal with {words[5]}",
                    ],
                }
            )
    entries.extend(extra)
    for question in data["questions"]:
        words = question.get("words")
        if isinstance(words, dict):
            for value, synonyms in words.items():
                if isinstance(synonyms, list):
                    synonyms.extend(made_up_word(rng) for _ in range(len(synonyms) * (factor - 1)))
                    words[value] = synonyms
    return data


def timed(fn: Callable[[], Any], repeat: int) -> float:
    """The best of `repeat` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def faq_cost(knowledge: Knowledge) -> None:
    for question in QUESTIONS:
        faq.answer(knowledge, question)


def nlu_cost(knowledge: Knowledge) -> None:
    answered: dict[str, Any] = {}
    for question, text in ANSWERS:
        nlu.interpret(knowledge, text, question, answered, now=NOW)


async def engine_cost(knowledge: Knowledge, users: int = 30) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = await SQLiteStore.open(Path(tmp) / "scale.db")
        engine = Engine(knowledge, store)
        now = NOW
        times = []
        try:
            for user in range(users):
                for text in CONVERSATION:
                    now += timedelta(seconds=1)
                    t = time.perf_counter()
                    await engine.handle(Incoming(user, now, text=text))
                    times.append(time.perf_counter() - t)
        finally:
            await store.close()
    return statistics.mean(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    base = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    rows = []
    knowledge = None
    for factor in args.factors:
        data = grow(base, factor)
        t = time.perf_counter()
        knowledge = parse_knowledge(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        load = time.perf_counter() - t
        faq_s = timed(lambda k=knowledge: faq_cost(k), args.repeat) / len(QUESTIONS)
        nlu_s = timed(lambda k=knowledge: nlu_cost(k), args.repeat) / len(ANSWERS)
        engine_s = asyncio.run(engine_cost(knowledge))
        rows.append((factor, len(data["faq"]["entries"]), load, faq_s, nlu_s, engine_s))
    base_row = rows[0]
    print(
        f"{'size':>5} {'faq entries':>11} {'load':>9} {'faq.answer':>18} "
        f"{'nlu.interpret':>18} {'Engine.handle':>18}"
    )
    for factor, entries, load, faq_s, nlu_s, engine_s in rows:
        cells = [
            f"{value * 1000:7.2f} ms x{value / base:5.2f}"
            for value, base in ((faq_s, base_row[3]), (nlu_s, base_row[4]), (engine_s, base_row[5]))
        ]
        print(f"{factor:>4}x {entries:>11} {load:8.2f}s " + " ".join(f"{c:>18}" for c in cells))
    worst = max(max(r[3] / base_row[3], r[4] / base_row[4], r[5] / base_row[5]) for r in rows)
    verdict = "within" if worst <= BUDGET_RATIO else "over"
    print(f"worst ratio x{worst:.2f}: {verdict} the x{BUDGET_RATIO:.0f} budget")
    if args.profile and knowledge is not None:
        profiler = cProfile.Profile()
        profiler.enable()
        faq_cost(knowledge)
        nlu_cost(knowledge)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
