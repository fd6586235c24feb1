"""Cross-validated accuracy of the FAQ classifier, per entry (5-fold, stratified).

    python bench/classifier_cv.py [--folds 5]

Trains on the training files knowledge.yaml names (faq.classifier.training), so it measures
exactly the model the bot uses. tests/dialogs/test_classifier.py holds the floors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogs.classifier import cross_validate  # noqa: E402
from dialogs.training import load_examples  # noqa: E402


def faq_examples() -> list:
    import yaml

    data = yaml.safe_load((ROOT / "knowledge.yaml").read_text(encoding="utf-8"))
    files = data["faq"]["classifier"]["training"]
    files = files if isinstance(files, list) else [files]
    return [e for name in files for e in load_examples(ROOT / name)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    examples = faq_examples()
    started = time.perf_counter()
    report = cross_validate(examples, folds=args.folds)
    seconds = time.perf_counter() - started
    print(f"{'label':28} {'right':>6} {'total':>6} {'accuracy':>9}")
    for label, (right, total) in sorted(report.items(), key=lambda kv: kv[1][0] / kv[1][1]):
        print(f"{label:28} {right:6d} {total:6d} {right / total:9.1%}")
    right = sum(r for r, _ in report.values())
    total = sum(t for _, t in report.values())
    print(f"{'all':28} {right:6d} {total:6d} {right / total:9.1%}")
    print(f"{len(examples)} examples, {args.folds} folds in {seconds:.1f} s")


if __name__ == "__main__":
    main()
