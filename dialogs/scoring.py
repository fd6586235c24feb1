"""Cause scoring and triage. STUB: interface fixed, logic being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dialogs.knowledge import Node

URGENCY_ORDER = ("self_care", "doctor_routine", "doctor_soon", "emergency")


@dataclass(slots=True)
class ScoredCause:
    id: str
    score: float
    reasons: list[str] = field(default_factory=list)  # "6 espressos a day is about 390 mg..."


@dataclass(slots=True)
class Assessment:
    causes: list[ScoredCause]  # most likely first; only those above the threshold
    urgency: str


def parse_causes(node: Node, sections: dict[str, Any]) -> Any:
    return node.value


def parse_urgency(node: Node, sections: dict[str, Any]) -> Any:
    return node.value


def assess(knowledge: Any, answers: dict[str, Any], details: dict[str, dict[str, Any]],
           red_flags: list[str]) -> Assessment:
    """Score the causes for `answers` (question -> value; `details` question -> detail) and
    decide the urgency (the red flags heard during the assessment count)."""
    return Assessment([], "self_care")


def render_result(knowledge: Any, assessment: Assessment) -> str:
    """The result message: likely causes with why and what to do, the urgency, and the
    'this is not a diagnosis' line."""
    return "Result: " + ", ".join(c.id for c in assessment.causes) + f" ({assessment.urgency})"


def cause_title(knowledge: Any, cause_id: str) -> str:
    """A cause's short name for lists such as /history."""
    return cause_id.replace("_", " ")


def urgency_label(knowledge: Any, level: str) -> str:
    """A short phrase for an urgency level, e.g. 'see a doctor soon'."""
    return level.replace("_", " ")
