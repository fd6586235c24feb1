"""Time zones as plain values (dialogs/timezones.py): names, offsets, cities, inference.
Schedules and daylight saving: tests/dialogs/test_schedule.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dialogs.knowledge import Knowledge
from dialogs.timezones import format_offset, infer_offset, offset_minutes, zone_of


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("+05:30", "+05:30"),
        ("UTC+5:30", "+05:30"),
        ("GMT-3", "-03:00"),
        ("+0545", "+05:45"),
        ("utc", "UTC"),
        ("Berlin", "Europe/Berlin"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Kolkata", "Asia/Kolkata"),
        ("Mumbai", "Asia/Kolkata"),
        ("new york", "America/New_York"),
        ("EST", "America/New_York"),
        ("Melborne", "Australia/Melbourne"),
        ("Nairobi", "Africa/Nairobi"),
        ("Santiago", "America/Santiago"),
        ("Berlin time", "Europe/Berlin"),
        ("I'm in New York", "America/New_York"),
        ("i live in rio de janeiro", "America/Sao_Paulo"),
        ("Auckland", "Pacific/Auckland"),
    ],
)
def test_zone_names_offsets_and_cities(knowledge: Knowledge, typed: str, zone: str) -> None:
    assert knowledge.reminders.finder.find(typed) == zone


@pytest.mark.parametrize("typed", ["xyzzy", "14:35", "+15:00", "", "tomorrow"])
def test_unknown_zones(knowledge: Knowledge, typed: str) -> None:
    assert knowledge.reminders.finder.find(typed) is None


def test_places_cover_every_region(knowledge: Knowledge) -> None:
    zones = {place.zone for place in knowledge.reminders.finder.places.table}
    regions = {z.split("/")[0] for z in zones if z}
    assert {"Europe", "Asia", "Africa", "America", "Australia", "Pacific"} <= regions


def test_offsets_round_trip() -> None:
    assert offset_minutes("+05:30") == 330
    assert offset_minutes("-03:00") == -180
    assert offset_minutes("+14:01") is None
    assert format_offset(330) == "+05:30"
    assert format_offset(-570) == "-09:30"
    assert format_offset(0) == "UTC"
    assert zone_of("+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
    assert zone_of("Nowhere/Land") is UTC


@pytest.mark.parametrize(
    ("local", "utc_now", "step", "expected"),
    [
        (14 * 60 + 35, "2026-04-10T09:05:00+00:00", 15, "+05:30"),
        (14 * 60 + 37, "2026-04-10T09:05:40+00:00", 15, "+05:30"),  # typed a bit off
        (6 * 60 + 10, "2026-04-10T10:10:00+00:00", 15, "-04:00"),
        (23 * 60 + 50, "2026-04-11T04:50:00+00:00", 15, "-05:00"),  # across midnight
        (0 * 60 + 20, "2026-04-10T11:05:00+00:00", 15, "+13:15"),
        (15 * 60, "2026-04-10T13:47:00+00:00", 60, "+01:00"),  # "3pm": whole hours only
        (12 * 60, "2026-04-10T12:02:00+00:00", 15, "UTC"),
    ],
)
def test_infer_offset(local: int, utc_now: str, step: int, expected: str) -> None:
    assert infer_offset(local, at(utc_now), step) == expected
