"""knowledge.yaml `urgency`: the triage levels, the rules that raise them, the result's wording."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dialogs.knowledge.node import Node
from dialogs.knowledge.questions import Question, answer_values, check_values, values_by_question
from dialogs.knowledge.tailoring import Tailoring

URGENCY_ORDER = ("self_care", "doctor_routine", "doctor_soon", "emergency")
RESULT_TEXTS = (
    "header",
    "cause_line",
    "why_line",
    "advice_line",
    "also_line",
    "no_cause",
    "urgency_line",
    "red_flag_reason",
    "not_diagnosis",
    "list_and",
)


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    label: str  # a short phrase, e.g. "see a doctor soon"
    text: str  # what to do, in the result message


@dataclass(frozen=True, slots=True)
class Rule:
    """Raise the urgency to `level` when `question` has one of `values` (or, with
    `excluding`, any known answer outside it; with `all_of`, every one of those; with
    `regions`, values in at least `at_least` regions, a `several` value counting as many)."""

    level: str
    question: str
    values: frozenset[str]
    excluding: frozenset[str]
    why: str
    all_of: frozenset[str] = frozenset()
    regions: Mapping[str, str] = field(default_factory=dict)  # value -> region
    several: frozenset[str] = frozenset()
    at_least: int = 2

    def applies(self, answer: Any) -> bool:
        given = answer_values(answer)
        if self.all_of:
            return self.all_of <= given
        if self.regions:
            if given & self.several:
                return True
            return len({self.regions[v] for v in given if v in self.regions}) >= self.at_least
        if self.values:
            return bool(given & self.values)
        return bool(given - self.excluding)


@dataclass(frozen=True, slots=True)
class Urgency:
    levels: dict[str, Level]  # lowest first
    rules: tuple[Rule, ...]
    red_flag_default: str
    threshold: float
    shown: int
    texts: Mapping[str, str]
    tips: tuple[tuple[str, str | None, str | None], ...] = ()  # (text, when, unless)

    def rank(self, level: str) -> int:
        return list(self.levels).index(level)


def _parse_rule(item: Node, known: dict[str, set[str]], levels: dict[str, Level]) -> Rule:
    item.only_keys(
        "level", "question", "values", "excluding", "all_of", "regions", "several", "at_least",
        "why",
    )  # fmt: skip
    question = item.get("question").choice(set(known))
    values = check_values(item.get("values", None), question, known)
    excluding = check_values(item.get("excluding", None), question, known)
    all_of = check_values(item.get("all_of", None), question, known)
    regions: dict[str, str] = {}
    for region, child in item.get("regions", {}).items():
        for value in check_values(child, question, known):
            regions[value] = region
    several = check_values(item.get("several", None), question, known)
    if not (values or excluding or all_of or regions):
        raise item.fail("needs values, excluding, all_of or regions")
    return Rule(
        level=item.get("level").choice(set(levels)),
        question=question,
        values=values,
        excluding=excluding,
        why=item.get("why").str(),
        all_of=all_of,
        regions=regions,
        several=several,
        at_least=int(item.get("at_least", 2).number(low=2, high=20)),
    )


def parse_urgency(node: Node, questions: Mapping[str, Question], tailoring: Tailoring) -> Urgency:
    node.only_keys("levels", "rules", "red_flag_default", "scoring", "result", "tips")
    known = values_by_question(questions)
    facts = set(tailoring.facts)
    levels_node = node.get("levels")
    levels: dict[str, Level] = {}
    for level_id, item in levels_node.items():
        item.only_keys("label", "text")
        levels[level_id] = Level(level_id, item.get("label").str(), item.get("text").str())
    missing = [level for level in URGENCY_ORDER if level not in levels]
    if missing:
        raise levels_node.get(missing[0]).fail("missing")
    if [lv for lv in levels if lv in URGENCY_ORDER] != list(URGENCY_ORDER):
        raise levels_node.fail(f"levels must be listed lowest first: {', '.join(URGENCY_ORDER)}")
    rules = [_parse_rule(item, known, levels) for item in node.get("rules").list(allow_empty=True)]
    tips = []
    for item in node.get("tips", []).list(allow_empty=True):
        item.only_keys("text", "when", "unless")
        tips.append(
            (
                item.get("text").str(),
                item.get("when").choice(facts) if item.has("when") else None,
                item.get("unless").choice(facts) if item.has("unless") else None,
            )
        )
    scoring = node.get("scoring")
    scoring.only_keys("threshold", "shown")
    result = node.get("result")
    texts = {key: child.str(allow_empty=True) for key, child in result.items()}
    for key in RESULT_TEXTS:
        if key not in texts:
            raise result.get(key).fail("missing")
    return Urgency(
        levels=levels,
        rules=tuple(rules),
        red_flag_default=node.get("red_flag_default").choice(set(levels)),
        threshold=scoring.get("threshold").number(low=0),
        shown=int(scoring.get("shown").number(low=1, high=12)),
        texts=texts,
        tips=tuple(tips),
    )
