"""The red-flag model's second opinion, cross-validated on its blind-written training data.

    .venv/bin/python bench/red_flag_model_cv.py [--folds 5] [-v]

Each fold's model is trained on the other folds of data/training/red_flags.yaml plus all of
red_flags_more.yaml (our own tables); the held-out examples are read by the rules, then by the
rules with the fold's second opinion (dialogs/flag_model.py), for a grid of `ask` / `agree`
thresholds. A sign passes when raised or asked back; a `none` example when nothing is.
Prints the rules alone, each threshold pair, and the model's own cross-validated accuracy.
"""

from __future__ import annotations

import dataclasses
import random
import sys
import time
from pathlib import Path

from dialogs.classifier import Example, train
from dialogs.flag_model import opinions, second_opinion
from dialogs.knowledge import load_knowledge
from dialogs.knowledge.flag_model import NONE, SETTINGS, FlagModel
from dialogs.red_flags import read_red_flags
from dialogs.training import load_examples

ROOT = Path(__file__).resolve().parent.parent
ASKS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
AGREES = (0.3, 0.4, 0.5)


def folds_of(examples: list[Example], k: int, seed: int = 0) -> list[list[int]]:
    by_label: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        by_label.setdefault(e.label, []).append(i)
    out: list[list[int]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for rows in by_label.values():
        rng.shuffle(rows)
        for j, i in enumerate(rows):
            out[j % k].append(i)
    return out


def main() -> None:
    k = int(sys.argv[sys.argv.index("--folds") + 1]) if "--folds" in sys.argv else 5
    verbose = "-v" in sys.argv
    knowledge = load_knowledge()
    model = knowledge.safety.model
    assert model is not None, "knowledge.yaml has no safety.model"
    labels = set(knowledge.red_flags) | {NONE}
    blind = load_examples(ROOT / "data/training/red_flags.yaml", labels)
    ours = load_examples(ROOT / "data/training/red_flags_more.yaml", labels)
    emergency = {f for f, flag in knowledge.red_flags.items() if flag.urgency == "emergency"}
    rows = []  # (example, rules reading, opinions)
    right = total = 0
    started = time.perf_counter()
    for fold in folds_of(blind, k):
        held = set(fold)
        trained = train([e for i, e in enumerate(blind) if i not in held] + ours, SETTINGS)
        fold_model = dataclasses.replace(model, classifier=trained, agree=min(AGREES))
        for i in fold:
            e = blind[i]
            total += 1
            right += trained.predict(e.text)[0] == e.label
            rows.append((e, read_red_flags(knowledge, e.text), fold_model))
    print(
        f"{k}-fold, {len(blind)} blind examples (+{len(ours)} ours in every training set), "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(f"model alone: top label right {right}/{total} = {right / total:.1%}")

    def score(ask: float | None, agree: float) -> tuple[int, int, int, int, int, int, int]:
        pos = ok = em = em_ok = neg = flagged = asked = 0
        for e, rules, fold_model in rows:
            reading = rules
            if ask is not None:
                m: FlagModel = dataclasses.replace(fold_model, ask=ask, agree=agree)
                reading = second_opinion(m, e.text, rules)
            if e.label == NONE:
                neg += 1
                flagged += bool(reading.raised)
                asked += bool(reading.unsure) and not reading.raised
            else:
                pos += 1
                good = e.label in reading.raised or e.label in reading.unsure
                ok += good
                if e.label in emergency:
                    em += 1
                    em_ok += good
        return pos, ok, em, em_ok, neg, flagged, asked

    def line(name: str, s: tuple[int, int, int, int, int, int, int]) -> str:
        pos, ok, em, em_ok, neg, flagged, asked = s
        return (
            f"{name:<22} signs {ok}/{pos} ({ok / pos:.1%}) · emergency {em_ok}/{em} "
            f"({em_ok / em:.1%}) · none flagged {flagged}/{neg} ({flagged / neg:.1%}), "
            f"asked back {asked} ({asked / neg:.1%})"
        )

    print(line("rules alone", score(None, 1.0)))
    for agree in AGREES:
        for ask in ASKS:
            if ask >= agree:
                print(line(f"ask {ask} agree {agree}", score(ask, agree)))
    if verbose:
        ask, agree = model.ask, model.agree
        for e, rules, fold_model in rows:
            m = dataclasses.replace(fold_model, ask=ask, agree=agree)
            reading = second_opinion(m, e.text, rules)
            bad = (
                bool(reading.raised or reading.unsure)
                if e.label == NONE
                else e.label not in reading.raised + reading.unsure
            )
            if bad:
                ops = {f: round(p, 2) for f, p in opinions(m, e.text).items()}
                print(f"  {e.label:<18} {reading.raised} ?{reading.unsure} {ops} | {e.text}")


if __name__ == "__main__":
    main()
