"""The causes section (dialogs/knowledge/causes.py) is validated on load; a mistake names
the entry and the field."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs.knowledge import KnowledgeError, parse_knowledge
from tests.helpers import broken_knowledge as broken


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


def test_a_broken_template_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["causes"][3]["evidence"][0]["why"] = ["about {mg mg"]

    with pytest.raises(KnowledgeError, match=r"causes\[3\]\.evidence\[0\]\.why\[0\]: bad template"):
        parse_knowledge(broken(change))
