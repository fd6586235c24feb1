"""Labelled training examples from YAML: a mapping of label -> list of example texts.

    caffeine_limit:
      - "how much coffee is too much"
    out_of_scope:
      - "how long do I boil an egg"

Validated on load: a mistake names the file and the place (``faq.yaml: eyelid[3]: expected
text``); labels must be among the known ones when those are given.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import yaml

from dialogs.classifier import Example

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TrainingDataError(ValueError):
    """A training file is missing, unreadable or has an invalid entry (the message says where)."""


def load_examples(path: Path, labels: Collection[str] | None = None) -> list[Example]:
    """The examples of a YAML file, in file order."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TrainingDataError(f"cannot read {path}: {error.strerror or error}") from None
    return parse_examples(text, path.name, labels)


def parse_examples(text: str, name: str, labels: Collection[str] | None = None) -> list[Example]:
    try:
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        raise TrainingDataError(f"{name} is not valid YAML{at}") from None
    if not isinstance(raw, dict) or not raw:
        raise TrainingDataError(f"{name}: expected a mapping of label -> list of examples")
    examples: list[Example] = []
    for label, texts in raw.items():
        if not isinstance(label, str) or not label:
            raise TrainingDataError(f"{name}: label {label!r} is not text")
        if labels is not None and label not in labels:
            known = ", ".join(sorted(labels))
            raise TrainingDataError(f"{name}: {label}: unknown label; known: {known}")
        if not isinstance(texts, list) or not texts:
            raise TrainingDataError(f"{name}: {label}: expected a non-empty list of examples")
        seen: set[str] = set()
        for i, item in enumerate(texts):
            if not isinstance(item, str) or not item.strip():
                raise TrainingDataError(f"{name}: {label}[{i}]: expected non-empty text")
            key = " ".join(item.lower().split())
            if key in seen:
                raise TrainingDataError(f"{name}: {label}[{i}]: duplicate example {item!r}")
            seen.add(key)
            examples.append(Example(item, label))
    return examples
