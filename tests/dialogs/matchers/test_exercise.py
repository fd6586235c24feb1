"""The exercise question (a `choices` matcher, dialogs/matchers/choices.py) through
`nlu.interpret`: sports, hobbies and jobs, intensity cues, endurance events, sweat and
heat, habits given up; a drink named after exercise. Phrasings are invented here."""

from __future__ import annotations

import pytest

from dialogs import nlu
from dialogs.knowledge import Knowledge
from tests.helpers import answer, detail

EXERCISE = [
    ("none", "none"),
    ("i don't exercise", "none"),
    ("couch potato", "none"),
    ("desk job, no sport", "none"),
    ("not really", "none"),
    ("walking to work", "light"),
    ("a bit of yoga now and then", "light"),
    ("i walk the dog", "light"),
    ("gym twice a week, nothing crazy", "light"),
    ("easy cycling", "light"),
    ("pilates", "light"),
    ("crossfit", "intense"),
    ("training for a marathon", "intense"),
    ("hiit classes, soaked in sweat", "intense"),
    ("3 hours of tennis in the heat", "intense"),
    ("a two hour walk round the lake", "light"),  # long, but easy
    ("2 hours of yoga on sunday", "light"),
    ("3 hours of football on saturday", "intense"),
    ("long runs every weekend", "intense"),
    ("heavy lifting 6 times a week", "intense"),
    ("hot yoga", "intense"),
    ("construction work all day in the sun", "intense"),
    ("half marathon last sunday", "intense"),
]


@pytest.mark.parametrize(("text", "expected"), EXERCISE)
def test_exercise(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "exercise", text) == expected


def test_exercise_flags_sweat_and_heat(knowledge: Knowledge) -> None:
    found = detail(knowledge, "exercise", "football in the heat, sweating a lot")
    assert found == {"sweat": True, "heat": True}


INTENSITY_CUES = [
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
    ("training for an ultra", "intense"),
    ("did a duathlon on sunday", "intense"),
    ("ran an ultra marathon in the mountains", "intense"),
    ("a 100 mile sportive on the bike", "intense"),
]


@pytest.mark.parametrize(("text", "expected"), INTENSITY_CUES)
def test_exercise_intensity_cues(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "exercise", text) == expected


SPORTS_HOBBIES_JOBS_AND_PAST = [
    ("snowboarding at weekends", "light"),
    ("surfing when the waves are good", "light"),
    ("horse riding", "light"),
    ("pottering about in the garden", "light"),
    ("warehouse job, on my feet all shift", "light"),
    ("i'm a nurse, on my feet all day", "light"),
    ("kickboxing four nights a week", "intense"),
    ("i work as a labourer", "intense"),
    ("not since lockdown", "none"),
    ("havent for ages", "none"),
    ("i walk the dog most days", "light"),
    ("i used to run marathons, now i do nothing", "none"),
]


@pytest.mark.parametrize(("text", "expected"), SPORTS_HOBBIES_JOBS_AND_PAST)
def test_sports_hobbies_and_jobs_land_in_exercise(
    knowledge: Knowledge, text: str, expected: str
) -> None:
    assert answer(knowledge, "exercise", text) == expected


@pytest.mark.parametrize(
    "text", ["2 scoops of pre-workout", "a preworkout shake and a coffee", "pre workout before gym"]
)
def test_a_drink_named_after_exercise_does_not_answer_exercise(
    knowledge: Knowledge, text: str
) -> None:
    reading = nlu.interpret(knowledge, text, "caffeine", {"location": ["calf"]})
    questions = {a.question for a in reading.answers}
    assert "caffeine" in questions
    if "gym" not in text:
        assert "exercise" not in questions
