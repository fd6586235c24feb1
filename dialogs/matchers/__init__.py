"""One matcher per kind of answer, chosen per question by `matcher:` in knowledge.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from dialogs.matchers.base import Found, Matcher, Tools
from dialogs.matchers.caffeine import CaffeineMatcher
from dialogs.matchers.choices import ChoiceMatcher
from dialogs.matchers.measures import DurationMatcher, ScaleMatcher, SleepMatcher

if TYPE_CHECKING:  # a type only: the section parsers (dialogs.knowledge) import matchers
    from dialogs.knowledge.node import Node

__all__ = ["Found", "Matcher", "Tools", "build_matcher"]

MATCHER_NAMES = ("choices", "duration", "caffeine", "sleep", "scale")


def build_matcher(
    node: Node, answer_kind: Literal["one", "list"], values: set[str], tools: Tools
) -> Matcher:
    """The matcher a question's `matcher` entry names, built from the question's fields
    (`answer_kind`: whether the question takes one value or a list of them)."""
    name = node.get("matcher").choice(MATCHER_NAMES)
    if name == "choices":
        return ChoiceMatcher.parse(node, answer_kind, values, tools)
    if name == "duration":
        return DurationMatcher.parse(node, values, tools)
    if name == "caffeine":
        return CaffeineMatcher.parse(node, values, tools)
    if name == "sleep":
        return SleepMatcher.parse(node, values, tools)
    return ScaleMatcher.parse(node, values, tools)
