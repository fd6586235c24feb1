"""The urgency section (dialogs/knowledge/urgency.py) is validated on load, a mistake naming
the entry and the field; one wording per urgency level across knowledge.yaml."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from dialogs.knowledge import DEFAULT_PATH, KnowledgeError, parse_knowledge
from tests.helpers import broken_knowledge as broken


def test_a_missing_urgency_level_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["urgency"]["levels"]["doctor_soon"]

    with pytest.raises(KnowledgeError, match=r"urgency\.levels\.doctor_soon: missing"):
        parse_knowledge(broken(change))


def test_a_rule_with_an_unknown_level_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["urgency"]["rules"][0]["level"] = "panic"

    with pytest.raises(KnowledgeError, match=r"urgency\.rules\[0\]\.level: 'panic'"):
        parse_knowledge(broken(change))


def test_a_missing_result_text_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["urgency"]["result"]["not_diagnosis"]

    with pytest.raises(KnowledgeError, match=r"urgency\.result\.not_diagnosis: missing"):
        parse_knowledge(broken(change))


def _texts(node: object) -> list[str]:
    """Every string in a loaded YAML tree."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []


def test_one_wording_per_urgency_level_everywhere() -> None:
    """The same advice is worded the same way wherever it appears (anxious readers notice):
    'see a doctor soon' is 'today or within the next day or two', and the routine rule is
    the NHS's 2 weeks, never 'a few weeks'."""
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    soon = raw["urgency"]["levels"]["doctor_soon"]["text"]
    assert "today or within the next day or two" in soon
    texts = _texts({k: v for k, v in raw.items() if k != "language"})
    for text in texts:
        lowered = text.lower()
        assert "in the next day or two" not in lowered.replace("within the next day or two", "")
        assert "within a day or two if" not in lowered
        assert "more than a few weeks" not in lowered
        assert "within a few weeks" not in lowered
    for flag in raw["red_flags"]:  # a possible clot says "today" alone: the sooner the better
        if flag["urgency"] == "doctor_soon":
            assert flag["message"].startswith("Please see a doctor today"), flag["id"]
