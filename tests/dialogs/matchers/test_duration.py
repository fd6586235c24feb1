"""The duration question (dialogs/matchers/measures.py `DurationMatcher`) through
`nlu.interpret`: spans in words and numbers, typos, dozens and decades, times of day,
a month, a year or a holiday after "since" (with the date). Phrasings are invented here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs import nlu
from dialogs.knowledge import Knowledge
from tests.helpers import answer, detail

DURATION = [
    ("since this afternoon", "under_a_day"),
    ("just a couple of hours", "under_a_day"),
    ("started tonight", "under_a_day"),
    ("half a day", "under_a_day"),
    ("less than a day", "under_a_day"),
    ("two days", "days"),
    ("since yesterday", "days"),
    ("since wednesday", "days"),
    ("since last friday", "days"),
    ("about a week", "days"),
    ("a week and a half", "days"),
    ("for a few days now", "days"),
    ("ten days", "days"),
    ("a fortnight", "weeks"),
    ("three weeks or so", "weeks"),
    ("for about a month", "weeks"),
    ("six weeks", "weeks"),
    ("a few weeks", "weeks"),
    ("2 months", "months"),
    ("nearly a year", "months"),
    ("on and off for two years", "months"),
    ("like five months", "months"),
    ("years honestly", "months"),
    ("for ages", "months"),
    ("3 wks", "weeks"),
    ("fiev days", "days"),
]


@pytest.mark.parametrize(("text", "expected"), DURATION)
def test_duration(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "duration", text) == expected


def test_duration_detail_is_days(knowledge: Knowledge) -> None:
    assert detail(knowledge, "duration", "three weeks")["days"] == pytest.approx(21)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five dayz", "days"),
        ("3 weaks now", "weeks"),
        ("a few munths", "months"),
        ("about a fortnite", "weeks"),
        ("6 mnths", "months"),
        ("over a yr", "months"),
    ],
)
def test_duration_typos(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "duration", text) == expected


DOZENS_DECADES_AND_TIMES_OF_DAY = [
    ("half a dozen days", "days"),
    ("a dozen weeks", "months"),
    ("a decade at least", "months"),
    ("two decades on and off", "months"),
    ("since midday", "under_a_day"),
    ("since roughly lunch time", "under_a_day"),
    ("started around teatime", "under_a_day"),
]


@pytest.mark.parametrize(("text", "expected"), DOZENS_DECADES_AND_TIMES_OF_DAY)
def test_dozens_decades_and_times_of_day(knowledge: Knowledge, text: str, expected: str) -> None:
    assert answer(knowledge, "duration", text) == expected


def test_a_month_name_needs_the_date(knowledge: Knowledge) -> None:
    now = datetime(2026, 11, 25, 10, tzinfo=UTC)
    said = {"location": ["calf"]}
    assert nlu.interpret(knowledge, "since january", "duration", said).answers == []
    found = nlu.interpret(knowledge, "since january", "duration", said, now=now).answers
    assert [(a.question, a.value) for a in found] == [("duration", "months")]
    found = nlu.interpret(knowledge, "since november", "duration", said, now=now).answers
    assert [a.value for a in found] == ["weeks"]
    found = nlu.interpret(knowledge, "i may have had it 3 days", "duration", said, now=now)
    assert [a.value for a in found.answers] == ["days"]


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [("since christmas", "months"), ("since last xmas", "months"), ("since new year", "months")],
)
def test_durations_from_holidays(knowledge: Knowledge, text: str, expected: str) -> None:
    reading = nlu.interpret(knowledge, text, "duration", {}, now=datetime(2026, 3, 20, tzinfo=UTC))
    assert [a.value for a in reading.answers if a.question == "duration"] == [expected]
