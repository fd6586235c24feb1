"""Time per message of the warning-sign reading: the rules alone and with the learned second
opinion (dialogs/flag_model.py), over the case files given (any kind's `text`).

    .venv/bin/python bench/red_flag_speed.py /work/shared/eval/cases
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dialogs import safety
from dialogs.flag_model import opinions
from dialogs.knowledge import load_knowledge
from dialogs.red_flags import read_red_flags


def texts(paths: list[str]) -> list[str]:
    out = []
    for p in paths:
        path = Path(p)
        for f in sorted(path.glob("*.jsonl")) if path.is_dir() else [path]:
            for line in f.read_text().splitlines():
                case = json.loads(line) if line.strip() else {}
                if isinstance(case.get("text"), str):
                    out.append(case["text"])
    return out


def main() -> None:
    knowledge = load_knowledge()
    model = knowledge.safety.model
    assert model is not None, "knowledge.yaml has no safety.model"
    messages = texts(sys.argv[1:]) or ["my eyelid has twitched for two weeks, 5 coffees a day"]
    timings = {}
    for name, read in (
        ("rules", lambda t: read_red_flags(knowledge, t)),
        ("rules + model", lambda t: safety.read(knowledge, t)),
        ("model alone", lambda t: opinions(model, t)),
    ):
        started = time.perf_counter()
        for _ in range(3):
            for text in messages:
                read(text)
        timings[name] = (time.perf_counter() - started) / (3 * len(messages))
    for name, seconds in timings.items():
        print(f"{name:<14} {seconds * 1000:.3f} ms a message, {1 / seconds:,.0f} messages/s")
    print(
        f"rules + model / rules: {timings['rules + model'] / timings['rules']:.2f}x "
        f"({len(messages)} messages)"
    )


if __name__ == "__main__":
    main()
