#!/usr/bin/env python3
"""Write the prebuilt red-flag model to data/models/ so that a fresh checkout starts in a few
seconds instead of training it (about 15 s on two cores). Run from the repository root after
changing the red-flag model's training data (knowledge.yaml `safety.model.training`):

    .venv/bin/python scripts/ship_models.py

The bot uses the shipped file only when it was built from exactly the current examples and
settings (the name carries their hash); otherwise it trains and caches as before.
"""

from __future__ import annotations

import lzma
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogs.classifier import Example, load_or_train, shipped_path  # noqa: E402
from dialogs.knowledge import load_knowledge  # noqa: E402
from dialogs.knowledge.files import Files  # noqa: E402
from dialogs.knowledge.flag_model import NONE, SETTINGS  # noqa: E402
from dialogs.training import load_examples  # noqa: E402


def red_flag_examples(files: Files) -> list[Example]:
    """The model's examples, read as `dialogs.knowledge.flag_model` reads them."""
    knowledge = load_knowledge()
    labels = set(knowledge.red_flags) | {NONE}
    raw = yaml.safe_load((ROOT / "knowledge.yaml").read_text(encoding="utf-8"))
    names = raw["safety"]["model"]["training"]
    examples: list[Example] = []
    for name in names if isinstance(names, list) else [names]:
        examples += load_examples(files.find(name), labels)
    return examples


def main() -> None:
    files = Files()
    assert files.shipped is not None
    examples = red_flag_examples(files)
    model = load_or_train(examples, files.cache, name="red_flags", settings=SETTINGS)
    target = shipped_path(files.shipped, "red_flags", examples, SETTINGS)
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob("red_flags-*.pickle.xz"):
        if old != target:
            old.unlink()
    target.write_bytes(lzma.compress(model.to_bytes(), preset=6))
    size = target.stat().st_size / 1e6
    print(f"{target.relative_to(ROOT)}: {size:.1f} MB, {len(examples)} examples")


if __name__ == "__main__":
    main()
