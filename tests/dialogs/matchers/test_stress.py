"""The stress question (dialogs/matchers/measures.py `ScaleMatcher`) through
`nlu.interpret`: a 1-10 scale, words and typos. Phrasings are invented here."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from tests.helpers import answer, detail

STRESS = [
    ("1", "low"),
    ("2/10", "low"),
    ("like a 3", "low"),
    ("calm", "low"),
    ("pretty relaxed lately", "low"),
    ("not stressed", "low"),
    ("zero stress", "low"),
    ("four", "moderate"),
    ("5 out of 10", "moderate"),
    ("six maybe", "moderate"),
    ("a bit stressed", "moderate"),
    ("medium", "moderate"),
    ("somewhat", "moderate"),
    ("seven", "high"),
    ("8/10", "high"),
    ("10!!", "high"),
    ("very stressed", "high"),
    ("overwhelmed with work", "high"),
    ("burnt out", "high"),
    ("exam season, stressed out", "high"),
    ("7-8", "high"),
    ("nothing at all", "low"),
    ("a little anxious", "moderate"),
    ("super stresed", "high"),
]


@pytest.mark.parametrize(("text", "expected"), STRESS)
def test_stress(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "stress", text) == expected


def test_stress_detail_is_the_scale(knowledge: Knowledge) -> None:
    assert detail(knowledge, "stress", "9 out of 10")["scale"] == 9
