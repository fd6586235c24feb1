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
