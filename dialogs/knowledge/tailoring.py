"""What the answers say about the person, so advice and thresholds fit them.

knowledge.yaml `tailoring` names *facts* ("pregnant", "fluid_caution": kidney or heart
disease, or a potassium-sparing water pill), each true when any of its tests matches an
answer (a value, or a detail flag such as `potassium_sparing`). Facts then:
- re-read an answer with other buckets (`rebucket`: caffeine is `high` from 200 mg in
  pregnancy, whenever the pregnancy was told: the result uses everything it knows);
- pick a cause's advice (`advice_for` in `causes`) and which evidence counts (`when`/`unless`);
- add notes to the result (`notes`: the eyelid warning signs) and replace a reminder offer
  (`offers`: a fluid caveat instead of "drink every 2 hours").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs.knowledge.node import Node
from dialogs.knowledge.questions import Question, answer_values, values_by_question


@dataclass(frozen=True, slots=True)
class Test:
    """`question` answered with one of `values`, or its detail flag `detail` set."""

    question: str
    values: frozenset[str] = frozenset()
    detail: str | None = None

    def holds(self, answers: Mapping[str, Any], details: Mapping[str, Any]) -> bool:
        if self.detail is not None:
            return bool((details.get(self.question) or {}).get(self.detail))
        return bool(answer_values(answers.get(self.question)) & self.values)


@dataclass(frozen=True, slots=True)
class Rebucket:
    """Re-read `question` from its detail `measure` with these buckets when `when` holds."""

    question: str
    measure: str
    when: str
    limits: tuple[tuple[str, float], ...]

    def value(self, measure: float) -> str:
        for value, below in self.limits:
            if measure < below:
                return value
        return self.limits[-1][0]


@dataclass(frozen=True, slots=True)
class Note:
    when: str
    text: str


@dataclass(frozen=True, slots=True)
class Tailoring:
    facts: dict[str, tuple[Test, ...]]
    rebucket: tuple[Rebucket, ...]
    notes: tuple[Note, ...]
    offers: dict[str, Note]  # reminder kind -> the text said instead of offering it

    def facts_of(self, answers: Mapping[str, Any], details: Mapping[str, Any]) -> set[str]:
        """The names of the facts that hold for these answers."""
        return {
            name
            for name, tests in self.facts.items()
            if any(t.holds(answers, details) for t in tests)
        }

    def effective(
        self, answers: Mapping[str, Any], details: Mapping[str, Any], facts: set[str]
    ) -> dict[str, Any]:
        """The answers as the result should read them (e.g. caffeine re-bucketed in pregnancy)."""
        out = dict(answers)
        for rule in self.rebucket:
            if rule.when not in facts:
                continue
            measure = (details.get(rule.question) or {}).get(rule.measure)
            if isinstance(measure, int | float) and not isinstance(measure, bool):
                out[rule.question] = rule.value(float(measure))
        return out

    def notes_for(self, facts: set[str]) -> list[str]:
        return [n.text for n in self.notes if n.when in facts]

    def offers_instead(self, facts: set[str]) -> dict[str, str]:
        return {kind: n.text for kind, n in self.offers.items() if n.when in facts}


def _test(node: Node, known: dict[str, set[str]]) -> Test:
    node.only_keys("question", "values", "detail")
    question = node.get("question").choice(set(known))
    if node.has("detail"):
        return Test(question, detail=node.get("detail").str())
    values = node.get("values").list()
    for v in values:
        v.choice(known[question])
    return Test(question, frozenset(v.str() for v in values))


def parse_tailoring(node: Node, questions: Mapping[str, Question]) -> Tailoring:
    node.only_keys("facts", "rebucket", "notes", "offers")
    known = values_by_question(questions)
    facts = {
        name: tuple(_test(t, known) for t in child.list())
        for name, child in node.get("facts").items()
    }

    def fact(n: Node) -> str:
        return n.choice(set(facts))

    rebucket = []
    for item in node.get("rebucket", []).list(allow_empty=True):
        item.only_keys("question", "measure", "when", "buckets")
        question = item.get("question").choice(set(known))
        limits = []
        buckets = item.get("buckets").list()
        for i, b in enumerate(buckets):
            b.only_keys("value", "below")
            below = float("inf") if i == len(buckets) - 1 else b.get("below").number()
            limits.append((b.get("value").choice(known[question]), below))
        rebucket.append(
            Rebucket(question, item.get("measure").str(), fact(item.get("when")), tuple(limits))
        )
    notes = []
    for item in node.get("notes", []).list(allow_empty=True):
        item.only_keys("when", "text")
        notes.append(Note(fact(item.get("when")), item.get("text").str()))
    offers = {}
    for kind, item in node.get("offers", {}).items():
        item.only_keys("when", "text")
        offers[kind] = Note(fact(item.get("when")), item.get("text").str())
    return Tailoring(facts, tuple(rebucket), tuple(notes), offers)
