"""Where knowledge.yaml is, where the files it names are read from, and where models are cached."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "knowledge.yaml"


@dataclass(frozen=True, slots=True)
class Files:
    """Where files that knowledge.yaml names (training data) are read from (beside the
    knowledge file, else beside the package's own), and where trained models are cached
    (None: train on every load)."""

    base: Path = DEFAULT_PATH.parent
    cache: Path | None = DEFAULT_PATH.parent / ".cache"
    # prebuilt models shipped with the project (a fresh checkout starts without training the
    # largest one); used only when built from exactly the current training data
    shipped: Path | None = DEFAULT_PATH.parent / "data" / "models"

    def find(self, name: str) -> Path:
        """`name` beside the knowledge file, or the package's own copy when it has none."""
        path = self.base / name
        if not path.exists() and (DEFAULT_PATH.parent / name).exists():
            return DEFAULT_PATH.parent / name
        return path
