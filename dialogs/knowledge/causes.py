"""knowledge.yaml `causes`: each cause, its explanation and advice, and the evidence for it.

A cause's `evidence` says which answer (or which detail of an answer) points to it and how
strongly; `why` templates say so in the result; `when`/`unless` name tailoring facts.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs.knowledge.node import Node
from dialogs.knowledge.questions import Question, answer_values, check_values, values_by_question
from dialogs.knowledge.tailoring import Tailoring


@dataclass(frozen=True, slots=True)
class Evidence:
    """One observation that points to a cause: `question` answered with one of `values`
    (any known answer when empty) and, when `detail` is set, that detail flag true."""

    question: str
    values: frozenset[str]
    weight: float
    detail: str | None = None
    why: tuple[str, ...] = ()  # templates; the first whose fields are all known is used
    when: str | None = None  # a tailoring fact that must hold ("pregnant") ...
    unless: str | None = None  # ... or must not hold ("potassium_sparing")

    def matches(
        self, answer: Any, details: Mapping[str, Any], facts: frozenset[str] = frozenset()
    ) -> bool:
        given = answer_values(answer)
        if not given:
            return False
        if self.values and not (given & self.values):
            return False
        if self.when is not None and self.when not in facts:
            return False
        if self.unless is not None and self.unless in facts:
            return False
        return not self.detail or bool(details.get(self.detail))


@dataclass(frozen=True, slots=True)
class Cause:
    id: str
    title: str
    explanation: str
    advice: str
    evidence: tuple[Evidence, ...]
    advice_for: tuple[tuple[str, str], ...] = ()  # (tailoring fact, advice): the first that holds

    def advice_given(self, facts: frozenset[str] | set[str]) -> str:
        return next((text for fact, text in self.advice_for if fact in facts), self.advice)


def check_templates(node: Node, allow_missing: bool = True) -> tuple[str, ...]:
    if node.value is None and allow_missing:
        return ()
    nodes = node.list() if isinstance(node.value, list) else [node]
    templates = []
    for item in nodes:
        text = item.str()
        try:
            list(string.Formatter().parse(text))
        except ValueError as error:
            raise item.fail(f"bad template: {error}") from None
        templates.append(text)
    return tuple(templates)


def parse_causes(
    node: Node, questions: Mapping[str, Question], tailoring: Tailoring
) -> dict[str, Cause]:
    known = values_by_question(questions)
    facts = set(tailoring.facts)
    causes: dict[str, Cause] = {}
    for entry in node.list():
        entry.only_keys("id", "title", "explanation", "advice", "evidence", "advice_for")
        cause_id = entry.get("id").str()
        if cause_id in causes:
            raise entry.get("id").fail(f"duplicate cause id {cause_id!r}")
        evidence = []
        for item in entry.get("evidence").list():
            item.only_keys("question", "values", "detail", "weight", "why", "when", "unless")
            question = item.get("question").choice(set(known))
            evidence.append(
                Evidence(
                    question=question,
                    values=check_values(item.get("values", None), question, known),
                    weight=item.get("weight").number(low=-10, high=10),
                    detail=item.get("detail").str() if item.has("detail") else None,
                    why=check_templates(item.get("why", None)),
                    when=item.get("when").choice(facts) if item.has("when") else None,
                    unless=item.get("unless").choice(facts) if item.has("unless") else None,
                )
            )
        advice_for = []
        for item in entry.get("advice_for", []).list(allow_empty=True):
            item.only_keys("when", "advice")
            advice_for.append((item.get("when").choice(facts), item.get("advice").str()))
        causes[cause_id] = Cause(
            id=cause_id,
            title=entry.get("title").str(),
            explanation=entry.get("explanation").str(),
            advice=entry.get("advice").str(),
            evidence=tuple(evidence),
            advice_for=tuple(advice_for),
        )
    return causes
