"""Cause scoring, triage (urgency) and the result message.

Everything medical is data in knowledge.yaml: each cause lists its `evidence` (which answer,
or which detail of an answer, points to it and how strongly) and the `urgency` section holds
the levels, the rules that raise the level, the listing threshold and the wording of the
result. A cause's score is the plain sum of the weights of its matched evidence, so every
listed cause can say why.
"""

from __future__ import annotations

import string
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from dialogs.knowledge import Knowledge
from dialogs.knowledge.red_flags import RedFlag
from dialogs.knowledge.urgency import URGENCY_ORDER, Urgency

__all__ = ["URGENCY_ORDER", "Assessment", "ScoredCause", "assess", "render_result"]


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


# --- assessing -----------------------------------------------------------------------------
def assess(
    knowledge: Knowledge,
    answers: dict[str, Any],
    details: dict[str, dict[str, Any]],
    red_flags: list[str],
) -> Assessment:
    """Score the causes for `answers` (question -> value; `details` question -> detail) and
    decide the urgency (the red flags heard during the assessment count)."""
    urgency: Urgency = knowledge.urgency
    texts = urgency.texts
    tailoring = knowledge.tailoring
    # what the answers say about the person; the answers as read
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


def _triage(
    knowledge: Knowledge, answers: dict[str, Any], red_flags: list[str]
) -> tuple[str, list[str]]:
    """The highest level that applies, and why: every flag and rule that applies (not only
    those of the highest level), the highest first."""
    urgency: Urgency = knowledge.urgency
    flags = knowledge.red_flags
    lowest = next(iter(urgency.levels))
    found: list[tuple[int, str]] = []  # (rank, why)

    def add(candidate: str, why: str) -> None:
        if why and all(why != w for _, w in found):
            found.append((urgency.rank(candidate), why))

    ordered = [f for f in flags if f in red_flags] + [f for f in red_flags if f not in flags]
    for flag_id in ordered:
        flag = flags.get(flag_id)
        flag_level = (flag.urgency if flag is not None else "") or urgency.red_flag_default
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


def flag_name(flag: RedFlag | None, flag_id: str) -> str:
    """A red flag's name inside a sentence: its button label, first letter lowered."""
    label = (flag.label if flag is not None else "") or flag_id.replace("_", " ")
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


# --- the message ---------------------------------------------------------------------------
def render_result(knowledge: Knowledge, assessment: Assessment) -> str:
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
    parts.extend(knowledge.tailoring.notes_for(set(facts)))
    parts.append(texts["not_diagnosis"].strip())
    return "\n\n".join(p for p in parts if p)


def no_cause_tips(knowledge: Knowledge, facts: Collection[str]) -> list[str]:
    """The everyday habits a result without a clear cause lists, fitted to the person
    (`urgency.tips`: e.g. no push to drink more or eat potassium-rich food where fluids or
    potassium must be watched; the pregnancy caffeine limit)."""
    return [
        text
        for text, when, unless in knowledge.urgency.tips
        if (when is None or when in facts) and (unless is None or unless not in facts)
    ]


def cause_title(knowledge: Knowledge, cause_id: str) -> str:
    """A cause's short name for lists such as /history."""
    cause = knowledge.causes.get(cause_id)
    return cause.title if cause else cause_id.replace("_", " ")


def urgency_label(knowledge: Knowledge, level: str) -> str:
    """A short phrase for an urgency level, e.g. 'see a doctor soon'."""
    found = knowledge.urgency.levels.get(level)
    return found.label if found else level.replace("_", " ")


# --- helpers -------------------------------------------------------------------------------


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
