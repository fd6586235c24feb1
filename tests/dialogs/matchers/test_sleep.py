"""The sleep question (dialogs/matchers/measures.py `SleepMatcher`) through `nlu.interpret`:
hours in words and numbers, bed and wake times (clock words, past midnight), ranges in
words. Phrasings are invented here."""

from __future__ import annotations

import pytest

from dialogs.knowledge import Knowledge
from tests.helpers import answer, detail

SLEEP = [
    ("3 hours", "short"),
    ("five", "short"),
    ("fiev hours", "short"),
    ("4-5 hours", "short"),
    ("barely any, like 4h", "short"),
    ("under 6", "short"),
    ("in bed at 2, up at 7", "short"),
    ("bed at midnight and the alarm at 5:30", "short"),
    ("hardly sleep at all", "short"),
    ("6 hours", "fair"),
    ("six and a half", "fair"),
    ("6-7", "fair"),
    ("about 6.5h", "fair"),
    ("7 hours", "enough"),
    ("seven", "enough"),
    ("7-8 hrs", "enough"),
    ("8h", "enough"),
    ("nine hours", "enough"),
    ("asleep by 11pm, up at 7am", "enough"),
    ("i sleep like a log", "enough"),
    ("around eight hours usually", "enough"),
]


@pytest.mark.parametrize(("text", "expected"), SLEEP)
def test_sleep(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "sleep", text) == expected


def test_sleep_detail_is_the_span(knowledge: Knowledge) -> None:
    assert detail(knowledge, "sleep", "bed at 1am, up at 6")["hours"] == 5
    assert detail(knowledge, "sleep", "8-9 hours")["hours"] == 8.5


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


SPANS_AND_RANGES = [
    ("lights out about 12:30, alarm at 6", "short"),  # 5.5 h
    ("half 12 until 7", "fair"),  # 6.5 h
    ("bed at 12, up at 8", "enough"),
    ("12:30 to 6:30", "fair"),
    ("11 to 6", "enough"),
    ("between five and six", "short"),
    ("between six n seven", "fair"),
    ("somewhere between 4 and 5", "short"),
    ("between 5 and 6", "short"),
    ("somewhere between six and seven hours", "fair"),
    ("between 7 and 9 hours", "enough"),
    ("five-six hours", "short"),
    ("six - seven", "fair"),
]


@pytest.mark.parametrize(("text", "expected"), SPANS_AND_RANGES)
def test_sleep_spans_and_ranges_in_words(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "sleep", text) == expected
