"""Generalisation: negation over lists, past habits, ranges and vague numbers, unsure
places, "back of" a body part, sport intensity and kidney words. Phrasings are invented
(not the held-out or the evaluation's sentences)."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from tests.helpers import answer

NEGATION_AND_PAST = [
    ("caffeine", "i never drink coffee, cola or energy drinks", "none"),
    ("caffeine", "don't have tea or coffee or coke", "none"),
    ("caffeine", "no coffee, no tea, no soda", "none"),
    ("caffeine", "never touch coffee, tea or energy drinks", "none"),
    ("caffeine", "i used to have 5 coffees a day but quit, now zero", "none"),
    ("caffeine", "was a big tea drinker before, now i don't have any", "none"),
    ("caffeine", "used to drink red bull all the time, now just 1 coffee", "moderate"),
    ("caffeine", "i used to have loads of cola, these days none at all", "none"),
    ("caffeine", "i used to drink tea but now 5 coffees a day", "high"),
    ("exercise", "i used to run marathons, now i do nothing", "none"),
]


@pytest.mark.parametrize(("question", "text", "expected"), NEGATION_AND_PAST)
def test_negation_and_past_habits(
    knowledge: Knowledge, question: str, text: str, expected: str
) -> None:
    assert answer(knowledge, question, text) == expected


NUMBERS = [
    ("sleep", "between 5 and 6", "short"),
    ("sleep", "somewhere between six and seven hours", "fair"),
    ("sleep", "between 7 and 9 hours", "enough"),
    ("sleep", "five-six hours", "short"),
    ("sleep", "six - seven", "fair"),
    ("caffeine", "a dozen coffees", "high"),
    ("caffeine", "half a dozen cups of tea", "moderate"),
    ("caffeine", "a couple of coffees", "moderate"),
    ("caffeine", "one or two teas", "moderate"),
    ("caffeine", "two-three lattes", "moderate"),
    ("caffeine", "three to four red bulls", "moderate"),
    ("caffeine", "half a dozen red bulls", "high"),
    ("duration", "half a dozen days", "days"),
    ("duration", "a dozen weeks", "months"),
]


@pytest.mark.parametrize(("question", "text", "expected"), NUMBERS)
def test_numbers(knowledge: Knowledge, question: str, text: str, expected: str) -> None:
    assert answer(knowledge, question, text) == expected


LOCATION = [
    ("can't really tell", "unknown"),
    ("hard to tell", "unknown"),
    ("not sure where exactly", "unknown"),
    ("dunno where it is exactly", "unknown"),
    ("difficult to say", "unknown"),
    ("i can't pin it down", "unknown"),
    ("all ovr my body", ["widespread"]),
    ("evrywhere", ["widespread"]),
    ("all over the place", ["widespread"]),
    ("the back of my knee", ["thigh"]),
    ("back of my hand", ["hand"]),
    ("on the back of my thigh", ["thigh"]),
    ("back of my calf", ["calf"]),
    ("back of my arm", ["arm"]),
    ("my lower back and the back of my thigh", ["neck_back", "thigh"]),
    ("my back", ["neck_back"]),
]


@pytest.mark.parametrize(("text", "expected"), LOCATION)
def test_location_unsure_typos_and_back_of(
    knowledge: Knowledge, text: str, expected: str | list[str]
) -> None:
    got = answer(knowledge, "location", text)
    assert (got or []) == expected if isinstance(expected, list) else got == expected


EXERCISE = [
    ("football 4 times a week, totally knackered after", "intense"),
    ("hockey practice most days, proper hard", "intense"),
    ("boxing five days a week", "intense"),
    ("weights 6 days a week", "intense"),
    ("rugby, i'm always drenched", "intense"),
    ("squash three times a week, absolutely shattering", "intense"),
    ("i lift every day and come out soaked", "intense"),
    ("couch to 5k", "light"),
    ("just started c25k", "light"),
    ("football once a week, nothing serious", "light"),
    ("gentle swimming twice a week", "light"),
]


@pytest.mark.parametrize(("text", "expected"), EXERCISE)
def test_exercise_intensity_cues(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "exercise", text) == expected


CONDITIONS = [
    ("nephrotic syndrome", ["kidney"]),
    ("i had glomerulonephritis as a kid", ["kidney"]),
    ("polycystic kidneys", ["kidney"]),
    ("i'm on dialysis three times a week", ["kidney"]),
    ("chronic renal insufficiency", ["kidney"]),
    ("stage 3 kidney disease", ["kidney"]),
    ("i get kidney stones", ["kidney"]),
    ("iga nephropathy", ["kidney"]),
]


@pytest.mark.parametrize(("text", "expected"), CONDITIONS)
def test_kidney_words(knowledge: Knowledge, text: str, expected: list[str]) -> None:
    assert answer(knowledge, "conditions", text) == expected


@pytest.mark.parametrize(
    "text", ["2 scoops of pre-workout", "a preworkout shake and a coffee", "pre workout before gym"]
)
def test_a_drink_named_after_exercise_does_not_answer_exercise(
    knowledge: Knowledge, text: str
) -> None:
    from dialogs import nlu

    reading = nlu.interpret(knowledge, text, "caffeine", {"location": ["calf"]})
    questions = {a.question for a in reading.answers}
    assert "caffeine" in questions
    if "gym" not in text:
        assert "exercise" not in questions
