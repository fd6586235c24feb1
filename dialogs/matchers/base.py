"""What every matcher shares: the tools built from `language`, the result type, buckets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from dialogs.numbers import Number, NumberWords, find_numbers
from dialogs.text import Lexicon, PhraseSet, Reading

if TYPE_CHECKING:  # a type only: the section parsers (dialogs.knowledge) import matchers
    from dialogs.knowledge.node import Node

V = TypeVar("V")
CUE = "cue"  # the value of a question's cue phrases (only whether they occur matters)


@dataclass(frozen=True, slots=True)
class Tools:
    """Built from knowledge.yaml `language`; every matcher gets it at load."""

    lexicon: Lexicon
    numbers: NumberWords
    none_answers: PhraseSet[str]  # "no", "none", "nothing": the question's `none` value, when asked

    def find_numbers(self, reading: Reading) -> list[Number]:
        return find_numbers(reading, self.numbers)


@dataclass(slots=True)
class Found:
    """What a matcher read: a value (a value id or a list of them), details, and for list
    questions the values named only to deny them ("not my eye")."""

    value: str | list[str] | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    denied: list[str] = field(default_factory=list)


class Matcher(Protocol):
    @property
    def cues(self) -> PhraseSet[str]:
        """Words that show a clause talks about this question."""
        ...

    def read(self, reading: Reading, asked: bool) -> Found | None: ...


@dataclass(frozen=True, slots=True)
class Buckets:
    """A measure -> a value id: the first bucket whose `below` the measure is under."""

    limits: tuple[tuple[str, float], ...]

    @classmethod
    def parse(cls, node: Node, values: set[str]) -> Buckets:
        limits: list[tuple[str, float]] = []
        items = node.list()
        for i, item in enumerate(items):
            item.only_keys("value", "below")
            last = i == len(items) - 1
            below = float("inf") if last else item.get("below").number()
            limits.append((item.get("value").choice(values), below))
        return cls(tuple(limits))

    def __call__(self, measure: float) -> str:
        for value, below in self.limits:
            if measure < below:
                return value
        return self.limits[-1][0]


def phrases(node: Node, value: V, lexicon: Lexicon) -> PhraseSet[V]:
    """A phrase list (`[words...]`) all giving one value."""
    return PhraseSet(((p, value) for p in node.strs()), lexicon)


def value_phrases(node: Node, values: set[str], lexicon: Lexicon) -> PhraseSet[str]:
    """A mapping value -> phrase list (`{calf: [calf, calves]}`), values checked."""
    entries: list[tuple[str, str]] = []
    for key, child in node.items():
        if key not in values:
            raise child.fail(f"{key!r} is not one of {', '.join(sorted(values))}")
        entries.extend((p, key) for p in child.strs())
    return PhraseSet(entries, lexicon)


def unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
