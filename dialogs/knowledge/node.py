"""The YAML tree with its paths: `Node`, `KnowledgeError` and the validation helpers.

Every section module (dialogs/knowledge/<section>.py) reads its part of knowledge.yaml through
these, so a mistake stops start-up with a message that names the entry and the field, e.g.
``knowledge.yaml: causes[3].evidence[0].weight: expected a number``.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


class KnowledgeError(ValueError):
    """knowledge.yaml is missing, unreadable or has an invalid entry (the message says where)."""


@dataclass(frozen=True, slots=True)
class Node:
    """A value of the YAML tree with its path, for error messages that name the place.
    (In this class `str`, `list` and `bool` are methods, so annotations say `builtins.str`.)"""

    value: Any
    path: builtins.str

    def fail(self, problem: builtins.str) -> KnowledgeError:
        return KnowledgeError(f"knowledge.yaml: {self.path or '(top level)'}: {problem}")

    def _child_path(self, key: builtins.str | int) -> builtins.str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else str(key)

    # --- containers -------------------------------------------------------------------
    def mapping(self) -> Mapping[builtins.str, Any]:
        if not isinstance(self.value, Mapping):
            raise self.fail(f"expected a mapping, got {_kind(self.value)}")
        return self.value

    def items(self) -> Iterator[tuple[builtins.str, Node]]:
        for key, value in self.mapping().items():
            yield str(key), Node(value, self._child_path(str(key)))

    def list(self, allow_empty: builtins.bool = False) -> builtins.list[Node]:
        if not isinstance(self.value, list):
            raise self.fail(f"expected a list, got {_kind(self.value)}")
        if not self.value and not allow_empty:
            raise self.fail("expected a non-empty list")
        return [Node(v, self._child_path(i)) for i, v in enumerate(self.value)]

    def has(self, key: builtins.str) -> builtins.bool:
        return key in self.mapping()

    def get(self, key: builtins.str, default: Any = ...) -> Node:
        mapping = self.mapping()
        if key not in mapping:
            if default is ...:
                raise Node(None, self._child_path(key)).fail("missing")
            return Node(default, self._child_path(key))
        return Node(mapping[key], self._child_path(key))

    def only_keys(self, *allowed: builtins.str) -> Node:
        extra = sorted(set(self.mapping()) - set(allowed))
        if extra:
            raise self.fail(
                f"unknown field(s) {', '.join(map(str, extra))}; allowed: {', '.join(allowed)}"
            )
        return self

    # --- scalars ----------------------------------------------------------------------
    def str(self, allow_empty: builtins.bool = False) -> builtins.str:
        if not isinstance(self.value, str):
            raise self.fail(f"expected text, got {_kind(self.value)}")
        if not allow_empty and not self.value.strip():
            raise self.fail("expected non-empty text")
        return self.value

    def strs(
        self, allow_empty: builtins.bool = False, unique: builtins.bool = True
    ) -> builtins.list[builtins.str]:
        """The list's strings; one said twice is an error (a copy-paste slip) unless the
        list repeats on purpose (`unique=False`: a sign needing a concept twice)."""
        out: builtins.list[builtins.str] = []
        seen: set[builtins.str] = set()
        for n in self.list(allow_empty):
            value = n.str()
            if unique and value in seen:
                raise n.fail(f"{value!r} is already in this list")
            seen.add(value)
            out.append(value)
        return out

    def number(self, low: float | None = None, high: float | None = None) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.fail(f"expected a number, got {_kind(self.value)}")
        if (low is not None and self.value < low) or (high is not None and self.value > high):
            raise self.fail(f"{self.value} is outside {low}..{high}")
        return float(self.value)

    def bool(self) -> builtins.bool:
        if not isinstance(self.value, bool):
            raise self.fail(f"expected true or false, got {_kind(self.value)}")
        return self.value

    def choice(
        self, allowed: set[builtins.str] | builtins.list[builtins.str] | tuple[builtins.str, ...]
    ) -> builtins.str:
        text = self.str()
        if text not in allowed:
            raise self.fail(f"{text!r} is not one of {', '.join(sorted(allowed))}")
        return text


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def require_ids(nodes: list[Node], known: set[str], what: str) -> None:
    """Each node is text naming one of `known` (e.g. a cause id)."""
    for node in nodes:
        if node.str() not in known:
            raise node.fail(f"unknown {what} {node.value!r}; known: {', '.join(sorted(known))}")
