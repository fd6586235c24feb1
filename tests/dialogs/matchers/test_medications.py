"""The medications question (a `choices` matcher, dialogs/matchers/choices.py) through
`nlu.interpret`: names, classes, slang and typos, a recent change, medicines given up.
Phrasings are invented here."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from tests.helpers import answer, detail

MEDICATIONS = [
    ("none", ["none"]),
    ("no meds", ["none"]),
    ("i don't take anything", ["none"]),
    ("nope", ["none"]),
    ("lasix", ["diuretic"]),
    ("hctz 25mg", ["diuretic"]),
    ("spironolactone", ["diuretic"]),
    ("my water pill", ["diuretic"]),
    ("vyvanse", ["adhd_stimulant"]),
    ("methylphenidate", ["adhd_stimulant"]),
    ("concerta 36", ["adhd_stimulant"]),
    ("prozac", ["antidepressant"]),
    ("escitalopram 10mg", ["antidepressant"]),
    ("cymbalta", ["antidepressant"]),
    ("bupropion", ["antidepressant"]),
    ("an ssri", ["antidepressant"]),
    ("sertaline", ["antidepressant"]),
    ("levothyroxine", ["other"]),
    ("metformin and a statin", ["other", "statin"]),
    ("vitamin d and magnesium", ["other"]),
    ("the contraceptive pill", ["other"]),
    ("ramipril", ["other"]),
    ("some pills for my blood pressure", ["other"]),
    ("adderall and lexapro", ["adhd_stimulant", "antidepressant"]),
    ("furosemide and ibuprofen", ["diuretic", "other"]),
]


@pytest.mark.parametrize(("text", "expected"), MEDICATIONS)
def test_medications(knowledge: Knowledge, text: str, expected: list[str]) -> None:
    assert answer(knowledge, "medications", text) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("started zoloft 10 days ago", True),
        ("my psychiatrist increased my prozac", True),
        ("new medication: lexapro", True),
        ("they changed the dose of my sertraline", True),
        ("sertraline for years", False),
    ],
)
def test_medication_recent_change(knowledge: Knowledge, text: str, changed: bool) -> None:
    found = detail(knowledge, "medications", text)
    assert bool(found.get("recent_change")) is changed
    assert found["names"]


SLANG_TYPOS_AND_GIVEN_UP = [
    ("addies in the morning", ["adhd_stimulant"]),
    ("addy xr 20", ["adhd_stimulant"]),
    ("zoloft + addy", ["antidepressant", "adhd_stimulant"]),
    ("quit fluoxetine a year ago, nothing now", ["none"]),
    ("was on citalopram but stopped it", ["none"]),
    ("used to take ritalin as a kid", ["none"]),
    ("came off my antidepressants in june", ["none"]),
    ("stopped venlafaxine, still on vyvanse", ["adhd_stimulant"]),
    ("coming off sertraline slowly", ["antidepressant"]),  # still taking it
    ("just started escitalopram", ["antidepressant"]),
    ("adderal", ["adhd_stimulant"]),
]


@pytest.mark.parametrize(("text", "expected"), SLANG_TYPOS_AND_GIVEN_UP)
def test_medicine_slang_and_medicines_given_up(
    knowledge: Knowledge, text: str, expected: list[str]
) -> None:
    assert sorted(answer(knowledge, "medications", text)) == sorted(expected)
