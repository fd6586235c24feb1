"""Red-flag recognition over case files (the evaluation's `red_flag` format), in-process.

    .venv/bin/python bench/red_flags_cases.py DIR_OR_FILE... [-v]

Prints recall (all signs, emergency signs), how many were found outright or only after
asking back, the false-alarm and asked-back rates on harmless messages, and the time per
message. A positive case passes when its flag is raised or asked back (the user then says
yes); a harmless one when nothing is raised or asked back.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dialogs.knowledge import load_knowledge
from dialogs.red_flags import read_red_flags


def cases(paths: list[str]) -> list[dict]:
    out = []
    for p in paths:
        path = Path(p)
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for f in files:
            for line in f.read_text().splitlines():
                if line.strip():
                    case = json.loads(line)
                    if case.get("kind") == "red_flag":
                        out.append(case)
    return out


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    verbose = "-v" in sys.argv
    knowledge = load_knowledge()
    emergency = {f for f, flag in knowledge.red_flags.items() if flag.urgency == "emergency"}
    pos = neg = pos_ok = raised_ok = em = em_ok = false_alarm = asked_back = 0
    started = time.perf_counter()
    for case in cases(args):
        reading = read_red_flags(knowledge, case["text"])
        expect = case["expect"]
        if expect is None:
            neg += 1
            bad = bool(reading.raised) or bool(reading.unsure)
            false_alarm += bool(reading.raised)
            asked_back += bool(reading.unsure) and not reading.raised
            ok = not bad
        else:
            pos += 1
            ok = expect in reading.raised or expect in reading.unsure
            pos_ok += ok
            raised_ok += expect in reading.raised
            if expect in emergency:
                em += 1
                em_ok += ok
        if not ok or verbose:
            mark = "ok  " if ok else "FAIL"
            found = f"{reading.raised} ?{reading.unsure}"
            print(f"{mark} {case['id']:28} {expect!s:20} {found}  {case['text']}")
    took = (time.perf_counter() - started) / max(1, pos + neg) * 1000
    print(
        f"signs: {pos_ok}/{pos} found ({raised_ok} outright) · emergency: {em_ok}/{em} · "
        f"harmless: {neg - false_alarm - asked_back}/{neg} quiet, {false_alarm} flagged, "
        f"{asked_back} asked back · {took:.2f} ms a message"
    )


if __name__ == "__main__":
    main()
