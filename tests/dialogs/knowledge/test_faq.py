"""The faq section (dialogs/knowledge/faq.py) is validated on load; a mistake names the entry
and the field."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs.knowledge import DEFAULT_PATH, KnowledgeError, parse_knowledge
from tests.helpers import broken_knowledge as broken


def test_a_missing_answer_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["faq"]["entries"][4]["answer"]

    with pytest.raises(KnowledgeError, match=r"faq\.entries\[4\]\.answer: missing"):
        parse_knowledge(broken(change))


def test_an_empty_answer_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["faq"]["entries"][0]["answer"] = "  "

    with pytest.raises(KnowledgeError, match=r"faq\.entries\[0\]\.answer: expected non-empty"):
        parse_knowledge(broken(change))


def test_an_unknown_cause_id_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["faq"]["entries"][2]["causes"] = ["mineral_deficiency", "gremlins"]

    with pytest.raises(KnowledgeError, match=r"faq\.entries\[2\]\.causes\[1\]: unknown cause id"):
        parse_knowledge(broken(change))


def test_a_bad_keyword_weight_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["faq"]["entries"][1]["keywords"]["gym"] = "lots"

    with pytest.raises(
        KnowledgeError, match=r"faq\.entries\[1\]\.keywords\.gym: expected a number"
    ):
        parse_knowledge(broken(change))


def test_a_duplicate_faq_id_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["faq"]["entries"][3]["id"] = data["faq"]["entries"][0]["id"]

    with pytest.raises(KnowledgeError, match=r"faq\.entries\[3\]\.id: duplicate"):
        parse_knowledge(broken(change))


def test_a_missing_fallback_text_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["faq"]["texts"]["out_of_scope"]

    with pytest.raises(KnowledgeError, match=r"faq\.texts\.out_of_scope: missing"):
        parse_knowledge(broken(change))


def test_a_word_yaml_reads_as_true_is_caught() -> None:
    def change(data: dict[str, Any]) -> None:
        data["faq"]["stopwords"].append(True)

    with pytest.raises(KnowledgeError, match=r"faq\.stopwords\[\d+\]: expected text"):
        parse_knowledge(broken(change))


def test_a_keyword_yaml_reads_as_a_boolean_is_caught() -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    start = text.index("\nfaq:")
    text = text[:start] + text[start:].replace("keywords: {", "keywords: {on: 1, ", 1)
    with pytest.raises(KnowledgeError, match=r"faq\.entries\[0\]\.keywords: keyword True"):
        parse_knowledge(text)


def test_an_unknown_default_topic_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        data["faq"]["default_topics"] = ["see_doctor", "astrology"]

    with pytest.raises(KnowledgeError, match=r"faq\.default_topics\[1\]: unknown faq id"):
        parse_knowledge(broken(change))
