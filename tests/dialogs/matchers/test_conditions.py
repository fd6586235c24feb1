"""The conditions question (a `choices` matcher, dialogs/matchers/choices.py) through
`nlu.interpret`: diagnoses, kidney words, several at once, common ones, abbreviations and
typos. Phrasings are invented here."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from tests.helpers import answer

CONDITIONS = [
    ("none", ["none"]),
    ("no", ["none"]),
    ("nothing diagnosed", ["none"]),
    ("i'm healthy", ["none"]),
    ("not that i know of", ["none"]),
    ("type 1 diabetes", ["diabetes"]),
    ("diabetic", ["diabetes"]),
    ("prediabetes", ["diabetes"]),
    ("diabetis", ["diabetes"]),
    ("ckd", ["kidney"]),
    ("kidney disease", ["kidney"]),
    ("i'm on dialysis", ["kidney"]),
    ("my kidneys are weak", ["kidney"]),
    ("asthmatic", ["other"]),
    ("hypertension", ["other"]),
    ("hashimotos", ["other"]),
    ("an overactive thyroid", ["other"]),
    ("migraines and ibs", ["other"]),
    ("diabetes and high blood pressure", ["diabetes", "other"]),
    ("kidney stones and type 2", ["diabetes", "kidney"]),
]


@pytest.mark.parametrize(("text", "expected"), CONDITIONS)
def test_conditions(knowledge: Knowledge, text: str, expected: list[str]) -> None:
    assert answer(knowledge, "conditions", text) == sorted(expected)


KIDNEY_WORDS = [
    ("nephrotic syndrome", ["kidney"]),
    ("i had glomerulonephritis as a kid", ["kidney"]),
    ("polycystic kidneys", ["kidney"]),
    ("i'm on dialysis three times a week", ["kidney"]),
    ("chronic renal insufficiency", ["kidney"]),
    ("stage 3 kidney disease", ["kidney"]),
    ("i get kidney stones", ["kidney"]),
    ("iga nephropathy", ["kidney"]),
]


@pytest.mark.parametrize(("text", "expected"), KIDNEY_WORDS)
def test_kidney_words(knowledge: Knowledge, text: str, expected: list[str]) -> None:
    assert answer(knowledge, "conditions", text) == expected


SEVERAL_COMMON_AND_ABBREVIATED = [
    ("dodgy kidneys and the sugar", ["kidney", "diabetes"]),
    ("type 2 + kidney disease", ["diabetes", "kidney"]),
    ("just a touch of sugar", ["diabetes"]),
    ("hay fever", ["other"]),
    ("bad hayfever every spring", ["other"]),
    ("asthma and eczema", ["other"]),
    ("tendinitis in my wrist", ["other"]),
    ("nope, all good", ["none"]),  # two denials are still a denial
    ("low bp", ["other"]),
    ("HTN and t2d", ["diabetes", "other"]),
    ("just my blood pressure", ["other"]),
    ("diabeties and kidny disease", ["diabetes", "kidney"]),
]


@pytest.mark.parametrize(("text", "expected"), SEVERAL_COMMON_AND_ABBREVIATED)
def test_several_and_common_conditions(
    knowledge: Knowledge, text: str, expected: list[str]
) -> None:
    assert sorted(answer(knowledge, "conditions", text)) == sorted(expected)
