"""The causes and urgency sections are validated; a mistake names the entry and field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from dialogs.knowledge import DEFAULT_PATH, KnowledgeError, parse_knowledge


def broken(change: Callable[[dict[str, Any]], None]) -> str:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_bad_weight_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["causes"][3]["evidence"][0]["weight"] = "heavy"

    with pytest.raises(
        KnowledgeError, match=r"causes\[3\]\.evidence\[0\]\.weight: expected a number"
    ):
        parse_knowledge(broken(change))


def test_an_unknown_answer_value_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["causes"][0]["evidence"][0]["values"] = ["marathon"]

    with pytest.raises(KnowledgeError, match=r"causes\[0\]\.evidence\[0\]\.values\[0\]: unknown"):
        parse_knowledge(broken(change))


def test_an_unknown_question_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["causes"][1]["evidence"][1]["question"] = "diet"

    with pytest.raises(KnowledgeError, match=r"causes\[1\]\.evidence\[1\]\.question: 'diet'"):
        parse_knowledge(broken(change))


def test_a_duplicate_cause_id_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["causes"][1]["id"] = data["causes"][0]["id"]

    with pytest.raises(KnowledgeError, match=r"causes\[1\]\.id: duplicate"):
        parse_knowledge(broken(change))


def test_a_missing_cause_field_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["causes"][2]["advice"]

    with pytest.raises(KnowledgeError, match=r"causes\[2\]\.advice: missing"):
        parse_knowledge(broken(change))


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


def test_a_broken_template_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["causes"][3]["evidence"][0]["why"] = ["about {mg mg"]

    with pytest.raises(KnowledgeError, match=r"causes\[3\]\.evidence\[0\]\.why\[0\]: bad template"):
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
    import pathlib

    import yaml

    raw = yaml.safe_load(
        (pathlib.Path(__file__).parent.parent / "knowledge.yaml").read_text(encoding="utf-8")
    )
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
