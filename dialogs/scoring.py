"""Cause scoring, triage (urgency) and the result message.

Everything medical is data in knowledge.yaml: each cause lists its `evidence` (which answer,
or which detail of an answer, points to it and how strongly) and the `urgency` section holds
the levels, the rules that raise the level, the listing threshold and the wording of the
result. A cause's score is the plain sum of the weights of its matched evidence, so every
listed cause can say why.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dialogs.knowledge import Node, require_ids

URGENCY_ORDER = ("self_care", "doctor_routine", "doctor_soon", "emergency")
UNKNOWN = "unknown"
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


# --- the typed knowledge ------------------------------------------------------------------
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
        given = _values_of(answer)
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
        given = _values_of(answer)
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


# --- the result of an assessment ------------------------------------------------------------
@dataclass(slots=True)
class ScoredCause:
    id: str
    score: float
    reasons: list[str] = field(default_factory=list)  # "6 espressos a day is about 390 mg..."


@dataclass(slots=True)
class Assessment:
    causes: list[ScoredCause]  # most likely first; only those above the threshold
    urgency: str
    urgency_reasons: list[str] = field(default_factory=list)  # every flag or rule, highest first
    facts: frozenset[str] = frozenset()  # tailoring facts about the person ("pregnant")


# --- parsing -------------------------------------------------------------------------------
def _question_values(sections: dict[str, Any]) -> dict[str, set[str]]:
    questions = sections.get("questions") or {}
    return {qid: {o.value for o in q.options} for qid, q in questions.items()}


def _check_values(node: Node, question: str, known: dict[str, set[str]]) -> frozenset[str]:
    if node.value is None:
        return frozenset()
    nodes = node.list() if isinstance(node.value, list) else [node]
    allowed = known.get(question, set())
    require_ids(nodes, allowed, f"value of question {question!r}")
    return frozenset(n.str() for n in nodes)


def _check_templates(node: Node, allow_missing: bool = True) -> tuple[str, ...]:
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


def parse_causes(node: Node, sections: dict[str, Any]) -> dict[str, Cause]:
    known = _question_values(sections)
    facts = _fact_names(sections)
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
                    values=_check_values(item.get("values", None), question, known),
                    weight=item.get("weight").number(low=-10, high=10),
                    detail=item.get("detail").str() if item.has("detail") else None,
                    why=_check_templates(item.get("why", None)),
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


def _fact_names(sections: dict[str, Any]) -> set[str]:
    tailoring = sections.get("tailoring")
    return set(tailoring.facts) if tailoring is not None else set()


def _parse_rule(item: Node, known: dict[str, set[str]], levels: dict[str, Level]) -> Rule:
    item.only_keys(
        "level", "question", "values", "excluding", "all_of", "regions", "several", "at_least",
        "why",
    )  # fmt: skip
    question = item.get("question").choice(set(known))
    values = _check_values(item.get("values", None), question, known)
    excluding = _check_values(item.get("excluding", None), question, known)
    all_of = _check_values(item.get("all_of", None), question, known)
    regions: dict[str, str] = {}
    for region, child in item.get("regions", {}).items():
        for value in _check_values(child, question, known):
            regions[value] = region
    several = _check_values(item.get("several", None), question, known)
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


def parse_urgency(node: Node, sections: dict[str, Any]) -> Urgency:
    node.only_keys("levels", "rules", "red_flag_default", "scoring", "result", "tips")
    known = _question_values(sections)
    facts = _fact_names(sections)
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


# --- assessing -----------------------------------------------------------------------------
def assess(
    knowledge: Any,
    answers: dict[str, Any],
    details: dict[str, dict[str, Any]],
    red_flags: list[str],
) -> Assessment:
    """Score the causes for `answers` (question -> value; `details` question -> detail) and
    decide the urgency (the red flags heard during the assessment count)."""
    urgency: Urgency = knowledge.urgency
    texts = urgency.texts
    tailoring = getattr(knowledge, "sections", {}).get("tailoring")
    facts: frozenset[str] = frozenset()
    if tailoring is not None:  # what the answers say about the person; the answers as read
        facts = frozenset(tailoring.facts_of(answers, details))
        answers = tailoring.effective(answers, details, set(facts))
    ranked: list[tuple[float, float, ScoredCause]] = []
    for cause in knowledge.causes.values():
        score = strongest = 0.0
        weighted: list[tuple[float, str]] = []
        for item in cause.evidence:
            detail = details.get(item.question) or {}
            if not item.matches(answers.get(item.question), detail, facts):
                continue
            score += item.weight
            strongest = max(strongest, item.weight)
            why = _render_why(item.why, detail, texts["list_and"])
            if why and item.weight > 0 and all(why != w for _, w in weighted):
                weighted.append((item.weight, why))
        if score >= urgency.threshold:
            weighted.sort(key=lambda pair: -pair[0])
            found = ScoredCause(cause.id, round(score, 2), [w for _, w in weighted])
            ranked.append((score, strongest, found))
    # Highest score first; on a tie, the cause with the single strongest piece of evidence
    # (one direct sign beats several indirect ones); then the order of knowledge.yaml.
    ranked.sort(key=lambda r: (-r[0], -r[1]))
    level, reasons = _triage(knowledge, answers, red_flags)
    return Assessment([r[2] for r in ranked], level, reasons, facts)


def _triage(knowledge: Any, answers: dict[str, Any], red_flags: list[str]) -> tuple[str, list[str]]:
    """The highest level that applies, and why: every flag and rule that applies (not only
    those of the highest level), the highest first."""
    urgency: Urgency = knowledge.urgency
    flags = getattr(knowledge, "sections", {}).get("red_flags") or {}
    lowest = next(iter(urgency.levels))
    found: list[tuple[int, str]] = []  # (rank, why)

    def add(candidate: str, why: str) -> None:
        if why and all(why != w for _, w in found):
            found.append((urgency.rank(candidate), why))

    ordered = [f for f in flags if f in red_flags] + [f for f in red_flags if f not in flags]
    for flag_id in ordered:
        flag = flags.get(flag_id)
        flag_level = getattr(flag, "urgency", None) or urgency.red_flag_default
        if flag_level not in urgency.levels:
            flag_level = urgency.red_flag_default
        add(flag_level, urgency.texts["red_flag_reason"].format(flag=flag_name(flag, flag_id)))
    for rule in urgency.rules:
        if rule.applies(answers.get(rule.question)):
            add(rule.level, rule.why)
    if not found:
        return lowest, []
    found.sort(key=lambda pair: -pair[0])  # stable: flags in table order, then rules
    level = list(urgency.levels)[found[0][0]]
    return level, [why for rank, why in found if rank > 0]


def flag_name(flag: Any, flag_id: str) -> str:
    """A red flag's name inside a sentence: its button label, first letter lowered."""
    label = str(getattr(flag, "label", "") or flag_id.replace("_", " "))
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


# --- the message ---------------------------------------------------------------------------
def render_result(knowledge: Any, assessment: Assessment) -> str:
    """The result message: likely causes with why and what to do, the urgency, and the
    'this is not a diagnosis' line."""
    urgency: Urgency = knowledge.urgency
    texts = urgency.texts
    parts: list[str] = []
    level = urgency.levels[assessment.urgency]
    urgency_lines = [texts["urgency_line"].format(label=level.label, text=level.text.strip())]
    urgency_lines.extend(assessment.urgency_reasons)
    safety_first = urgency.rank(assessment.urgency) > 0
    if safety_first:  # what to do and why come first, before the causes
        parts.append("\n".join(urgency_lines))
    facts = assessment.facts
    shown = assessment.causes[: urgency.shown]
    if shown:
        parts.append(texts["header"])
        for number, scored in enumerate(shown, start=1):
            cause = knowledge.causes[scored.id]
            lines = [texts["cause_line"].format(number=number, title=cause.title)]
            lines.append(cause.explanation.strip())
            if scored.reasons:
                lines.append(texts["why_line"].format(reasons="; ".join(scored.reasons[:2])))
            advice = cause.advice_given(facts).strip()
            lines.append(texts["advice_line"].format(advice=advice))
            parts.append("\n".join(lines))
        rest = assessment.causes[urgency.shown :]
        if rest:
            titles = [knowledge.causes[c.id].title for c in rest]
            parts.append(texts["also_line"].format(titles=", ".join(titles)))
    else:
        parts.append("\n".join([texts["no_cause"].strip(), *no_cause_tips(knowledge, facts)]))
    if not safety_first:
        parts.append("\n".join(urgency_lines))
    tailoring = getattr(knowledge, "sections", {}).get("tailoring")
    if tailoring is not None:
        parts.extend(tailoring.notes_for(set(facts)))
    parts.append(texts["not_diagnosis"].strip())
    return "\n\n".join(p for p in parts if p)


def no_cause_tips(knowledge: Any, facts: Any) -> list[str]:
    """The everyday habits a result without a clear cause lists, fitted to the person
    (`urgency.tips`: e.g. no push to drink more or eat potassium-rich food where fluids or
    potassium must be watched; the pregnancy caffeine limit)."""
    return [
        text
        for text, when, unless in knowledge.urgency.tips
        if (when is None or when in facts) and (unless is None or unless not in facts)
    ]


def cause_title(knowledge: Any, cause_id: str) -> str:
    """A cause's short name for lists such as /history."""
    cause = knowledge.causes.get(cause_id)
    return cause.title if cause else cause_id.replace("_", " ")


def urgency_label(knowledge: Any, level: str) -> str:
    """A short phrase for an urgency level, e.g. 'see a doctor soon'."""
    found = knowledge.urgency.levels.get(level)
    return found.label if found else level.replace("_", " ")


# --- helpers -------------------------------------------------------------------------------
def _values_of(answer: Any) -> set[str]:
    """The known values of an answer (a value or a list of them); 'unknown' is no value."""
    if answer is None:
        return set()
    items = answer if isinstance(answer, list | tuple | set | frozenset) else [answer]
    return {str(v) for v in items if v != UNKNOWN}


def _render_why(templates: tuple[str, ...], detail: Mapping[str, Any], joiner: str) -> str:
    """The first template whose fields the answer's detail can all fill."""
    for template in templates:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        values = {}
        for name in fields:
            value = _display(detail.get(name), joiner)
            if value is None:
                break
            values[name] = value
        else:
            return template.format(**values)
    return ""


def _display(value: Any, joiner: str) -> str | None:
    """A detail value as the user should read it (None when it cannot be shown)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}".rstrip("0")
    if isinstance(value, list | tuple):
        items = [str(v) for v in value if str(v).strip()]
        if not items:
            return None
        if len(items) == 1:
            return items[0]
        return ", ".join(items[:-1]) + joiner + items[-1]
    text = str(value).strip()
    return text or None
