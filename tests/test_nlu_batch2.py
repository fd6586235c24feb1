"""Generalisation, second round: the groups the held-out batch 2 found (clock words before a
number, bed/wake times with "at night" and "woke", a year after "since", decades and times
of day, coffee pods, ultra-distance races, "BP", legs giving way, snacks, waking early, being
low on fluids). Phrasings are invented here, not the case files' sentences."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs import faq, nlu
from dialogs.knowledge import Knowledge
from tests.helpers import answer, detail

SLEEP_CLOCKS = [
    ("asleep by half 10, up at 5", "fair"),  # 22:30 to 05:00
    ("bed at half past 11, alarm at 7", "enough"),
    ("in bed at quarter to 12 and up at 6", "fair"),
    ("from 10 at night to quarter past 4", "fair"),
    ("from 12 at night to 6 in the morning", "fair"),
    ("fell asleep at 2am and woke at 9", "enough"),
    ("went to bed at 1am, woke at 6", "short"),
    ("woken at 4 by the baby, asleep at 11", "short"),
]


@pytest.mark.parametrize(("text", "expected"), SLEEP_CLOCKS)
def test_sleep_from_clock_times(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "sleep", text) == expected


def test_clock_words_shift_the_number_after_them(knowledge: Knowledge) -> None:
    assert detail(knowledge, "sleep", "bed at half 11, up at 7")["hours"] == 7.5
    assert detail(knowledge, "sleep", "bed at 11, up at quarter to 7")["hours"] == 7.75
    # "half a ..." stays a vague half, not a clock time
    assert answer(knowledge, "duration", "half a day") == "under_a_day"
    assert answer(knowledge, "caffeine", "half a dozen espressos") == "moderate"


NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
SINCE_YEAR = [
    ("comes and goes since 2021", "months"),
    ("off and on from 2024", "months"),
    ("started in 2019", "months"),
]


@pytest.mark.parametrize(("text", "expected"), SINCE_YEAR)
def test_a_year_after_since(knowledge: Knowledge, text: str, expected: str) -> None:
    said = {"location": ["eyelid"]}
    found = nlu.interpret(knowledge, text, "duration", said, now=NOW).answers
    assert [a.value for a in found if a.question == "duration"] == [expected]


def test_a_year_that_is_not_past_or_not_after_since_is_no_duration(knowledge: Knowledge) -> None:
    said = {"location": ["eyelid"]}
    future = nlu.interpret(knowledge, "since 2031", "duration", said, now=NOW).answers
    assert not [a for a in future if a.question == "duration"]
    cups = nlu.interpret(knowledge, "about 2 days, 2000 steps", "duration", said, now=NOW)
    assert [a.value for a in cups.answers if a.question == "duration"] == ["days"]


WORDS = [
    ("duration", "a decade at least", "months"),
    ("duration", "two decades on and off", "months"),
    ("duration", "since midday", "under_a_day"),
    ("duration", "since roughly lunch time", "under_a_day"),
    ("duration", "started around teatime", "under_a_day"),
    ("caffeine", "three nespresso capsules", "moderate"),
    ("caffeine", "a lungo and two coffee pods", "moderate"),
    ("caffeine", "5 k cups a day", "high"),
    ("exercise", "training for an ultra", "intense"),
    ("exercise", "did a duathlon on sunday", "intense"),
    ("exercise", "ran an ultra marathon in the mountains", "intense"),
    ("exercise", "a 100 mile sportive on the bike", "intense"),
    ("conditions", "low bp", ["other"]),
    ("conditions", "HTN and t2d", ["diabetes", "other"]),
    ("conditions", "just my blood pressure", ["other"]),
]


@pytest.mark.parametrize(("question", "text", "expected"), WORDS)
def test_new_words(knowledge: Knowledge, question: str, text: str, expected: object) -> None:
    assert answer(knowledge, question, text) == expected


WEAKNESS = [
    "my knees keep giving way",
    "my left leg just gives way sometimes",
    "i've been dropping cups all week",
    "keeps dropping my pen at work",
    "my legs gave out on me twice",
]


@pytest.mark.parametrize("text", WEAKNESS)
def test_giving_way_and_dropping_are_weakness(knowledge: Knowledge, text: str) -> None:
    assert "weakness" in nlu.red_flags(knowledge, text)


@pytest.mark.parametrize(
    "text", ["no weakness, my legs never give way", "i dropped my kids off at school"]
)
def test_no_weakness(knowledge: Knowledge, text: str) -> None:
    assert "weakness" not in nlu.red_flags(knowledge, text)


FAQ = [
    ("healthy snacks that have potassium", "mineral_foods"),
    ("what should i snack on for more calcium", "mineral_foods"),
    ("a good dinner with lots of magnesium and potassium?", "mineral_foods"),
    ("i keep waking up at 5am, how do i sleep through", "sleep_tips"),
    ("why am i waking up so early in the morning", "sleep_tips"),
    ("waking in the early hours every night, tips?", "sleep_tips"),
    ("am i running low on fluids", "dehydration_signs"),
    ("how would i know if im low on water", "dehydration_signs"),
    ("could i be short of fluids, im always thirsty", "dehydration_signs"),
]


@pytest.mark.parametrize(("question", "expected"), FAQ)
def test_faq_new_wordings(knowledge: Knowledge, question: str, expected: str) -> None:
    assert faq.answer(knowledge, question).faq_id == expected
