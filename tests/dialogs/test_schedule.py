"""Schedules as plain values (dialogs/schedule.py): the schedule language, its errors, local
times across daylight saving (gaps, repeated hours, both hemispheres), snoozes, and the next
occurrence as a property."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.knowledge import Knowledge
from dialogs.schedule import ScheduleError, local_instant, next_occurrence
from dialogs.timezones import zone_of


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("09:00,12:30,16:00", ("09:00", "12:30", "16:00")),
        ("16:00, 9:00", ("09:00", "16:00")),
        ("9am and 3:30 pm", ("09:00", "15:30")),
        ("22.30", ("22:30",)),
        ("every 2h 08:00-20:00", ("08:00", "10:00", "12:00", "14:00", "16:00", "18:00", "20:00")),
        ("every 3 hours from 9am to 9pm", ("09:00", "12:00", "15:00", "18:00", "21:00")),
        ("every 90 min 10:00-13:00", ("10:00", "11:30", "13:00")),
        ("every 1h30m 10:00-13:00", ("10:00", "11:30", "13:00")),
        ("every 1 h 30 min from 10:00 to 13:00", ("10:00", "11:30", "13:00")),
        ("every hour 9-12", ("09:00", "10:00", "11:00", "12:00")),
        ("every 3h 20:00-02:00", ("02:00", "20:00", "23:00")),
        ("10:00 every day", ("10:00",)),
    ],
)
def test_schedule_language(knowledge: Knowledge, text: str, times: tuple[str, ...]) -> None:
    assert knowledge.reminders.parser.parse(text).times == times


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("tomorrow", "bad_times"),
        ("25:00", "bad_times"),
        ("13pm", "bad_times"),
        ("every 5 min", "bad_interval"),
        ("every 2h 08:00", "bad_range"),
    ],
)
def test_schedule_errors(knowledge: Knowledge, text: str, key: str) -> None:
    with pytest.raises(ScheduleError) as error:
        knowledge.reminders.parser.parse(text)
    assert error.value.key == key


def test_local_times_follow_daylight_saving_in_berlin() -> None:
    schedule = {"zone": "Europe/Berlin", "times": ["09:00"]}
    # winter (UTC+1) then summer (UTC+2) across the night of 29 March 2026
    assert next_occurrence(schedule, at("2026-03-28T00:00:00+00:00")) == at(
        "2026-03-28T08:00:00+00:00"
    )
    assert next_occurrence(schedule, at("2026-03-28T08:00:00+00:00")) == at(
        "2026-03-29T07:00:00+00:00"
    )
    assert next_occurrence(schedule, at("2026-10-24T08:00:00+00:00")) == at(
        "2026-10-25T08:00:00+00:00"
    )


def test_gap_time_fires_once_after_the_gap() -> None:
    schedule = {"zone": "Europe/Berlin", "times": ["02:30"]}
    first = next_occurrence(schedule, at("2026-03-28T12:00:00+00:00"))
    assert first == at("2026-03-29T01:30:00+00:00")  # 03:30 summer time
    assert next_occurrence(schedule, first) == at("2026-03-30T00:30:00+00:00")


def test_repeated_hour_fires_once_in_two_hemispheres() -> None:
    berlin = {"zone": "Europe/Berlin", "times": ["02:30"]}
    first = next_occurrence(berlin, at("2026-10-24T12:00:00+00:00"))
    assert first == at("2026-10-25T00:30:00+00:00")  # the first 02:30 (summer time)
    assert next_occurrence(berlin, first) == at("2026-10-26T01:30:00+00:00")
    sydney = {"zone": "Australia/Sydney", "times": ["02:30"]}  # clocks go back 5 April 2026
    first = next_occurrence(sydney, at("2026-04-04T10:00:00+00:00"))
    assert first == at("2026-04-04T15:30:00+00:00")  # 02:30 +11:00
    assert next_occurrence(sydney, first) == at("2026-04-05T16:30:00+00:00")


def test_southern_spring_forward_in_santiago() -> None:
    schedule = {"zone": "America/Santiago", "times": ["00:30", "09:00"]}
    # clocks jump from 00:00 to 01:00 on 6 September 2026: 00:30 does not exist that night
    gap = next_occurrence(schedule, at("2026-09-05T20:00:00+00:00"))
    assert gap == at("2026-09-06T04:30:00+00:00")  # 01:30 -03:00
    morning = next_occurrence(schedule, gap)
    assert morning == at("2026-09-06T12:00:00+00:00")  # 09:00 -03:00
    before = next_occurrence(schedule, at("2026-09-05T04:40:00+00:00"))
    assert before == at("2026-09-05T13:00:00+00:00")  # 09:00 -04:00


def test_snoozes_are_one_off() -> None:
    schedule = {"zone": "UTC", "times": ["09:00"], "snoozes": ["2026-05-04T09:30:00+00:00"]}
    assert next_occurrence(schedule, at("2026-05-04T09:00:00+00:00")) == at(
        "2026-05-04T09:30:00+00:00"
    )
    assert next_occurrence(schedule, at("2026-05-04T09:30:00+00:00")) == at(
        "2026-05-05T09:00:00+00:00"
    )


ZONES = ["UTC", "Europe/Berlin", "Australia/Sydney", "America/Santiago", "+05:30", "-09:30"]


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    minutes=st.lists(st.integers(0, 24 * 60 - 1), min_size=1, max_size=6),
    after=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
)
def test_next_occurrence_is_the_first_after(zone: str, minutes: list[int], after: datetime) -> None:
    times = sorted({f"{m // 60:02d}:{m % 60:02d}" for m in minutes})
    schedule = {"zone": zone, "times": times}
    found = next_occurrence(schedule, after)
    assert found is not None and after < found <= after + timedelta(days=1, hours=2)
    # every candidate instant of the days around is either not after `after` or not earlier
    tz = zone_of(zone)
    day = after.astimezone(tz).date()
    for offset in (-1, 0, 1):
        for text in times:
            instant = local_instant(day + timedelta(days=offset), time.fromisoformat(text), zone)
            assert instant <= after or instant >= found
