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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogs.classifier import shipped_path  # noqa: E402
from dialogs.knowledge import load_knowledge  # noqa: E402
from dialogs.knowledge.files import Files  # noqa: E402


def main() -> None:
    shipped = Files().shipped
    assert shipped is not None
    model = load_knowledge().safety.model  # trained now, or read from the cache
    assert model is not None
    target = shipped_path(shipped, "red_flags", model.key)
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob("red_flags-*.pickle.xz"):
        if old != target:
            old.unlink()
    target.write_bytes(lzma.compress(model.classifier.to_bytes(), preset=6))
    size = target.stat().st_size / 1e6
    print(f"{target.relative_to(ROOT)}: {size:.1f} MB")


if __name__ == "__main__":
    main()
