"""knowledge.yaml `meta`: the file's version and the sources its facts and figures come from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dialogs.knowledge.node import Node


@dataclass(frozen=True, slots=True)
class Meta:
    version: int | None = None
    sources: Mapping[str, str] = field(default_factory=dict)  # source id -> the citation


def parse_meta(node: Node) -> Meta:
    """The section is optional; only the fields it has are read (other fields are notes)."""
    if node.value is None:
        return Meta()
    node.mapping()
    version = int(node.get("version").number(0)) if node.has("version") else None
    sources = {key: child.str() for key, child in node.get("sources", {}).items()}
    return Meta(version, sources)
