"""knowledge.yaml: loaded once, validated, turned into typed objects.

Each section of the file is parsed by the module that uses it (`parse_section` functions)
with the small helpers here, so a mistake stops start-up with a message that names the
entry and the field, e.g. ``knowledge.yaml: causes[3].evidence[0].weight: expected a number``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "knowledge.yaml"
T = TypeVar("T")
# libyaml's C parser when PyYAML was built with it (about 10x faster to load), else Python.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeError(ValueError):
    """knowledge.yaml is missing, unreadable or has an invalid entry (the message says where)."""


@dataclass(frozen=True, slots=True)
class Node:
    """A value of the YAML tree with its path, for error messages that name the place."""

    value: Any
    path: str

    def fail(self, problem: str) -> KnowledgeError:
        return KnowledgeError(f"knowledge.yaml: {self.path or '(top level)'}: {problem}")

    def _child_path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else str(key)

    # --- containers -------------------------------------------------------------------
    def mapping(self) -> Mapping[str, Any]:
        if not isinstance(self.value, Mapping):
            raise self.fail(f"expected a mapping, got {_kind(self.value)}")
        return self.value

    def items(self) -> Iterator[tuple[str, Node]]:
        for key, value in self.mapping().items():
            yield str(key), Node(value, self._child_path(str(key)))

    def list(self, allow_empty: bool = False) -> list[Node]:
        if not isinstance(self.value, list):
            raise self.fail(f"expected a list, got {_kind(self.value)}")
        if not self.value and not allow_empty:
            raise self.fail("expected a non-empty list")
        return [Node(v, self._child_path(i)) for i, v in enumerate(self.value)]

    def has(self, key: str) -> bool:
        return key in self.mapping()

    def get(self, key: str, default: Any = ...) -> Node:
        mapping = self.mapping()
        if key not in mapping:
            if default is ...:
                raise Node(None, self._child_path(key)).fail("missing")
            return Node(default, self._child_path(key))
        return Node(mapping[key], self._child_path(key))

    def only_keys(self, *allowed: str) -> Node:
        extra = sorted(set(self.mapping()) - set(allowed))
        if extra:
            raise self.fail(
                f"unknown field(s) {', '.join(map(str, extra))}; allowed: {', '.join(allowed)}"
            )
        return self

    # --- scalars ----------------------------------------------------------------------
    def str(self, allow_empty: bool = False) -> str:
        if not isinstance(self.value, str):
            raise self.fail(f"expected text, got {_kind(self.value)}")
        if not allow_empty and not self.value.strip():
            raise self.fail("expected non-empty text")
        return self.value

    def strs(self, allow_empty: bool = False) -> list[str]:
        return [n.str() for n in self.list(allow_empty)]

    def number(self, low: float | None = None, high: float | None = None) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.fail(f"expected a number, got {_kind(self.value)}")
        if (low is not None and self.value < low) or (high is not None and self.value > high):
            raise self.fail(f"{self.value} is outside {low}..{high}")
        return float(self.value)

    def bool(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail(f"expected true or false, got {_kind(self.value)}")
        return self.value

    def choice(self, allowed: set[str] | list[str] | tuple[str, ...]) -> str:
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


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything the engine knows, typed; built once at start-up."""

    messages: Messages
    sections: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:  # knowledge.questions, knowledge.faq, ...
        try:
            return self.sections[name]
        except KeyError:
            raise AttributeError(name) from None


# Section name -> parser. Each module that owns a section registers its parser here through
# `SECTION_PARSERS` below; the order is the order of parsing (later ones may use earlier ones).
SectionParser = Callable[[Node, dict[str, Any]], Any]


def _section_parsers() -> list[tuple[str, SectionParser]]:
    from dialogs import (
        crisis,
        diary,
        faq,
        intents,
        nlu,
        red_flags,
        reminders,
        safety,
        scoring,
        tailoring,
    )

    return [
        ("language", nlu.parse_language),
        ("questions", nlu.parse_questions),
        ("sign_words", red_flags.parse_sign_words),
        ("red_flags", red_flags.parse_red_flags),
        ("safety", safety.parse_safety),
        ("crisis", crisis.parse_crisis),
        ("tailoring", tailoring.parse_tailoring),
        ("causes", scoring.parse_causes),
        ("urgency", scoring.parse_urgency),
        ("faq", faq.parse_faq),
        ("reminders", reminders.parse_reminders),
        ("diary", diary.parse_diary),
        ("conversation", intents.parse_conversation),
    ]


@dataclass(frozen=True, slots=True)
class Files:
    """Where files that knowledge.yaml names (training data) are read from (beside the
    knowledge file, else beside the package's own), and where trained models are cached
    (None: train on every load)."""

    base: Path = DEFAULT_PATH.parent
    cache: Path | None = DEFAULT_PATH.parent / ".cache"

    def find(self, name: str) -> Path:
        """`name` beside the knowledge file, or the package's own copy when it has none."""
        path = self.base / name
        if not path.exists() and (DEFAULT_PATH.parent / name).exists():
            return DEFAULT_PATH.parent / name
        return path


def load_knowledge(path: str | Path | None = None, cache_dir: Path | None = None) -> Knowledge:
    """Read and validate knowledge.yaml (default: beside the package, or $BOT_KNOWLEDGE).
    Trained models are cached in `cache_dir` (default: `.cache` beside the package)."""
    path = Path(path or os.environ.get("BOT_KNOWLEDGE") or DEFAULT_PATH)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KnowledgeError(f"cannot read {path}: {error.strerror or error}") from None
    base = path.resolve().parent
    return parse_knowledge(text, Files(base, cache_dir or DEFAULT_PATH.parent / ".cache"))


def parse_knowledge(text: str, files: Files | None = None) -> Knowledge:
    try:
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(error, "problem", None) or str(error)
        raise KnowledgeError(f"knowledge.yaml is not valid YAML{at}: {problem}") from None
    root = Node(raw, "")
    root.mapping()
    parsers = _section_parsers()
    root.only_keys("meta", "messages", *(name for name, _ in parsers))
    messages = parse_messages(root.get("messages"))
    sections: dict[str, Any] = {"messages": messages, "files": files or Files()}
    for name, parser in parsers:
        sections[name] = parser(root.get(name), sections)
    sections.pop("messages")
    sections.pop("files")
    return Knowledge(messages=messages, sections=sections)
