"""knowledge.yaml `messages` (and every other table of wording looked up by key)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs.knowledge.node import Node


@dataclass(frozen=True, slots=True)
class Messages:
    """The bot's own wording (greeting, help, prompts...), looked up by key."""

    texts: Mapping[str, str]

    def __call__(self, key: str, **values: Any) -> str:
        try:
            template = self.texts[key]
        except KeyError:
            raise KeyError(f"knowledge.yaml has no messages.{key}") from None
        return template.format(**values) if values else template

    def get(self, key: str, default: str = "") -> str:
        return self.texts.get(key, default)


def parse_messages(node: Node, required: tuple[str, ...] = ()) -> Messages:
    texts = {key: child.str() for key, child in node.items()}
    for key in required:
        if key not in texts:
            raise node.get(key).fail("missing")
    return Messages(texts)
